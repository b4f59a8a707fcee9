import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { GRAPH_DOC, GRAPH_END, GRAPH_START, graphOf, withGraph } from "../cli/graph";
import { syntheticCatalogue } from "../bench/syntheticCatalogue";
import { pipelineGraph } from "../core/review/graph";
import { appPipeline } from "../core/project/pipeline";
import { environmentShards } from "../core/input/settings";
import { catalogueOf, hubSettings, ROOT } from "./support/fixtures";

describe("graph: the promotion pipeline diagram", () => {
    const settings = hubSettings();
    const pipelines = catalogueOf([{ name: "app", path: "apps/app", images: [{ repoURL: "r/i", enableDevTags: true }] }]).applications.map((app) =>
        appPipeline(app, environmentShards(settings), settings.devEnvironment),
    );

    it("draws warehouses into the first stage, the chain with shards, auto only into test, and the dev branch", () => {
        assert.equal(
            pipelineGraph(pipelines, "mermaid", ["test"]),
            [
                "flowchart LR",
                '    subgraph n_app["app"]',
                "        direction LR",
                '        n_app_config[("app-config")]',
                '        n_app_images[("app-images")]',
                '        n_app_dev_images[("app-dev-images")]',
                '        n_app_test("app-test<br/>test-shard")',
                '        n_app_staging("app-staging<br/>staging-shard")',
                '        n_app_prod("app-prod<br/>prod-shard")',
                '        n_app_dev("app-dev<br/>test-shard")',
                "        n_app_config -- auto --> n_app_test",
                "        n_app_images -- auto --> n_app_test",
                "        n_app_test -. manual .-> n_app_staging",
                "        n_app_staging -. manual .-> n_app_prod",
                "        n_app_config -. manual .-> n_app_dev",
                "        n_app_dev_images -. manual .-> n_app_dev",
                "    end",
                "",
            ].join("\n"),
        );
    });

    it("draws the same pipeline in Graphviz dot", () => {
        const dot = pipelineGraph(pipelines, "dot", ["test"]);
        assert.match(dot, /^digraph promotion \{/);
        assert.match(dot, /n_app_dev_images \[label="app-dev-images", shape=cylinder\];/);
        assert.match(dot, /n_app_test -> n_app_staging \[label="manual", style=dashed\];/);
        assert.match(dot, /n_app_images -> n_app_test \[label="auto"\];/);
    });

    it("the design page shows the current graph of the shipped catalogue", async () => {
        const page = readFileSync(path.join(ROOT, GRAPH_DOC), "utf8");
        assert.ok(page.includes(GRAPH_START) && page.includes(GRAPH_END));
        assert.equal(withGraph(page, await graphOf("mermaid")), page, `${GRAPH_DOC} is stale: run \`npm run graph -- --docs\``);
    });
});

describe("graph: bad input", () => {
    it("fails with the catalogue's error", async () => {
        const dir = mkdtempSync(path.join(tmpdir(), "graph-"));
        try {
            const bad = path.join(dir, "bad.yaml");
            writeFileSync(bad, "applications:\n  - name: a\n    path: apps/a\n    charts: [{repoURL: 'https://c'}]\n");
            await assert.rejects(graphOf("mermaid", bad), /bad\.yaml:4: application "a": charts\[0\]\.name: is required for http\(s\) chart repositories/);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("bench: synthetic catalogues", () => {
    it("makes N valid applications with unique names in the seed's richest shapes", () => {
        const catalogue = catalogueOf(parse(syntheticCatalogue(10)).applications);
        assert.equal(catalogue.applications.length, 10);
        assert.equal(new Set(catalogue.applications.map((app) => app.name)).size, 10);
        const [first, second] = catalogue.applications;
        assert.deepEqual(
            first.images.map((image) => [image.enableDevTags, image.customPath?.valueType]),
            [
                [true, undefined],
                [true, "tag"],
                [false, "full"],
            ],
        );
        assert.deepEqual(
            first.charts.flatMap((chart) => chart.generatorFiles),
            ["base/chart.yaml", "envs/{{env}}/chart.yaml"],
        );
        assert.equal(first.releases[0].updates.length, 2);
        assert.deepEqual(second.stages, ["test", "prod"]);
    });
});

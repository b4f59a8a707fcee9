import { strict as assert } from "node:assert";
import { literalTagRegex } from "../core/input/catalogue";
import { catalogueOf, shippedCatalogue } from "./support/fixtures";

const app = (extra: Record<string, unknown> = {}) => ({ name: "my-app", path: "apps/my-app", ...extra });
const image = (extra: Record<string, unknown> = {}) => ({ repoURL: "public.ecr.aws/eodh/my-image", ...extra });
const chart = (extra: Record<string, unknown> = {}) => ({
    name: "my-chart",
    repoURL: "https://charts.example.com",
    generatorFile: "base/chart.yaml",
    ...extra,
});

function parseOne(extra: Record<string, unknown>) {
    return catalogueOf([app(extra)]).applications[0];
}

describe("catalogue: the shipped catalogue", () => {
    it("holds the seed's applications except kargo-eodhp-project, which Pulumi now owns", () => {
        // A Stage promoting the chart that used to define the project would fight Pulumi over it (docs/catalogue.md).
        const names = shippedCatalogue().applications.map((entry) => entry.name);
        assert.deepEqual(names, ["accounting-service", "argo-events", "auth-agent", "jupyter", "nginx", "stac-fastapi-2"]);
    });
});

describe("catalogue: options and defaults", () => {
    it("defaults stages to every environment with a shard, in promotion order", () => {
        assert.deepEqual(parseOne({}).stages, ["test", "staging", "prod"]);
    });

    it("keeps a custom stage list in the given order", () => {
        assert.deepEqual(parseOne({ stages: ["test", "prod"] }).stages, ["test", "prod"]);
    });

    it("defaults image discoveryLimit to 5, enableDevTags to false and leaves the strategy to Kargo's default", () => {
        const [spec] = parseOne({ images: [image()] }).images;
        assert.equal(spec.discoveryLimit, 5);
        assert.equal(spec.enableDevTags, false);
        assert.equal(spec.imageSelectionStrategy, undefined);
    });

    it("treats semverConstraint as an alias of constraint", () => {
        assert.equal(parseOne({ images: [image({ semverConstraint: ">=1.0.0" })] }).images[0].constraint, ">=1.0.0");
        assert.equal(parseOne({ charts: [chart({ semverConstraint: "^1.0.0" })] }).charts[0].semverConstraint, "^1.0.0");
        assert.equal(parseOne({ images: [image({ constraint: ">=1.0.0", semverConstraint: ">=1.0.0" })] }).images[0].constraint, ">=1.0.0");
    });

    it("spells strategies as Kargo does (Semver → SemVer, newestbuild → NewestBuild)", () => {
        assert.equal(parseOne({ images: [image({ imageSelectionStrategy: "Semver" })] }).images[0].imageSelectionStrategy, "SemVer");
        assert.equal(parseOne({ images: [image({ imageSelectionStrategy: "newestbuild" })] }).images[0].imageSelectionStrategy, "NewestBuild");
    });

    it("turns allowTags into allowTagsRegexes and literal ignoreTags into anchored regexes", () => {
        const [spec] = parseOne({ images: [image({ allowTags: "^v\\d+\\.\\d+$", ignoreTags: ["latest", "1.0+beta"] })] }).images;
        assert.deepEqual(spec.allowTagsRegexes, ["^v\\d+\\.\\d+$"]);
        assert.deepEqual(spec.ignoreTagsRegexes, ["^latest$", "^1\\.0\\+beta$"]);
        assert.ok(new RegExp(literalTagRegex("1.0+beta")).test("1.0+beta"));
        assert.ok(!new RegExp(literalTagRegex("1.0+beta")).test("1x0+beta-2"));
    });

    it("keeps strictSemvers, discoveryLimit and customPath (valueType defaults to full)", () => {
        const [spec] = parseOne({
            images: [image({ strictSemvers: false, discoveryLimit: 10, customPath: { file: "base/values.yaml", key: "hub.image.tag" } })],
        }).images;
        assert.equal(spec.strictSemvers, false);
        assert.equal(spec.discoveryLimit, 10);
        assert.deepEqual(spec.customPath, { file: "base/values.yaml", key: "hub.image.tag", valueType: "full" });
    });

    it("accepts generatorFile or generatorFiles, with {{env}} in them", () => {
        assert.deepEqual(parseOne({ charts: [chart({ generatorFile: "envs/{{env}}/c.yaml" })] }).charts[0].generatorFiles, ["envs/{{env}}/c.yaml"]);
        const files = ["base/a.yaml", "base/b.yaml"];
        assert.deepEqual(parseOne({ charts: [chart({ generatorFile: undefined, generatorFiles: files })] }).charts[0].generatorFiles, files);
    });

    it("maps chart constraint to semverConstraint, defaults discoveryLimit to 5", () => {
        const [spec] = parseOne({ charts: [chart({ constraint: "^2.1.0" })] }).charts;
        assert.equal(spec.semverConstraint, "^2.1.0");
        assert.equal(spec.discoveryLimit, 5);
    });

    it("drops the chart name for oci:// repositories, folding it into the URL when the URL lacks it", () => {
        assert.deepEqual(pick(parseOne({ charts: [chart({ name: "kargo", repoURL: "oci://ghcr.io/akuity/kargo-charts/kargo" })] }).charts[0]), {
            name: undefined,
            repoURL: "oci://ghcr.io/akuity/kargo-charts/kargo",
        });
        assert.deepEqual(pick(parseOne({ charts: [chart({ name: "kargo", repoURL: "oci://ghcr.io/akuity/kargo-charts" })] }).charts[0]), {
            name: undefined,
            repoURL: "oci://ghcr.io/akuity/kargo-charts/kargo",
        });
    });

    it("maps release constraint to semverConstraint, default discoveryLimit 5, and rewrites SSH URLs to HTTPS", () => {
        const [release] = parseOne({
            releases: [
                {
                    name: "argo-events",
                    repoURL: "git@github.com:argoproj/argo-events.git",
                    constraint: "^1.9.0",
                    updates: [{ file: "base/kustomization.yaml", key: "resources.1", urlPrefix: "https://x/", urlSuffix: "/install.yaml" }],
                },
            ],
        }).releases;
        assert.equal(release.repoURL, "https://github.com/argoproj/argo-events.git");
        assert.equal(release.semverConstraint, "^1.9.0");
        assert.equal(release.discoveryLimit, 5);
    });
});

function pick(spec: { name?: string; repoURL: string }) {
    return { name: spec.name, repoURL: spec.repoURL };
}

import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { renderCommand } from "../cli/render";
import { renderStack, type RenderResult } from "../cli/renderRuntime";
import { ONE_APP_CATALOGUE, render } from "./support/render";

const STACKS = ["prod", "test", "staging"] as const;
const ADOPT = { "eodhp-kargo:adoptExisting": "true" };

function kubernetesProvider(result: RenderResult) {
    const providers = result.resources.filter((resource) => resource.type === "pulumi:providers:kubernetes");
    assert.equal(providers.length, 1, "one kubernetes provider per stack");
    return providers[0];
}

function chart(result: RenderResult) {
    const charts = result.resources.filter((resource) => resource.type === "kubernetes:helm.sh/v4:Chart");
    assert.equal(charts.length, 1, "one Kargo chart per stack");
    return charts[0];
}

describe("adoptExisting: taking over the live install", function () {
    this.timeout(60000);
    for (const stack of STACKS) {
        it(`${stack}: with it on, every Kubernetes resource goes through the adopting provider and none can be replaced`, async () => {
            // Only the install is at stake, so prod renders one application (each project kind is still there).
            const result = await render({ stack, configOverrides: ADOPT, ...(stack === "prod" ? { catalogue: ONE_APP_CATALOGUE } : {}) });
            const provider = kubernetesProvider(result);
            assert.equal(provider.inputs.upsertExistingObjects, "true");
            assert.equal(provider.inputs.enablePatchForce, "true");
            assert.equal(provider.inputs.enableServerSideApply, "true");
            const kubernetesResources = result.resources.filter((resource) => resource.type.startsWith("kubernetes:"));
            assert.ok(kubernetesResources.length > 0);
            for (const resource of kubernetesResources) {
                const identity = `${resource.type}::${resource.name}`;
                assert.match(
                    result.providers.get(identity) ?? "",
                    /[$:]pulumi:providers:kubernetes::kubernetes::/,
                    `${identity} uses the stack's kubernetes provider`,
                );
                const options = result.options.get(identity);
                assert.ok(
                    !options?.replaceOnChanges?.length && !(options as { deleteBeforeReplace?: boolean } | undefined)?.deleteBeforeReplace,
                    `${identity} never replaced`,
                );
                // An explicit name: a create adopts the existing object of that name instead of a new auto-named one.
                if (!resource.type.startsWith("kubernetes:helm.sh/"))
                    assert.ok((resource.inputs.metadata as { name?: string }).name, `${identity} has metadata.name`);
            }
        });

        it(`${stack}: with it off (the default), nothing is adopted; the chart is release "kargo", as Argo CD installed it`, async () => {
            const result = await render({ stack });
            const provider = kubernetesProvider(result);
            assert.notEqual(provider.inputs.upsertExistingObjects, "true");
            assert.notEqual(provider.inputs.enablePatchForce, "true");
            assert.equal(chart(result).inputs.name, "kargo");
        });
    }

    it("helmReleaseName in the stack config renames the release (labels and selectors, not the objects)", async () => {
        const result = await renderStack({ stack: "test", configOverrides: { "eodhp-kargo:helmReleaseName": "kargo-test" } });
        assert.equal(chart(result).inputs.name, "kargo-test");
        // Children keep the Pulumi resource name as their prefix, so no URN moves with the release name.
        assert.equal(chart(result).name, "kargo-shard-chart");
    });

    it("the render writes the chart's values for helm template, with the server-side diff command", async () => {
        const dir = mkdtempSync(path.join(tmpdir(), "chart-values-"));
        try {
            const printed = await renderCommand(["--stack", "prod", "--out", dir], render);
            assert.match(printed, /chart-values\.yaml/);
            const text = readFileSync(path.join(dir, "prod", "chart-values.yaml"), "utf8");
            assert.match(
                text,
                /^# .*\n# .*\n# {3}helm template kargo oci:\/\/ghcr\.io\/akuity\/kargo-charts\/kargo --version 1\.11\.2 -n kargo -f chart-values\.yaml \\\n/,
            );
            assert.match(text, /\| kubectl --context eodhp-prod diff --server-side --force-conflicts -f -\n/);
            const resources = JSON.parse(readFileSync(path.join(dir, "prod", "resources.json"), "utf8")) as RenderResult["resources"];
            const installed = resources.find((resource) => resource.type === "kubernetes:helm.sh/v4:Chart")?.inputs.values;
            assert.deepEqual(parse(text), installed);
            assert.equal((parse(text) as { api: { host: string } }).api.host, "kargo.eodatahub.org.uk");
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    it("rejects a release name Helm would refuse, naming the key", async () => {
        const tooLong = "k".repeat(54);
        await assert.rejects(
            renderStack({ stack: "test", configOverrides: { "eodhp-kargo:helmReleaseName": tooLong } }),
            /eodhp-kargo:helmReleaseName: "k+" is 54 characters long; Helm allows at most 53/,
        );
        await assert.rejects(renderStack({ stack: "test", configOverrides: { "eodhp-kargo:helmReleaseName": "Kargo" } }), /eodhp-kargo:helmReleaseName/);
    });

    it("rejects a value that is not a boolean, naming the key", async () => {
        await assert.rejects(renderStack({ stack: "test", configOverrides: { "eodhp-kargo:adoptExisting": "yes" } }), /eodhp-kargo:adoptExisting/);
    });
});

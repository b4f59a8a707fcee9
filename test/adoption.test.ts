import { strict as assert } from "node:assert";
import { renderStack, type RenderResult } from "../cli/renderRuntime";
import { ONE_APP_CATALOGUE, render } from "./support/render";

const STACKS = ["prod", "test", "staging"] as const;
const ADOPT = { "eodhp-kargo:adoptExisting": "true" };

function kubernetesProvider(result: RenderResult) {
    const providers = result.resources.filter((resource) => resource.type === "pulumi:providers:kubernetes");
    assert.equal(providers.length, 1, "one kubernetes provider per stack");
    return providers[0];
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

        it(`${stack}: with it off (the default), nothing is adopted`, async () => {
            const provider = kubernetesProvider(await render({ stack }));
            assert.notEqual(provider.inputs.upsertExistingObjects, "true");
            assert.notEqual(provider.inputs.enablePatchForce, "true");
        });
    }

    it("rejects a value that is not a boolean, naming the key", async () => {
        await assert.rejects(renderStack({ stack: "test", configOverrides: { "eodhp-kargo:adoptExisting": "yes" } }), /eodhp-kargo:adoptExisting/);
    });
});

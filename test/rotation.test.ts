import { strict as assert } from "node:assert";
import { parse } from "yaml";
import type { RenderResult } from "../cli/renderRuntime";
import { render, resource, rotationStep, type Json } from "./support/render";

const renderRotationStep = (generations: readonly string[]) => render(rotationStep(generations));

/** What the test spoke receives from Secrets Manager at this step. */
function published(prod: RenderResult): { user: string; tokenFile: string; token: string } {
    const version = resource(prod, "aws:secretsmanager/secretVersion:SecretVersion", "kargo-hub-test-kubeconfig");
    const value = JSON.parse(version.inputs.secretString) as { kubeconfig: string; token: string };
    const kubeconfig = parse(value.kubeconfig) as Json;
    assert.equal(kubeconfig.users.length, 1);
    assert.equal(kubeconfig.users[0].user.token, undefined, "the kubeconfig carries no token itself");
    return { user: kubeconfig.users[0].name, tokenFile: kubeconfig.users[0].user.tokenFile, token: value.token };
}

const tokenSecretsOf = (prod: RenderResult): string[] =>
    prod.manifests.filter((o) => o.kind === "Secret" && o.metadata.name.startsWith("kargo-controller-test-token")).map((o) => o.metadata.name);

const resourceKeys = (prod: RenderResult): Set<string> => new Set(prod.resources.map((r) => `${r.type}::${r.name}`));

function difference(from: Set<string>, to: Set<string>): { added: string[]; removed: string[] } {
    return { added: [...to].filter((key) => !from.has(key)), removed: [...from].filter((key) => !to.has(key)) };
}

describe("rotation of a remote controller's hub token (generations [a] → [a, b] → [b])", () => {
    const steps: ReadonlyArray<readonly string[]> = [["a"], ["a", "b"], ["b"]];

    for (const generations of steps) {
        it(`[${generations.join(", ")}]: publishes the newest generation's token, from a Secret that exists on the hub`, async () => {
            const prod = await renderRotationStep(generations);
            const newest = `kargo-controller-test-token-${generations[generations.length - 1]}`;
            assert.deepEqual(
                tokenSecretsOf(prod),
                generations.map((generation) => `kargo-controller-test-token-${generation}`),
            );
            const { user, tokenFile, token } = published(prod);
            assert.equal(user, newest, "the kubeconfig names the newest token Secret");
            assert.ok(tokenSecretsOf(prod).includes(user));
            // The mock token controller fills each Secret with a token derived from its resource name.
            assert.equal(token, `offline-render-token-kargo-hub-test-${newest}`);
            assert.equal(tokenFile, "/etc/kargo/hub-token/token", "the spoke mounts the token at the kubeconfig's tokenFile");
        });
    }

    it("adding a generation only adds its Secret; the old token stays valid", async () => {
        const change = difference(resourceKeys(await renderRotationStep(["a"])), resourceKeys(await renderRotationStep(["a", "b"])));
        assert.deepEqual(change, { added: ["kubernetes:core/v1:Secret::kargo-hub-test-kargo-controller-test-token-b"], removed: [] });
    });

    it("removing a generation deletes only its Secret, which revokes only its token", async () => {
        const change = difference(resourceKeys(await renderRotationStep(["a", "b"])), resourceKeys(await renderRotationStep(["b"])));
        assert.deepEqual(change, { added: [], removed: ["kubernetes:core/v1:Secret::kargo-hub-test-kargo-controller-test-token-a"] });
    });

    it("leaves the other spokes' tokens alone", async () => {
        for (const generations of steps) {
            const prod = await renderRotationStep(generations);
            const staging = prod.manifests.filter((o) => o.kind === "Secret" && o.metadata.name.startsWith("kargo-controller-staging-token"));
            assert.deepEqual(
                staging.map((o) => o.metadata.name),
                ["kargo-controller-staging-token-1"],
            );
        }
    });
});

import { strict as assert } from "node:assert";
import { FULL_FEATURES, render } from "./support/render";

describe("ExternalSecrets: awaited until Ready, naming their Secrets Manager entries", function () {
    this.timeout(60000);
    it("every ExternalSecret of every stack waits for Ready with a bounded timeout and names its entries", async () => {
        // Prod with every feature, so the Slack webhook's ExternalSecret is there too.
        for (const options of [FULL_FEATURES, { stack: "test" }, { stack: "staging" }]) {
            const stack = options.stack;
            const secrets = (await render(options)).manifests.filter((object) => object.kind === "ExternalSecret");
            assert.ok(secrets.length > 0, stack);
            for (const secret of secrets) {
                const annotations = (secret.metadata as { annotations?: Record<string, string> }).annotations ?? {};
                assert.equal(annotations["pulumi.com/waitFor"], "condition=Ready", secret.metadata.name);
                assert.ok(Number(annotations["pulumi.com/timeoutSeconds"]) > 0 && Number(annotations["pulumi.com/timeoutSeconds"]) <= 600);
                const keys = (secret as unknown as { spec: { data: Array<{ remoteRef: { key: string } }> } }).spec.data.map((d) => d.remoteRef.key);
                for (const key of keys)
                    assert.ok(annotations["eodhp-kargo/secrets-manager-entries"].split(",").includes(key), `${secret.metadata.name}: ${key}`);
            }
        }
    });
});

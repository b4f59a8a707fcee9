import { strict as assert } from "node:assert";
import { parseCatalogue } from "../core/input/catalogue";
import type { HubSettings } from "../core/input/settings";
import { hubSettings } from "./support/fixtures";

const SPOKES = JSON.stringify([
    { environment: "test", shardName: "test-shard", kubeconfigSecretName: "eodhp/kargo/hub-kubeconfig-test", readableByAccount: true },
    { environment: "dr", shardName: "dr-shard", kubeconfigSecretName: "eodhp/kargo/hub-kubeconfig-dr", readableByAccount: true },
]);
/** A hub (prod) whose promotion order is test → prod → dr: a disaster-recovery cluster fed from prod. */
const beyondProd = (extra: Record<string, string> = {}): HubSettings =>
    hubSettings({ remoteShards: SPOKES, environments: JSON.stringify(["test", "prod", "dr"]), ...extra });

describe("environments: names, and a promotion order that ends at the hub unless the stack says otherwise", () => {
    it("refuses an order that runs from the hub's environment into a spoke's, naming the key", () => {
        assert.throws(
            () => beyondProd(),
            /^InputError: Pulumi\.prod\.yaml: stack "prod": eodhp-kargo:environments: dr comes after prod, the hub's own environment, .*set eodhp-kargo:promoteBeyondHub to true if that is the intent$/,
        );
    });

    it("accepts it with promoteBeyondHub", () => {
        assert.deepEqual(beyondProd({ promoteBeyondHub: "true" }).environments, ["test", "prod", "dr"]);
    });

    it("applies to an application's own stages too", () => {
        const text = "applications:\n  - name: a\n    path: apps/a\n    stages: [test, prod, staging]\n  - name: b\n    path: apps/b\n";
        const options = { environments: ["test", "staging", "prod"], devEnvironment: "test" };
        assert.throws(
            () => parseCatalogue(text, "catalogue.yaml", { ...options, finalEnvironments: ["prod"] }),
            /^InputError: catalogue\.yaml:4: application "a": stages\[2\]: staging comes after prod, the hub's own environment/,
        );
        assert.deepEqual(parseCatalogue(text, "catalogue.yaml", options).applications[0].stages, ["test", "prod", "staging"], "allowed by the stack");
    });

    it("takes environment names of at most 40 characters, so each spoke's kargo-shared-resources-<env> is a namespace name", () => {
        const named = (env: string) => () => hubSettings({ environments: JSON.stringify(["test", env, "prod"]) });
        assert.throws(named("a".repeat(41)), /eodhp-kargo:environments\[1\]: "a{41}" is 41 characters long; at most 40 are allowed/);
        assert.throws(named("a".repeat(40)), /no shard serves a{40}/, "40 is a valid name (only its shard is missing)");
    });

    it("refuses environment names whose Stage suffixes would not tell their shard apart", () => {
        assert.throws(
            () => hubSettings({ environments: JSON.stringify(["test", "pre-test", "prod"]) }),
            /eodhp-kargo:environments: "pre-test" ends with "-test": Stage names would not tell their shard apart/,
        );
    });
});

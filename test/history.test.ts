import { strict as assert } from "node:assert";
import type * as pulumi from "@pulumi/pulumi";
import { render } from "./support/render";

const GUARD = "eodhp:kargo:HistoryGuard::eodhp-history-guard";
const STAGE = "kubernetes:kargo.akuity.io/v1alpha1:Stage";
const WAREHOUSE = "kubernetes:kargo.akuity.io/v1alpha1:Warehouse";

/**
 * Freight and promotion history live in the `eodhp` namespace, the Project, and the Stages (each owns its
 * Promotions). Losing them must take a deliberate second step (docs/real-runs.md, "What destroy does").
 */
describe("promotion history: no destroy reaches it without a deliberate second step", () => {
    it("a protected HistoryGuard depends on every Stage and Warehouse, so a destroy stops before any of them", async () => {
        const prod = await render({ stack: "prod" });
        const guard = prod.options.get(GUARD);
        assert.ok(guard, `${GUARD} is registered`);
        assert.equal(guard.protect, true);
        const guarded = ((guard.dependsOn ?? []) as pulumi.Resource[]).map((resource) => prod.identityOf(resource)).sort();
        const owners = prod.resources.filter(({ type }) => type === STAGE || type === WAREHOUSE).map(({ type, name }) => `${type}::${name}`);
        assert.ok(owners.some((owner) => owner.startsWith(STAGE)) && owners.some((owner) => owner.startsWith(WAREHOUSE)));
        assert.deepEqual(guarded, owners.sort());
        assert.equal(prod.resources.find(({ type, name }) => `${type}::${name}` === GUARD)?.parent, "eodhp:kargo:EodhpProject::eodhp");
    });

    it("keeps the namespaces and the Project in the cluster on any delete, and leaves Stages and Warehouses deletable by `pulumi up`", async () => {
        const [prod, spoke] = [await render({ stack: "prod" }), await render({ stack: "test" })];
        for (const [result, identity] of [
            [prod, "kubernetes:core/v1:Namespace::eodhp-eodhp"],
            [prod, "kubernetes:kargo.akuity.io/v1alpha1:Project::eodhp-eodhp"],
            [prod, "kubernetes:core/v1:Namespace::kargo-hub-kargo"],
            [spoke, "kubernetes:core/v1:Namespace::kargo-shard-kargo"],
        ] as const) {
            const options = result.options.get(identity);
            assert.deepEqual([options?.protect, options?.retainOnDelete], [true, true], identity);
        }
        // An app removed from the catalogue: its Stages and Warehouses are no longer registered, and `pulumi up`
        // deletes them; a protect or retainOnDelete here would stop or skip that delete.
        for (const { type, name } of prod.resources.filter(({ type }) => type === STAGE || type === WAREHOUSE)) {
            const options = prod.options.get(`${type}::${name}`);
            assert.deepEqual([options?.protect, options?.retainOnDelete], [undefined, undefined], `${type}::${name}`);
        }
    });
});

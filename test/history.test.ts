import { strict as assert } from "node:assert";
import type * as pulumi from "@pulumi/pulumi";
import type { RenderResult } from "../cli/renderRuntime";
import { render } from "./support/render";

const GUARD = "eodhp:kargo:HistoryGuard::eodhp-history-guard";
const STAGE = "kubernetes:kargo.akuity.io/v1alpha1:Stage";
const WAREHOUSE = "kubernetes:kargo.akuity.io/v1alpha1:Warehouse";

/**
 * What `pulumi destroy --skip-preview` leaves, by the engine's rules: each protected resource is refused, and
 * everything it depends on, transitively, is skipped (pulumi/pulumi v3.259.0 `deployment_executor.go`
 * erroredDeps, `dependency_graph.go` markAsDependency: dependencies and parents). A dependency on a component
 * is recorded as one on each of its custom descendants (@pulumi/pulumi `runtime/dependsOn.js`).
 */
function keptBySkipPreviewDestroy(result: RenderResult): Set<string> {
    const isComponent = (identity: string) => identity.startsWith("eodhp:kargo:");
    const childrenOf = (identity: string): string[] => result.resources.filter(({ parent }) => parent === identity).map(({ type, name }) => `${type}::${name}`);
    const custom = (identity: string): string[] => (isComponent(identity) ? childrenOf(identity).flatMap(custom) : [identity]);
    const dependencies = (identity: string): string[] => {
        const options = result.options.get(identity) ?? {};
        const dependsOn = ((options.dependsOn ?? []) as pulumi.Resource[]).flatMap((resource) => custom(result.identityOf(resource) as string));
        const parent = result.resources.find(({ type, name }) => `${type}::${name}` === identity)?.parent;
        return parent ? [...dependsOn, parent] : dependsOn;
    };
    const kept = new Set<string>();
    const pending = [...result.options].filter(([, options]) => options.protect).map(([identity]) => identity);
    for (let identity = pending.pop(); identity !== undefined; identity = pending.pop()) {
        if (kept.has(identity)) continue;
        kept.add(identity);
        pending.push(...dependencies(identity));
    }
    return kept;
}

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

    it("`pulumi destroy --skip-preview` reaches no Stage, Warehouse, Project or namespace: the guard is refused first", async () => {
        const prod = await render({ stack: "prod" });
        const kept = keptBySkipPreviewDestroy(prod);
        const history = prod.resources
            .filter(({ type }) => [STAGE, WAREHOUSE, "kubernetes:kargo.akuity.io/v1alpha1:Project", "kubernetes:core/v1:Namespace"].includes(type))
            .map(({ type, name }) => `${type}::${name}`);
        assert.ok(history.length > 10);
        assert.deepEqual(
            history.filter((identity) => !kept.has(identity)),
            [],
        );
        // Without the guard, only the Project and namespaces would be left: every Stage goes, with its Promotions.
        const unguarded = { ...prod, options: new Map([...prod.options].filter(([identity]) => identity !== GUARD)) };
        assert.ok(
            history
                .filter((identity) => !keptBySkipPreviewDestroy(unguarded).has(identity))
                .every((identity) => identity.startsWith(STAGE) || identity.startsWith(WAREHOUSE)),
        );
        assert.ok(history.some((identity) => !keptBySkipPreviewDestroy(unguarded).has(identity)));
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

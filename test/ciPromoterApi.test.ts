import { strict as assert } from "node:assert";
import type { KubernetesObject } from "../core/kubernetes";
import { planHub, projectObjectsOf } from "../core/plan/stackPlan";
import { hubSettings, shippedCatalogue } from "./support/fixtures";
import { FULL_FEATURES, render, type Json } from "./support/render";

const CLAIMS = { sub: ["5f0c-b", "5f0c-a"], azp: ["github-actions"] };
const objectsWith = (overrides: Record<string, string> = {}): Json[] =>
    projectObjectsOf(planHub(hubSettings(overrides), shippedCatalogue()).project) as KubernetesObject[] as Json[];
const find = (objects: Json[], kind: string, name: string): Json | undefined => objects.find((o) => o.kind === kind && o.metadata.name === name);

describe("ciPromoterClaims: CI promotes through Kargo's API with an OIDC token", () => {
    it("maps the claims to ServiceAccount ci-promoter in eodhp, bound to the ci-promoter Role", () => {
        const objects = objectsWith({ ciPromoterClaims: JSON.stringify(CLAIMS) });
        const account = find(objects, "ServiceAccount", "ci-promoter");
        assert.equal(account?.metadata.namespace, "eodhp");
        // Kargo's indexer reads a JSON map of lists; sorted, so a reordered stack file changes nothing.
        assert.equal(account?.metadata.annotations["rbac.kargo.akuity.io/claims"], '{"azp":["github-actions"],"sub":["5f0c-a","5f0c-b"]}');
        assert.deepEqual(find(objects, "RoleBinding", "ci-promoter")?.subjects, [
            { kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "ci-promoters" },
            { kind: "ServiceAccount", name: "ci-promoter", namespace: "eodhp" },
        ]);
        assert.deepEqual(find(objects, "Role", "ci-promoter")?.rules, find(objectsWith(), "Role", "ci-promoter")?.rules, "the same rules as the cluster path");
    });

    it("with ciPromoterEnvironments limited, the API path is limited too: bound beside the group in each app's promote RoleBinding", () => {
        const objects = objectsWith({ ciPromoterClaims: JSON.stringify(CLAIMS), ciPromoterEnvironments: JSON.stringify(["dev", "test"]) });
        assert.ok(!find(objects, "Role", "ci-promoter")?.rules.some((rule: Json) => rule.verbs.includes("promote")), "no promote on every Stage");
        const bindings = objects.filter((o) => o.kind === "RoleBinding" && o.subjects.some((s: Json) => s.name === "ci-promoters"));
        const perApp = bindings.filter((binding) => binding.metadata.name !== "ci-promoter");
        assert.equal(perApp.length, shippedCatalogue().applications.length);
        for (const binding of perApp) {
            assert.ok(
                binding.subjects.some((s: Json) => s.kind === "ServiceAccount" && s.name === "ci-promoter"),
                binding.metadata.name,
            );
            const promoteRole = find(objects, "Role", binding.roleRef.name);
            assert.ok(promoteRole?.rules.every((rule: Json) => rule.resourceNames.every((stage: string) => /-(dev|test)$/.test(stage))));
        }
    });

    it("creates no ServiceAccount and binds only the group when unset", () => {
        const objects = objectsWith();
        assert.equal(find(objects, "ServiceAccount", "ci-promoter"), undefined);
        assert.deepEqual(
            find(objects, "RoleBinding", "ci-promoter")?.subjects.map((s: Json) => s.kind),
            ["Group"],
        );
    });

    it("rejects an empty map, an empty or repeated value list and a bare string, naming the key", () => {
        const rejects = (value: unknown, reason: RegExp) => assert.throws(() => hubSettings({ ciPromoterClaims: JSON.stringify(value) }), reason);
        rejects({}, /eodhp-kargo:ciPromoterClaims: must name at least one claim/);
        rejects({ sub: [] }, /eodhp-kargo:ciPromoterClaims\.sub: must list at least one value/);
        rejects({ sub: ["a", "a"] }, /eodhp-kargo:ciPromoterClaims\.sub\[1\]: "a" is listed twice/);
        rejects({ sub: "a" }, /eodhp-kargo:ciPromoterClaims\.sub: must be a list/);
    });

    // The schemas check this render whole (safety.test.ts, "every catalogue option with every feature").
    it("registers the ServiceAccount in a render of prod with the claims set", async () => {
        const result = await render(FULL_FEATURES);
        const registered = result.resources.filter(
            (r) => r.type === "kubernetes:core/v1:ServiceAccount" && (r.inputs as Json).metadata?.name === "ci-promoter",
        );
        assert.equal(registered.length, 1);
        assert.equal((registered[0].inputs as Json).metadata.namespace, "eodhp");
    });
});

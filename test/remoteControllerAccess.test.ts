import { strict as assert } from "node:assert";
import { hubObjectsOf, planHub } from "../core/plan/stackPlan";
import { evaluatePolicy } from "./support/admissionPolicy";
import { request } from "./support/admissionRequests";
import { hubSettings, shippedCatalogue } from "./support/fixtures";
import { allows, type Subject } from "./support/rbacAccess";

const plan = planHub(hubSettings({ developerGroup: "kargo-developer" }), shippedCatalogue());
const objects = hubObjectsOf(plan);
const spoke = (env: string): Subject => ({ kind: "ServiceAccount", name: `kargo-controller-${env}`, namespace: "kargo" });
const KARGO_GROUP = "kargo.akuity.io";

/**
 * What Kargo's API checks before approving Freight for a Stage, as the caller (akuity/kargo v1.11.2): `promote`
 * on `stages/<stage>` (pkg/server/approve_freight_v1alpha1.go, authorizeFn), then `patch` on
 * `freights/status/<freight>` (its status patch goes through pkg/server/kubernetes/client.go
 * authorizingSubResourceClient.Patch). For a Kubernetes token both are SelfSubjectAccessReviews made with the
 * caller's own token (getAuthorizedClient, reviewSubjectAccess); the patch itself is then made as `kargo-api`.
 */
const apiApproves = (subject: Subject, stage: string): boolean =>
    allows(objects, subject, { verb: "promote", group: KARGO_GROUP, resource: "stages", namespace: "eodhp", name: stage }) &&
    allows(objects, subject, { verb: "patch", group: KARGO_GROUP, resource: "freights/status", namespace: "eodhp", name: "f1" });

describe("a spoke's hub token: what Kubernetes RBAC and Kargo's API let it do", () => {
    it("its SelfSubjectAccessReviews never reach its shard-isolation policy, so RBAC alone decides what Kargo's API does for it", () => {
        const policy = plan.shardIsolation.find((object) => object.metadata.name === "kargo-controller-test-shard-isolation");
        const review = request({
            operation: "CREATE",
            resource: { group: "authorization.k8s.io", version: "v1", resource: "selfsubjectaccessreviews" },
            namespace: "",
            object: { spec: { resourceAttributes: { verb: "promote", group: KARGO_GROUP, resource: "stages", name: "jupyter-prod" } } },
        });
        assert.deepEqual(evaluatePolicy(policy as never, review), { matched: false });
    });

    it("can approve Freight through Kargo's API for its own Stages only (the controller needs both grants itself)", () => {
        const approvable = (subject: Subject) =>
            ["jupyter-dev", "jupyter-test", "jupyter-staging", "jupyter-prod"].filter((stage) => apiApproves(subject, stage));
        assert.deepEqual(approvable(spoke("test")), ["jupyter-dev", "jupyter-test"]);
        assert.deepEqual(approvable(spoke("staging")), ["jupyter-staging"]);
        // Developers approve where they may promote (dev and test by default); the CI group nowhere.
        assert.deepEqual(approvable({ kind: "ServiceAccount", name: "kargo-developer", namespace: "eodhp" }), ["jupyter-dev", "jupyter-test"]);
        assert.deepEqual(approvable({ kind: "Group", name: "ci-promoters" }), []);
    });

    it("patches, and writes the status of, only its own Stages", () => {
        for (const resource of ["stages", "stages/status"]) {
            const patchable = (env: string, stage: string) =>
                allows(objects, spoke(env), { verb: "patch", group: KARGO_GROUP, resource, namespace: "eodhp", name: stage });
            assert.ok(patchable("test", "jupyter-test") && patchable("test", "jupyter-dev") && patchable("staging", "jupyter-staging"), resource);
            assert.ok(!patchable("test", "jupyter-prod") && !patchable("test", "jupyter-staging") && !patchable("staging", "jupyter-prod"), resource);
        }
    });

    it("gets, renews and deletes only its own heartbeat Lease; creating one cannot be limited by name", () => {
        const lease = (verb: string, name?: string) =>
            allows(objects, spoke("test"), { verb, group: "coordination.k8s.io", resource: "leases", namespace: "kargo", name });
        assert.ok(["get", "update", "delete"].every((verb) => lease(verb, "kargo-controller-test-shard")));
        assert.ok(["get", "update", "delete", "patch"].every((verb) => !lease(verb, "kargo-controller-prod-shard")));
        assert.ok(lease("create") && !lease("list") && !lease("watch"));
    });

    it("reads ConfigMaps by name in the project namespace only, never cluster-wide", () => {
        const configMaps = (verb: string, namespace: string) =>
            allows(objects, spoke("test"), { verb, group: "", resource: "configmaps", namespace, name: "x" });
        assert.ok(configMaps("get", "eodhp"));
        assert.ok(!configMaps("list", "eodhp") && !configMaps("get", "kube-system") && !configMaps("get", "kargo"));
    });
});

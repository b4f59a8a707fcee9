/**
 * Admission requests a shard controller would send to the hub, for the shard-isolation policy tests: each
 * object as validating admission sees it, after Kargo's mutating webhook (akuity/kargo v1.11.2).
 */
import { HEARTBEAT_CONTROLLER_LABEL, KARGO_FINALIZER } from "../../core/install/shardIsolationPolicy";
import type { AdmissionRequest } from "./admissionPolicy";

export const TEST_CONTROLLER = "system:serviceaccount:kargo:kargo-controller-test";
export const KARGO = (resource: string) => ({ group: "kargo.akuity.io", version: "v1alpha1", resource });
export const LEASES = { group: "coordination.k8s.io", version: "v1", resource: "leases" };

export const stage = (name: string, extra: Record<string, unknown> = {}) => ({
    apiVersion: "kargo.akuity.io/v1alpha1",
    kind: "Stage",
    metadata: { name, namespace: "eodhp", labels: { "app.kubernetes.io/managed-by": "pulumi" }, finalizers: [KARGO_FINALIZER], ...extra },
    spec: { shard: name.endsWith("-prod") ? "prod-shard" : "test-shard", requestedFreight: [{ origin: { kind: "Warehouse", name: "jupyter-config" } }] },
    status: { phase: "Steady" },
});
export const freight = (status: Record<string, unknown>) => ({
    apiVersion: "kargo.akuity.io/v1alpha1",
    kind: "Freight",
    metadata: { name: "f1", namespace: "eodhp" },
    alias: "clever-fox",
    origin: { kind: "Warehouse", name: "jupyter-config" },
    commits: [{ repoURL: "https://github.com/x/y.git", id: "abc" }],
    status,
});
/**
 * A Promotion into `stageName`: the controller creates api.NewMinimalPromotion (pkg/api/promotion.go: namespace,
 * generateName, spec.stage and spec.freight only) and, for a control-plane user, the webhook's Default
 * (pkg/webhook/kubernetes/promotion/webhook.go) names it, copies the steps, labels the shard and Stage,
 * annotates the Stage and makes the Stage its controller owner; no create-actor, no hold/resume intent.
 */
export const promotion = (stageName: string, shard: string, status: Record<string, unknown> = {}, annotations: Record<string, string> = {}) => ({
    apiVersion: "kargo.akuity.io/v1alpha1",
    kind: "Promotion",
    metadata: {
        name: `${stageName}.01j.abc`,
        generateName: "promo-",
        namespace: "eodhp",
        labels: { "kargo.akuity.io/shard": shard, "kargo.akuity.io/stage": stageName },
        annotations: { "kargo.akuity.io/stage": stageName, ...annotations },
        ownerReferences: [{ apiVersion: "kargo.akuity.io/v1alpha1", kind: "Stage", name: stageName, uid: "0b5e", controller: true, blockOwnerDeletion: true }],
    },
    spec: { stage: stageName, freight: "f1", steps: [{ uses: "git-clone" }] },
    status,
});
/** The heartbeat Lease pkg/heartbeat/renewer.go renew() creates and updates for shard `shardName`. */
export const lease = (shardName: string, controllerLabel: string = shardName) => ({
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    metadata: { name: `kargo-controller-${shardName}`, namespace: "kargo", labels: { [HEARTBEAT_CONTROLLER_LABEL]: controllerLabel } },
    spec: {
        holderIdentity: "kargo-controller-5d8f9-abcde",
        leaseDurationSeconds: 120,
        acquireTime: "2026-01-01T00:00:00.000000Z",
        renewTime: "2026-01-01T00:00:40.000000Z",
    },
});
/** A request on shard `shardName`'s heartbeat Lease. */
export const leaseRequest = (operation: "CREATE" | "UPDATE" | "DELETE", shardName: string, controllerLabel?: string) => {
    const object = lease(shardName, controllerLabel);
    return request({
        operation,
        resource: LEASES,
        namespace: "kargo",
        name: object.metadata.name,
        object: operation === "DELETE" ? undefined : object,
        oldObject: operation === "CREATE" ? undefined : lease(shardName),
    });
};
export const verified = { "jupyter-test": { verifiedAt: "2026-01-01T00:00:00Z" } };
export const current = { "jupyter-test": { since: "2026-01-01T00:00:00Z" } };

export function request(partial: Omit<AdmissionRequest, "username"> & { username?: string }): AdmissionRequest {
    return { namespace: "eodhp", ...partial, username: partial.username ?? TEST_CONTROLLER };
}
export const update = (resource: string, subResource: string, oldObject: { metadata: { name: string } }, object: unknown, username?: string) =>
    request({ operation: "UPDATE", resource: KARGO(resource), subResource, name: oldObject.metadata.name, oldObject, object, username });

/** Admission requests a shard controller would send to the hub, for the shard-isolation policy tests. */
import { KARGO_FINALIZER } from "../../core/install/shardIsolationPolicy";
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
export const promotion = (stageName: string, shard: string, status: Record<string, unknown> = {}) => ({
    apiVersion: "kargo.akuity.io/v1alpha1",
    kind: "Promotion",
    metadata: { name: `${stageName}.01j.abc`, namespace: "eodhp", labels: { "kargo.akuity.io/shard": shard, "kargo.akuity.io/stage": stageName } },
    spec: { stage: stageName, freight: "f1", steps: [{ uses: "git-clone" }] },
    status,
});
export const lease = (name: string) => ({
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    metadata: { name, namespace: "kargo" },
    spec: { holderIdentity: "x" },
});
export const verified = { "jupyter-test": { verifiedAt: "2026-01-01T00:00:00Z" } };
export const current = { "jupyter-test": { since: "2026-01-01T00:00:00Z" } };

export function request(partial: Omit<AdmissionRequest, "username"> & { username?: string }): AdmissionRequest {
    return { namespace: "eodhp", ...partial, username: partial.username ?? TEST_CONTROLLER };
}
export const update = (resource: string, subResource: string, oldObject: { metadata: { name: string } }, object: unknown, username?: string) =>
    request({ operation: "UPDATE", resource: KARGO(resource), subResource, name: oldObject.metadata.name, oldObject, object, username });

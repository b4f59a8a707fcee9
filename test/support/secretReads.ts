/**
 * Who may read Secrets where, from rendered RBAC (rbacAccess.ts), the Kargo chart's roles included: they are
 * copied from akuity/kargo v1.11.2 charts/kargo/templates (controller/roles.yaml, controller/cluster-roles.yaml
 * with `clusterWideSecretReadingEnabled: false`, shared-resources-namespace/roles.yaml,
 * system-resources-namespace/roles.yaml); a binding to any other role we do not render fails.
 */
import type { KubernetesObject } from "../../core/kubernetes";
import { allows, grants, type KnownRoles } from "./rbacAccess";
import type { Json } from "./render";

const READ = ["get", "list", "watch"];

/** The chart's roles a binding of ours might name, `<kind>/<name>`, with their rules. */
export const CHART_ROLES: KnownRoles = {
    "Role/kargo-controller": [{ apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["get", "create", "update", "patch", "delete"] }],
    "Role/kargo-shared-resources-controller-reader": [{ apiGroups: [""], resources: ["configmaps", "secrets"], verbs: READ }],
    "Role/kargo-system-resources-reader": [{ apiGroups: [""], resources: ["secrets"], verbs: READ }],
    "ClusterRole/kargo-controller-read-secrets": [{ apiGroups: [""], resources: ["secrets"], verbs: READ }],
    "ClusterRole/kargo-controller": [
        { apiGroups: [""], resources: ["configmaps"], verbs: READ },
        { apiGroups: [""], resources: ["events"], verbs: ["create", "patch"] },
    ],
};

type Account = { readonly namespace: string; readonly name: string };
const serviceAccount = (account: Account) => ({ kind: "ServiceAccount" as const, ...account });

/** The namespaces (EVERY_NAMESPACE for cluster-wide) where `account` may get, list or watch Secrets. */
export function secretReadNamespaces(objects: readonly Json[], account: Account): string[] {
    const secretReads = grants(objects as readonly KubernetesObject[], serviceAccount(account), CHART_ROLES).filter(
        ({ rule }) =>
            (rule.apiGroups.includes("") || rule.apiGroups.includes("*")) &&
            (rule.resources.includes("secrets") || rule.resources.includes("*")) &&
            rule.verbs.some((verb) => READ.includes(verb) || verb === "*"),
    );
    return [...new Set(secretReads.map(({ namespace }) => namespace))].sort();
}

/** Whether `account` may make `verb` on Secrets in `namespace`. */
export function mayRead(objects: readonly Json[], account: Account, namespace: string, verb: string): boolean {
    return allows(objects as readonly KubernetesObject[], serviceAccount(account), { verb, group: "", resource: "secrets", namespace }, CHART_ROLES);
}

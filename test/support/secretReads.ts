/**
 * Who may read Secrets where, from rendered RBAC: every RoleBinding and ClusterRoleBinding naming a
 * ServiceAccount, followed to its Role or ClusterRole, whether we render it or the Kargo chart does. The
 * chart's roles are copied from akuity/kargo v1.11.2 charts/kargo/templates (controller/roles.yaml,
 * controller/cluster-roles.yaml with `clusterWideSecretReadingEnabled: false`, shared-resources-namespace/
 * roles.yaml, system-resources-namespace/roles.yaml); a binding to any other role we do not render fails.
 */
import type { Json } from "./render";

type Rule = { apiGroups: string[]; resources: string[]; verbs: string[] };
const READ = ["get", "list", "watch"];

/** The chart's roles a binding of ours might name, `<kind>/<name>`, with their rules. */
export const CHART_ROLES: Readonly<Record<string, readonly Rule[]>> = {
    "Role/kargo-controller": [{ apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["get", "create", "update", "patch", "delete"] }],
    "Role/kargo-shared-resources-controller-reader": [{ apiGroups: [""], resources: ["configmaps", "secrets"], verbs: READ }],
    "Role/kargo-system-resources-reader": [{ apiGroups: [""], resources: ["secrets"], verbs: READ }],
    "ClusterRole/kargo-controller-read-secrets": [{ apiGroups: [""], resources: ["secrets"], verbs: READ }],
    "ClusterRole/kargo-controller": [
        { apiGroups: [""], resources: ["configmaps"], verbs: READ },
        { apiGroups: [""], resources: ["events"], verbs: ["create", "patch"] },
    ],
};

/** `*` for a ClusterRoleBinding: everywhere. */
export const EVERY_NAMESPACE = "*";

/** Namespace → the Secret verbs (of get, list, watch) `account` (namespace/name) holds there. */
export function secretReads(objects: readonly Json[], account: { readonly namespace: string; readonly name: string }): Map<string, Set<string>> {
    const reads = new Map<string, Set<string>>();
    const bindings = objects.filter(
        (object) =>
            /^(Cluster)?RoleBinding$/.test(object.kind) &&
            (object.subjects as Json[]).some(
                (subject) => subject.kind === "ServiceAccount" && subject.name === account.name && subject.namespace === account.namespace,
            ),
    );
    for (const binding of bindings) {
        const namespace = binding.kind === "ClusterRoleBinding" ? EVERY_NAMESPACE : (binding.metadata.namespace as string);
        const { kind, name } = binding.roleRef as { kind: string; name: string };
        const ours = objects.find(
            (object) => object.kind === kind && object.metadata.name === name && (kind === "ClusterRole" || object.metadata.namespace === namespace),
        );
        const rules = (ours?.rules as Rule[] | undefined) ?? CHART_ROLES[`${kind}/${name}`];
        if (!rules) throw new Error(`${binding.kind} ${namespace}/${binding.metadata.name} names ${kind} ${name}, which neither we nor the chart render`);
        for (const rule of rules) {
            if (!rule.apiGroups.includes("") || !(rule.resources.includes("secrets") || rule.resources.includes("*"))) continue;
            for (const verb of rule.verbs.filter((candidate) => READ.includes(candidate) || candidate === "*")) {
                reads.set(namespace, new Set([...(reads.get(namespace) ?? []), verb]));
            }
        }
    }
    return reads;
}

/** Whether `account` may make `verb` on Secrets in `namespace`. */
export function mayRead(reads: Map<string, Set<string>>, namespace: string, verb: string): boolean {
    return [namespace, EVERY_NAMESPACE].some((where) => reads.get(where)?.has(verb) || reads.get(where)?.has("*"));
}

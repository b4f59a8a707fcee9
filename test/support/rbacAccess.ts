/**
 * Kubernetes RBAC over the objects this program creates (roles the Kargo chart creates are not known here, so
 * grants through them count as denied): a request is allowed when a binding of the subject refers to a role
 * with a rule matching its API group, resource (`resource/subresource`), verb and, when the rule names
 * objects, its name (k8s.io/kubernetes plugin/pkg/auth/authorizer/rbac/rbac.go RuleAllows). A RoleBinding
 * grants in its own namespace only; a ClusterRoleBinding everywhere.
 */
import type { KubernetesObject } from "../../core/kubernetes";

export type Subject =
    { readonly kind: "ServiceAccount"; readonly name: string; readonly namespace: string } | { readonly kind: "Group"; readonly name: string };

export interface Access {
    readonly verb: string;
    readonly group: string;
    readonly resource: string;
    readonly namespace: string;
    /** Absent for `create` (RBAC cannot know the name of an object not yet created) and collection requests. */
    readonly name?: string;
}

interface Rule {
    readonly apiGroups: readonly string[];
    readonly resources: readonly string[];
    readonly verbs: readonly string[];
    readonly resourceNames?: readonly string[];
}

interface Binding {
    readonly kind: string;
    readonly metadata: { readonly namespace?: string };
    readonly roleRef: { readonly kind: string; readonly name: string };
    readonly subjects: ReadonlyArray<{ readonly kind: string; readonly name: string; readonly namespace?: string }>;
}

const matches = (values: readonly string[], value: string): boolean => values.includes("*") || values.includes(value);

function ruleAllows(rule: Rule, access: Access): boolean {
    return (
        matches(rule.apiGroups, access.group) &&
        matches(rule.resources, access.resource) &&
        matches(rule.verbs, access.verb) &&
        (rule.resourceNames === undefined || rule.resourceNames.length === 0 || (access.name !== undefined && rule.resourceNames.includes(access.name)))
    );
}

export function allows(objects: readonly KubernetesObject[], subject: Subject, access: Access): boolean {
    const bound = (binding: Binding) =>
        binding.subjects.some(
            (candidate) =>
                candidate.kind === subject.kind && candidate.name === subject.name && (subject.kind === "Group" || candidate.namespace === subject.namespace),
        );
    const role = (binding: Binding) =>
        objects.find(
            (object) =>
                object.kind === binding.roleRef.kind &&
                object.metadata.name === binding.roleRef.name &&
                (object.kind === "ClusterRole" || object.metadata.namespace === binding.metadata.namespace),
        );
    return (objects as unknown as Binding[])
        .filter(
            (binding) =>
                (binding.kind === "ClusterRoleBinding" || (binding.kind === "RoleBinding" && binding.metadata.namespace === access.namespace)) &&
                bound(binding),
        )
        .some((binding) => ((role(binding)?.rules ?? []) as Rule[]).some((rule) => ruleAllows(rule, access)));
}

/**
 * Kubernetes RBAC over rendered objects: a request is allowed when a binding of the subject refers to a role
 * with a rule matching its API group, resource (`resource/subresource`), verb and, when the rule names
 * objects, its name (k8s.io/kubernetes plugin/pkg/auth/authorizer/rbac/rbac.go RuleAllows). A RoleBinding
 * grants in its own namespace only; a ClusterRoleBinding everywhere. Roles are looked up among the objects,
 * then among `knownRoles` (those the Kargo chart creates, which a render does not contain); a binding to a
 * role found in neither grants nothing, unless `knownRoles` is given, when it is an error.
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

export interface Rule {
    readonly apiGroups: readonly string[];
    readonly resources: readonly string[];
    readonly verbs: readonly string[];
    readonly resourceNames?: readonly string[];
}

/** Rules by `<kind>/<name>` of roles the render does not hold. */
export type KnownRoles = Readonly<Record<string, readonly Rule[]>>;

/** `*`: a ClusterRoleBinding's grant, in every namespace. */
export const EVERY_NAMESPACE = "*";

interface Binding {
    readonly kind: string;
    readonly metadata: { readonly name: string; readonly namespace?: string };
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

/** Every rule bound to `subject`, with the namespace it holds in (EVERY_NAMESPACE for a ClusterRoleBinding). */
export function grants(objects: readonly KubernetesObject[], subject: Subject, knownRoles?: KnownRoles): Array<{ namespace: string; rule: Rule }> {
    const bound = (binding: Binding) =>
        binding.subjects.some(
            (candidate) =>
                candidate.kind === subject.kind && candidate.name === subject.name && (subject.kind === "Group" || candidate.namespace === subject.namespace),
        );
    const rulesOf = (binding: Binding): readonly Rule[] => {
        const { kind, name } = binding.roleRef;
        const ours = objects.find(
            (object) =>
                object.kind === kind && object.metadata.name === name && (kind === "ClusterRole" || object.metadata.namespace === binding.metadata.namespace),
        );
        const rules = (ours?.rules as Rule[] | undefined) ?? knownRoles?.[`${kind}/${name}`];
        if (rules === undefined && knownRoles !== undefined)
            throw new Error(
                `${binding.kind} ${binding.metadata.namespace ?? ""}/${binding.metadata.name} names ${kind} ${name}, which neither we nor the chart render`,
            );
        return rules ?? [];
    };
    return (objects as unknown as Binding[])
        .filter((binding) => /^(Cluster)?RoleBinding$/.test(binding.kind) && bound(binding))
        .flatMap((binding) => {
            const namespace = binding.kind === "ClusterRoleBinding" ? EVERY_NAMESPACE : (binding.metadata.namespace as string);
            return rulesOf(binding).map((rule) => ({ namespace, rule }));
        });
}

export function allows(objects: readonly KubernetesObject[], subject: Subject, access: Access, knownRoles?: KnownRoles): boolean {
    return grants(objects, subject, knownRoles).some(
        ({ namespace, rule }) => (namespace === EVERY_NAMESPACE || namespace === access.namespace) && ruleAllows(rule, access),
    );
}

/**
 * Who may promote where: the CI group (github-actions-rbac) and the developer role, each limited to the
 * Stages of the environments stack config allows (`ciPromoterEnvironments`, `developerPromotionEnvironments`),
 * by `resourceNames` on the `promote` verb.
 *
 * `promote` on a Stage is what Kargo v1.11.2 checks both for promoting into it and for approving Freight for
 * it: the Promotion webhook's SubjectAccessReview (pkg/webhook/kubernetes/promotion/webhook.go authorize) and
 * the API's ApproveFreight (pkg/server/approve_freight_v1alpha1.go, authorizeFn "promote" on stages/<stage>),
 * whose status patch then goes through the API's authorizing client as the user
 * (pkg/server/kubernetes/client.go authorizingSubResourceClient), so it also needs `patch` on
 * `freights/status`. That patch is granted to developers only: they reach Kubernetes through Kargo's API,
 * which checks `promote` on the Stage first. The CI group talks to Kubernetes directly, where a
 * `freights/status` patch could approve Freight for any Stage, so it never gets it (nor does its API
 * ServiceAccount, so CI cannot approve Freight through the API either).
 */
import type { ProjectSettings } from "../input/settings";
import { compareText, labels, type KubernetesObject } from "../kubernetes";
import { role, roleBinding } from "./projectObjects";

export const CI_PROMOTER = "ci-promoter";
export const DEVELOPER = "kargo-developer";
const KARGO_GROUP = "kargo.akuity.io";
const READ = ["get", "list", "watch"];

/** Stage name → environment it belongs to (`dev` for the `<app>-dev` stages), from the planned pipelines. */
export interface StageEnvironment {
    readonly stage: string;
    readonly environment: string;
}

function stagesIn(stages: readonly StageEnvironment[], environments: readonly string[]): string[] {
    return stages
        .filter((entry) => environments.includes(entry.environment))
        .map((entry) => entry.stage)
        .sort();
}

/** `promote` on exactly these Stages; none at all when the list is empty (no resourceNames means all). */
function promoteRule(stages: readonly string[]): Array<Record<string, unknown>> {
    return stages.length === 0 ? [] : [{ apiGroups: [KARGO_GROUP], resources: ["stages"], resourceNames: stages, verbs: ["promote"] }];
}

/**
 * `promote` on the Stages of `environments`. When they cover every Stage, the rule names none (RBAC: no
 * resourceNames means all), so the Role stays the same size and unchanged as apps come and go.
 */
function promoteRuleFor(stages: readonly StageEnvironment[], environments: readonly string[]): Array<Record<string, unknown>> {
    const allowed = stagesIn(stages, environments);
    if (allowed.length > 0 && allowed.length === stages.length) return [{ apiGroups: [KARGO_GROUP], resources: ["stages"], verbs: ["promote"] }];
    return promoteRule(allowed);
}

/**
 * A ServiceAccount Kargo's API maps OIDC callers to: a verified token from the configured issuer whose claims
 * match the annotation acts as this account (pkg/server/option/auth.go listServiceAccounts, and the
 * SubjectAccessReview as `system:serviceaccount:<ns>:<name>` in pkg/server/kubernetes/client.go
 * getAuthorizedClient, akuity/kargo v1.11.2). Claims and values sorted, so the annotation is stable.
 */
function claimsServiceAccount(name: string, namespace: string, claims: Readonly<Record<string, readonly string[]>>): KubernetesObject {
    const sorted = Object.fromEntries(
        Object.entries(claims)
            .sort(([a], [b]) => compareText(a, b))
            .map(([claim, values]) => [claim, [...values].sort(compareText)]),
    );
    return {
        apiVersion: "v1",
        kind: "ServiceAccount",
        metadata: { name, namespace, labels: labels(), annotations: { "rbac.kargo.akuity.io/claims": JSON.stringify(sorted) } },
    };
}

/**
 * github-actions-rbac: the CI group reads the pipeline and creates Promotions into its allowed Stages. With
 * `ciPromoterClaims`, CI may also call Kargo's API (OIDC token): the ServiceAccount `ci-promoter` carries
 * those claims and the same RoleBinding, so both paths have the same rules.
 */
export function buildCiPromoterRbac(project: ProjectSettings, stages: readonly StageEnvironment[]): KubernetesObject[] {
    const namespace = project.name;
    const apiCaller = project.ciPromoterClaims === undefined ? undefined : claimsServiceAccount(CI_PROMOTER, namespace, project.ciPromoterClaims);
    return [
        ...(apiCaller ? [apiCaller] : []),
        role(CI_PROMOTER, namespace, [
            { apiGroups: [KARGO_GROUP], resources: ["freights", "stages", "warehouses"], verbs: READ },
            { apiGroups: [KARGO_GROUP], resources: ["promotions"], verbs: [...READ, "create"] },
            ...promoteRuleFor(stages, project.ciPromoterEnvironments),
        ]),
        roleBinding(CI_PROMOTER, namespace, { kind: "Role", name: CI_PROMOTER }, [
            { kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: project.ciPromotersGroup },
            ...(apiCaller ? [{ kind: "ServiceAccount", name: CI_PROMOTER, namespace }] : []),
        ]),
    ];
}

/**
 * The developer role: Kargo maps OIDC users to a ServiceAccount in the Project namespace through its claims
 * annotation. Its Role replaces Kargo's `kargo-promoter` (promote everywhere, created by the management
 * controller, pkg/controller/management/projects/projects.go): the same reads, `promote` and approval only
 * for the allowed Stages, creating Promotions and Freight, and nothing that edits Warehouses, Stages or tasks.
 */
export function buildDeveloperRbac(project: ProjectSettings, stages: readonly StageEnvironment[]): KubernetesObject[] {
    if (project.developerGroup === undefined) return [];
    const namespace = project.name;
    const allowed = stagesIn(stages, project.developerPromotionEnvironments);
    return [
        claimsServiceAccount(DEVELOPER, namespace, { groups: [project.developerGroup] }),
        role(DEVELOPER, namespace, [
            { apiGroups: [""], resources: ["configmaps", "events", "serviceaccounts"], verbs: READ },
            { apiGroups: ["rbac.authorization.k8s.io"], resources: ["rolebindings", "roles"], verbs: READ },
            { apiGroups: [KARGO_GROUP], resources: ["projectconfigs", "stages", "warehouses"], verbs: READ },
            // Dev-image Freight is created by hand. Refreshing a Warehouse through Kargo's UI/API needs no RBAC
            // in v1.11; `patch` on warehouses for kubectl refreshes would also let developers edit them.
            { apiGroups: [KARGO_GROUP], resources: ["freights", "promotions"], verbs: [...READ, "create"] },
            ...(allowed.length === 0 ? [] : [{ apiGroups: [KARGO_GROUP], resources: ["freights/status"], verbs: ["patch"] }]),
            ...promoteRule(allowed),
        ]),
        roleBinding(DEVELOPER, namespace, { kind: "Role", name: DEVELOPER }, [{ kind: "ServiceAccount", name: DEVELOPER, namespace }]),
    ];
}

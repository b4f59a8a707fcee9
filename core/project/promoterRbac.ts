/**
 * Who may promote where: the CI group (github-actions-rbac) and the developer role, each limited to the
 * Stages of its environments (`ciPromoterEnvironments`, `developerPromotionEnvironments`) by `resourceNames`
 * on the `promote` verb. The remote shard controllers get theirs, with their Stage patches, from
 * core/install/remoteControllerRbac.ts buildAppControllerRbac.
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
 *
 * The Stage names live in per-application Roles (`<app>-promote-<environments>`, one per distinct set of
 * environments, bound to every promoter of that set), so no Role grows with the catalogue and adding or
 * removing an app changes only its own. A ValidatingAdmissionPolicy cannot take their place: Kargo's API
 * server authorizes `promote` with a (Self)SubjectAccessReview and then writes with its own client
 * (pkg/server/kubernetes/client.go getAuthorizedClient), and it accepts a Kubernetes ServiceAccount token as
 * a user (pkg/server/option/auth.go authenticate, "Case 3 or 4"), so a request a spoke's token makes through
 * Kargo's API reaches admission as Kargo's own ServiceAccount, never as the spoke's.
 */
import { PROJECT_NAME, type HubSettings } from "../input/settings";
import { compareText, labels, role, roleBinding, type KubernetesObject } from "../kubernetes";

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

export type RbacSubject = Readonly<Record<string, string>>;

/** A subject that may promote into the Stages of `environments` only (`dev`: the `<app>-dev` stages). */
export interface Promoter {
    readonly environments: readonly string[];
    readonly subject: RbacSubject;
}

/** Promoters with the same environments, who share one Role per application. */
export interface PromoterGroup {
    /** The environments, sorted and joined by `-`: the Roles are `<app>-promote-<name>`. */
    readonly name: string;
    readonly environments: readonly string[];
    readonly subjects: readonly RbacSubject[];
}

export function promoterGroups(promoters: readonly Promoter[]): PromoterGroup[] {
    const groups = new Map<string, { environments: string[]; subjects: RbacSubject[] }>();
    for (const { environments, subject } of promoters) {
        if (environments.length === 0) continue;
        const sorted = [...new Set(environments)].sort();
        const name = sorted.join("-");
        const group = groups.get(name) ?? { environments: sorted, subjects: [] };
        group.subjects.push(subject);
        groups.set(name, group);
    }
    return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, group]) => ({ name, ...group }));
}

/**
 * One application's `promote` grants: per promoter group, a Role naming only this app's Stages of the group's
 * environments and its RoleBinding. An app with no Stage there gets none (a Role without resourceNames would
 * grant `promote` on every Stage).
 */
export function buildAppPromoteRbac(app: string, namespace: string, stages: readonly StageEnvironment[], groups: readonly PromoterGroup[]): KubernetesObject[] {
    return groups.flatMap((group) => {
        const names = stagesIn(stages, group.environments);
        if (names.length === 0) return [];
        const name = `${app}-promote-${group.name}`;
        return [
            role(name, namespace, [{ apiGroups: [KARGO_GROUP], resources: ["stages"], resourceNames: names, verbs: ["promote"] }]),
            roleBinding(name, namespace, { kind: "Role", name }, group.subjects),
        ];
    });
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

/** True when `environments` cover every declared environment and the dev stages: then no Stage names are needed. */
export function coversEvery(environments: readonly string[], allEnvironments: readonly string[]): boolean {
    return allEnvironments.every((env) => environments.includes(env));
}

/** The CI group, and with `ciPromoterClaims` the ServiceAccount its API calls act as: one set of rules for both. */
export function ciPromoterSubjects(settings: HubSettings): RbacSubject[] {
    return [
        { kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: settings.ciPromotersGroup },
        ...(settings.ciPromoterClaims === undefined ? [] : [{ kind: "ServiceAccount", name: CI_PROMOTER, namespace: PROJECT_NAME }]),
    ];
}

export const DEVELOPER_SUBJECT: RbacSubject = { kind: "ServiceAccount", name: DEVELOPER, namespace: PROJECT_NAME };

/**
 * github-actions-rbac: the CI group reads the pipeline and creates Promotions. When it may promote
 * everywhere (the default), `promote` names no Stage (RBAC: no resourceNames means all), so the Role stays
 * the same as apps come and go; otherwise its Stages come from the per-app Roles (buildAppPromoteRbac).
 * With `ciPromoterClaims`, CI may also call Kargo's API (OIDC token): the ServiceAccount `ci-promoter`
 * carries those claims and is bound wherever the group is, so both paths have the same rules.
 */
export function buildCiPromoterRbac(settings: HubSettings, allEnvironments: readonly string[]): KubernetesObject[] {
    const namespace = PROJECT_NAME;
    const everywhere = coversEvery(settings.ciPromoterEnvironments, allEnvironments);
    return [
        ...(settings.ciPromoterClaims === undefined ? [] : [claimsServiceAccount(CI_PROMOTER, namespace, settings.ciPromoterClaims)]),
        role(CI_PROMOTER, namespace, [
            { apiGroups: [KARGO_GROUP], resources: ["freights", "stages", "warehouses"], verbs: READ },
            { apiGroups: [KARGO_GROUP], resources: ["promotions"], verbs: [...READ, "create"] },
            ...(everywhere ? [{ apiGroups: [KARGO_GROUP], resources: ["stages"], verbs: ["promote"] }] : []),
        ]),
        roleBinding(CI_PROMOTER, namespace, { kind: "Role", name: CI_PROMOTER }, ciPromoterSubjects(settings)),
    ];
}

/**
 * The developer role: Kargo maps OIDC users to a ServiceAccount in the Project namespace through its claims
 * annotation. Its Role replaces Kargo's `kargo-promoter` (promote everywhere, created by the management
 * controller, pkg/controller/management/projects/projects.go): the same reads, creating Promotions and
 * Freight, approval (`freights/status`, which Kargo's API allows only after `promote` on the Stage, granted
 * per app by buildAppPromoteRbac), and nothing that edits Warehouses, Stages or tasks.
 */
export function buildDeveloperRbac(settings: HubSettings): KubernetesObject[] {
    if (settings.developerGroup === undefined) return [];
    const namespace = PROJECT_NAME;
    return [
        claimsServiceAccount(DEVELOPER, namespace, { groups: [settings.developerGroup] }),
        role(DEVELOPER, namespace, [
            { apiGroups: [""], resources: ["configmaps", "events", "serviceaccounts"], verbs: READ },
            { apiGroups: ["rbac.authorization.k8s.io"], resources: ["rolebindings", "roles"], verbs: READ },
            { apiGroups: [KARGO_GROUP], resources: ["projectconfigs", "stages", "warehouses"], verbs: READ },
            // Dev-image Freight is created by hand. Refreshing a Warehouse through Kargo's UI/API needs no RBAC
            // in v1.11; `patch` on warehouses for kubectl refreshes would also let developers edit them.
            { apiGroups: [KARGO_GROUP], resources: ["freights", "promotions"], verbs: [...READ, "create"] },
            ...(settings.developerPromotionEnvironments.length === 0 ? [] : [{ apiGroups: [KARGO_GROUP], resources: ["freights/status"], verbs: ["patch"] }]),
        ]),
        roleBinding(DEVELOPER, namespace, { kind: "Role", name: DEVELOPER }, [DEVELOPER_SUBJECT]),
    ];
}

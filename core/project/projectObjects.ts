/**
 * The `eodhp` Project's own objects (seed templates project.yaml, credentials-rbac.yaml, git-credentials.yaml,
 * github-actions-rbac.yaml) plus the optional Slack and developer-role objects.
 */
import { ENVIRONMENT_LABEL } from "./stages";
import { buildExternalSecret } from "../install/externalSecret";
import { KARGO_API_VERSION, RBAC_API_VERSION, labels, type KubernetesObject } from "../kubernetes";
import type { ProjectSettings } from "../input/settings";

export const GITHUB_WEBHOOK_SECRET = "github-webhook-secret";
export const GIT_CREDENTIALS_SECRET = "git-credentials";
export const SLACK_WEBHOOK_SECRET = "slack-webhook";
export const REMOTE_CONTROLLER_SECRETS_READER = "kargo-remote-controllers-read-secrets";
/** The chart's ClusterRole for reading a Project's Secrets (what Kargo binds for its own controller). */
export const CONTROLLER_READ_SECRETS_ROLE = "kargo-controller-read-secrets";
export const CI_PROMOTER = "ci-promoter";
export const DEVELOPER = "kargo-developer";
/** Kargo's per-project role that may promote; the management controller creates it in every Project. */
export const KARGO_PROMOTER_ROLE = "kargo-promoter";

export interface ProjectObjectsContext {
    readonly project: ProjectSettings;
    readonly clusterSecretStore: string;
    /** Namespace and names of the remote controllers' ServiceAccounts on the hub. */
    readonly remoteControllers: ReadonlyArray<{ readonly namespace: string; readonly name: string }>;
}

/** The Project's namespace, made first so it can be protected; Kargo adopts it by this label. */
export function buildProjectNamespace(name: string): KubernetesObject {
    return { apiVersion: "v1", kind: "Namespace", metadata: { name, labels: labels({ "kargo.akuity.io/project": "true" }) } };
}

/** Project has no spec since Kargo v1.7; its settings live in the ProjectConfig of the same name. */
export function buildProject(name: string): KubernetesObject {
    return { apiVersion: KARGO_API_VERSION, kind: "Project", metadata: { name, labels: labels() } };
}

export function buildProjectConfig(name: string, autoPromotedEnvironments: readonly string[]): KubernetesObject {
    return {
        apiVersion: KARGO_API_VERSION,
        kind: "ProjectConfig",
        metadata: { name, namespace: name, labels: labels() },
        spec: {
            promotionPolicies: autoPromotedEnvironments.map((env) => ({
                // By label, not `glob:*-<env>`: that would also match `<app>-pre-<env>` stages of another environment.
                stageSelector: { matchLabels: { [ENVIRONMENT_LABEL]: env } },
                autoPromotionEnabled: true,
            })),
            webhookReceivers: [{ name: "github", github: { secretRef: { name: GITHUB_WEBHOOK_SECRET } } }],
        },
    };
}

/** ExternalSecrets for the webhook secret, the deployment-repo credentials and, if configured, Slack. */
export function buildProjectSecrets(context: ProjectObjectsContext): KubernetesObject[] {
    const { project, clusterSecretStore } = context;
    const common = { namespace: project.name, clusterSecretStore };
    const generic = { "kargo.akuity.io/cred-type": "generic" };
    return [
        buildExternalSecret({
            ...common,
            name: GITHUB_WEBHOOK_SECRET,
            secretLabels: generic,
            values: [{ secretKey: "secret", remoteKey: project.githubWebhookSecret, property: "secret" }],
        }),
        buildExternalSecret({
            ...common,
            name: GIT_CREDENTIALS_SECRET,
            secretLabels: { "kargo.akuity.io/cred-type": "git" },
            values: [
                { secretKey: "username", remoteKey: project.gitCredentialsSecret, property: "username" },
                { secretKey: "password", remoteKey: project.gitCredentialsSecret, property: "password" },
            ],
            template: { repoURL: project.gitRepoURL, username: "{{ .username }}", password: "{{ .password }}" },
        }),
        ...(project.slack
            ? [
                  buildExternalSecret({
                      ...common,
                      name: SLACK_WEBHOOK_SECRET,
                      secretLabels: generic,
                      values: [{ secretKey: "url", remoteKey: project.slack.webhookSecret, property: "url" }],
                  }),
              ]
            : []),
    ];
}

const KARGO_GROUP = "kargo.akuity.io";
const READ = ["get", "list", "watch"];

function role(name: string, namespace: string, rules: ReadonlyArray<Record<string, unknown>>): KubernetesObject {
    return { apiVersion: RBAC_API_VERSION, kind: "Role", metadata: { name, namespace, labels: labels() }, rules };
}

function roleBinding(
    name: string,
    namespace: string,
    roleRef: { kind: "Role" | "ClusterRole"; name: string },
    subjects: ReadonlyArray<Record<string, string>>,
): KubernetesObject {
    return {
        apiVersion: RBAC_API_VERSION,
        kind: "RoleBinding",
        metadata: { name, namespace, labels: labels() },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", ...roleRef },
        subjects,
    };
}

/**
 * credentials-rbac: remote shard controllers read the Project's credentials, through the same chart role
 * Kargo's management controller binds for labelled controller ServiceAccounts. Stating the binding here keeps
 * access independent of that reconciliation and visible in review.
 */
export function buildCredentialsRbac(context: ProjectObjectsContext): KubernetesObject[] {
    if (context.remoteControllers.length === 0) return [];
    return [
        roleBinding(
            REMOTE_CONTROLLER_SECRETS_READER,
            context.project.name,
            { kind: "ClusterRole", name: CONTROLLER_READ_SECRETS_ROLE },
            context.remoteControllers.map((controller) => ({ kind: "ServiceAccount", ...controller })),
        ),
    ];
}

/** github-actions-rbac: the CI group may read the pipeline and promote (creating a Promotion needs `promote`). */
export function buildCiPromoterRbac(project: ProjectSettings): KubernetesObject[] {
    return [
        role(CI_PROMOTER, project.name, [
            { apiGroups: [KARGO_GROUP], resources: ["stages"], verbs: [...READ, "promote"] },
            { apiGroups: [KARGO_GROUP], resources: ["promotions"], verbs: [...READ, "create"] },
            { apiGroups: [KARGO_GROUP], resources: ["freights", "warehouses"], verbs: READ },
        ]),
        roleBinding(CI_PROMOTER, project.name, { kind: "Role", name: CI_PROMOTER }, [
            { kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: project.ciPromotersGroup },
        ]),
    ];
}

/**
 * The developer role: Kargo maps OIDC users to a ServiceAccount in the Project namespace through its claims
 * annotation; that account gets Kargo's `kargo-promoter` role (which Kargo keeps in every Project) plus creating
 * Freight, and nothing that edits Warehouses, Stages or tasks.
 */
export function buildDeveloperRbac(project: ProjectSettings): KubernetesObject[] {
    if (project.developerGroup === undefined) return [];
    const namespace = project.name;
    const account = { kind: "ServiceAccount", name: DEVELOPER, namespace };
    return [
        {
            apiVersion: "v1",
            kind: "ServiceAccount",
            metadata: {
                name: DEVELOPER,
                namespace,
                labels: labels(),
                annotations: { "rbac.kargo.akuity.io/claims": JSON.stringify({ groups: [project.developerGroup] }) },
            },
        },
        // Dev-image Freight is created by hand. Refreshing a Warehouse through Kargo's UI/API needs no RBAC in
        // v1.11; granting `patch` on warehouses for kubectl refreshes would also let developers edit them.
        role(DEVELOPER, namespace, [{ apiGroups: [KARGO_GROUP], resources: ["freights"], verbs: [...READ, "create"] }]),
        roleBinding(`${DEVELOPER}-promoter`, namespace, { kind: "Role", name: KARGO_PROMOTER_ROLE }, [account]),
        roleBinding(DEVELOPER, namespace, { kind: "Role", name: DEVELOPER }, [account]),
    ];
}

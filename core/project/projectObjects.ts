/**
 * The `eodhp` Project's own objects (seed templates project.yaml, credentials-rbac.yaml, git-credentials.yaml,
 * github-actions-rbac.yaml) plus the optional Slack objects; the CI and developer roles are in promoterRbac.ts.
 */
import { ENVIRONMENT_LABEL } from "./stages";
import { buildExternalSecret } from "../install/externalSecret";
import { KARGO_API_VERSION, RBAC_API_VERSION, labels, type ExternalSecret, type KubernetesObject, type Project, type ProjectConfig } from "../kubernetes";
import { PROJECT_NAME, type HubSettings } from "../input/settings";

export const GITHUB_WEBHOOK_SECRET = "github-webhook-secret";
export const GIT_CREDENTIALS_SECRET = "git-credentials";
export const SLACK_WEBHOOK_SECRET = "slack-webhook";
export const REMOTE_CONTROLLER_SECRETS_READER = "kargo-remote-controllers-read-secrets";
/** The chart's ClusterRole for reading a Project's Secrets (what Kargo binds for its own controller). */
/** akuity/kargo v1.11.2 api/v1alpha1/annotations.go AnnotationKeyKeepNamespace. */
export const KEEP_NAMESPACE_ANNOTATION = "kargo.akuity.io/keep-namespace";
export const CONTROLLER_READ_SECRETS_ROLE = "kargo-controller-read-secrets";

export interface ProjectObjectsContext {
    readonly settings: HubSettings;
    readonly clusterSecretStore: string;
    /** Namespace and names of the remote controllers' ServiceAccounts on the hub. */
    readonly remoteControllers: ReadonlyArray<{ readonly namespace: string; readonly name: string }>;
}

/**
 * The Project's namespace, made first so it can be protected; Kargo adopts it by this label. Deleting the
 * Project makes Kargo's management controller delete this namespace, with every Freight and Promotion in it,
 * unless the Project or the namespace carries keep-namespace (akuity/kargo v1.11.2
 * pkg/controller/management/projects/projects.go cleanupProject, shouldKeepNamespace): the history outlives
 * a Project deleted by mistake.
 */
export function buildProjectNamespace(name: string): KubernetesObject {
    return {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name, labels: labels({ "kargo.akuity.io/project": "true" }), annotations: { [KEEP_NAMESPACE_ANNOTATION]: "true" } },
    };
}

/** Project has no spec since Kargo v1.7; its settings live in the ProjectConfig of the same name. */
export function buildProject(name: string): Project {
    return { apiVersion: KARGO_API_VERSION, kind: "Project", metadata: { name, labels: labels() } };
}

export function buildProjectConfig(name: string, autoPromotedEnvironments: readonly string[]): ProjectConfig {
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
export function buildProjectSecrets(context: ProjectObjectsContext): ExternalSecret[] {
    const { settings, clusterSecretStore } = context;
    const common = { namespace: PROJECT_NAME, clusterSecretStore };
    const generic = { "kargo.akuity.io/cred-type": "generic" };
    return [
        buildExternalSecret({
            ...common,
            name: GITHUB_WEBHOOK_SECRET,
            secretLabels: generic,
            values: [{ secretKey: "secret", remoteKey: settings.githubWebhookSecretName, property: "secret" }],
        }),
        buildExternalSecret({
            ...common,
            name: GIT_CREDENTIALS_SECRET,
            secretLabels: { "kargo.akuity.io/cred-type": "git" },
            values: [
                { secretKey: "username", remoteKey: settings.gitCredentialsSecretName, property: "username" },
                { secretKey: "password", remoteKey: settings.gitCredentialsSecretName, property: "password" },
            ],
            template: { repoURL: settings.gitRepoUrl, username: "{{ .username }}", password: "{{ .password }}" },
        }),
        ...(settings.slackWebhookSecretName
            ? [
                  buildExternalSecret({
                      ...common,
                      name: SLACK_WEBHOOK_SECRET,
                      secretLabels: generic,
                      values: [{ secretKey: "url", remoteKey: settings.slackWebhookSecretName, property: "url" }],
                  }),
              ]
            : []),
    ];
}

export function role(name: string, namespace: string, rules: ReadonlyArray<Record<string, unknown>>): KubernetesObject {
    return { apiVersion: RBAC_API_VERSION, kind: "Role", metadata: { name, namespace, labels: labels() }, rules };
}

export function roleBinding(
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
            PROJECT_NAME,
            { kind: "ClusterRole", name: CONTROLLER_READ_SECRETS_ROLE },
            context.remoteControllers.map((controller) => ({ kind: "ServiceAccount", ...controller })),
        ),
    ];
}

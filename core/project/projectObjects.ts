/**
 * The `eodhp` Project's own objects (seed templates project.yaml, github-actions-rbac.yaml) plus the optional
 * Slack objects; the CI and developer roles are in promoterRbac.ts, the git credentials and the remote
 * controllers' Secret reads in core/install/gitCredentials.ts.
 */
import { ENVIRONMENT_LABEL } from "./stages";
import { buildExternalSecret } from "../install/externalSecret";
import { KARGO_API_VERSION, labels, type ExternalSecret, type KubernetesObject, type Project, type ProjectConfig } from "../kubernetes";
import { PROJECT_NAME, type HubSettings } from "../input/settings";

export const GITHUB_WEBHOOK_SECRET = "github-webhook-secret";
/** The Slack URL's Secret, one in each controller's shared-resources namespace (sharedSecret() in promoteTask.ts). */
export const SLACK_WEBHOOK_SECRET = "slack-webhook";
/** akuity/kargo v1.11.2 api/v1alpha1/annotations.go AnnotationKeyKeepNamespace. */
export const KEEP_NAMESPACE_ANNOTATION = "kargo.akuity.io/keep-namespace";

export interface ProjectObjectsContext {
    readonly settings: HubSettings;
    readonly clusterSecretStore: string;
    /**
     * Where each controller's copy of the Slack URL goes: its shared-resources namespace on the hub, under an
     * ExternalSecret name unique in the project (the Secret itself is SLACK_WEBHOOK_SECRET in each).
     */
    readonly slackCopies: ReadonlyArray<{ readonly name: string; readonly namespace: string }>;
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

/**
 * ExternalSecrets for the webhook secret and, if configured, Slack. No git credential: every remote controller
 * may list Secrets here (core/install/gitCredentials.ts says why), so the credentials live elsewhere. The
 * Slack URL goes to each controller's own shared-resources namespace: a spoke's promotion reads its copy with
 * sharedSecret(), never one in `eodhp`.
 */
export function buildProjectSecrets(context: ProjectObjectsContext): ExternalSecret[] {
    const { settings, clusterSecretStore } = context;
    const generic = { "kargo.akuity.io/cred-type": "generic" };
    const slackSecret = settings.slackWebhookSecretName;
    return [
        buildExternalSecret({
            namespace: PROJECT_NAME,
            clusterSecretStore,
            name: GITHUB_WEBHOOK_SECRET,
            secretLabels: generic,
            values: [{ secretKey: "secret", remoteKey: settings.githubWebhookSecretName, property: "secret" }],
        }),
        ...(slackSecret
            ? context.slackCopies.map((copy) =>
                  buildExternalSecret({
                      ...copy,
                      clusterSecretStore,
                      targetName: SLACK_WEBHOOK_SECRET,
                      // sharedSecret() returns only Secrets labelled generic (functions.go isGenericSecretType).
                      secretLabels: generic,
                      values: [{ secretKey: "url", remoteKey: slackSecret, property: "url" }],
                  }),
              )
            : []),
    ];
}

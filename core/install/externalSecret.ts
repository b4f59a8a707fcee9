/** ExternalSecrets (external-secrets.io/v1) that copy AWS Secrets Manager entries into Kubernetes Secrets. */
import { EXTERNAL_SECRETS_API_VERSION, labels, type ExternalSecret } from "../kubernetes";

export interface RemoteValue {
    /** Key in the resulting Secret. */
    readonly secretKey: string;
    /** Secrets Manager secret name. */
    readonly remoteKey: string;
    /** JSON property of the Secrets Manager value; the whole value when absent. */
    readonly property?: string;
}

export interface ExternalSecretArgs {
    /** Name of the ExternalSecret and, unless targetName is given, of the Secret it creates. */
    readonly name: string;
    /** Name of the Secret, when several ExternalSecrets of one component fill Secrets of one name. */
    readonly targetName?: string;
    readonly namespace: string;
    readonly clusterSecretStore: string;
    /** A namespaced SecretStore to read through instead of the ClusterSecretStore. */
    readonly secretStore?: string;
    readonly values: readonly RemoteValue[];
    /** Labels for the resulting Secret (Kargo finds credentials by label). */
    readonly secretLabels?: Readonly<Record<string, string>>;
    /** Templated Secret data (Go templates over the `values`' secretKeys); replaces the plain copy. */
    readonly template?: Readonly<Record<string, string>>;
    /** How often to re-read Secrets Manager; REFRESH_INTERVAL when absent. */
    readonly refreshInterval?: string;
}

/** How often external-secrets re-reads Secrets Manager: rotations reach the clusters within this time. */
export const REFRESH_INTERVAL = "1h";
/**
 * The spoke's hub credentials: a rotated token reaches the controller within this plus the kubelet's Secret
 * volume sync (at most 1.5 minutes) plus client-go's token file re-read (at most 50 s); sources in
 * controllerAuth.ts at HUB_TOKEN_MOUNT_PATH. external-secrets v2.9.0
 * (pkg/controllers/externalsecret/externalsecret_controller.go, shouldRefreshPeriodic) re-reads once
 * status.refreshTime + refreshInterval has passed, under the default refreshPolicy Periodic.
 */
export const HUB_CREDENTIALS_REFRESH_INTERVAL = "10m";

/**
 * `pulumi up` waits for each ExternalSecret to be Ready, at most this long, so a missing or unreadable
 * Secrets Manager entry fails that ExternalSecret ("… failed to fully initialize or become live: timed out
 * waiting for the condition") instead of a later chart Deployment timing out. pulumi-kubernetes:
 * `pulumi.com/waitFor` `condition=Ready` (provider/pkg/metadata/overrides.go ReadyCondition →
 * provider/pkg/await/condition/custom.go and kubectl.go) and `pulumi.com/timeoutSeconds`; while waiting it
 * shows the object's Warning events (provider/pkg/await/watchers.go), where external-secrets names the entry.
 * The wait means something on a create only: external-secrets v2.9.0 sets no observedGeneration, so on an
 * update (or an adoption, which patches a live object) the old Ready=True passes at once, and no static
 * annotation can ask for the new spec's `status.syncedResourceVersion` (docs/adoption.md, "Waits").
 */
export const EXTERNAL_SECRET_TIMEOUT_SECONDS = 300;
/** Names the Secrets Manager entries on the object, so `kubectl describe` and the failed resource show them. */
export const SECRETS_MANAGER_ANNOTATION = "eodhp-kargo/secrets-manager-entries";

type SecretTarget = NonNullable<NonNullable<ExternalSecret["spec"]>["target"]>;

export function buildExternalSecret(args: ExternalSecretArgs): ExternalSecret {
    const template: Pick<SecretTarget, "template"> =
        args.secretLabels || args.template
            ? {
                  template: {
                      engineVersion: "v2",
                      ...(args.secretLabels ? { metadata: { labels: { ...args.secretLabels } } } : {}),
                      ...(args.template ? { data: { ...args.template } } : {}),
                  },
              }
            : {};
    return {
        apiVersion: EXTERNAL_SECRETS_API_VERSION,
        kind: "ExternalSecret",
        metadata: {
            name: args.name,
            namespace: args.namespace,
            labels: labels(),
            annotations: {
                "pulumi.com/waitFor": "condition=Ready",
                "pulumi.com/timeoutSeconds": String(EXTERNAL_SECRET_TIMEOUT_SECONDS),
                [SECRETS_MANAGER_ANNOTATION]: [...new Set(args.values.map((value) => value.remoteKey))].sort().join(","),
            },
        },
        spec: {
            refreshInterval: args.refreshInterval ?? REFRESH_INTERVAL,
            secretStoreRef: args.secretStore ? { kind: "SecretStore", name: args.secretStore } : { kind: "ClusterSecretStore", name: args.clusterSecretStore },
            target: { name: args.targetName ?? args.name, creationPolicy: "Owner", deletionPolicy: "Retain", ...template },
            data: args.values.map((value) => ({
                secretKey: value.secretKey,
                remoteRef: { key: value.remoteKey, ...(value.property ? { property: value.property } : {}) },
            })),
        },
    };
}

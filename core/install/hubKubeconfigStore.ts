/**
 * On a spoke, the hub kubeconfig (a token for the hub) is read through a SecretStore in `kargo` only. A
 * namespaced SecretStore is usable only by ExternalSecrets in its own namespace (external-secrets v2.9.0
 * SecretStore CRD, config/crds/bases/external-secrets.io_secretstores.yaml), and it authenticates with
 * IRSA as a ServiceAccount of that namespace (provider.aws.auth.jwt.serviceAccountRef), so the IAM role
 * trusted for it can be one that only this ServiceAccount assumes and only this secret's policy allows.
 * Chosen over ClusterSecretStore namespace conditions: those still share the cluster-wide store's IAM
 * identity with every other namespace that is allowed, and a mistake in the conditions widens it.
 */
import { EXTERNAL_SECRETS_API_VERSION, labels, type KubernetesObject, type ObjectMeta } from "../kubernetes";
import { KARGO_NAMESPACE } from "../input/settings";

/**
 * The one SecretStore this program writes: AWS Secrets Manager read with IRSA. These are the fields of the
 * v2.9.0 CRD's `spec.provider.aws` it sets (`service` and `region` required, `auth.jwt.serviceAccountRef.name`);
 * test/secretPolicies.test.ts checks the rendered object against that CRD. A type, not an interface: only a
 * type gets the implicit index signature that makes it a KubernetesObject.
 */
export type AwsSecretStore = {
    readonly apiVersion: typeof EXTERNAL_SECRETS_API_VERSION;
    readonly kind: "SecretStore";
    readonly metadata: ObjectMeta;
    readonly spec: {
        readonly provider: {
            readonly aws: {
                readonly service: "SecretsManager";
                readonly region: string;
                readonly auth: { readonly jwt: { readonly serviceAccountRef: { readonly name: string } } };
            };
        };
    };
};

export const HUB_KUBECONFIG_STORE = "kargo-hub-kubeconfig";
export const HUB_KUBECONFIG_READER_ACCOUNT = "kargo-hub-kubeconfig-reader";

/** The reader ServiceAccount and the SecretStore that authenticates as it. */
export function buildHubKubeconfigStore(reader: { readonly roleArn: string; readonly region: string }): [KubernetesObject, AwsSecretStore] {
    const store: AwsSecretStore = {
        apiVersion: EXTERNAL_SECRETS_API_VERSION,
        kind: "SecretStore",
        metadata: { name: HUB_KUBECONFIG_STORE, namespace: KARGO_NAMESPACE, labels: labels() },
        spec: {
            provider: {
                aws: {
                    service: "SecretsManager",
                    region: reader.region,
                    auth: { jwt: { serviceAccountRef: { name: HUB_KUBECONFIG_READER_ACCOUNT } } },
                },
            },
        },
    };
    return [
        {
            apiVersion: "v1",
            kind: "ServiceAccount",
            metadata: {
                name: HUB_KUBECONFIG_READER_ACCOUNT,
                namespace: KARGO_NAMESPACE,
                labels: labels(),
                // EKS IRSA: external-secrets requests a token for this account and assumes the role with it.
                annotations: { "eks.amazonaws.com/role-arn": reader.roleArn },
            },
        },
        store,
    ];
}

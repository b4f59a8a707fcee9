/**
 * What a remote shard controller needs on the hub (KARGO-FACTS section 1, "Remote identity"): a labelled
 * ServiceAccount in the Kargo namespace, its long-lived token, the bindings the chart gives its own
 * controller, and a kubeconfig built from that token for Secrets Manager.
 */
import { stringify } from "yaml";
import { RBAC_API_VERSION, labels, type KubernetesObject } from "../kubernetes";
import { REMOTE_CONTROLLER_READER } from "./remoteControllerRbac";
import { KARGO_NAMESPACE, type RemoteShard } from "../input/settings";

/*
 * Deliberately without the label `app.kubernetes.io/component: controller`: Kargo's management controller
 * binds `kargo-controller-read-secrets` in EVERY Project namespace for labelled ServiceAccounts in the Kargo
 * namespace (pkg/controller/management/serviceaccounts/serviceaccounts.go ensureControllerPermissions,
 * pkg/controller/management/projects/projects.go at v1.11.2). Remote controllers get Secret read only where
 * core/project/projectObjects.ts buildCredentialsRbac binds it: the projects they serve.
 */

export function remoteControllerName(shard: RemoteShard): string {
    return `kargo-controller-${shard.environment}`;
}

export function tokenSecretName(shard: RemoteShard): string {
    return `${remoteControllerName(shard)}-token`;
}

export interface ControllerIdentity {
    readonly serviceAccount: KubernetesObject;
    readonly tokenSecret: KubernetesObject;
    /** ClusterRoleBinding to our reader role plus RoleBindings to roles the Kargo chart creates. */
    readonly bindings: readonly KubernetesObject[];
}

/** Roles (namespace → Role) the chart binds for its own controller and that a remote one needs too. */
const CHART_CONTROLLER_ROLES: ReadonlyArray<{ namespace: string; role: string; suffix: string }> = [
    // Heartbeat Lease kargo-controller-<shard> in the Kargo namespace.
    { namespace: KARGO_NAMESPACE, role: "kargo-controller", suffix: "" },
    { namespace: "kargo-shared-resources", role: "kargo-shared-resources-controller-reader", suffix: "-shared-resources-reader" },
    { namespace: "kargo-system-resources", role: "kargo-system-resources-reader", suffix: "-system-resources-reader" },
];

export function buildControllerIdentity(shard: RemoteShard): ControllerIdentity {
    const name = remoteControllerName(shard);
    const subject = { kind: "ServiceAccount", name, namespace: KARGO_NAMESPACE };
    const identityLabels = labels();
    const roleRef = (kind: string, role: string) => ({ apiGroup: "rbac.authorization.k8s.io", kind, name: role });
    return {
        serviceAccount: {
            apiVersion: "v1",
            kind: "ServiceAccount",
            metadata: { name, namespace: KARGO_NAMESPACE, labels: identityLabels },
        },
        tokenSecret: {
            apiVersion: "v1",
            kind: "Secret",
            metadata: {
                name: tokenSecretName(shard),
                namespace: KARGO_NAMESPACE,
                labels: identityLabels,
                annotations: { "kubernetes.io/service-account.name": name },
            },
            type: "kubernetes.io/service-account-token",
        },
        bindings: [
            {
                apiVersion: RBAC_API_VERSION,
                kind: "ClusterRoleBinding",
                metadata: { name, labels: labels() },
                roleRef: roleRef("ClusterRole", REMOTE_CONTROLLER_READER),
                subjects: [subject],
            },
            ...CHART_CONTROLLER_ROLES.map(({ namespace, role, suffix }) => ({
                apiVersion: RBAC_API_VERSION,
                kind: "RoleBinding",
                metadata: { name: `${name}${suffix}`, namespace, labels: labels() },
                roleRef: roleRef("Role", role),
                subjects: [subject],
            })),
        ],
    };
}

export interface HubKubeconfigArgs {
    readonly server: string;
    /** Base64 PEM, as the token Secret's `ca.crt` holds it. */
    readonly certificateAuthorityData: string;
    /** Plain bearer token (decoded from the token Secret). */
    readonly token: string;
    readonly user: string;
}

/** A kubeconfig whose current context reaches the hub as the remote controller, in the Kargo namespace. */
export function hubKubeconfig(args: HubKubeconfigArgs): string {
    return stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "kargo-hub", cluster: { server: args.server, "certificate-authority-data": args.certificateAuthorityData } }],
        users: [{ name: args.user, user: { token: args.token } }],
        contexts: [{ name: "kargo-hub", context: { cluster: "kargo-hub", user: args.user, namespace: KARGO_NAMESPACE } }],
        "current-context": "kargo-hub",
    });
}

/**
 * What a remote shard controller needs on the hub (akuity/kargo v1.11.2 charts/kargo/templates/controller/): a
 * ServiceAccount in the Kargo namespace, its long-lived token, the bindings the chart gives its own
 * controller, and a kubeconfig built from that token for Secrets Manager.
 */
import { stringify } from "yaml";
import { RBAC_API_VERSION, labels, role, roleBinding, type KubernetesObject } from "../kubernetes";
import { buildShardSharedResources, type NamespaceWithObjects } from "./gitCredentials";
import { REMOTE_CONTROLLER_READER } from "./remoteControllerRbac";
import { heartbeatLeaseName } from "./shardIsolationPolicy";
import { KARGO_NAMESPACE, type RemoteShard } from "../input/settings";

/*
 * Deliberately without the label `app.kubernetes.io/component: controller`: Kargo's management controller
 * binds `kargo-controller-read-secrets` in EVERY Project namespace for labelled ServiceAccounts in the Kargo
 * namespace (pkg/controller/management/serviceaccounts/serviceaccounts.go ensureControllerPermissions,
 * pkg/controller/management/projects/projects.go at v1.11.2). Remote controllers read Secrets on the hub only
 * where core/install/gitCredentials.ts grants it: `list` in the project namespace and their own shared
 * namespace.
 */

/** Named after the shard's first environment. */
export function remoteControllerName(shard: RemoteShard): string {
    return `kargo-controller-${shard.environment[0]}`;
}

/** One long-lived token Secret per generation; deleting a generation's Secret revokes its token. */
export function tokenSecretName(shard: RemoteShard, generation: string): string {
    return `${remoteControllerName(shard)}-token-${generation}`;
}

export interface ControllerIdentity {
    readonly serviceAccount: KubernetesObject;
    /** One per token generation, oldest first; the last one is the newest, whose token is published. */
    readonly tokenSecrets: readonly KubernetesObject[];
    /** ClusterRoleBinding to our reader role, its heartbeat Lease Role and binding, RoleBindings to roles the Kargo chart creates. */
    readonly bindings: readonly KubernetesObject[];
    /** Its own shared-resources namespace and its reads there (core/install/gitCredentials.ts). */
    readonly sharedResources: NamespaceWithObjects;
}

/**
 * Its own heartbeat Lease only, instead of the chart's `kargo-controller` Role (every Lease in the Kargo
 * namespace). pkg/heartbeat/renewer.go (akuity/kargo v1.11.2) gets `kargo-controller-<shard>` by name,
 * creates it when missing, updates it and deletes it on shutdown; the manager reads Leases uncached
 * (cmd/controlplane/controller.go DisableFor), so nothing lists or watches them. RBAC cannot limit `create`
 * by name ("You cannot restrict create or deletecollection requests by their resource name", Kubernetes
 * docs, Using RBAC Authorization, Referring to resources), so create stays unnamed and the shard-isolation
 * policy admits only that name.
 */
function heartbeatLeaseRbac(name: string, shard: RemoteShard, subject: Record<string, string>): KubernetesObject[] {
    const heartbeat = `${name}-heartbeat`;
    const leases = { apiGroups: ["coordination.k8s.io"], resources: ["leases"] };
    return [
        role(heartbeat, KARGO_NAMESPACE, [
            { ...leases, verbs: ["create"] },
            { ...leases, resourceNames: [heartbeatLeaseName(shard.shardName)], verbs: ["delete", "get", "update"] },
        ]),
        roleBinding(heartbeat, KARGO_NAMESPACE, { kind: "Role", name: heartbeat }, [subject]),
    ];
}

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
        tokenSecrets: shard.tokenGenerations.map((generation) => ({
            apiVersion: "v1",
            kind: "Secret",
            metadata: {
                name: tokenSecretName(shard, generation),
                namespace: KARGO_NAMESPACE,
                labels: identityLabels,
                annotations: { "kubernetes.io/service-account.name": name },
            },
            type: "kubernetes.io/service-account-token",
        })),
        bindings: [
            {
                apiVersion: RBAC_API_VERSION,
                kind: "ClusterRoleBinding",
                metadata: { name, labels: labels() },
                roleRef: roleRef("ClusterRole", REMOTE_CONTROLLER_READER),
                subjects: [subject],
            },
            // None of the chart's controller Roles: not `kargo-controller` (every Lease; heartbeatLeaseRbac is
            // its own Lease only), not `kargo-shared-resources-controller-reader` (the hub's
            // `kargo-shared-resources` holds prod's git credential; a spoke's shared namespace is its own), not
            // `kargo-system-resources-reader` (the controller reads there only the git signing key a ClusterConfig's
            // `spec.gitClient.signingKeySecret` names, pkg/promotion/git_user_resolver.go Resolve, and this program
            // makes no ClusterConfig).
            ...heartbeatLeaseRbac(name, shard, subject),
        ],
        sharedResources: buildShardSharedResources(shard, name),
    };
}

/**
 * Where the spoke's controller finds the token: a file of its own volume (core/install/chartValues.ts), not
 * the chart's projected kubeconfig volume. client-go re-reads it, so a new token needs no restart:
 * - clientcmd (k8s.io/client-go v0.34.3, the version in akuity/kargo v1.11.2's go.mod), tools/clientcmd/
 *   client_config.go, getUserIdentificationPartialConfig: `tokenFile` sets rest.Config BearerToken and
 *   BearerTokenFile;
 * - transport/round_trippers.go, HTTPWrappersForConfig → NewBearerAuthWithRefreshRoundTripper: with a
 *   BearerTokenFile every request takes its token from NewCachedFileTokenSource (transport/token_source.go),
 *   which keeps what it read for `period: time.Minute` less a 10 s `leeway`, so a request at most 50 s after
 *   the file changed carries the new token; a failed read keeps the old one (cachingTokenSource.Token);
 * - the kubelet rewrites the file in place: kubernetes/kubernetes pkg/volume/secret/secret.go (RequiresRemount
 *   is true; SetUpAt writes the Secret through pkg/volume/util/atomic_writer.go, which swaps the `..data`
 *   symlink atomically), redone on each pod sync (pkg/kubelet/volumemanager/volume_manager.go
 *   WaitForAttachAndMount → MarkRemountRequired; pkg/kubelet/pod_workers.go resyncs every syncFrequency, default
 *   1m, plus up to 50 % jitter) from the watch-fed cache of pkg/kubelet/secret/secret_manager.go
 *   NewWatchingSecretManager (change detection `Watch`, the default in pkg/kubelet/apis/config/v1beta1/
 *   defaults.go); these kubelet files were read through the code search index, not at a pinned release;
 * - Kargo's controller loads $KUBECONFIG with clientcmd.BuildConfigFromFlags (akuity/kargo v1.11.2,
 *   pkg/server/kubernetes/client.go GetRestConfig, called from cmd/controlplane/controller.go).
 * Findings in full: docs/operations.md, "Rotating a shard controller's token".
 */
export const HUB_TOKEN_MOUNT_PATH = "/etc/kargo/hub-token";
export const HUB_TOKEN_KEY = "token";
export const HUB_TOKEN_FILE = `${HUB_TOKEN_MOUNT_PATH}/${HUB_TOKEN_KEY}`;

export interface HubKubeconfigArgs {
    readonly server: string;
    /** Base64 PEM, as the token Secret's `ca.crt` holds it. */
    readonly certificateAuthorityData: string;
    /** Name of the user entry: the token Secret whose token sits in the token file, so the kubeconfig says which generation is live. */
    readonly user: string;
}

/**
 * A kubeconfig whose current context reaches the hub as the remote controller, in the Kargo namespace. It
 * holds no token: `tokenFile` points at the separately published token (HUB_TOKEN_FILE).
 */
export function hubKubeconfigYaml(args: HubKubeconfigArgs): string {
    return stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "kargo-hub", cluster: { server: args.server, "certificate-authority-data": args.certificateAuthorityData } }],
        users: [{ name: args.user, user: { tokenFile: HUB_TOKEN_FILE } }],
        contexts: [{ name: "kargo-hub", context: { cluster: "kargo-hub", user: args.user, namespace: KARGO_NAMESPACE } }],
        "current-context": "kargo-hub",
    });
}

/** JSON properties of the Secrets Manager entry (no dots: external-secrets reads `property` as a gjson path). */
export const PUBLISHED_KUBECONFIG_PROPERTY = "kubeconfig";
export const PUBLISHED_TOKEN_PROPERTY = "token";

/** The Secrets Manager value for a spoke: the kubeconfig and, apart, the newest generation's token. */
export function publishedHubCredentials(args: HubKubeconfigArgs & { readonly token: string }): string {
    return JSON.stringify({ [PUBLISHED_KUBECONFIG_PROPERTY]: hubKubeconfigYaml(args), [PUBLISHED_TOKEN_PROPERTY]: args.token });
}

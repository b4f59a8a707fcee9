/**
 * Helm values for the Kargo chart: the full hub (prod) and the controller-only spokes (test, staging).
 * Facts behind each value: akuity/kargo v1.11.2 charts/kargo/values.yaml and charts/kargo/templates/.
 */
import { HUB_TOKEN_KEY, HUB_TOKEN_MOUNT_PATH, remoteControllerName } from "./controllerAuth";
import { HUB_SHARED_RESOURCES_NAMESPACE, LOCAL_CREDENTIALS_FALLBACK, shardSharedNamespace } from "./gitCredentials";
import { KARGO_NAMESPACE, type HubSettings, type ShardSettings } from "../input/settings";

/** Secret the hub's API server reads its admin password hash and token signing key from. */
export const ADMIN_CREDENTIALS_SECRET = "kargo-admin-credentials";
/** Secret on a spoke that holds the hub kubeconfig (data key fixed by the chart) and the token it points at. */
export const HUB_KUBECONFIG_SECRET = "kargo-hub-kubeconfig";
const HUB_TOKEN_VOLUME = "hub-token";
export const HUB_KUBECONFIG_KEY = "kubeconfig.yaml";
export const API_INGRESS_TLS_SECRET = "kargo-api-ingress-cert";

/**
 * Users Kargo's webhook server trusts as its control plane (they skip its authorization checks): the chart's
 * own default accounts (kargo-api, kargo-controller, kargo-management-controller, kargo-garbage-collector,
 * as charts/kargo/templates/_helpers.tpl names them) plus exactly the remote controllers of this hub. The
 * chart hard-codes these names (`kargo-%s`, kargo.controller.fullname; v1.11.2): they do not follow the Helm
 * release name, so any `helmReleaseName` leaves this regex right.
 */
export function controlplaneUserRegex(settings: HubSettings): string {
    const accounts = [
        "kargo-api",
        "kargo-controller",
        "kargo-management-controller",
        "kargo-garbage-collector",
        ...settings.remoteShards.map(remoteControllerName),
    ];
    return `^system:serviceaccount:${KARGO_NAMESPACE}:(${accounts.join("|")})$`;
}

export function hubChartValues(settings: HubSettings): Record<string, unknown> {
    return {
        api: {
            replicas: 2,
            host: settings.apiHost,
            // TLS ends at the ingress controller; the API server itself speaks HTTP inside the cluster.
            tls: { enabled: false, terminatedUpstream: true },
            ingress: {
                enabled: true,
                ingressClassName: settings.ingressClassName,
                // cert-manager issues the certificate into the TLS Secret.
                annotations: { "cert-manager.io/cluster-issuer": settings.ingressClusterIssuer },
                tls: { enabled: true, selfSignedCert: false, secretName: API_INGRESS_TLS_SECRET },
            },
            // Break-glass admin account (docs/security.md). Off: the chart then renders its own empty
            // `kargo-api` Secret for envFrom and needs no password hash or signing key
            // (charts/kargo/templates/api/secret.yaml at v1.11.2). On: credentials from our Secret, short tokens.
            ...(settings.adminAccount
                ? { adminAccount: { enabled: true, tokenTTL: settings.adminTokenTTL }, secret: { name: ADMIN_CREDENTIALS_SECRET } }
                : { adminAccount: { enabled: false } }),
            // Project Secrets come from ExternalSecrets (GitOps), so the API need not write them.
            secretManagementEnabled: false,
            // Deep links from the UI to each shard's Argo CD (chart values: api.argocd.urls, shard → URL).
            ...(Object.keys(settings.argocdUrls).length > 0 ? { argocd: { urls: { ...settings.argocdUrls } } } : {}),
            oidc: {
                enabled: true,
                issuerURL: settings.oidcIssuerUrl,
                clientID: settings.oidcClientId,
                additionalScopes: ["groups"],
                admins: { claims: { groups: [settings.oidcAdminGroup] } },
                // Developers get their project rights in eodhp; this lets them list Projects in the UI.
                ...(settings.developerGroup ? { users: { claims: { groups: [settings.developerGroup] } } } : {}),
            },
        },
        // GitHub webhooks reach the receivers through the API ingress's /webhooks path.
        externalWebhooksServer: {
            enabled: true,
            host: settings.apiHost,
            tls: { enabled: false, terminatedUpstream: true },
        },
        managementController: { enabled: true },
        webhooksServer: { enabled: true, controlplaneUserRegex: controlplaneUserRegex(settings) },
        controller: {
            shardName: settings.shardName,
            // Also reconciles anything without a shard, so nothing is left without a controller.
            isDefault: true,
            argocd: { namespace: settings.argocdNamespace },
        },
        garbageCollector: { enabled: true },
        // Where the hub's controller finds prod's git credential; stated, since no spoke may read it
        // (core/install/gitCredentials.ts). The chart's SHARED_RESOURCES_NAMESPACE (controller/configmap.yaml).
        global: { sharedResources: { namespace: HUB_SHARED_RESOURCES_NAMESPACE } },
    };
}

export function shardChartValues(settings: ShardSettings): Record<string, unknown> {
    return {
        api: { enabled: false },
        externalWebhooksServer: { enabled: false },
        managementController: { enabled: false },
        garbageCollector: { enabled: false },
        webhooksServer: { enabled: false },
        webhooks: { register: false },
        crds: { install: false },
        // Kargo's data plane (CRDs, RBAC for Projects) lives on the hub; the spoke only runs a controller.
        dataPlane: { install: false, controller: { install: false } },
        // SHARED_RESOURCES_NAMESPACE (charts/kargo/templates/controller/configmap.yaml): the spoke's own
        // namespace on the hub, never the hub's, where prod's credential sits (core/install/gitCredentials.ts).
        global: { kargoNamespace: KARGO_NAMESPACE, sharedResources: { namespace: shardSharedNamespace(settings.environment[0]) } },
        controller: {
            shardName: settings.shardName,
            // After the hub, look for the git credential on this cluster, where the spoke's own one is.
            env: [{ ...LOCAL_CREDENTIALS_FALLBACK }],
            kubeconfigSecrets: { kargo: HUB_KUBECONFIG_SECRET },
            // The chart projects only key kubeconfig.yaml of that Secret (akuity/kargo v1.11.2,
            // charts/kargo/templates/controller/deployment.yaml: projected volume `kubeconfigs`, mounted as
            // the directory /etc/kargo/kubeconfigs, no subPath), so the token key the kubeconfig's tokenFile
            // names gets its own Secret volume, also mounted as a directory. Never subPath: the kubelet
            // refreshes a Secret volume by swapping its `..data` symlink (controllerAuth.ts, HUB_TOKEN_MOUNT_PATH),
            // while a subPath mount is a bind mount of the file the symlinks pointed at when the container
            // started (kubernetes/kubernetes pkg/volume/util/subpath/subpath_linux.go doBindSubPath), so it
            // never sees a new token.
            volumes: [{ name: HUB_TOKEN_VOLUME, secret: { secretName: HUB_KUBECONFIG_SECRET, items: [{ key: HUB_TOKEN_KEY, path: HUB_TOKEN_KEY }] } }],
            volumeMounts: [{ name: HUB_TOKEN_VOLUME, mountPath: HUB_TOKEN_MOUNT_PATH, readOnly: true }],
            // Argo CD runs on this cluster; the chart grants the controller access to its Applications.
            argocd: { integrationEnabled: true, namespace: settings.argocdNamespace },
            // The hub grants remote controllers no Argo Rollouts access.
            rollouts: { integrationEnabled: false },
        },
    };
}

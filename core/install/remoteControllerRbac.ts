/**
 * RBAC for the remote shard controllers on the hub, narrower than the chart's `kargo-controller`
 * ClusterRole (charts/kargo/templates/controller/cluster-roles.yaml at v1.11.2), which they were bound to
 * before:
 *
 * - `kargo-remote-controller` (ClusterRoleBinding): the chart role's reads, cluster-wide because the
 *   controller's informers list and watch all namespaces; no Secrets (the chart's controller reads them
 *   through `kargo-controller-read-secrets`, bound per Project).
 * - `kargo-remote-controller-writer` (RoleBinding in each project namespace only): the chart role's writes
 *   minus `patch`/`update` on Freight (only the set-freight-alias step does that,
 *   pkg/promotion/runner/builtin/set_freight_alias.go, and our promotions do not use it) and minus the
 *   `promote` verb, which goes to the next Role.
 * - `promote` on exactly its own shard's Stages, through the per-application Roles of
 *   core/project/promoterRbac.ts (buildAppPromoteRbac). Kargo's Promotion webhook checks that verb on
 *   `stages/<spec.stage>` for every Promotion create and update, control plane included
 *   (pkg/webhook/kubernetes/promotion/webhook.go authorize), so RBAC itself refuses a Promotion into another
 *   shard's Stage, besides the admission policy; and it is what Kargo's API checks before acting for a
 *   ServiceAccount token (see promoterRbac.ts), which the admission policy never sees.
 *
 * What each write is for, with sources: the header comment of core/install/shardIsolationPolicy.ts.
 */
import { RBAC_API_VERSION, labels, type KubernetesObject } from "../kubernetes";

export const REMOTE_CONTROLLER_READER = "kargo-remote-controller";
export const REMOTE_CONTROLLER_WRITER = "kargo-remote-controller-writer";
const KARGO_GROUP = "kargo.akuity.io";
const READ = ["get", "list", "watch"];

export function buildRemoteControllerClusterRoles(): KubernetesObject[] {
    return [
        {
            apiVersion: RBAC_API_VERSION,
            kind: "ClusterRole",
            metadata: { name: REMOTE_CONTROLLER_READER, labels: labels() },
            rules: [
                { apiGroups: [""], resources: ["configmaps"], verbs: READ },
                {
                    apiGroups: [KARGO_GROUP],
                    resources: [
                        "clusterconfigs",
                        "clusterpromotiontasks",
                        "freights",
                        "projectconfigs",
                        "projects",
                        "promotions",
                        "promotiontasks",
                        "stages",
                        "warehouses",
                    ],
                    verbs: READ,
                },
            ],
        },
        {
            apiVersion: RBAC_API_VERSION,
            kind: "ClusterRole",
            metadata: { name: REMOTE_CONTROLLER_WRITER, labels: labels() },
            rules: [
                // Event recorders.
                { apiGroups: [""], resources: ["events"], verbs: ["create", "patch"] },
                // Auto-promotion; Freight from Warehouses on its shard (none by default).
                { apiGroups: [KARGO_GROUP], resources: ["freights", "promotions"], verbs: ["create"] },
                // The Kargo finalizer and the controller's own annotations.
                { apiGroups: [KARGO_GROUP], resources: ["stages"], verbs: ["patch"] },
                {
                    apiGroups: [KARGO_GROUP],
                    resources: ["freights/status", "promotions/status", "stages/status", "warehouses/finalizers", "warehouses/status"],
                    verbs: ["patch"],
                },
            ],
        },
    ];
}

export interface RemoteControllerSubject {
    readonly name: string;
    readonly namespace: string;
}

export function remoteControllerSubject(controller: RemoteControllerSubject): Record<string, string> {
    return { kind: "ServiceAccount", name: controller.name, namespace: controller.namespace };
}

/** The writer role, bound in the project namespace for every remote controller. */
export function buildRemoteControllerProjectRbac(projectNamespace: string, controllers: readonly RemoteControllerSubject[]): KubernetesObject[] {
    if (controllers.length === 0) return [];
    return [
        {
            apiVersion: RBAC_API_VERSION,
            kind: "RoleBinding",
            metadata: { name: `${REMOTE_CONTROLLER_WRITER}s`, namespace: projectNamespace, labels: labels() },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: REMOTE_CONTROLLER_WRITER },
            subjects: controllers.map(remoteControllerSubject),
        },
    ];
}

/**
 * RBAC for the remote shard controllers on the hub, narrower than the chart's `kargo-controller`
 * ClusterRole (charts/kargo/templates/controller/cluster-roles.yaml at v1.11.2), which they were bound to
 * before, so that the admission policy (core/install/shardIsolationPolicy.ts) is not the only barrier:
 *
 * - `kargo-remote-controller` (ClusterRoleBinding): reads of Kargo's objects, cluster-wide because the
 *   controller's informers list and watch all namespaces (cmd/controlplane/controller.go setupKargoManager:
 *   one cache, no namespace restriction). No ConfigMaps: the same code turns the cache off for ConfigMaps
 *   (Client.Cache.DisableFor), so no informer lists them; the controller reads them only by name, in the
 *   project namespace (`configMap()`) and the shared-resources namespace (`sharedConfigMap()`),
 *   pkg/expressions/function/functions.go getConfigMap. Only the first is granted (below): our steps use
 *   neither, and a step that calls `sharedConfigMap()` needs `get` there first. No Secrets.
 * - `kargo-remote-controller-writer` (RoleBinding in each project namespace only): events, creating
 *   Promotions and Freight, and status patches of Freight and Promotions (their names are generated, so
 *   they cannot be named), plus `get` on ConfigMaps there (`configMap()`). No `patch`/`update` on Freight
 *   (only the set-freight-alias step does that, pkg/promotion/runner/builtin/set_freight_alias.go, and our
 *   promotions do not use it).
 * - Per application, `<app>-<controller>` (buildAppControllerRbac): on exactly that controller's Stages of
 *   the app, by `resourceNames`, `promote` (Kargo's Promotion webhook checks it on `stages/<spec.stage>`
 *   for every Promotion create and update, control plane included: pkg/webhook/kubernetes/promotion/
 *   webhook.go authorize), `patch` (finalizer and annotations) and `patch` on `stages/status`; and the
 *   status and finalizers of the app's Warehouses that run on its shard. One Role per app, so none grows
 *   with the catalogue, and none shared with a person: the developers' `<app>-promote-*` Roles may name the
 *   same Stages.
 *
 * What each write is for, with sources: the header comment of core/install/shardIsolationPolicy.ts.
 */
import { RBAC_API_VERSION, labels, role, roleBinding, type KubernetesObject } from "../kubernetes";

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
                // `configMap()` in promotion steps (uncached Get).
                { apiGroups: [""], resources: ["configmaps"], verbs: ["get"] },
                // Event recorders.
                { apiGroups: [""], resources: ["events"], verbs: ["create", "patch"] },
                // Auto-promotion; Freight from Warehouses on its shard (none by default).
                { apiGroups: [KARGO_GROUP], resources: ["freights", "promotions"], verbs: ["create"] },
                { apiGroups: [KARGO_GROUP], resources: ["freights/status", "promotions/status"], verbs: ["patch"] },
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
        roleBinding(
            `${REMOTE_CONTROLLER_WRITER}s`,
            projectNamespace,
            { kind: "ClusterRole", name: REMOTE_CONTROLLER_WRITER },
            controllers.map(remoteControllerSubject),
        ),
    ];
}

/** A remote controller (ServiceAccount in the Kargo namespace) and the shard it runs. */
export interface ShardController {
    readonly name: string;
    readonly namespace: string;
    readonly shardName: string;
}

/** What of one application runs where, from its planned pipeline. */
export interface AppPlacement {
    readonly app: string;
    readonly stages: ReadonlyArray<{ readonly name: string; readonly shard: string }>;
    readonly warehouses: ReadonlyArray<{ readonly name: string; readonly shard: string }>;
}

const onShard = (items: AppPlacement["stages"], shard: string): string[] =>
    items
        .filter((item) => item.shard === shard)
        .map((item) => item.name)
        .sort();

/**
 * One application's grants to each remote controller that runs some of its Stages (a Role without
 * resourceNames would grant every Stage, so an app with none there gets none).
 */
export function buildAppControllerRbac(namespace: string, placement: AppPlacement, controllers: readonly ShardController[]): KubernetesObject[] {
    return controllers.flatMap((controller) => {
        const stages = onShard(placement.stages, controller.shardName);
        if (stages.length === 0) return [];
        const warehouses = onShard(placement.warehouses, controller.shardName);
        const name = `${placement.app}-${controller.name}`;
        return [
            role(name, namespace, [
                { apiGroups: [KARGO_GROUP], resources: ["stages"], resourceNames: stages, verbs: ["patch", "promote"] },
                { apiGroups: [KARGO_GROUP], resources: ["stages/status"], resourceNames: stages, verbs: ["patch"] },
                ...(warehouses.length === 0
                    ? []
                    : [{ apiGroups: [KARGO_GROUP], resources: ["warehouses/finalizers", "warehouses/status"], resourceNames: warehouses, verbs: ["patch"] }]),
            ]),
            roleBinding(name, namespace, { kind: "Role", name }, [remoteControllerSubject(controller)]),
        ];
    });
}

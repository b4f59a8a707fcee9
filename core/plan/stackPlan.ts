/**
 * The whole stack as plain data: what each component will create, computed and checked before any Pulumi
 * resource is registered, so bad input fails with nothing half-created.
 */
import type { Catalogue } from "../input/catalogue";
import { ADMIN_CREDENTIALS_SECRET, HUB_KUBECONFIG_KEY, HUB_KUBECONFIG_SECRET, hubChartValues, shardChartValues } from "../install/chartValues";
import {
    buildControllerIdentity,
    HUB_TOKEN_KEY,
    PUBLISHED_KUBECONFIG_PROPERTY,
    PUBLISHED_TOKEN_PROPERTY,
    remoteControllerName,
    type ControllerIdentity,
} from "../install/controllerAuth";
import { InputError } from "../input/errors";
import { buildExternalSecret, HUB_CREDENTIALS_REFRESH_INTERVAL } from "../install/externalSecret";
import { checkKargoRules } from "../project/kargoRules";
import { labels, objectKey, type KubernetesObject } from "../kubernetes";
import { appPipeline, type AppPipeline } from "../project/pipeline";
import {
    buildCiPromoterRbac,
    buildCredentialsRbac,
    buildDeveloperRbac,
    buildProject,
    buildProjectConfig,
    buildProjectNamespace,
    buildProjectSecrets,
    SLACK_WEBHOOK_SECRET,
} from "../project/projectObjects";
import { buildPromoteTask } from "../project/promoteTask";
import { environmentShards, KARGO_NAMESPACE, type HubSettings, type RemoteShard, type ShardSettings, type StackSettings } from "../input/settings";
import { buildStages } from "../project/stages";
import { buildWarehouses } from "../project/warehouses";

export interface ProjectPlan {
    readonly name: string;
    /** Protected: it holds every Freight and Promotion. */
    readonly namespace: KubernetesObject;
    /** Protected, like its namespace. */
    readonly project: KubernetesObject;
    /** ProjectConfig, PromotionTask, ExternalSecrets and RBAC: created once the Project exists. */
    readonly projectObjects: readonly KubernetesObject[];
    /** Warehouses and Stages, per application. */
    readonly pipelines: ReadonlyArray<{ readonly pipeline: AppPipeline; readonly objects: readonly KubernetesObject[] }>;
}

export interface RemoteControllerPlan {
    readonly shard: RemoteShard;
    readonly identity: ControllerIdentity;
}

export interface HubPlan {
    readonly role: "hub";
    readonly settings: HubSettings;
    readonly namespace: KubernetesObject;
    readonly chartValues: Record<string, unknown>;
    readonly adminCredentials: KubernetesObject;
    readonly remoteControllers: readonly RemoteControllerPlan[];
    /** Declared environment → shard, in promotion order: computed once, used by every consumer. */
    readonly environmentShards: ReadonlyMap<string, string>;
    readonly project: ProjectPlan;
}

export interface ShardPlan {
    readonly role: "shard";
    readonly settings: ShardSettings;
    readonly namespace: KubernetesObject;
    readonly chartValues: Record<string, unknown>;
    readonly hubKubeconfig: KubernetesObject;
}

export type StackPlan = HubPlan | ShardPlan;

export function kargoNamespace(): KubernetesObject {
    return { apiVersion: "v1", kind: "Namespace", metadata: { name: KARGO_NAMESPACE, labels: labels() } };
}

export function planHub(settings: HubSettings, catalogue: Catalogue): HubPlan {
    const remoteControllers = settings.remoteShards.map((shard) => ({ shard, identity: buildControllerIdentity(shard) }));
    const shards = environmentShards(settings);
    const project = planProject(settings, catalogue, shards);
    const plan: HubPlan = {
        role: "hub",
        settings,
        namespace: kargoNamespace(),
        chartValues: hubChartValues(settings),
        adminCredentials: buildExternalSecret({
            name: ADMIN_CREDENTIALS_SECRET,
            namespace: KARGO_NAMESPACE,
            clusterSecretStore: settings.clusterSecretStore,
            values: ["ADMIN_ACCOUNT_PASSWORD_HASH", "ADMIN_ACCOUNT_TOKEN_SIGNING_KEY"].map((key) => ({
                secretKey: key,
                remoteKey: settings.adminCredentialsSecret,
                property: key,
            })),
        }),
        remoteControllers,
        environmentShards: shards,
        project,
    };
    const objects = projectObjectsOf(project);
    const problems = [
        ...checkKargoRules(objects, new Set(shards.values())),
        ...checkObjectSizes(objects),
    ];
    if (problems.length > 0) throw new Error(`the eodhp project breaks Kargo's rules:\n  ${problems.join("\n  ")}`);
    return plan;
}

export function planShard(settings: ShardSettings): ShardPlan {
    return {
        role: "shard",
        settings,
        namespace: kargoNamespace(),
        chartValues: shardChartValues(settings),
        hubKubeconfig: buildExternalSecret({
            name: HUB_KUBECONFIG_SECRET,
            namespace: KARGO_NAMESPACE,
            clusterSecretStore: settings.clusterSecretStore,
            refreshInterval: HUB_CREDENTIALS_REFRESH_INTERVAL,
            values: [
                { secretKey: HUB_KUBECONFIG_KEY, remoteKey: settings.hubKubeconfigSecret, property: PUBLISHED_KUBECONFIG_PROPERTY },
                { secretKey: HUB_TOKEN_KEY, remoteKey: settings.hubKubeconfigSecret, property: PUBLISHED_TOKEN_PROPERTY },
            ],
        }),
    };
}

export function planStack(settings: StackSettings, catalogue: Catalogue | undefined): StackPlan {
    if (settings.role === "shard") return planShard(settings);
    if (!catalogue) throw new Error("the hub stack needs the application catalogue");
    return planHub(settings, catalogue);
}

function planProject(settings: HubSettings, catalogue: Catalogue, shards: ReadonlyMap<string, string>): ProjectPlan {
    const { project } = settings;
    const pipelines = catalogue.applications.map((app) => {
        const pipeline = appPipeline(app, shards, settings.devEnvironment);
        rejectLongNames(catalogue.file, pipeline);
        return {
            pipeline,
            objects: [...buildWarehouses(pipeline, { namespace: project.name, gitRepoURL: project.gitRepoURL }), ...buildStages(pipeline, project.name)],
        };
    });
    const context = {
        project,
        clusterSecretStore: settings.clusterSecretStore,
        remoteControllers: settings.remoteShards.map((shard) => ({ namespace: KARGO_NAMESPACE, name: remoteControllerName(shard) })),
    };
    const projectObjects = [
        buildProjectConfig(project.name, settings.autoPromotedEnvironments),
            buildPromoteTask(catalogue.applications, {
                namespace: project.name,
                gitRepoURL: project.gitRepoURL,
                slack: project.slack && { secretName: SLACK_WEBHOOK_SECRET, notifyDevStages: project.slack.notifyDevStages },
            }),
        ...buildProjectSecrets(context),
        ...buildCredentialsRbac(context),
        ...buildCiPromoterRbac(project),
        ...buildDeveloperRbac(project),
    ];
    rejectNameClashes(catalogue.file, project.name, projectObjects, pipelines);
    return { name: project.name, namespace: buildProjectNamespace(project.name), project: buildProject(project.name), projectObjects, pipelines };
}

/**
 * Kubernetes keeps each object in one etcd value, and client-side apply copies it into an annotation capped
 * at 256 KiB. The shared `promote` task grows with the catalogue's per-app steps, so it is checked here.
 */
export const MAX_OBJECT_BYTES = 256 * 1024;

export function checkObjectSizes(objects: readonly KubernetesObject[], limit = MAX_OBJECT_BYTES): string[] {
    return objects.flatMap((object) => {
        const bytes = Buffer.byteLength(JSON.stringify(object));
        const own = bytes > limit ? [`${objectKey(object)}: is ${Math.ceil(bytes / 1024)} KiB; Kubernetes objects must stay under ${limit / 1024} KiB`] : [];
        return object.kind === "PromotionTask" && own.length === 0 ? checkPromotionSize(object, limit) : own;
    });
}

/**
 * Every Promotion copies all of the task's steps and records a status entry per step, so it outgrows the
 * task itself; this is the allowance per step for that status.
 */
const PROMOTION_STATUS_BYTES_PER_STEP = 200;

/** A Promotion of `promote` must fit too: Kargo creates one per promotion, with every step of the task. */
export function checkPromotionSize(task: KubernetesObject, limit = MAX_OBJECT_BYTES): string[] {
    const steps = ((task.spec as { steps?: unknown[] } | undefined)?.steps ?? []).length;
    const bytes = Buffer.byteLength(JSON.stringify(task.spec)) + steps * PROMOTION_STATUS_BYTES_PER_STEP;
    return bytes > limit ? [`${objectKey(task)}: a Promotion running it would be about ${Math.ceil(bytes / 1024)} KiB; it must stay under ${limit / 1024} KiB`] : [];
}

/**
 * Pulumi names children `<component>-<name>`, so kind and name must be unique across the project, namespaces
 * aside. App `a` with dev images and app `a-dev` with images would both make Warehouse `a-dev-images`.
 */
function rejectNameClashes(
    file: string,
    projectName: string,
    projectObjects: readonly KubernetesObject[],
    pipelines: ProjectPlan["pipelines"],
): void {
    const owners = new Map<string, string>();
    const claim = (object: KubernetesObject, owner: string): void => {
        const key = `${object.kind} ${object.metadata.name}`;
        const previous = owners.get(key);
        if (previous !== undefined) {
            throw new InputError({ file, entry: owner, field: "name" }, `its ${key} is also made for ${previous}; rename one of the two`);
        }
        owners.set(key, owner);
    };
    for (const object of projectObjects) claim(object, `project "${projectName}"`);
    for (const { pipeline, objects } of pipelines) {
        for (const object of objects) claim(object, `application "${pipeline.app.name}"`);
    }
}

/**
 * Stage and Warehouse names are `<app>-<env>` and `<app>-<role>`; Kargo copies them into label values
 * (at most 63 characters), so the limit on app names follows the declared environments.
 */
export const MAX_PIPELINE_NAME_LENGTH = 63;

function rejectLongNames(file: string, pipeline: AppPipeline): void {
    for (const { name } of [...pipeline.stages, ...pipeline.warehouses]) {
        if (name.length > MAX_PIPELINE_NAME_LENGTH) {
            const suffix = name.slice(pipeline.app.name.length);
            throw new InputError(
                { file, entry: `application "${pipeline.app.name}"`, field: "name" },
                `makes "${name}" (${name.length} characters, at most ${MAX_PIPELINE_NAME_LENGTH}); with "${suffix}" the app name may have at most ${MAX_PIPELINE_NAME_LENGTH - suffix.length}`,
            );
        }
    }
}

/** Every Kubernetes object of the project, in plan order. */
export function projectObjectsOf(project: ProjectPlan): KubernetesObject[] {
    return [project.namespace, project.project, ...project.projectObjects, ...project.pipelines.flatMap((entry) => entry.objects)];
}

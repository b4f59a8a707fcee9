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
import { buildHubKubeconfigStore, HUB_KUBECONFIG_STORE } from "../install/hubKubeconfigStore";
import { buildShardIsolationPolicy, shardScope } from "../install/shardIsolationPolicy";
import { buildAppControllerRbac, buildRemoteControllerClusterRoles, buildRemoteControllerProjectRbac } from "../install/remoteControllerRbac";
import { checkKargoRules } from "../project/kargoRules";
import { labels, type ExternalSecret, type KubernetesObject, type Project } from "../kubernetes";
import { checkObjectSizes } from "./objectSizes";
import { appPipeline, type AppPipeline } from "../project/pipeline";
import {
    buildAppPromoteRbac,
    buildCiPromoterRbac,
    buildDeveloperRbac,
    ciPromoterSubjects,
    coversEvery,
    DEVELOPER_SUBJECT,
    promoterGroups,
    type Promoter,
} from "../project/promoterRbac";
import { buildHubCredentials, buildSpokeCredentials, slackCopies, type NamespaceWithObjects } from "../install/gitCredentials";
import { buildProject, buildProjectConfig, buildProjectNamespace, buildProjectSecrets, SLACK_WEBHOOK_SECRET } from "../project/projectObjects";
import { buildPromoteTasks } from "../project/promoteTask";
import {
    environmentShards,
    KARGO_NAMESPACE,
    PROJECT_NAME,
    warehouseShardName,
    type HubSettings,
    type RemoteShard,
    type ShardSettings,
    type StackSettings,
} from "../input/settings";
import { buildStages } from "../project/stages";
import { buildWarehouses } from "../project/warehouses";

export interface ProjectPlan {
    readonly name: string;
    /** Protected: it holds every Freight and Promotion. */
    readonly namespace: KubernetesObject;
    /** Protected, like its namespace. */
    readonly project: Project;
    /** ProjectConfig, PromotionTask, ExternalSecrets and RBAC: created once the Project exists. */
    readonly projectObjects: readonly KubernetesObject[];
    /** Warehouses, Stages and the Roles that grant `promote` on those Stages, per application. */
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
    /** ExternalSecret for the admin account; undefined when the account is off. */
    readonly adminCredentials?: ExternalSecret;
    readonly remoteControllers: readonly RemoteControllerPlan[];
    /** Remote controllers' ClusterRoles, and ValidatingAdmissionPolicies (with bindings) confining each to its shard. */
    readonly shardIsolation: readonly KubernetesObject[];
    /** Declared environment → shard, in promotion order: computed once, used by every consumer. */
    readonly environmentShards: ReadonlyMap<string, string>;
    readonly project: ProjectPlan;
}

export interface ShardPlan {
    readonly role: "shard";
    readonly settings: ShardSettings;
    readonly namespace: KubernetesObject;
    readonly chartValues: Record<string, unknown>;
    /** Fills Secret kargo-hub-kubeconfig (kubeconfig and token) from the hub's Secrets Manager entry. */
    readonly hubKubeconfigExternalSecret: ExternalSecret;
    /** ServiceAccount and SecretStore the hub kubeconfig is read through, when a reader role is configured. */
    readonly hubKubeconfigStore: readonly KubernetesObject[];
    /** This environment's git credential on this cluster: its namespace, the ExternalSecret and the controller's read. */
    readonly gitCredentials: readonly NamespaceWithObjects[];
}

export type StackPlan = HubPlan | ShardPlan;

/**
 * Pod Security for `kargo`: enforce `baseline`, warn and audit `restricted`. The chart's pods (v1.11.2,
 * charts/kargo/templates: each deployment.yaml and garbage-collector/cron-job.yaml) use no host namespaces, hostPath
 * or privileged containers, so they pass baseline; they set no securityContext unless
 * `global.securityContext` is given (values.yaml: `{}`), so they lack runAsNonRoot, seccompProfile and
 * dropped capabilities and would be rejected by restricted.
 */
export const KARGO_POD_SECURITY = {
    "pod-security.kubernetes.io/enforce": "baseline",
    "pod-security.kubernetes.io/warn": "restricted",
    "pod-security.kubernetes.io/audit": "restricted",
};

export function kargoNamespace(): KubernetesObject {
    return { apiVersion: "v1", kind: "Namespace", metadata: { name: KARGO_NAMESPACE, labels: labels(KARGO_POD_SECURITY) } };
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
        adminCredentials: settings.adminAccount ? adminCredentials(settings) : undefined,
        remoteControllers,
        shardIsolation: [
            ...(settings.remoteShards.length > 0 ? buildRemoteControllerClusterRoles() : []),
            ...settings.remoteShards.flatMap((shard) =>
                buildShardIsolationPolicy(
                    shardScope(
                        shard,
                        remoteControllerName(shard),
                        project.name,
                        project.pipelines.map((entry) => entry.pipeline),
                    ),
                ),
            ),
        ],
        environmentShards: shards,
        project,
    };
    const objects = projectObjectsOf(project);
    const problems = [...checkKargoRules(objects, new Set(shards.values())), ...checkObjectSizes(objects)];
    if (problems.length > 0) throw new Error(`the eodhp project breaks Kargo's rules:\n  ${problems.join("\n  ")}`);
    return plan;
}

/** The admin account's password hash and token signing key, from Secrets Manager. */
function adminCredentials(settings: HubSettings): ExternalSecret {
    // Set whenever the account is on: settings.ts rejects the account without it.
    const remoteKey = settings.adminCredentialsSecretName ?? "";
    return buildExternalSecret({
        name: ADMIN_CREDENTIALS_SECRET,
        namespace: KARGO_NAMESPACE,
        clusterSecretStore: settings.clusterSecretStore,
        values: ["ADMIN_ACCOUNT_PASSWORD_HASH", "ADMIN_ACCOUNT_TOKEN_SIGNING_KEY"].map((key) => ({ secretKey: key, remoteKey, property: key })),
    });
}

export function planShard(settings: ShardSettings): ShardPlan {
    return {
        role: "shard",
        settings,
        namespace: kargoNamespace(),
        chartValues: shardChartValues(settings),
        hubKubeconfigExternalSecret: buildExternalSecret({
            name: HUB_KUBECONFIG_SECRET,
            namespace: KARGO_NAMESPACE,
            clusterSecretStore: settings.clusterSecretStore,
            secretStore: settings.hubKubeconfigReaderRoleArn === undefined ? undefined : HUB_KUBECONFIG_STORE,
            refreshInterval: HUB_CREDENTIALS_REFRESH_INTERVAL,
            values: [
                { secretKey: HUB_KUBECONFIG_KEY, remoteKey: settings.hubKubeconfigSecretName, property: PUBLISHED_KUBECONFIG_PROPERTY },
                { secretKey: HUB_TOKEN_KEY, remoteKey: settings.hubKubeconfigSecretName, property: PUBLISHED_TOKEN_PROPERTY },
            ],
        }),
        hubKubeconfigStore:
            settings.hubKubeconfigReaderRoleArn === undefined
                ? []
                : buildHubKubeconfigStore({ roleArn: settings.hubKubeconfigReaderRoleArn, region: settings.hubKubeconfigRegion }),
        gitCredentials: buildSpokeCredentials(settings, PROJECT_NAME),
    };
}

export function planStack(settings: StackSettings, catalogue: Catalogue | undefined): StackPlan {
    if (settings.role === "shard") return planShard(settings);
    if (!catalogue) throw new Error("the hub stack needs the application catalogue");
    return planHub(settings, catalogue);
}

/**
 * People whose `promote` is limited by Stage name: the developers and, unless it may promote everywhere, the
 * CI group. The remote controllers get theirs from buildAppControllerRbac.
 */
function limitedPromoters(settings: HubSettings, allEnvironments: readonly string[]): Promoter[] {
    return [
        ...(settings.developerGroup === undefined ? [] : [{ environments: settings.developerPromotionEnvironments, subject: DEVELOPER_SUBJECT }]),
        ...(coversEvery(settings.ciPromoterEnvironments, allEnvironments)
            ? []
            : ciPromoterSubjects(settings).map((subject) => ({ environments: settings.ciPromoterEnvironments, subject }))),
    ];
}

function planProject(settings: HubSettings, catalogue: Catalogue, shards: ReadonlyMap<string, string>): ProjectPlan {
    const allEnvironments = [...shards.keys(), "dev"];
    const promoters = promoterGroups(limitedPromoters(settings, allEnvironments));
    const controllers = settings.remoteShards.map((shard) => ({ namespace: KARGO_NAMESPACE, name: remoteControllerName(shard), shardName: shard.shardName }));
    const pipelines = catalogue.applications.map((app) => {
        const pipeline = appPipeline(app, shards, settings.devEnvironment, warehouseShardName(settings));
        const stages = pipeline.stages.map((stage) => ({ stage: stage.name, environment: stage.isDev ? "dev" : stage.targetEnv }));
        return {
            pipeline,
            objects: [
                ...buildWarehouses(pipeline, { namespace: PROJECT_NAME, gitRepoURL: settings.gitRepoUrl }),
                ...buildStages(pipeline, { namespace: PROJECT_NAME, gitRepoURL: settings.gitRepoUrl }),
                ...buildAppPromoteRbac(app.name, PROJECT_NAME, stages, promoters),
                ...buildAppControllerRbac(PROJECT_NAME, { app: app.name, stages: pipeline.stages, warehouses: pipeline.warehouses }, controllers),
            ],
        };
    });
    const remoteControllers = controllers.map(({ namespace, name }) => ({ namespace, name }));
    const context = { settings, clusterSecretStore: settings.clusterSecretStore, slackCopies: slackCopies(settings.remoteShards) };
    const projectObjects = [
        buildProjectConfig(PROJECT_NAME, settings.autoPromotedEnvironments),
        ...buildPromoteTasks({
            namespace: PROJECT_NAME,
            slack:
                settings.slackWebhookSecretName === undefined
                    ? undefined
                    : { secretName: SLACK_WEBHOOK_SECRET, notifyDevStages: settings.slackNotifyDevStages },
        }),
        ...buildProjectSecrets(context),
        ...buildHubCredentials(settings, remoteControllers),
        ...buildRemoteControllerProjectRbac(PROJECT_NAME, remoteControllers),
        ...buildCiPromoterRbac(settings, allEnvironments),
        ...buildDeveloperRbac(settings),
    ];
    rejectNameClashes(catalogue.file, PROJECT_NAME, projectObjects, pipelines);
    return { name: PROJECT_NAME, namespace: buildProjectNamespace(PROJECT_NAME), project: buildProject(PROJECT_NAME), projectObjects, pipelines };
}

/**
 * Pulumi names children `<component>-<name>`, so kind and name must be unique across the project, namespaces
 * aside. App `a` with dev images and app `a-dev` with images would both make Warehouse `a-dev-images`.
 */
function rejectNameClashes(file: string, projectName: string, projectObjects: readonly KubernetesObject[], pipelines: ProjectPlan["pipelines"]): void {
    const owners = new Map<string, string>();
    const claim = (object: KubernetesObject, owner: string): void => {
        const key = `${object.kind} ${object.metadata.name}`;
        const previous = owners.get(key);
        if (previous !== undefined) {
            throw InputError.at({ file, entry: owner, field: "name" }, `its ${key} is also made for ${previous}; rename one of the two`);
        }
        owners.set(key, owner);
    };
    for (const object of projectObjects) claim(object, `project "${projectName}"`);
    for (const { pipeline, objects } of pipelines) {
        for (const object of objects) claim(object, `application "${pipeline.app.name}"`);
    }
}

/** Every Kubernetes object of the project, in plan order. */
export function projectObjectsOf(project: ProjectPlan): KubernetesObject[] {
    return [project.namespace, project.project, ...project.projectObjects, ...project.pipelines.flatMap((entry) => entry.objects)];
}

/** Every Kubernetes object the hub registers itself (the chart's contents aside). */
export function hubObjectsOf(plan: HubPlan): KubernetesObject[] {
    return [
        plan.namespace,
        ...(plan.adminCredentials ? [plan.adminCredentials] : []),
        ...plan.remoteControllers.flatMap(({ identity }) => [
            identity.serviceAccount,
            ...identity.tokenSecrets,
            ...identity.bindings,
            identity.sharedResources.namespace,
            ...identity.sharedResources.objects,
        ]),
        ...plan.shardIsolation,
        ...projectObjectsOf(plan.project),
    ];
}

/**
 * Stack settings: the `eodhp-kargo:*` keys of a `Pulumi.<stack>.yaml`, decoded from what Pulumi hands over,
 * validated against settingsSchema.ts (every problem in one run) and shaped for the plan. Pure: render,
 * tests and `pulumi up` share it.
 */
import { z } from "zod";
import { compareText } from "../kubernetes";
import { didYouMean, throwIfProblems, type InputLocation, type InputProblem } from "./errors";
import { issueMessage, issueProblems } from "./schemaIssues";
import {
    CONFIG_NAMESPACE,
    hubConfigSchema,
    PROVIDER_NAMESPACES,
    shardConfigSchema,
    type Environment,
    type HubConfig,
    type ShardConfig,
} from "./settingsSchema";
import { toHttpsGitUrl } from "./validation";
import type { CommonSettings, HubSettings, StackFile, StackSettings } from "./settingsTypes";
import { fieldName, type YamlPath } from "./yamlSource";

export { CONFIG_NAMESPACE, DEFAULT_ENVIRONMENTS, DEFAULT_TOKEN_GENERATION, type Environment } from "./settingsSchema";
export type * from "./settingsTypes";
export const KARGO_NAMESPACE = "kargo";
/** The Kargo Project, and its namespace on the hub (and, for the git credential, on each spoke). */
export const PROJECT_NAME = "eodhp";
export const KARGO_CHART = "oci://ghcr.io/akuity/kargo-charts/kargo";

const NO_STACK_FILE: StackFile = { line: () => undefined, value: () => undefined };
const SCHEMAS = { hub: hubConfigSchema, shard: shardConfigSchema } as const;

/**
 * Parses the stack's config. `raw` maps `namespace:key` to the text Pulumi hands over (structured values as
 * JSON, as `pulumi.runtime.allConfig()` returns them). Throws one InputError listing every problem.
 */
export function parseStackSettings(stack: string, raw: Readonly<Record<string, string>>, stackFile: StackFile = NO_STACK_FILE): StackSettings {
    const file = `Pulumi.${stack}.yaml`;
    const locate = (key: string): InputLocation => ({ file, line: stackFile.line(key), entry: `stack "${stack}"`, field: `${CONFIG_NAMESPACE}:${key}` });
    const problems: InputProblem[] = [...namespaceProblems(raw, file, stackFile)];
    const values = decode(raw, stackFile);
    const role = values.role === "hub" || values.role === "shard" ? values.role : undefined;
    const schema = SCHEMAS[role ?? "shard"];
    const parsed = (role ? schema : z.object({ role: schema.shape.role })).safeParse(values, {
        error: (issue) =>
            issue.input === undefined && issue.path?.length === 1
                ? `is required; set it with: pulumi config set ${String(issue.path[0])} <value> --stack ${stack}`
                : issue.code === "invalid_value" && issue.path?.[0] === "role"
                  ? `must be one of hub, shard, got ${JSON.stringify(issue.input)}`
                  : issueMessage(issue),
    });
    if (!parsed.success) {
        problems.push(
            ...issueProblems(schema, parsed.error.issues, {
                locate: (path) => locate(fieldName(path)),
                locateKey: (path, key) => locate(fieldName([...path, key])),
                unknownKey: (key, allowed, path) => {
                    const otherRole = path.length === 0 && role !== undefined && key in SCHEMAS[role === "hub" ? "shard" : "hub"].shape;
                    return otherRole ? `is not used by a ${role} stack; remove it` : `unknown key${didYouMean(key, allowed)}`;
                },
            }),
        );
    }
    const settings = parsed.success && role ? shape(stack, parsed.data as HubConfig | ShardConfig) : undefined;
    if (settings?.role === "hub") problems.push(...hubProblems(settings, values, locate));
    throwIfProblems(problems);
    return settings as StackSettings;
}

/** A key under a misspelt namespace (`eodhp-karg:x`) would be ignored silently; the providers' are fine. */
function namespaceProblems(raw: Readonly<Record<string, string>>, file: string, stackFile: StackFile): InputProblem[] {
    const known = [CONFIG_NAMESPACE, ...PROVIDER_NAMESPACES];
    return Object.keys(raw).flatMap((fullKey) => {
        const namespace = fullKey.includes(":") ? fullKey.slice(0, fullKey.indexOf(":")) : "";
        if (known.includes(namespace)) return [];
        return [
            {
                location: { file, line: stackFile.line(fullKey), field: fullKey },
                reason: `unknown config namespace "${namespace}"${didYouMean(namespace, known)}; this program reads ${CONFIG_NAMESPACE}:*, the providers ${PROVIDER_NAMESPACES.map((name) => `${name}:*`).join(", ")}`,
            },
        ];
    });
}

/**
 * Our keys with their real types: the stack file's YAML value where it says the same as Pulumi (so `null`,
 * `true` or `12345` stay what they are, and are errors where a string belongs), else Pulumi's text, with
 * structured values (JSON) parsed.
 */
function decode(raw: Readonly<Record<string, string>>, stackFile: StackFile): Record<string, unknown> {
    const prefix = `${CONFIG_NAMESPACE}:`;
    const entries = Object.entries(raw)
        .filter(([fullKey]) => fullKey.startsWith(prefix))
        .map(([fullKey, text]) => {
            const typed = stackFile.value(fullKey);
            if (typed !== undefined && (typeof typed === "string" ? typed : JSON.stringify(typed)) === text) return [fullKey.slice(prefix.length), typed];
            return [fullKey.slice(prefix.length), /^\s*[[{]/.test(text) ? parseJson(text) : text];
        });
    return Object.fromEntries(entries);
}

function parseJson(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

function shape(stack: string, config: HubConfig | ShardConfig): StackSettings {
    const common: CommonSettings = {
        stack,
        environment: config.environment[0],
        environments: config.environment,
        shardName: config.shardName,
        kubeContext: config.kubeContext,
        chartVersion: config.chartVersion,
        clusterSecretStore: config.clusterSecretStore,
        argocdNamespace: config.argocdNamespace,
        adoptExisting: config.adoptExisting,
    };
    if (config.role === "shard") {
        const reader = config.hubKubeconfigReaderRoleArn;
        return {
            ...common,
            role: "shard",
            hubKubeconfigSecret: config.hubKubeconfigSecretName,
            hubKubeconfigReader: reader === undefined ? undefined : { roleArn: reader, region: config.hubKubeconfigRegion },
            gitCredentials: { repoURL: toHttpsGitUrl(config.gitRepoUrl) as string, secretName: config.gitCredentialsSecretName },
        };
    }
    const environmentOrder = config.environments;
    const targets = ["dev", ...environmentOrder];
    return {
        ...common,
        role: "hub",
        environmentOrder,
        autoPromotedEnvironments: config.autoPromotedEnvironments ?? [environmentOrder[0]],
        devEnvironment: config.devEnvironment ?? (environmentOrder.includes("test") ? "test" : environmentOrder[0]),
        awsRegion: config.awsRegion,
        apiHost: config.apiHost,
        eksClusterName: config.eksClusterName,
        oidc: { issuerURL: config.oidcIssuerUrl.replace(/\/+$/, ""), clientID: config.oidcClientId, adminGroup: config.oidcAdminGroup },
        ingress: { className: config.ingressClassName, clusterIssuer: config.ingressClusterIssuer },
        adminAccount: config.adminAccount ? { credentialsSecret: config.adminCredentialsSecretName ?? "", tokenTTL: config.adminTokenTTL } : undefined,
        remoteShards: config.remoteShards.map((remote) => ({
            environment: remote.environment[0],
            environments: remote.environment,
            tokenGenerations: remote.tokenGenerations,
            shardName: remote.shardName,
            kubeconfigSecret: remote.kubeconfigSecretName,
            readerRoleArn: remote.readerRoleArn,
            readableByAccount: remote.readableByAccount,
        })),
        kmsKeyId: config.kmsKeyId,
        secretAdminRoleArns: config.secretAdminRoleArns,
        argocdUrls: Object.fromEntries(Object.entries(config.argocdUrls).sort(([a], [b]) => compareText(a, b))),
        project: {
            name: PROJECT_NAME,
            catalogueFile: config.catalogue,
            gitRepoURL: toHttpsGitUrl(config.gitRepoUrl) as string,
            gitCredentialsSecret: config.gitCredentialsSecretName,
            githubWebhookSecret: config.githubWebhookSecretName,
            ciPromotersGroup: config.ciPromotersGroup,
            ciPromoterClaims: config.ciPromoterClaims,
            developerGroup: config.developerGroup,
            slack:
                config.slackWebhookSecretName === undefined
                    ? undefined
                    : { webhookSecret: config.slackWebhookSecretName, notifyDevStages: config.slackNotifyDevStages },
            warehouseShard: config.warehouseShard,
            // Developers: the dev stages and the first environment; CI: every stage.
            developerPromotionEnvironments: [...new Set(config.developerPromotionEnvironments ?? targets.slice(0, 2))],
            ciPromoterEnvironments: [...new Set(config.ciPromoterEnvironments ?? targets)],
        },
    };
}

/** Rules across keys: options that need another key, and environments or shards claimed twice. */
function hubProblems(settings: HubSettings, values: Record<string, unknown>, locate: (key: string) => InputLocation): InputProblem[] {
    const problems: InputProblem[] = [];
    const onlyWith = (key: string, condition: boolean, requirement: string): void => {
        if (values[key] !== undefined && !condition) problems.push({ location: locate(key), reason: `only applies when ${requirement}` });
    };
    onlyWith("slackNotifyDevStages", settings.project.slack !== undefined, `${CONFIG_NAMESPACE}:slackWebhookSecretName is set`);
    onlyWith("adminCredentialsSecretName", settings.adminAccount !== undefined, `${CONFIG_NAMESPACE}:adminAccount is true`);
    onlyWith("adminTokenTTL", settings.adminAccount !== undefined, `${CONFIG_NAMESPACE}:adminAccount is true`);
    if (settings.adminAccount?.credentialsSecret === "") {
        problems.push({
            location: locate("adminCredentialsSecretName"),
            reason: `is required while ${CONFIG_NAMESPACE}:adminAccount is true; set it with: pulumi config set adminCredentialsSecretName <value> --stack ${settings.stack}`,
        });
    }
    settings.remoteShards.forEach((remote, index) => {
        // Deny by default: a published kubeconfig without a resource policy is readable account-wide.
        if (remote.readerRoleArn !== undefined && remote.readableByAccount)
            problems.push({
                location: locate(`remoteShards[${index}].readableByAccount`),
                reason: "only applies without readerRoleArn; remove one of the two",
            });
        if (remote.readerRoleArn === undefined && !remote.readableByAccount)
            problems.push({
                location: locate(`remoteShards[${index}].readerRoleArn`),
                reason: "is required: name the spoke's external-secrets IAM role, the only reader of its hub kubeconfig, or opt out explicitly with readableByAccount: true and a comment saying why",
            });
    });
    const targets = ["dev", ...environmentShards(settings).keys()];
    for (const key of ["developerPromotionEnvironments", "ciPromoterEnvironments"] as const) {
        settings.project[key].forEach((env, index) => {
            if (!targets.includes(env)) problems.push({ location: locate(`${key}[${index}]`), reason: `"${env}" is not one of ${targets.join(", ")}` });
        });
    }
    const declared = (key: string, names: readonly string[]): void =>
        names.forEach((env) => {
            if (!settings.environmentOrder.includes(env))
                problems.push({
                    location: locate(key),
                    reason: `"${env}" is not declared in ${CONFIG_NAMESPACE}:environments (${settings.environmentOrder.join(", ")})`,
                });
        });
    declared("environment", settings.environments);
    settings.remoteShards.forEach((remote, index) => declared(`remoteShards[${index}].environment`, remote.environments));
    declared("autoPromotedEnvironments", settings.autoPromotedEnvironments);
    declared("devEnvironment", [settings.devEnvironment]);
    const taken = new Map<string, string>([...settings.environments, settings.shardName].map((value) => [value, "the hub"]));
    settings.remoteShards.forEach((shard, index) => {
        for (const value of [...shard.environments, shard.shardName]) {
            const owner = taken.get(value);
            if (owner) problems.push({ location: locate(`remoteShards[${index}]`), reason: `"${value}" is already used by ${owner}` });
            taken.set(value, `remoteShards[${index}]`);
        }
    });
    const shardNames = [settings.shardName, ...settings.remoteShards.map((remote) => remote.shardName)];
    for (const shard of Object.keys(settings.argocdUrls)) {
        if (!shardNames.includes(shard))
            problems.push({
                location: locate(`argocdUrls.${shard}`),
                reason: `unknown shard "${shard}"${didYouMean(shard, shardNames)}; shards: ${shardNames.join(", ")}`,
            });
    }
    const unserved = settings.environmentOrder.filter((env) => !taken.has(env));
    if (unserved.length > 0)
        problems.push({
            location: locate("environments"),
            reason: `no shard serves ${unserved.join(", ")}: add a remoteShards entry or the hub's environment`,
        });
    return problems;
}

/** The shard every Warehouse runs on, or undefined when each runs on the shard of the first stage it feeds. */
export function warehouseShardName(settings: HubSettings): string | undefined {
    return settings.project.warehouseShard === "hub" ? settings.shardName : undefined;
}

/** Environment → shard name for every environment that has a controller, in promotion order. */
export function environmentShards(settings: HubSettings): ReadonlyMap<Environment, string> {
    const shards = new Map<Environment, string>(settings.environments.map((env) => [env, settings.shardName]));
    for (const remote of settings.remoteShards) for (const env of remote.environments) shards.set(env, remote.shardName);
    return new Map(settings.environmentOrder.map((env) => [env, shards.get(env) as string]));
}

/** `remoteShards[0].shardName` (or a full `ns:key`) → the path of that value in a `Pulumi.<stack>.yaml` document. */
export function configKeyPath(key: string): YamlPath {
    const fullKey = key.includes(":") ? key : `${CONFIG_NAMESPACE}:${key}`;
    const [first, ...rest] = fullKey.split(/\.|(?=\[)/);
    const head = first.replace(/\[\d+\]$/, "");
    const parts: Array<string | number> = ["config", head];
    for (const part of [first.slice(head.length), ...rest]) {
        const index = /^\[(\d+)\]$/.exec(part);
        if (index) parts.push(Number(index[1]));
        else if (part !== "") parts.push(part);
    }
    return parts;
}

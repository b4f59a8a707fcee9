/**
 * Stack settings: the `eodhp-kargo:*` keys of a `Pulumi.<stack>.yaml`, decoded from what Pulumi hands over,
 * validated and normalised by settingsSchema.ts, with the rules across keys (every problem in one run).
 * Pure: render, tests and `pulumi up` share it.
 */
import { z } from "zod";
import { didYouMean, throwIfProblems, type InputLocation, type InputProblem } from "./errors";
import { issueMessage, issueProblems } from "./schemaIssues";
import {
    CONFIG_NAMESPACE,
    hubConfigKeys,
    hubConfigSchema,
    PROVIDER_NAMESPACES,
    shardConfigSchema,
    type Environment,
    type HubSettings,
    type StackSettings,
} from "./settingsSchema";
import { fieldName, type YamlPath } from "./yamlSource";

export {
    CONFIG_NAMESPACE,
    HUB_DERIVED_DEFAULTS,
    SETTINGS_DEFAULTS,
    type Environment,
    type HubSettings,
    type RemoteShard,
    type ShardSettings,
    type StackSettings,
    type WarehouseShard,
} from "./settingsSchema";
export const KARGO_NAMESPACE = "kargo";
/** The Kargo Project, and its namespace on the hub (and, for the git credential, on each spoke). */
export const PROJECT_NAME = "eodhp";
export const KARGO_CHART = "oci://ghcr.io/akuity/kargo-charts/kargo";

/** What the stack file itself says, where the caller has it: lines for errors, YAML types for values. */
export interface StackFile {
    /** Line of a config key (`remoteShards[0].shardName`). */
    readonly line: (key: string) => number | undefined;
    /** The YAML value of a full config key (`eodhp-kargo:remoteShards`), undefined when absent. */
    readonly value: (fullKey: string) => unknown;
}

const NO_STACK_FILE: StackFile = { line: () => undefined, value: () => undefined };
const SCHEMAS = { hub: hubConfigSchema, shard: shardConfigSchema } as const;
const SHAPES = { hub: hubConfigKeys.shape, shard: shardConfigSchema.shape } as const;

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
    const parsed = (role ? schema : z.object({ role: shardConfigSchema.shape.role })).safeParse(values, {
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
                    const otherRole = path.length === 0 && role !== undefined && key in SHAPES[role === "hub" ? "shard" : "hub"];
                    return otherRole ? `is not used by a ${role} stack; remove it` : `unknown key${didYouMean(key, allowed)}`;
                },
            }),
        );
    }
    const settings = parsed.success && role ? ({ stack, ...parsed.data } as StackSettings) : undefined;
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
            return [fullKey.slice(prefix.length), decodeConfigText(text)];
        });
    return Object.fromEntries(entries);
}

/** A config value as Pulumi hands it over: structured values (lists, mappings) are JSON text. */
export function decodeConfigText(text: string): unknown {
    if (!/^\s*[[{]/.test(text)) return text;
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

/** Rules across keys: options that need another key, and environments or shards claimed twice. */
function hubProblems(settings: HubSettings, values: Record<string, unknown>, locate: (key: string) => InputLocation): InputProblem[] {
    const problems: InputProblem[] = [];
    const onlyWith = (key: string, condition: boolean, requirement: string): void => {
        if (values[key] !== undefined && !condition) problems.push({ location: locate(key), reason: `only applies when ${requirement}` });
    };
    onlyWith("slackNotifyDevStages", settings.slackWebhookSecretName !== undefined, `${CONFIG_NAMESPACE}:slackWebhookSecretName is set`);
    onlyWith("adminCredentialsSecretName", settings.adminAccount, `${CONFIG_NAMESPACE}:adminAccount is true`);
    onlyWith("adminTokenTTL", settings.adminAccount, `${CONFIG_NAMESPACE}:adminAccount is true`);
    if (settings.adminAccount && settings.adminCredentialsSecretName === undefined) {
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
        settings[key].forEach((env, index) => {
            if (!targets.includes(env)) problems.push({ location: locate(`${key}[${index}]`), reason: `"${env}" is not one of ${targets.join(", ")}` });
        });
    }
    const declared = (key: string, names: readonly string[]): void =>
        names.forEach((env) => {
            if (!settings.environments.includes(env))
                problems.push({
                    location: locate(key),
                    reason: `"${env}" is not declared in ${CONFIG_NAMESPACE}:environments (${settings.environments.join(", ")})`,
                });
        });
    declared("environment", settings.environment);
    settings.remoteShards.forEach((remote, index) => declared(`remoteShards[${index}].environment`, remote.environment));
    declared("autoPromotedEnvironments", settings.autoPromotedEnvironments);
    declared("devEnvironment", [settings.devEnvironment]);
    const taken = new Map<string, string>([...settings.environment, settings.shardName].map((value) => [value, "the hub"]));
    settings.remoteShards.forEach((shard, index) => {
        for (const value of [...shard.environment, shard.shardName]) {
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
    // The shard-isolation policies tell a Stage's shard by its name's `-<env>` suffix
    // (core/install/shardIsolationPolicy.ts): no environment may end with another's.
    const suffixes = ["dev", ...settings.environments];
    for (const env of settings.environments) {
        const shorter = suffixes.find((other) => other !== env && `-${env}`.endsWith(`-${other}`));
        if (shorter)
            problems.push({ location: locate("environments"), reason: `"${env}" ends with "-${shorter}": Stage names would not tell their shard apart` });
    }
    const pastHub = beyondFinal(settings.environments, settings.promoteBeyondHub ? [] : settings.environment);
    if (pastHub)
        problems.push({
            location: locate("environments"),
            reason: `${pastHub.to} comes after ${pastHub.from}, the hub's own environment, so promotions would run from the hub into a spoke; put the hub's environments last, or set ${CONFIG_NAMESPACE}:promoteBeyondHub to true if that is the intent`,
        });
    const unserved = settings.environments.filter((env) => !taken.has(env));
    if (unserved.length > 0)
        problems.push({
            location: locate("environments"),
            reason: `no shard serves ${unserved.join(", ")}: add a remoteShards entry or the hub's environment`,
        });
    return problems;
}

/** The first environment of `order` that follows one of `finals` without being one: where a chain leaves them. */
export function beyondFinal(order: readonly Environment[], finals: readonly Environment[]): { from: Environment; to: Environment } | undefined {
    const first = order.findIndex((env) => finals.includes(env));
    const to = first === -1 ? undefined : order.slice(first).find((env) => !finals.includes(env));
    return to === undefined ? undefined : { from: order[first], to };
}

/** The shard every Warehouse runs on, or undefined when each runs on the shard of the first stage it feeds. */
export function warehouseShardName(settings: HubSettings): string | undefined {
    return settings.warehouseShard === "hub" ? settings.shardName : undefined;
}

/** Environment → shard name for every environment that has a controller, in promotion order. */
export function environmentShards(settings: HubSettings): ReadonlyMap<Environment, string> {
    const shards = new Map<Environment, string>(settings.environment.map((env) => [env, settings.shardName]));
    for (const remote of settings.remoteShards) for (const env of remote.environment) shards.set(env, remote.shardName);
    return new Map(settings.environments.map((env) => [env, shards.get(env) as string]));
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

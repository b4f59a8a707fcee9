/**
 * Stack settings: every `eodhp-kargo:*` key of a `Pulumi.<stack>.yaml`, validated, with defaults applied
 * in one place. Pure: it takes the raw key/value strings Pulumi hands over, so render, tests and `pulumi up`
 * share it.
 */
import { didYouMean, InputError } from "./errors";
import { dnsLabelProblem, dnsSubdomainProblem, toHttpsGitUrl } from "./validation";

export const CONFIG_NAMESPACE = "eodhp-kargo";
/** Default promotion order; a catalogue app's `stages` picks from the environments that have a shard. */
export const ENVIRONMENT_ORDER = ["test", "staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENT_ORDER)[number];
export const KARGO_NAMESPACE = "kargo";
export const KARGO_CHART = "oci://ghcr.io/akuity/kargo-charts/kargo";

interface CommonSettings {
    readonly stack: string;
    readonly environment: Environment;
    readonly shardName: string;
    /** kubeconfig context of the cluster this stack deploys to. */
    readonly kubeContext: string;
    readonly chartVersion: string;
    /** ClusterSecretStore (external-secrets) that reads AWS Secrets Manager on this cluster. */
    readonly clusterSecretStore: string;
    readonly argocdNamespace: string;
    /** Take over objects that already exist on the cluster (the Argo CD-managed install) on create. */
    readonly adoptExisting: boolean;
}

export interface RemoteShard {
    readonly environment: Environment;
    readonly shardName: string;
    /** Secrets Manager name of the secret that carries this shard's hub kubeconfig. */
    readonly kubeconfigSecret: string;
}

export interface ProjectSettings {
    readonly name: string;
    readonly catalogueFile: string;
    /** HTTPS URL of the deployment repository Kargo reads and writes. */
    readonly gitRepoURL: string;
    /** Secrets Manager name holding `username` and `password` (a GitHub token) for gitRepoURL. */
    readonly gitCredentialsSecret: string;
    /** Secrets Manager name holding the GitHub webhook shared secret (`secret`). */
    readonly githubWebhookSecret: string;
    /** Kubernetes group whose members (GitHub Actions) may create Promotions. */
    readonly ciPromotersGroup: string;
    /** OIDC group that may promote, refresh Warehouses and create Freight, but not edit the pipeline. */
    readonly developerGroup?: string;
    /** Slack notifications after each promotion; off when unset. */
    readonly slack?: SlackSettings;
}

export interface SlackSettings {
    /** Secrets Manager name holding the incoming-webhook URL (`url`). */
    readonly webhookSecret: string;
    readonly notifyDevStages: boolean;
}

export interface HubSettings extends CommonSettings {
    readonly role: "hub";
    /** Region of the Secrets Manager entries and of the EKS cluster. */
    readonly awsRegion: string;
    /** Host name of the Kargo UI/API, without scheme. */
    readonly apiHost: string;
    /** EKS cluster name of the hub: its API endpoint goes into the remote controllers' kubeconfigs. */
    readonly eksClusterName: string;
    readonly oidc: { readonly issuerURL: string; readonly clientID: string; readonly adminGroup: string };
    readonly ingress: { readonly className: string; readonly clusterIssuer: string };
    /** Secrets Manager name holding ADMIN_ACCOUNT_PASSWORD_HASH and ADMIN_ACCOUNT_TOKEN_SIGNING_KEY. */
    readonly adminCredentialsSecret: string;
    readonly remoteShards: readonly RemoteShard[];
    /** Argo CD UI URL per shard name, for the Kargo UI's deep links (chart `api.argocd.urls`); may be empty. */
    readonly argocdUrls: Readonly<Record<string, string>>;
    readonly project: ProjectSettings;
}

export interface ShardSettings extends CommonSettings {
    readonly role: "shard";
    /** Secrets Manager name of the hub kubeconfig the hub stack published for this shard. */
    readonly hubKubeconfigSecret: string;
}

export type StackSettings = HubSettings | ShardSettings;

const COMMON_KEYS = ["role", "environment", "shardName", "kubeContext", "chartVersion", "clusterSecretStore", "argocdNamespace", "adoptExisting"];
const HUB_KEYS = [
    "awsRegion",
    "apiHost",
    "eksClusterName",
    "oidcIssuerUrl",
    "oidcClientId",
    "oidcAdminGroup",
    "ingressClassName",
    "ingressClusterIssuer",
    "adminCredentialsSecretName",
    "remoteShards",
    "argocdUrls",
    "catalogue",
    "gitRepoUrl",
    "gitCredentialsSecretName",
    "githubWebhookSecretName",
    "ciPromotersGroup",
    "developerGroup",
    "slackWebhookSecretName",
    "slackNotifyDevStages",
];
const SHARD_KEYS = ["hubKubeconfigSecretName"];
const REMOTE_SHARD_KEYS = ["environment", "shardName", "kubeconfigSecretName"];

/**
 * Parses the stack's config. `raw` maps `eodhp-kargo:<key>` (other namespaces are ignored) to the string
 * Pulumi stores; structured values are JSON, as `pulumi.runtime.allConfig()` returns them.
 */
export function parseStackSettings(stack: string, raw: Readonly<Record<string, string>>, locate: KeyLocator = () => undefined): StackSettings {
    const reader = new ConfigReader(stack, raw, locate);
    const role = reader.oneOf("role", ["hub", "shard"] as const);
    reader.rejectUnknown(role === "hub" ? [...COMMON_KEYS, ...HUB_KEYS] : [...COMMON_KEYS, ...SHARD_KEYS], role);
    const common: CommonSettings = {
        stack,
        environment: reader.oneOf("environment", ENVIRONMENT_ORDER),
        shardName: reader.name("shardName"),
        kubeContext: reader.string("kubeContext"),
        chartVersion: reader.version("chartVersion"),
        clusterSecretStore: reader.name("clusterSecretStore"),
        argocdNamespace: reader.name("argocdNamespace", "argocd"),
        adoptExisting: reader.boolean("adoptExisting", false),
    };
    if (role === "shard") return { ...common, role, hubKubeconfigSecret: reader.secretName("hubKubeconfigSecretName") };

    const remoteShards = reader.remoteShards(common);
    const slackWebhookSecret = reader.optionalSecretName("slackWebhookSecretName");
    return {
        ...common,
        role,
        awsRegion: reader.string("awsRegion", "eu-west-2"),
        apiHost: reader.host("apiHost"),
        eksClusterName: reader.eksClusterName("eksClusterName"),
        oidc: {
            issuerURL: reader.httpsUrl("oidcIssuerUrl"),
            clientID: reader.string("oidcClientId", "kargo"),
            adminGroup: reader.string("oidcAdminGroup", "admin"),
        },
        ingress: { className: reader.name("ingressClassName", "nginx"), clusterIssuer: reader.name("ingressClusterIssuer") },
        adminCredentialsSecret: reader.secretName("adminCredentialsSecretName"),
        remoteShards,
        argocdUrls: reader.urlsByShard("argocdUrls", [common.shardName, ...remoteShards.map((remote) => remote.shardName)]),
        project: {
            name: "eodhp",
            catalogueFile: reader.string("catalogue", "catalogue.yaml"),
            gitRepoURL: reader.gitUrl("gitRepoUrl"),
            gitCredentialsSecret: reader.secretName("gitCredentialsSecretName"),
            githubWebhookSecret: reader.secretName("githubWebhookSecretName"),
            ciPromotersGroup: reader.string("ciPromotersGroup", "ci-promoters"),
            developerGroup: reader.optionalString("developerGroup"),
            slack:
                slackWebhookSecret === undefined
                    ? reader.absent("slackNotifyDevStages", "slackWebhookSecretName")
                    : { webhookSecret: slackWebhookSecret, notifyDevStages: reader.boolean("slackNotifyDevStages", false) },
        },
    };
}

/** Environment → shard name for every environment that has a controller, in promotion order. */
export function environmentShards(settings: HubSettings): ReadonlyMap<Environment, string> {
    const shards = new Map<Environment, string>([[settings.environment, settings.shardName]]);
    for (const remote of settings.remoteShards) shards.set(remote.environment, remote.shardName);
    return new Map(ENVIRONMENT_ORDER.filter((env) => shards.has(env)).map((env) => [env, shards.get(env) as string]));
}

/** Line of a config key (`remoteShards[0].shardName`) in the stack file, where the caller can tell. */
export type KeyLocator = (key: string) => number | undefined;

/** `remoteShards[0].shardName` → the path of that value in a `Pulumi.<stack>.yaml` document. */
export function configKeyPath(key: string): Array<string | number> {
    const [first, ...rest] = key.split(/\.|(?=\[)/);
    const head = first.replace(/\[\d+\]$/, "");
    const parts: Array<string | number> = ["config", `${CONFIG_NAMESPACE}:${head}`];
    for (const part of [first.slice(head.length), ...rest]) {
        const index = /^\[(\d+)\]$/.exec(part);
        if (index) parts.push(Number(index[1]));
        else if (part !== "") parts.push(part);
    }
    return parts;
}

class ConfigReader {
    private readonly file: string;

    constructor(
        private readonly stack: string,
        private readonly raw: Readonly<Record<string, string>>,
        private readonly locate: KeyLocator,
    ) {
        this.file = `Pulumi.${stack}.yaml`;
    }

    fail(key: string, reason: string): never {
        throw new InputError({ file: this.file, line: this.locate(key), entry: `stack "${this.stack}"`, field: `${CONFIG_NAMESPACE}:${key}` }, reason);
    }

    rejectUnknown(allowed: readonly string[], role: string): void {
        const prefix = `${CONFIG_NAMESPACE}:`;
        for (const fullKey of Object.keys(this.raw).sort()) {
            if (!fullKey.startsWith(prefix)) continue;
            const key = fullKey.slice(prefix.length);
            if (allowed.includes(key)) continue;
            const otherRole = [...HUB_KEYS, ...SHARD_KEYS].includes(key);
            this.fail(key, otherRole ? `is not used by a ${role} stack; remove it` : `unknown key${didYouMean(key, allowed)}`);
        }
    }

    private get(key: string): string | undefined {
        return this.raw[`${CONFIG_NAMESPACE}:${key}`];
    }

    optionalString(key: string): string | undefined {
        const value = this.get(key);
        if (value !== undefined && value.trim() === "") this.fail(key, "must not be empty");
        return value;
    }

    string(key: string, fallback?: string): string {
        const value = this.optionalString(key) ?? fallback;
        if (value === undefined) this.fail(key, `is required; set it with: pulumi config set ${key} <value> --stack ${this.stack}`);
        return value;
    }

    absent(key: string, requiredKey: string): undefined {
        if (this.get(key) !== undefined) this.fail(key, `only applies when ${CONFIG_NAMESPACE}:${requiredKey} is set`);
        return undefined;
    }

    oneOf<T extends string>(key: string, allowed: readonly T[]): T {
        const value = this.string(key);
        if (!(allowed as readonly string[]).includes(value)) this.fail(key, `must be one of ${allowed.join(", ")}, got "${value}"`);
        return value as T;
    }

    boolean(key: string, fallback: boolean): boolean {
        const value = this.get(key);
        if (value === undefined) return fallback;
        if (value !== "true" && value !== "false") this.fail(key, `must be true or false, got "${value}"`);
        return value === "true";
    }

    name(key: string, fallback?: string): string {
        const value = this.string(key, fallback);
        const problem = dnsLabelProblem(value);
        if (problem) this.fail(key, problem);
        return value;
    }

    /** Secrets Manager names: letters, digits and /_+=.@- (AWS's rule), at most 512 characters. */
    secretName(key: string): string {
        const value = this.string(key);
        if (!/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(value)) this.fail(key, `"${value}" is not a valid AWS Secrets Manager name`);
        return value;
    }

    optionalSecretName(key: string): string | undefined {
        return this.get(key) === undefined ? undefined : this.secretName(key);
    }

    version(key: string): string {
        const value = this.string(key);
        if (!/^\d+\.\d+\.\d+$/.test(value)) this.fail(key, `must be an exact chart version such as 1.11.2, got "${value}"`);
        return value;
    }

    host(key: string): string {
        const value = this.string(key);
        const problem = dnsSubdomainProblem(value);
        if (problem) this.fail(key, `${problem} (give the host name only, without https://)`);
        return value;
    }

    /** EKS cluster names: letters, digits, "-" and "_", starting with a letter or digit, at most 100. */
    eksClusterName(key: string): string {
        const value = this.string(key);
        if (!/^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/.test(value)) this.fail(key, `"${value}" is not a valid EKS cluster name`);
        return value;
    }

    httpsUrl(key: string): string {
        const value = this.string(key).replace(/\/+$/, "");
        if (!/^https:\/\/[\w.-]+(:\d+)?(\/\S*)?$/.test(value)) this.fail(key, `must be an https:// URL, got "${value}"`);
        return value;
    }

    gitUrl(key: string): string {
        const value = this.string(key);
        const https = toHttpsGitUrl(value);
        if (https === undefined) this.fail(key, `must be a git repository URL, got "${value}"`);
        return https;
    }

    /** Optional JSON object `{<shard name>: <https URL>}`; every key must be one of `shards`. */
    urlsByShard(key: string, shards: readonly string[]): Record<string, string> {
        const value = this.get(key);
        if (value === undefined) return {};
        let parsed: unknown;
        try {
            parsed = JSON.parse(value);
        } catch {
            this.fail(key, `must be a map of shard name to URL, got "${value}"`);
        }
        if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) this.fail(key, "must be a map of shard name to URL");
        const urls: Record<string, string> = {};
        for (const [shard, url] of Object.entries(parsed as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
            if (!shards.includes(shard)) this.fail(`${key}.${shard}`, `unknown shard "${shard}"${didYouMean(shard, shards)}; shards: ${shards.join(", ")}`);
            if (typeof url !== "string" || !/^https:\/\/[\w.-]+(:\d+)?(\/\S*)?$/.test(url)) this.fail(`${key}.${shard}`, `must be an https:// URL, got ${JSON.stringify(url)}`);
            urls[shard] = url;
        }
        return urls;
    }

    remoteShards(hub: CommonSettings): RemoteShard[] {
        const value = this.get("remoteShards");
        if (value === undefined) this.fail("remoteShards", "is required (a list, empty if no remote clusters run shard controllers)");
        let parsed: unknown;
        try {
            parsed = JSON.parse(value);
        } catch {
            this.fail("remoteShards", "must be a list of {environment, shardName, kubeconfigSecretName}");
        }
        if (!Array.isArray(parsed)) this.fail("remoteShards", "must be a list of {environment, shardName, kubeconfigSecretName}");
        const shards = parsed.map((item: unknown, index: number) => this.remoteShard(`remoteShards[${index}]`, item));
        const taken = new Map<string, string>([
            [hub.environment, "the hub"],
            [hub.shardName, "the hub"],
        ]);
        shards.forEach((shard, index) => {
            for (const value of [shard.environment, shard.shardName]) {
                const owner = taken.get(value);
                if (owner) this.fail(`remoteShards[${index}]`, `"${value}" is already used by ${owner}`);
                taken.set(value, `remoteShards[${index}]`);
            }
        });
        return shards;
    }

    private remoteShard(key: string, item: unknown): RemoteShard {
        if (item === null || typeof item !== "object" || Array.isArray(item)) this.fail(key, "must be a mapping");
        const entry = item as Record<string, unknown>;
        for (const field of Object.keys(entry)) {
            if (!REMOTE_SHARD_KEYS.includes(field)) this.fail(`${key}.${field}`, `unknown key${didYouMean(field, REMOTE_SHARD_KEYS)}`);
        }
        const nested = new ConfigReader(
            this.stack,
            Object.fromEntries(Object.entries(entry).map(([field, value]) => [`${CONFIG_NAMESPACE}:${key}.${field}`, String(value)])),
            this.locate,
        );
        return {
            environment: nested.oneOf(`${key}.environment`, ENVIRONMENT_ORDER),
            shardName: nested.name(`${key}.shardName`),
            kubeconfigSecret: nested.secretName(`${key}.kubeconfigSecretName`),
        };
    }
}

/**
 * The hub and its spokes must agree: each remote shard the hub authenticates has a spoke stack with the same
 * environment, shard name and kubeconfig secret, and all run one chart version. One problem per line.
 */
export function checkStackSet(hub: HubSettings, spokes: readonly ShardSettings[]): string[] {
    const problems: string[] = [];
    for (const remote of hub.remoteShards) {
        const spoke = spokes.find((candidate) => candidate.environment === remote.environment);
        if (!spoke) {
            problems.push(`Pulumi.${hub.stack}.yaml: remote shard ${remote.shardName} (${remote.environment}) has no spoke stack`);
            continue;
        }
        const where = `Pulumi.${spoke.stack}.yaml`;
        if (spoke.shardName !== remote.shardName) problems.push(`${where}: shardName ${spoke.shardName} differs from the hub's ${remote.shardName}`);
        if (spoke.hubKubeconfigSecret !== remote.kubeconfigSecret) {
            problems.push(`${where}: hubKubeconfigSecretName ${spoke.hubKubeconfigSecret} differs from the hub's ${remote.kubeconfigSecret}`);
        }
    }
    for (const spoke of spokes) {
        if (!hub.remoteShards.some((remote) => remote.environment === spoke.environment)) {
            problems.push(`Pulumi.${spoke.stack}.yaml: the hub's remoteShards has no entry for ${spoke.environment}`);
        }
        if (spoke.chartVersion !== hub.chartVersion) problems.push(`Pulumi.${spoke.stack}.yaml: chartVersion ${spoke.chartVersion} differs from the hub's ${hub.chartVersion}`);
    }
    return problems;
}

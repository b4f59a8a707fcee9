/** The shapes of validated stack settings: what settings.ts makes of the schema's output, per role. */
import type { Environment, WAREHOUSE_SHARDS } from "./settingsSchema";

export interface CommonSettings {
    readonly stack: string;
    /** The first environment this cluster serves; it names the cluster's remote controller. */
    readonly environment: Environment;
    /** Every environment this cluster's shard serves (config `environment`: a name or a list). */
    readonly environments: readonly Environment[];
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
    readonly environments: readonly Environment[];
    /** Names of the controller's hub token generations, newest (the published one) last; never empty. */
    readonly tokenGenerations: readonly string[];
    readonly shardName: string;
    /** Secrets Manager name of the secret that carries this shard's hub kubeconfig. */
    readonly kubeconfigSecret: string;
    /** IAM role of the spoke's external-secrets: the only reader of the kubeconfig (resource policy). */
    readonly readerRoleArn?: string;
    /** The stack file opted out of that policy explicitly (`readableByAccount: true`); never with readerRoleArn. */
    readonly readableByAccount: boolean;
}

export interface ProjectSettings {
    readonly name: string;
    readonly catalogueFile: string;
    /** HTTPS URL of the deployment repository Kargo reads and writes. */
    readonly gitRepoURL: string;
    /** Secrets Manager name holding `username` and `password` (a GitHub token) for gitRepoURL: the hub's own shard's. */
    readonly gitCredentialsSecret: string;
    /** Secrets Manager name holding the GitHub webhook shared secret (`secret`). */
    readonly githubWebhookSecret: string;
    /** Kubernetes group whose members (GitHub Actions) may create Promotions. */
    readonly ciPromotersGroup: string;
    /** OIDC claim → values mapping Kargo API callers (e.g. a CI client's `sub`) to the ci-promoter ServiceAccount. */
    readonly ciPromoterClaims?: Readonly<Record<string, readonly string[]>>;
    /** OIDC group that may promote, refresh Warehouses and create Freight, but not edit the pipeline. */
    readonly developerGroup?: string;
    /** Slack notifications after each promotion; off when unset. */
    readonly slack?: SlackSettings;
    /** Where Warehouses run: on the hub's shard (no spoke creates Freight), or on their first stage's shard. */
    readonly warehouseShard: WarehouseShard;
    /** Environments (and `dev` for the `<app>-dev` stages) whose Stages developers may promote into. */
    readonly developerPromotionEnvironments: readonly string[];
    /** Environments (and `dev`) whose Stages the CI group may promote into. */
    readonly ciPromoterEnvironments: readonly string[];
}

export type WarehouseShard = (typeof WAREHOUSE_SHARDS)[number];

export interface AdminAccountSettings {
    /** Secrets Manager name holding ADMIN_ACCOUNT_PASSWORD_HASH and ADMIN_ACCOUNT_TOKEN_SIGNING_KEY. */
    readonly credentialsSecret: string;
    /** Lifetime of the admin account's tokens, a Go duration (chart value api.adminAccount.tokenTTL). */
    readonly tokenTTL: string;
}

export interface SlackSettings {
    /** Secrets Manager name holding the incoming-webhook URL (`url`). */
    readonly webhookSecret: string;
    readonly notifyDevStages: boolean;
}

export interface HubSettings extends CommonSettings {
    readonly role: "hub";
    /** Declared environments in promotion order; each is served by exactly one shard. */
    readonly environmentOrder: readonly Environment[];
    /** Environments whose stages Kargo promotes to automatically (default: the first). */
    readonly autoPromotedEnvironments: readonly Environment[];
    /** Environment whose overlay and shard the `<app>-dev` stages use. */
    readonly devEnvironment: Environment;
    /** Region of the Secrets Manager entries and of the EKS cluster. */
    readonly awsRegion: string;
    /** Host name of the Kargo UI/API, without scheme. */
    readonly apiHost: string;
    /** EKS cluster name of the hub: its API endpoint goes into the remote controllers' kubeconfigs. */
    readonly eksClusterName: string;
    readonly oidc: { readonly issuerURL: string; readonly clientID: string; readonly adminGroup: string };
    readonly ingress: { readonly className: string; readonly clusterIssuer: string };
    /** The Kargo admin account (break-glass); undefined when turned off (`adminAccount: false`). */
    readonly adminAccount?: AdminAccountSettings;
    readonly remoteShards: readonly RemoteShard[];
    /** Customer-managed KMS key (id, ARN or alias) encrypting the published hub kubeconfigs. */
    readonly kmsKeyId?: string;
    /** Principals besides each reader allowed to read the kubeconfigs (the role Pulumi deploys with). */
    readonly secretAdminRoleArns: readonly string[];
    /** Argo CD UI URL per shard name, for the Kargo UI's deep links (chart `api.argocd.urls`); may be empty. */
    readonly argocdUrls: Readonly<Record<string, string>>;
    readonly project: ProjectSettings;
}

export interface ShardSettings extends CommonSettings {
    readonly role: "shard";
    /** Secrets Manager name of the hub kubeconfig the hub stack published for this shard. */
    readonly hubKubeconfigSecret: string;
    /**
     * IAM role (IRSA) with which a namespaced SecretStore in `kargo` reads the hub kubeconfig, so no other
     * namespace can; undefined keeps the cluster-wide ClusterSecretStore.
     */
    readonly hubKubeconfigReader?: { readonly roleArn: string; readonly region: string };
    /** This environment's own git credential, kept on this cluster (core/install/gitCredentials.ts). */
    readonly gitCredentials: { readonly repoURL: string; readonly secretName: string };
}

export type StackSettings = HubSettings | ShardSettings;

/** What the stack file itself says, where the caller has it: lines for errors, YAML types for values. */
export interface StackFile {
    /** Line of a config key (`remoteShards[0].shardName`). */
    readonly line: (key: string) => number | undefined;
    /** The YAML value of a full config key (`eodhp-kargo:remoteShards`), undefined when absent. */
    readonly value: (fullKey: string) => unknown;
}

/**
 * The stack settings, declared once: every `eodhp-kargo:*` key of a `Pulumi.<stack>.yaml`, per role, with its
 * type, default, rule and description, and the normalising (`.transform()`) that turns a stack file's values
 * into what the program uses. A key keeps its config name in code; the types are the schemas' output.
 * settings.ts decodes Pulumi's values and runs these schemas; docs/configuration.md is generated from them
 * (`npm run config-docs`).
 */
import { z } from "zod";
import { compareText } from "../kubernetes";
import { satisfies } from "./schemaIssues";
import { uniqueItems } from "./schemaRules";
import { dnsSubdomainProblem } from "./validation";
import {
    optionalMeaning,
    text,
    dnsLabel,
    environmentName,
    environmentList,
    environment,
    generation,
    secretName,
    flag,
    roleArn,
    group,
    duration,
    oidcClaims,
    httpsUrl,
    gitRepoUrl,
} from "./settingsValues";

export const CONFIG_NAMESPACE = "eodhp-kargo";
/** Config namespaces other than ours that a stack file may hold: the providers' and Pulumi's own. */
export const PROVIDER_NAMESPACES = ["aws", "kubernetes", "pulumi"] as const;
/** Environment names are data: DNS labels declared on the hub. */
export type Environment = string;

/** The default of every key that has a fixed one, in one place: the schemas' `.default()` read it. */
export const SETTINGS_DEFAULTS = {
    /** Promotion order; a catalogue app's `stages` picks from it. */
    environments: ["test", "staging", "prod"],
    /** The single generation a remote shard has until its first rotation. */
    tokenGenerations: ["1"],
    argocdNamespace: "argocd",
    helmReleaseName: "kargo",
    adoptExisting: false,
    promoteBeyondHub: false,
    awsRegion: "eu-west-2",
    oidcClientId: "kargo",
    oidcAdminGroup: "admin",
    ingressClassName: "nginx",
    adminAccount: false,
    readableByAccount: false,
    adminTokenTTL: "1h",
    secretAdminRoleArns: [],
    catalogue: "catalogue.yaml",
    ciPromotersGroup: "ci-promoters",
    slackNotifyDevStages: false,
    argocdUrls: {},
    warehouseShard: "hub" as const,
    hubKubeconfigRegion: "eu-west-2",
};

/** A hub key whose default is computed from the declared environments: the value, and how the docs say it. */
interface DerivedDefault<T> {
    readonly unsetMeans: string;
    readonly value: (config: { readonly environments: readonly Environment[] }) => T;
}
const derived = <T>(unsetMeans: string, value: DerivedDefault<T>["value"]): DerivedDefault<T> => ({ unsetMeans, value });
/** The hub's derived defaults, in one place: the hub schema's transform fills them in, the docs print them. */
export const HUB_DERIVED_DEFAULTS = {
    autoPromotedEnvironments: derived("the first environment", ({ environments }) => [environments[0]]),
    devEnvironment: derived("`test` when declared, else the first environment", ({ environments }) =>
        environments.includes("test") ? "test" : environments[0],
    ),
    // Developers: the dev stages and the first environment; CI: every stage.
    developerPromotionEnvironments: derived("`dev` and the first environment", ({ environments }) => ["dev", environments[0]]),
    ciPromoterEnvironments: derived("every environment and `dev`", ({ environments }) => ["dev", ...environments]),
};

export const WAREHOUSE_SHARDS = ["hub", "firstStage"] as const;

export const remoteShardSchema = z.strictObject({
    environment: environment("The spoke's environment, or a list of them, as `environment`."),
    shardName: dnsLabel("Kargo shard of the spoke's controller."),
    kubeconfigSecretName: secretName("the spoke's hub kubeconfig, which this hub publishes."),
    readerRoleArn: optionalMeaning(
        roleArn(
            "IAM role of that spoke's external-secrets: a Secrets Manager resource policy lets only it (and `secretAdminRoleArns`) read the shard's hub kubeconfig.",
        ),
        "required, unless `readableByAccount` is true",
    ),
    readableByAccount: flag(
        "Opt out of the resource policy: any principal of the account with `secretsmanager:GetSecretValue` can read this hub kubeconfig (a bearer token for the hub). Only with no `readerRoleArn`; say why in a comment.",
        SETTINGS_DEFAULTS.readableByAccount,
    ),
    tokenGenerations: uniqueItems(z.array(generation).min(1, { error: "must list at least one generation, newest last" }))
        .default(SETTINGS_DEFAULTS.tokenGenerations)
        .describe(
            "Names of the controller's hub token generations (DNS labels, at most 16 characters), newest last; the newest is published. See \"Rotating a shard controller's token\".",
        ),
});

/** The keys of both roles. */
export const commonConfigKeys = {
    role: z.enum(["hub", "shard"]).describe("The hub (API, UI, project and its own shard) or a spoke (a shard controller only)."),
    environment: environment(
        "The environment this cluster serves, or a list of them (one cluster, one shard, several environments); DNS labels, never `dev`; the first names the remote controller (`kargo-controller-<first>`).",
    ),
    shardName: dnsLabel("Kargo shard of this cluster's controller (`prod-shard`, `test-shard`, `staging-shard`)."),
    kubeContext: text(
        'kubeconfig context of the cluster; it must point at the API endpoint of `eksClusterName`, which is checked before any change (docs/adoption.md, "Each stack is pinned to its cluster").',
    ),
    eksClusterName: satisfies(text("EKS cluster this stack deploys to (on the hub, its API endpoint also goes into the remote kubeconfigs)."), (value) =>
        /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/.test(value) ? undefined : `"${value}" is not a valid EKS cluster name`,
    ),
    awsRegion: text("Region of the EKS cluster (on the hub, also of the Secrets Manager entries).").default(SETTINGS_DEFAULTS.awsRegion),
    chartVersion: satisfies(text("Kargo chart version, exact (`1.11.2`)."), (value) =>
        /^\d+\.\d+\.\d+$/.test(value) ? undefined : `must be an exact chart version such as 1.11.2, got "${value}"`,
    ),
    clusterSecretStore: dnsLabel("external-secrets ClusterSecretStore for Secrets Manager."),
    argocdNamespace: dnsLabel("Argo CD's namespace.").default(SETTINGS_DEFAULTS.argocdNamespace),
    helmReleaseName: satisfies(
        text(
            "Helm release name of the Kargo chart: the live release's (docs/adoption.md, \"Confirming the live release name\"), as the chart puts it into every Deployment's immutable selector.",
        ),
        // Helm's rule (helm/helm pkg/chartutil/validate_name.go ValidateReleaseName, v3.20.2): a DNS subdomain of at most 53 characters.
        (value) => (value.length > 53 ? `"${value}" is ${value.length} characters long; Helm allows at most 53` : dnsSubdomainProblem(value)),
    ).default(SETTINGS_DEFAULTS.helmReleaseName),
    adoptExisting: flag(
        'Take over objects that already exist on the cluster (see "Moving the live install to Pulumi"); turn off again after the first `pulumi up`.',
        SETTINGS_DEFAULTS.adoptExisting,
    ),
};

/** Listed twice, a name counts once. */
const stageEnvironments = (description: string, derivedDefault: DerivedDefault<string[]>) =>
    optionalMeaning(
        z
            .array(text("dev or an environment."))
            .transform((names) => [...new Set(names)])
            .describe(description),
        derivedDefault.unsetMeans,
    );

/** The hub's keys as written; hubConfigSchema adds the derived defaults. */
export const hubConfigKeys = z.strictObject({
    ...commonConfigKeys,
    role: z.literal("hub"),
    environments: environmentList
        .default(SETTINGS_DEFAULTS.environments)
        .describe(
            "Every environment, in promotion order; each must be served by exactly one shard (the hub's `environment` or one `remoteShards[].environment`).",
        ),
    promoteBeyondHub: flag(
        "Lets `environments` (and an application's `stages`) go on after the hub's own environment, so that promotions run from it into a spoke's (e.g. a disaster-recovery cluster fed from prod); off, the hub's environments come last.",
        SETTINGS_DEFAULTS.promoteBeyondHub,
    ),
    autoPromotedEnvironments: optionalMeaning(
        environmentList.describe(
            "Environments whose stages Kargo promotes to automatically (ProjectConfig selects Stages by label `eodatahub.org.uk/environment`).",
        ),
        HUB_DERIVED_DEFAULTS.autoPromotedEnvironments.unsetMeans,
    ),
    devEnvironment: optionalMeaning(
        environmentName.describe("Overlay, branch and shard of the `<app>-dev` stages; must be declared in `environments`."),
        HUB_DERIVED_DEFAULTS.devEnvironment.unsetMeans,
    ),
    apiHost: satisfies(text("Host of the Kargo UI/API (`kargo.eodatahub.org.uk`), without `https://`."), (value) => {
        const problem = dnsSubdomainProblem(value);
        return problem && `${problem} (give the host name only, without https://)`;
    }),
    // Normalised without trailing slashes: the chart value `api.oidc.issuerURL` is written from it.
    oidcIssuerUrl: httpsUrl("Keycloak issuer, `https://<host>/…/realms/eodhp`, exactly as in the tokens.").transform((url) => url.replace(/\/+$/, "")),
    oidcClientId: text("Keycloak client.").default(SETTINGS_DEFAULTS.oidcClientId),
    oidcAdminGroup: text("Group whose members are Kargo admins.").default(SETTINGS_DEFAULTS.oidcAdminGroup),
    ingressClassName: dnsLabel("Ingress class of the UI/API.").default(SETTINGS_DEFAULTS.ingressClassName),
    ingressClusterIssuer: dnsLabel("cert-manager ClusterIssuer for the UI's TLS certificate."),
    adminAccount: flag('The Kargo `admin` account, for break-glass only (see "Security"); off unless set to `true`.', SETTINGS_DEFAULTS.adminAccount),
    adminCredentialsSecretName: optionalMeaning(
        secretName("the admin credentials (password hash and token signing key)."),
        "required when `adminAccount` is on, else rejected",
    ),
    adminTokenTTL: duration(
        "Lifetime of admin tokens (Go duration, e.g. `30m`), only with `adminAccount`; chart `api.adminAccount.tokenTTL`, whose default is 24h.",
    ).default(SETTINGS_DEFAULTS.adminTokenTTL),
    remoteShards: z.array(remoteShardSchema).describe("The spokes, one entry each (may be empty): the `remoteShards[].` keys."),
    kmsKeyId: text("Customer-managed KMS key (id, ARN or alias) for the published kubeconfigs; its key policy must let the readers `kms:Decrypt`.").optional(),
    secretAdminRoleArns: z
        .array(roleArn("An IAM role ARN."))
        .default(SETTINGS_DEFAULTS.secretAdminRoleArns)
        .describe(
            "IAM roles that may still read the published kubeconfigs; put the role Pulumi deploys with here (its refresh of the secret version reads the value).",
        ),
    catalogue: text("The application catalogue, relative to the project.").default(SETTINGS_DEFAULTS.catalogue),
    gitRepoUrl,
    gitCredentialsSecretName: secretName(
        "the hub's own git credential (`username`, `password`), for its shard's environment and the Warehouses on the hub; Secret `git-credentials` in `kargo-shared-resources`, which no spoke reads (see docs/git-credentials.md).",
    ),
    githubWebhookSecretName: secretName("the GitHub webhook secret."),
    ciPromotersGroup: group(
        "Kubernetes group that may create Promotions (GitHub Actions, authenticated to the hub cluster, e.g. through an EKS access entry mapping its IAM role to this group).",
    ).default(SETTINGS_DEFAULTS.ciPromotersGroup),
    ciPromoterClaims: oidcClaims(
        'OIDC claims that let CI promote through Kargo\'s API: claim → list of values (`{"sub": ["<id of the Keycloak client\'s service-account user>"]}`), written as the `rbac.kargo.akuity.io/claims` annotation of ServiceAccount `ci-promoter` in `eodhp`, which has the same rules as `ciPromotersGroup`; see "Promoting from CI through Kargo\'s API".',
    ).optional(),
    developerGroup: group("OIDC group that may promote and create Freight but not edit the pipeline.").optional(),
    developerPromotionEnvironments: stageEnvironments(
        "Environments (`dev` = the `<app>-dev` stages) whose Stages developers may promote into and approve Freight for.",
        HUB_DERIVED_DEFAULTS.developerPromotionEnvironments,
    ),
    ciPromoterEnvironments: stageEnvironments("Environments whose Stages `ciPromotersGroup` may promote into.", HUB_DERIVED_DEFAULTS.ciPromoterEnvironments),
    slackWebhookSecretName: secretName("a Slack incoming-webhook URL; turns on notifications.").optional(),
    slackNotifyDevStages: flag("Also notify for `<app>-dev` promotions (only with `slackWebhookSecretName`).", SETTINGS_DEFAULTS.slackNotifyDevStages),
    argocdUrls: z
        .record(z.string(), httpsUrl("Argo CD UI URL of that shard's cluster."))
        // In shard-name order, whatever the file's: the chart values are the same for the same shards.
        .transform((urls) => Object.fromEntries(Object.entries(urls).sort(([a], [b]) => compareText(a, b))))
        .default(SETTINGS_DEFAULTS.argocdUrls)
        .describe(
            'Shard name → Argo CD UI URL (`{"prod-shard": "https://argocd…", "test-shard": "…"}`, with `--path` or as YAML); the Kargo UI links each Stage to its cluster\'s Argo CD (chart `api.argocd.urls`).',
        ),
    warehouseShard: z
        .enum(WAREHOUSE_SHARDS)
        .default(SETTINGS_DEFAULTS.warehouseShard)
        .describe(
            '`hub`: every Warehouse runs on the hub\'s shard, so no spoke creates Freight; `firstStage`: each runs on the shard of the first stage it feeds (see "Security").',
        ),
});

export const shardConfigSchema = z.strictObject({
    ...commonConfigKeys,
    role: z.literal("shard"),
    hubKubeconfigSecretName: secretName("this shard's hub kubeconfig, which the hub publishes."),
    hubKubeconfigReaderRoleArn: optionalMeaning(
        roleArn('IAM role (IRSA) for a namespaced SecretStore in `kargo` that alone reads the hub kubeconfig (see "Security").'),
        "none: the ClusterSecretStore reads it",
    ),
    hubKubeconfigRegion: text("Region of that SecretStore (only with `hubKubeconfigReaderRoleArn`).").default(SETTINGS_DEFAULTS.hubKubeconfigRegion),
    gitRepoUrl,
    gitCredentialsSecretName: secretName(
        "this environment's git credential (`username`, `password`), which only this cluster reads: Secret `git-credentials` in namespace `eodhp` here (see docs/git-credentials.md).",
    ),
});

/** The hub's keys with every derived default filled in. */
export const hubConfigSchema = hubConfigKeys.transform((config) => ({
    ...config,
    autoPromotedEnvironments: config.autoPromotedEnvironments ?? HUB_DERIVED_DEFAULTS.autoPromotedEnvironments.value(config),
    devEnvironment: config.devEnvironment ?? HUB_DERIVED_DEFAULTS.devEnvironment.value(config),
    developerPromotionEnvironments: config.developerPromotionEnvironments ?? HUB_DERIVED_DEFAULTS.developerPromotionEnvironments.value(config),
    ciPromoterEnvironments: config.ciPromoterEnvironments ?? HUB_DERIVED_DEFAULTS.ciPromoterEnvironments.value(config),
}));

/** A stack's settings: its config keys as the schemas output them, and the stack's name. */
export type HubSettings = Readonly<z.output<typeof hubConfigSchema>> & { readonly stack: string };
export type ShardSettings = Readonly<z.output<typeof shardConfigSchema>> & { readonly stack: string };
export type StackSettings = HubSettings | ShardSettings;
export type RemoteShard = Readonly<z.output<typeof remoteShardSchema>>;
export type WarehouseShard = (typeof WAREHOUSE_SHARDS)[number];

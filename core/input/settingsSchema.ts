/**
 * The stack config's input shape, declared once: every `eodhp-kargo:*` key of a `Pulumi.<stack>.yaml`, per
 * role, with its type, default, rule and description. settings.ts decodes Pulumi's values, runs these
 * schemas and shapes the result; the README's config table describes the same keys.
 */
import { z } from "zod";
import { satisfies } from "./schemaIssues";
import { dnsLabelProblem, dnsSubdomainProblem, toHttpsGitUrl } from "./validation";

export const CONFIG_NAMESPACE = "eodhp-kargo";
/** Config namespaces other than ours that a stack file may hold: the providers' and Pulumi's own. */
export const PROVIDER_NAMESPACES = ["aws", "kubernetes", "pulumi"] as const;
/** Default promotion order (hub key `environments`); a catalogue app's `stages` picks from it. */
export const DEFAULT_ENVIRONMENTS: readonly string[] = ["test", "staging", "prod"];
/** Environment names are data: DNS labels declared on the hub. */
export type Environment = string;
/** The single generation a remote shard has until its first rotation. */
export const DEFAULT_TOKEN_GENERATION = "1";

const text = (description: string) => z.string().min(1).describe(description);
const dnsLabel = (description: string) => satisfies(text(description), (value) => dnsLabelProblem(value));
/** `dev` is reserved: `<app>-dev` is the dev stage's name. */
const environmentName = satisfies(text("An environment (a DNS label)."), (name) =>
    name === "dev" ? `"dev" is reserved: <app>-dev is the dev stage` : dnsLabelProblem(name),
);
const uniqueNames = <T extends z.ZodType<string[]>>(list: T): T =>
    satisfies(list, (names) => {
        const twice = names.find((name, index) => names.indexOf(name) !== index);
        return twice === undefined ? undefined : `"${twice}" is listed twice`;
    });
const environmentList = uniqueNames(z.array(environmentName).min(1, { error: "must name at least one environment" }));
/** The environments a shard serves: one name, or a list. */
const environment = z.preprocess((value) => (typeof value === "string" ? [value] : value), environmentList).describe("An environment, or a list of them.");
/** YAML reads an unquoted 2 as a number; it names the same generation as "2". */
const generation = z.preprocess(
    (value) => (typeof value === "number" ? String(value) : value),
    satisfies(text("A token generation."), (name) =>
        /^[a-z0-9]([a-z0-9-]{0,14}[a-z0-9])?$/.test(name) ? undefined : `"${name}" must be a DNS label of at most 16 characters`,
    ),
);
/** AWS's rule for Secrets Manager names: letters, digits and /_+=.@-, at most 512 characters. */
const secretName = (description: string) =>
    satisfies(text(`Secrets Manager name: ${description}`), (value) =>
        /^[A-Za-z0-9/_+=.@-]{1,512}$/.test(value) ? undefined : `"${value}" is not a valid AWS Secrets Manager name`,
    );
/** Pulumi stores `pulumi config set k true` as the text "true"; both spellings mean the boolean. */
const flag = (description: string, fallback = false) =>
    z
        .preprocess((value) => (value === "true" ? true : value === "false" ? false : value), z.boolean())
        .default(fallback)
        .describe(description);
export const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const roleArn = (description: string) =>
    satisfies(text(`IAM role ARN: ${description}`), (value) =>
        IAM_ROLE_ARN.test(value) ? undefined : `must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), got "${value}"`,
    );
/** A group roles are bound to; `system:` groups (e.g. system:authenticated) would grant far more than meant. */
const group = (description: string) =>
    satisfies(text(description), (value) => (value.startsWith("system:") ? `"${value}" is a Kubernetes system group; name a group of its own` : undefined));
/** A Go duration of hours, minutes and seconds (`1h`, `30m`, `1h30m`), as Kargo's chart passes it on. */
const duration = (description: string) =>
    satisfies(text(description), (value) =>
        /^(\d+h)?(\d+m)?(\d+s)?$/.test(value) && !/^0+[hms]?$/.test(value) ? undefined : `must be a duration such as 1h or 30m, got "${value}"`,
    );
/**
 * Claim → accepted values, the shape of Kargo's `rbac.kargo.akuity.io/claims` annotation: its indexer reads
 * a JSON map of string lists and skips the ServiceAccount when a value is not a list
 * (pkg/indexer/indexer.go ServiceAccountsByOIDCClaims, akuity/kargo v1.11.2).
 */
const oidcClaims = (description: string) =>
    satisfies(
        z.record(text("An OIDC claim name."), uniqueNames(z.array(text("A value of that claim.")).min(1, { error: "must list at least one value" }))),
        (claims) => (Object.keys(claims).length === 0 ? "must name at least one claim" : undefined),
    ).describe(description);
export const WAREHOUSE_SHARDS = ["hub", "firstStage"] as const;

export const remoteShardSchema = z.strictObject({
    environment,
    shardName: dnsLabel("Kargo shard of the spoke's controller."),
    kubeconfigSecretName: secretName("where this hub publishes the spoke's hub kubeconfig."),
    readerRoleArn: roleArn("the spoke's external-secrets role, the only reader of its kubeconfig (resource policy).").optional(),
    tokenGenerations: uniqueNames(z.array(generation).min(1, { error: "must list at least one generation, newest last" }))
        .default([DEFAULT_TOKEN_GENERATION])
        .describe("Names of the controller's token generations, newest (the published one) last."),
});

const commonKeys = {
    role: z.enum(["hub", "shard"]).describe("hub or shard."),
    environment: environment.describe("The environment (or list) this cluster's shard serves; the first names its remote controller."),
    shardName: dnsLabel("Kargo shard of this cluster's controller."),
    kubeContext: text("kubeconfig context of the cluster."),
    chartVersion: satisfies(text("Kargo chart version, exact (1.11.2)."), (value) =>
        /^\d+\.\d+\.\d+$/.test(value) ? undefined : `must be an exact chart version such as 1.11.2, got "${value}"`,
    ),
    clusterSecretStore: dnsLabel("external-secrets ClusterSecretStore that reads AWS Secrets Manager."),
    argocdNamespace: dnsLabel("Argo CD's namespace.").default("argocd"),
    adoptExisting: flag("Take over objects that already exist on the cluster (the Argo CD-managed install) on create."),
};

export const hubConfigSchema = z.strictObject({
    ...commonKeys,
    role: z.literal("hub"),
    environments: environmentList.default([...DEFAULT_ENVIRONMENTS]).describe("Every environment, in promotion order; each served by exactly one shard."),
    autoPromotedEnvironments: environmentList.optional().describe("Environments whose Stages are promoted automatically (default: the first)."),
    devEnvironment: environmentName.optional().describe("Overlay, branch and shard of the <app>-dev stages (default: test, else the first environment)."),
    awsRegion: text("Region of the EKS cluster and the Secrets Manager entries.").default("eu-west-2"),
    apiHost: satisfies(text("Host of the Kargo UI/API."), (value) => {
        const problem = dnsSubdomainProblem(value);
        return problem && `${problem} (give the host name only, without https://)`;
    }),
    eksClusterName: satisfies(text("EKS cluster of the hub; its API endpoint goes into the remote kubeconfigs."), (value) =>
        /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/.test(value) ? undefined : `"${value}" is not a valid EKS cluster name`,
    ),
    oidcIssuerUrl: satisfies(text("Keycloak issuer, exactly as in the tokens."), (value) =>
        /^https:\/\/[\w.-]+(:\d+)?(\/\S*)?$/.test(value) ? undefined : `must be an https:// URL, got "${value}"`,
    ),
    oidcClientId: text("Keycloak client.").default("kargo"),
    oidcAdminGroup: text("Group whose members are Kargo admins.").default("admin"),
    ingressClassName: dnsLabel("Ingress class of the UI/API.").default("nginx"),
    ingressClusterIssuer: dnsLabel("cert-manager ClusterIssuer for the UI's TLS certificate."),
    adminAccount: flag("Kargo's admin account (break-glass); false turns it off.", true),
    adminCredentialsSecretName: secretName("the admin password hash and token signing key.").optional(),
    adminTokenTTL: duration("Lifetime of admin tokens (chart api.adminAccount.tokenTTL).").optional(),
    remoteShards: z.array(remoteShardSchema).describe("The spokes' shards (may be empty)."),
    kmsKeyId: text("Customer-managed KMS key for the published hub kubeconfigs.").optional(),
    secretAdminRoleArns: z
        .array(roleArn("may also read the published kubeconfigs (the role Pulumi deploys with)."))
        .default([])
        .describe("Principals excepted from the kubeconfigs' Deny."),
    catalogue: text("The application catalogue, relative to the project.").default("catalogue.yaml"),
    gitRepoUrl: satisfies(text("HTTPS URL of the deployment repo (SSH URLs are rewritten to HTTPS)."), (value) =>
        toHttpsGitUrl(value) === undefined ? `must be a git repository URL, got "${value}"` : undefined,
    ),
    gitCredentialsSecretName: secretName("the deployment repo's git credentials."),
    githubWebhookSecretName: secretName("the GitHub webhook secret."),
    ciPromotersGroup: group("Kubernetes group that may create Promotions.").default("ci-promoters"),
    ciPromoterClaims: oidcClaims(
        "OIDC claims (claim → values) whose bearers call Kargo's API as ServiceAccount ci-promoter, e.g. {sub: [<Keycloak service-account user id>]}.",
    ).optional(),
    developerGroup: group("OIDC group that may promote and create Freight.").optional(),
    slackWebhookSecretName: secretName("a Slack incoming-webhook URL; turns on notifications.").optional(),
    slackNotifyDevStages: flag("Also notify for <app>-dev promotions."),
    argocdUrls: z
        .record(
            z.string(),
            satisfies(text("Argo CD UI URL of that shard's cluster."), (url) =>
                /^https:\/\/[\w.-]+(:\d+)?(\/\S*)?$/.test(url) ? undefined : `must be an https:// URL, got ${JSON.stringify(url)}`,
            ),
        )
        .default({})
        .describe("Argo CD UI URL per shard name (chart api.argocd.urls), for the Kargo UI's links."),
    warehouseShard: z
        .enum(WAREHOUSE_SHARDS)
        .default("hub")
        .describe("hub: every Warehouse on the hub's shard; firstStage: on the shard of the first stage it feeds."),
    developerPromotionEnvironments: z
        .array(text("dev or an environment."))
        .optional()
        .describe("Stages developers may promote into (default: dev and the first environment)."),
    ciPromoterEnvironments: z.array(text("dev or an environment.")).optional().describe("Stages the CI group may promote into (default: all)."),
});

export const shardConfigSchema = z.strictObject({
    ...commonKeys,
    role: z.literal("shard"),
    hubKubeconfigSecretName: secretName("this shard's hub kubeconfig, published by the hub."),
    hubKubeconfigReaderRoleArn: roleArn("IRSA role of a SecretStore in kargo that alone reads the hub kubeconfig.").optional(),
    hubKubeconfigRegion: text("Region of the hub kubeconfig's Secrets Manager entry.").optional(),
});

export type HubConfig = z.output<typeof hubConfigSchema>;
export type ShardConfig = z.output<typeof shardConfigSchema>;
export type RemoteShardConfig = z.output<typeof remoteShardSchema>;

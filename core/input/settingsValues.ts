/**
 * The value schemas the stack settings are made of (texts, names, ARNs, flags, durations), each with its rule
 * and wording; settingsSchema.ts assembles them into the keys of each role.
 */
import { z } from "zod";
import { satisfies } from "./schemaIssues";
import { uniqueItems } from "./schemaRules";
import { dnsLabelProblem, toHttpsGitUrl } from "./validation";

/**
 * For the generated docs only: what an unset optional key means when it has no fixed default, and the
 * accepted input where a preprocess step widens it beyond the schema's own type.
 */
export const configDocs = z.registry<{ readonly unsetMeans?: string; readonly inputType?: string }>();
export function optionalMeaning<T extends z.ZodType>(schema: T, unsetMeans: string): z.ZodOptional<T> {
    const optional = schema.optional();
    const registered: z.ZodType = optional;
    configDocs.add(registered, { unsetMeans });
    return optional;
}

export const text = (description: string) => z.string().min(1).describe(description);
export const dnsLabel = (description: string) => satisfies(text(description), (value) => dnsLabelProblem(value));
/** `dev` is reserved: `<app>-dev` is the dev stage's name. */
/**
 * A spoke's shared-resources namespace is `kargo-shared-resources-<environment>` (core/install/gitCredentials.ts),
 * and a namespace name is a DNS label of at most 63 characters: 40 are left for the environment.
 */
export const MAX_ENVIRONMENT_LENGTH = 63 - "kargo-shared-resources-".length;
export const environmentName = satisfies(text(`An environment (a DNS label of at most ${MAX_ENVIRONMENT_LENGTH} characters).`), (name) =>
    name === "dev" ? `"dev" is reserved: <app>-dev is the dev stage` : dnsLabelProblem(name, MAX_ENVIRONMENT_LENGTH),
);
export const environmentList = uniqueItems(z.array(environmentName).min(1, { error: "must name at least one environment" }));
/** The environments a shard serves: one name, or a list. */
export const environment = (description: string) =>
    z
        .preprocess((value) => (typeof value === "string" ? [value] : value), environmentList)
        .describe(description)
        .register(configDocs, { inputType: "text or list of text" });
/** YAML reads an unquoted 2 as a number; it names the same generation as "2". */
export const generation = z.preprocess(
    (value) => (typeof value === "number" ? String(value) : value),
    satisfies(text("A token generation."), (name) =>
        /^[a-z0-9]([a-z0-9-]{0,14}[a-z0-9])?$/.test(name) ? undefined : `"${name}" must be a DNS label of at most 16 characters`,
    ),
);
/** AWS's rule for Secrets Manager names: letters, digits and /_+=.@-, at most 512 characters. */
export const secretName = (description: string) =>
    satisfies(text(`Secrets Manager name of ${description}`), (value) =>
        /^[A-Za-z0-9/_+=.@-]{1,512}$/.test(value) ? undefined : `"${value}" is not a valid AWS Secrets Manager name`,
    );
/** Pulumi stores `pulumi config set k true` as the text "true"; both spellings mean the boolean. */
export const flag = (description: string, fallback: boolean) =>
    z
        .preprocess((value) => (value === "true" ? true : value === "false" ? false : value), z.boolean())
        .default(fallback)
        .describe(description);
const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
/** `aws sts get-caller-identity` prints a session's ARN, which a resource policy's aws:PrincipalArn never equals. */
const ASSUMED_ROLE_SESSION = /^arn:aws[a-z-]*:sts::\d{12}:assumed-role\/([^/]+)\/.+$/;
export const roleArn = (description: string) =>
    satisfies(text(description), (value) => {
        if (IAM_ROLE_ARN.test(value)) return undefined;
        const session = ASSUMED_ROLE_SESSION.exec(value);
        return session
            ? `"${value}" is an assumed-role session ARN, not the role's; use the role's ARN, path included: aws iam get-role --role-name ${session[1]} --query Role.Arn`
            : `must be an IAM role ARN (arn:aws:iam::<account>:role/<path/><name>), got "${value}"`;
    });
/** A group roles are bound to; `system:` groups (e.g. system:authenticated) would grant far more than meant. */
export const group = (description: string) =>
    satisfies(text(description), (value) => (value.startsWith("system:") ? `"${value}" is a Kubernetes system group; name a group of its own` : undefined));
/** A Go duration of hours, minutes and seconds (`1h`, `30m`, `1h30m`), as Kargo's chart passes it on. */
export const duration = (description: string) =>
    satisfies(text(description), (value) =>
        /^(\d+h)?(\d+m)?(\d+s)?$/.test(value) && !/^0+[hms]?$/.test(value) ? undefined : `must be a duration such as 1h or 30m, got "${value}"`,
    );
/**
 * Claim → accepted values, the shape of Kargo's `rbac.kargo.akuity.io/claims` annotation: its indexer reads
 * a JSON map of string lists and skips the ServiceAccount when a value is not a list
 * (pkg/indexer/indexer.go ServiceAccountsByOIDCClaims, akuity/kargo v1.11.2).
 */
export const oidcClaims = (description: string) =>
    satisfies(
        z.record(text("An OIDC claim name."), uniqueItems(z.array(text("A value of that claim.")).min(1, { error: "must list at least one value" }))),
        (claims) => (Object.keys(claims).length === 0 ? "must name at least one claim" : undefined),
    ).describe(description);
export const httpsUrl = (description: string) =>
    satisfies(text(description), (url) => (/^https:\/\/[\w.-]+(:\d+)?(\/\S*)?$/.test(url) ? undefined : `must be an https:// URL, got ${JSON.stringify(url)}`));
/** Rewritten to HTTPS: Kargo v1.10 deprecated SSH git URLs. */
export const gitRepoUrl = text("HTTPS URL of the deployment repo (SSH URLs are rewritten to HTTPS).").transform((value, context) => {
    const url = toHttpsGitUrl(value);
    if (url === undefined) context.issues.push({ code: "custom", message: `must be a git repository URL, got "${value}"`, input: value });
    return url ?? z.NEVER;
});

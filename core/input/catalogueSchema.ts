/**
 * The catalogue's input shape, declared once: the seed chart's `applications:` format with every rule that
 * needs no other input. Types (`CatalogueInput`), defaults, validation, error wording and the editor's JSON
 * Schema (`catalogue.schema.json`) all come from here. Rules that depend on the stack (known environments)
 * and the translation to Kargo's fields live in catalogue.ts.
 */
import { z } from "zod";
import { satisfies } from "./schemaIssues";
import {
    chartNameProblem,
    chartRepoProblem,
    dnsLabelProblem,
    imageRepoProblem,
    regexProblem,
    repoPathProblem,
    semverConstraintProblem,
    toHttpsGitUrl,
    yamlKeyProblem,
} from "./validation";

export const DEFAULT_DISCOVERY_LIMIT = 5;
/** Kargo keeps at most this many discovered versions per subscription. */
export const MAX_DISCOVERY_LIMIT = 100;
export const ENV_PLACEHOLDER = "{{env}}";
export const IMAGE_SELECTION_STRATEGIES = ["SemVer", "Digest", "Lexical", "NewestBuild"] as const;
export type ImageSelectionStrategy = (typeof IMAGE_SELECTION_STRATEGIES)[number];

const text = (description: string) => z.string().min(1).describe(description);

const discoveryLimit = z
    .number()
    .int()
    .refine((value) => value >= 1 && value <= MAX_DISCOVERY_LIMIT, {
        error: (issue) => `must be between 1 and ${MAX_DISCOVERY_LIMIT}, got ${String(issue.input)}`,
    })
    .default(DEFAULT_DISCOVERY_LIMIT)
    .describe(`How many versions Kargo discovers, 1-${MAX_DISCOVERY_LIMIT} (default ${DEFAULT_DISCOVERY_LIMIT}).`);

/** Kargo parses constraints with Masterminds/semver; a number here means YAML read an unquoted version. */
const constraint = (description: string) => satisfies(text(description), semverConstraintProblem).optional();
/** An image's constraint is a semver range only for SemVer selection (catalogue.ts checks it there). */
const imageConstraint = text("Semver range (SemVer) or the tag to follow (Digest). Kargo: image constraint.").optional();
const constraintAlias = text("Alias of constraint, in the seed chart's spelling; give only one of the two.").optional();

/** A file of the application, relative to its path; `{{env}}` stands for the Stage's target environment. */
const appFile = (description: string) =>
    satisfies(text(`${description} Relative to the application's path; ${ENV_PLACEHOLDER} stands for the target environment.`), (file) => {
        if (/[{}]/.test(file.split(ENV_PLACEHOLDER).join("env"))) return `only ${ENV_PLACEHOLDER} may appear in braces`;
        return repoPathProblem(file);
    });

const yamlKey = (description: string) =>
    satisfies(text(`${description} Dotted YAML key as Kargo's yaml-update takes it (a.b, list.0.x, a\\.b).`), yamlKeyProblem);

export const customPathSchema = z
    .strictObject({
        file: appFile("YAML file that holds the image reference."),
        key: yamlKey("Where the reference goes."),
        valueType: z
            .enum(["tag", "full"], {
                error: (issue) => `must be "tag" (write the tag only) or "full" (write <repoURL>:<tag>), got ${JSON.stringify(issue.input)}`,
            })
            .default("full")
            .describe("tag: write the tag only; full (default): write <repoURL>:<tag>."),
    })
    .describe("Writes the image's tag to a YAML key outside kustomize's images (CRD fields, Helm values).");

export const imageSchema = z
    .strictObject({
        repoURL: satisfies(text("Image repository, without tag or digest, e.g. public.ecr.aws/eodh/my-image."), imageRepoProblem),
        constraint: imageConstraint,
        semverConstraint: constraintAlias,
        enableDevTags: z.boolean().default(false).describe("Also adds <app>-dev-images and the <app>-dev stage, fed by the newest build of any tag."),
        imageSelectionStrategy: satisfies(text("SemVer (default), Digest (needs constraint), Lexical or NewestBuild; any capitalisation."), (name) =>
            IMAGE_SELECTION_STRATEGIES.some((strategy) => strategy.toLowerCase() === name.toLowerCase())
                ? undefined
                : `unknown strategy "${name}"; use one of ${IMAGE_SELECTION_STRATEGIES.join(", ")}`,
        ).optional(),
        allowTags: satisfies(text("Regular expression (RE2) a tag must match. Kargo: allowTagsRegexes."), regexProblem).optional(),
        ignoreTags: z.array(text("A literal tag.")).optional().describe("Literal tags to ignore. Kargo: anchored ignoreTagsRegexes."),
        strictSemvers: z.boolean().optional().describe("SemVer only: ignore tags that are not strict semantic versions."),
        discoveryLimit,
        customPath: customPathSchema.optional(),
    })
    .describe("A container image the application deploys.");

const NO_CHART_TAG_FILTER = "Kargo v1.11 chart subscriptions have no tag filter";
/** Seed chart options that Kargo v1.11 chart subscriptions do not have: rejected with what to do instead. */
const unsupported = (reason: string) => z.never({ error: reason }).optional().describe(`Not supported: ${reason}.`);

export const chartSchema = z
    .strictObject({
        name: satisfies(text("Chart name; required for http(s) repositories, folded into the URL for oci://."), chartNameProblem).optional(),
        repoURL: satisfies(text("Chart repository: http(s):// or oci://."), (url) => chartRepoProblem(url.replace(/\/+$/, ""))),
        constraint: constraint("Semver range of chart versions. Kargo: chart semverConstraint."),
        semverConstraint: constraintAlias,
        allowTags: unsupported(`${NO_CHART_TAG_FILTER}; narrow versions with constraint instead`),
        ignoreTags: unsupported(`${NO_CHART_TAG_FILTER}; exclude versions with constraint (e.g. "^1.0.0, !=1.2.3")`),
        strictSemvers: unsupported("Kargo v1.11 chart subscriptions always use strict semver versions; remove this option"),
        discoveryLimit,
        generatorFile: appFile("The HelmChartInflationGenerator file whose version the promotion writes.").optional(),
        generatorFiles: z
            .array(appFile("A HelmChartInflationGenerator file."))
            .min(1, { error: "must list at least one file" })
            .optional()
            .describe("Several generator files; instead of generatorFile."),
    })
    .describe("A Helm chart the application deploys through kustomize's Helm generator.");

export const releaseUpdateSchema = z
    .strictObject({
        file: appFile("YAML file that holds the release URL."),
        key: yamlKey("Where the URL goes."),
        urlPrefix: z.string().optional().describe("Text before the release tag."),
        urlSuffix: z.string().optional().describe("Text after the release tag."),
    })
    .describe("One place the release URL is written: urlPrefix + tag + urlSuffix.");

export const releaseSchema = z
    .strictObject({
        name: satisfies(text("Release name (a DNS label)."), (name) => dnsLabelProblem(name)),
        repoURL: satisfies(text("Git repository whose SemVer tags are the releases; SSH URLs are rewritten to HTTPS."), (url) =>
            toHttpsGitUrl(url) === undefined ? `"${url}" is not a git repository URL (use https://host/org/repo.git)` : undefined,
        ),
        constraint: constraint("Semver range of release tags. Kargo: git semverConstraint."),
        semverConstraint: constraintAlias,
        discoveryLimit,
        updates: z.array(releaseUpdateSchema).min(1, { error: "must list at least one file update" }).describe("Where the release URL goes."),
    })
    .describe("GitHub release tags of another repository, pinned by URL in the app's files.");

export const applicationSchema = z
    .strictObject({
        name: satisfies(text("Application name: a DNS label (at most 63 characters); names its Warehouses, Stages and Argo CD Application."), (name) =>
            dnsLabelProblem(name),
        ),
        path: satisfies(text("The application's directory in the deployment repository, e.g. apps/my-app."), (path) =>
            path.includes(ENV_PLACEHOLDER) ? `must not contain ${ENV_PLACEHOLDER}` : repoPathProblem(path),
        ),
        stages: z
            .array(text("An environment."))
            .min(1, { error: "must list at least one environment, or be left out for all of them" })
            .optional()
            .describe("Environments in promotion order (first direct, then from the previous); default: every environment."),
        images: z.array(imageSchema).optional().describe("Container images."),
        charts: z.array(chartSchema).optional().describe("Helm charts."),
        releases: z.array(releaseSchema).optional().describe("Release tags of other repositories."),
    })
    .describe("An application Kargo promotes.");

export const catalogueSchema = z
    .strictObject({
        applications: z.array(applicationSchema).min(1).describe("The applications Kargo promotes, one entry each."),
    })
    .describe("The eodhp application catalogue (docs/catalogue.md).");

export type ApplicationInput = z.output<typeof applicationSchema>;
export type ImageInput = z.output<typeof imageSchema>;
export type ChartInput = z.output<typeof chartSchema>;
export type ReleaseInput = z.output<typeof releaseSchema>;

/** The editor's JSON Schema (catalogue.schema.json): the input side, defaults included. */
export function catalogueJsonSchema(): Record<string, unknown> {
    return z.toJSONSchema(catalogueSchema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
}

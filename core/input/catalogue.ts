/**
 * The application catalogue: parsed against its schema (catalogueSchema.ts), checked against the stack's
 * environments, and translated to the fields Kargo v1.11 understands. Every problem of the file is reported
 * in one InputError. Everything downstream works on these normalised types only.
 */
import { z } from "zod";
import {
    applicationSchema,
    catalogueSchema,
    ENV_PLACEHOLDER,
    IMAGE_SELECTION_STRATEGIES,
    type ApplicationInput,
    type ChartInput,
    type ImageInput,
    type ImageSelectionStrategy,
    type ReleaseInput,
} from "./catalogueSchema";
import { InputError, throwIfProblems, type InputLocation, type InputProblem } from "./errors";
import { issueMessage, issueProblems, type IssuePlacement } from "./schemaIssues";
import { escapeRegex } from "./schemaRules";
import { mergeImageEntries, type CustomImagePath } from "./imageEntries";
import { beyondFinal } from "./settings";
import { semverConstraintProblem, toHttpsGitUrl } from "./validation";
import { fieldName, YamlSource, type YamlPath } from "./yamlSource";

export type { CustomImagePath } from "./imageEntries";

export interface ImageSpec {
    readonly repoURL: string;
    readonly constraint?: string;
    readonly enableDevTags: boolean;
    readonly imageSelectionStrategy?: ImageSelectionStrategy;
    /** Kargo `allowTagsRegexes` (seed `allowTags`). */
    readonly allowTagsRegexes: readonly string[];
    /** Kargo `ignoreTagsRegexes`: the seed's literal `ignoreTags`, anchored and escaped. */
    readonly ignoreTagsRegexes: readonly string[];
    readonly strictSemvers?: boolean;
    readonly discoveryLimit: number;
    /** Places outside kustomize's images that the promotion writes the image to. */
    readonly customPaths: readonly CustomImagePath[];
    /** The `images[]` indexes the image is listed at (several when it is written to several places). */
    readonly entries: readonly number[];
}

export interface ChartSpec {
    /** Set only for http(s) repositories; Kargo forbids a name for oci:// repositories. */
    readonly name?: string;
    readonly repoURL: string;
    readonly semverConstraint?: string;
    readonly discoveryLimit: number;
    /** Generator files relative to the app path; `{{env}}` stands for the target environment. */
    readonly generatorFiles: readonly string[];
}

export interface ReleaseUpdate {
    /** File relative to the app path; `{{env}}` stands for the target environment. */
    readonly file: string;
    readonly key: string;
    readonly urlPrefix: string;
    readonly urlSuffix: string;
}

export interface ReleaseSpec {
    readonly name: string;
    readonly repoURL: string;
    readonly semverConstraint?: string;
    readonly discoveryLimit: number;
    readonly updates: readonly ReleaseUpdate[];
}

export interface Application {
    readonly name: string;
    readonly path: string;
    /** Environments in promotion order. */
    readonly stages: readonly string[];
    readonly images: readonly ImageSpec[];
    readonly charts: readonly ChartSpec[];
    readonly releases: readonly ReleaseSpec[];
}

export interface Catalogue {
    readonly file: string;
    readonly applications: readonly Application[];
}

export interface CatalogueOptions {
    /**
     * Environments that have a shard controller, in default promotion order; undefined when the stack file
     * cannot say (its own `environments` is wrong): then nothing is checked against them.
     */
    readonly environments: readonly string[] | undefined;
    /** Environment the `<app>-dev` stage deploys to; it must be one of `environments`. */
    readonly devEnvironment: string;
    /** Environments no stage may promote out of (the hub's own, unless the stack allows it); none when unset. */
    readonly finalEnvironments?: readonly string[];
}

type Report = (path: YamlPath, reason: string) => void;

/** Parses and validates a catalogue file's text. Throws one InputError listing every problem. */
export function parseCatalogue(text: string, file: string, options: CatalogueOptions): Catalogue {
    const source = YamlSource.parse(text, file);
    const document = source.value();
    if (document === null || document === undefined) throw InputError.at({ file, entry: "catalogue" }, "the file is empty; expected an applications: list");
    const placement = cataloguePlacement(source, document);
    const problems: InputProblem[] = [];
    const report: Report = (path, reason) => problems.push({ location: placement.locate(path), reason });

    const top = catalogueSchema.extend({ applications: z.array(z.unknown()).min(1, { error: "must list at least one application" }) });
    const parsedTop = top.safeParse(document, { error: issueMessage });
    if (!parsedTop.success) problems.push(...issueProblems(catalogueSchema, parsedTop.error.issues, placement));
    const entries = parsedTop.success ? parsedTop.data.applications : [];

    const parsedApps = entries.flatMap((raw, index): Array<{ app: Application; index: number }> => {
        const at: YamlPath = ["applications", index];
        const parsed = applicationSchema.safeParse(raw, { error: issueMessage });
        if (!parsed.success) {
            const prefixed = parsed.error.issues.map((issue) => ({ ...issue, path: [...at, ...issue.path] }));
            problems.push(...issueProblems(catalogueSchema, prefixed, placement));
            return [];
        }
        return [{ app: normaliseApplication(parsed.data, raw, at, options, report), index }];
    });
    // Over every entry with a name, not only the valid ones: a mistake elsewhere in an entry must not hide it.
    rejectDuplicates(
        entries.map((raw, index) => ((raw as { name?: unknown } | null)?.name === undefined ? `\0${index}` : JSON.stringify((raw as { name: unknown }).name))),
        (duplicate, first) => report(["applications", duplicate, "name"], `duplicate application name; applications[${first}] already uses it`),
    );
    const applications = parsedApps.map(({ app }) => app);
    throwIfProblems(problems);
    return { file, applications };
}

/** Problems inside `applications[i]` name the application; anything else names the catalogue. */
function cataloguePlacement(source: YamlSource, document: unknown): IssuePlacement {
    const located = (path: YamlPath, line: number | undefined): InputLocation => {
        const index = path[0] === "applications" && typeof path[1] === "number" ? path[1] : undefined;
        if (index === undefined) return { file: source.file, line, entry: "catalogue", field: fieldName(path) };
        const raw = (document as { applications?: unknown[] }).applications?.[index] as { name?: unknown } | undefined;
        const entry = typeof raw?.name === "string" ? `application "${raw.name}"` : `applications[${index}]`;
        return { file: source.file, line, entry, field: fieldName(path.slice(2)) };
    };
    return {
        locate: (path) => located(path, source.line(path)),
        locateKey: (path, key) => located([...path, key], source.keyLine(path, key)),
    };
}

function normaliseApplication(input: ApplicationInput, raw: unknown, at: YamlPath, options: CatalogueOptions, report: Report): Application {
    const { name } = input;
    const known = options.environments;
    const stages = input.stages ?? [...(known ?? [])];
    stages.forEach((stage, index) => {
        if (known && !known.includes(stage)) report([...at, "stages", index], `unknown stage "${stage}"; known environments: ${known.join(", ")}`);
    });
    const rawImages = (raw as { images?: ReadonlyArray<Record<string, unknown>> }).images ?? [];
    const pastFinal = beyondFinal(stages, options.finalEnvironments ?? []);
    if (pastFinal && input.stages)
        report(
            [...at, "stages", stages.indexOf(pastFinal.to)],
            `${pastFinal.to} comes after ${pastFinal.from}, the hub's own environment, so promotions would run from the hub into a spoke (the stack's promoteBeyondHub allows it)`,
        );
    const images = mergeImageEntries(
        (input.images ?? []).map((image, index) => normaliseImage(image, index, [...at, "images", index], report)),
        (index, key) => rawImages[index]?.[key] !== undefined,
        at,
        report,
    );
    const charts = (input.charts ?? []).map((chart, index) => normaliseChart(chart, [...at, "charts", index], report));
    const releases = (input.releases ?? []).map((release, index) => normaliseRelease(release, [...at, "releases", index], report));

    const devImage = images.findIndex((image) => image.enableDevTags);
    if (devImage !== -1 && known && !known.includes(options.devEnvironment)) {
        report([...at, "images", devImage, "enableDevTags"], `needs a "${options.devEnvironment}" shard for the ${name}-dev stage, and this hub has none`);
    }
    const duplicate = (list: string, field: string) => (index: number, first: number) =>
        report([...at, list, index, field], `duplicates ${list}[${first}]; Kargo rejects a Warehouse that subscribes to the same repository twice`);
    rejectDuplicates(
        charts.map((chart) => `${chart.repoURL}#${chart.name ?? ""}`),
        duplicate("charts", "repoURL"),
    );
    rejectDuplicates(
        releases.map((release) => release.repoURL),
        duplicate("releases", "repoURL"),
    );
    rejectDuplicates(
        releases.map((release) => release.name),
        duplicate("releases", "name"),
    );
    return { name, path: input.path, stages, images, charts, releases };
}

function rejectDuplicates(keys: readonly string[], report: (index: number, first: number) => void): void {
    keys.forEach((key, index) => {
        const first = keys.indexOf(key);
        if (first !== index) report(index, first);
    });
}

/** `constraint` and its seed alias `semverConstraint`: either may be given, both only if equal. */
function constraintOf(input: { constraint?: string; semverConstraint?: string }, at: YamlPath, report: Report): string | undefined {
    const { constraint, semverConstraint } = input;
    if (constraint !== undefined && semverConstraint !== undefined && constraint !== semverConstraint) {
        report([...at, "semverConstraint"], `is an alias of constraint; they disagree ("${semverConstraint}" vs "${constraint}"), give only one`);
    }
    return constraint ?? semverConstraint;
}

function checkSemver(constraint: string | undefined, at: YamlPath, report: Report): void {
    const problem = constraint === undefined ? undefined : semverConstraintProblem(constraint);
    if (problem) report([...at, "constraint"], problem);
}

function normaliseImage(input: ImageInput, index: number, at: YamlPath, report: Report): ImageSpec {
    const constraint = constraintOf(input, at, report);
    const named = input.imageSelectionStrategy?.toLowerCase();
    const imageSelectionStrategy = IMAGE_SELECTION_STRATEGIES.find((strategy) => strategy.toLowerCase() === named);
    const strategy = imageSelectionStrategy ?? "SemVer";
    if (strategy === "SemVer") checkSemver(constraint, at, report);
    // Kargo ignores these for the other strategies; accepting them would promise a filter that never runs.
    if (constraint !== undefined && (strategy === "Lexical" || strategy === "NewestBuild")) {
        report([...at, "constraint"], `has no effect with imageSelectionStrategy ${strategy}; filter tags with allowTags instead`);
    }
    if (input.strictSemvers !== undefined && strategy !== "SemVer")
        report([...at, "strictSemvers"], `only applies to imageSelectionStrategy SemVer, not ${strategy}`);
    return {
        repoURL: input.repoURL,
        constraint,
        enableDevTags: input.enableDevTags,
        imageSelectionStrategy,
        allowTagsRegexes: input.allowTags === undefined ? [] : [input.allowTags],
        ignoreTagsRegexes: (input.ignoreTags ?? []).map(literalTagRegex),
        strictSemvers: input.strictSemvers,
        discoveryLimit: input.discoveryLimit,
        customPaths: input.customPath ? [{ ...input.customPath, at: ["images", index, "customPath"] }] : [],
        entries: [index],
    };
}

/** The seed's ignoreTags are literal tags; Kargo v1.11 only takes regular expressions. */
export function literalTagRegex(tag: string): string {
    return `^${escapeRegex(tag)}$`;
}

function normaliseChart(input: ChartInput, at: YamlPath, report: Report): ChartSpec {
    const rawRepoURL = input.repoURL.replace(/\/+$/, "");
    const isOci = rawRepoURL.startsWith("oci://");
    // Kargo forbids `name` for OCI repositories: the repository URL itself names the chart.
    const repoURL = isOci && input.name !== undefined && !rawRepoURL.endsWith(`/${input.name}`) ? `${rawRepoURL}/${input.name}` : rawRepoURL;
    const semverConstraint = constraintOf(input, at, report);
    checkSemver(semverConstraint, at, report);
    const generatorFiles = input.generatorFiles ?? (input.generatorFile === undefined ? [] : [input.generatorFile]);
    return { name: isOci ? undefined : input.name, repoURL, semverConstraint, discoveryLimit: input.discoveryLimit, generatorFiles };
}

function normaliseRelease(input: ReleaseInput, at: YamlPath, report: Report): ReleaseSpec {
    const semverConstraint = constraintOf(input, at, report);
    checkSemver(semverConstraint, at, report);
    const updates = input.updates.map((update, index) => {
        const where: YamlPath = [...at, "updates", index];
        for (const field of ["urlPrefix", "urlSuffix"] as const) {
            if (update[field]?.includes("${{")) report([...where, field], "must not contain ${{ }} expressions");
        }
        return { file: update.file, key: update.key, urlPrefix: update.urlPrefix ?? "", urlSuffix: update.urlSuffix ?? "" };
    });
    return { name: input.name, repoURL: toHttpsGitUrl(input.repoURL) as string, semverConstraint, discoveryLimit: input.discoveryLimit, updates };
}

/** Whether the app has a `<app>-dev` stage (any image opts in to dev tags). */
export function hasDevStage(app: Application): boolean {
    return app.images.some((image) => image.enableDevTags);
}

/** `{{env}}` in a catalogue file path, resolved to `env`. */
export function resolveEnv(file: string, env: string): string {
    return file.split(ENV_PLACEHOLDER).join(env);
}

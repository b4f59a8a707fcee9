/**
 * The application catalogue: the seed chart's `applications:` list, parsed, validated and translated to the
 * fields Kargo v1.11 understands. Everything downstream works on these normalised types only.
 */
import { InputError } from "./errors";
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
import { EntryReader, YamlSource, type YamlPath } from "./yamlSource";

export type ImageSelectionStrategy = "SemVer" | "Digest" | "Lexical" | "NewestBuild";

export interface CustomImagePath {
    /** File relative to the app path. */
    readonly file: string;
    /** Dotted YAML key. */
    readonly key: string;
    /** `tag` writes the tag only; `full` writes `<repoURL>:<tag>`. */
    readonly valueType: "tag" | "full";
}

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
    readonly customPath?: CustomImagePath;
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

export const DEFAULT_DISCOVERY_LIMIT = 5;
/** Kargo keeps at most this many discovered versions per subscription. */
export const MAX_DISCOVERY_LIMIT = 100;
/** The longest suffix we append (`-dev-images`) must still leave names that fit a label value (63). */
export const MAX_APP_NAME_LENGTH = 63 - "-dev-images".length;
export const ENV_PLACEHOLDER = "{{env}}";

const APP_KEYS = ["name", "path", "stages", "images", "charts", "releases"] as const;
const IMAGE_KEYS = [
    "repoURL",
    "constraint",
    "semverConstraint",
    "enableDevTags",
    "imageSelectionStrategy",
    "allowTags",
    "ignoreTags",
    "strictSemvers",
    "discoveryLimit",
    "customPath",
] as const;
const CUSTOM_PATH_KEYS = ["file", "key", "valueType"] as const;
const CHART_KEYS = [
    "name",
    "repoURL",
    "constraint",
    "semverConstraint",
    "allowTags",
    "ignoreTags",
    "strictSemvers",
    "discoveryLimit",
    "generatorFile",
    "generatorFiles",
] as const;
const RELEASE_KEYS = ["name", "repoURL", "constraint", "semverConstraint", "discoveryLimit", "updates"] as const;
const UPDATE_KEYS = ["file", "key", "urlPrefix", "urlSuffix"] as const;

/** Seed chart options that Kargo v1.11 chart subscriptions do not have, and what to do instead. */
const UNSUPPORTED_CHART_OPTIONS: Readonly<Record<string, string>> = {
    allowTags: "Kargo v1.11 chart subscriptions have no tag filter; narrow versions with constraint instead",
    ignoreTags: "Kargo v1.11 chart subscriptions have no tag filter; exclude versions with constraint (e.g. \"^1.0.0, !=1.2.3\")",
    strictSemvers: "Kargo v1.11 chart subscriptions always use strict semver versions; remove this option",
};

const STRATEGIES: Readonly<Record<string, ImageSelectionStrategy>> = {
    semver: "SemVer",
    digest: "Digest",
    lexical: "Lexical",
    newestbuild: "NewestBuild",
};

export interface CatalogueOptions {
    /** Environments that have a shard controller, in default promotion order. */
    readonly environments: readonly string[];
    /** Environment the `<app>-dev` stage deploys to; it must be one of `environments`. */
    readonly devEnvironment: string;
}

/** Parses and validates a catalogue file's text. Throws InputError on the first problem. */
export function parseCatalogue(text: string, file: string, options: CatalogueOptions): Catalogue {
    const source = YamlSource.parse(text, file);
    const top = new EntryReader(source, "catalogue", []);
    const document = source.value();
    if (document === null || document === undefined) top.fail([], "the file is empty; expected an applications: list");
    const root = top.map([], document);
    top.checkKeys([], root, ["applications"]);
    if (root.applications === undefined) top.fail(["applications"], "is required");
    const entries = top.list(["applications"], root.applications);
    if (entries.length === 0) top.fail(["applications"], "must list at least one application");

    const seen = new Map<string, number>();
    const applications = entries.map((raw, index) => {
        const app = parseApplication(source, index, raw, options);
        const previous = seen.get(app.name);
        if (previous !== undefined) {
            throw new InputError(
                { file, line: source.line(["applications", index, "name"]), entry: `application "${app.name}"`, field: "name" },
                `duplicate application name; applications[${previous}] already uses it`,
            );
        }
        seen.set(app.name, index);
        return app;
    });
    return { file, applications };
}

function parseApplication(source: YamlSource, index: number, raw: unknown, options: CatalogueOptions): Application {
    const root: YamlPath = ["applications", index];
    const named = raw !== null && typeof raw === "object" && typeof (raw as { name?: unknown }).name === "string";
    const reader = new EntryReader(
        source,
        named ? `application "${(raw as { name: string }).name}"` : `applications[${index}]`,
        root,
    );
    const value = reader.map([], raw);
    reader.checkKeys([], value, APP_KEYS);
    for (const required of ["name", "path"] as const) {
        if (value[required] === undefined) reader.fail([required], "is required");
    }
    const name = reader.string(["name"], value.name);
    reader.check(["name"], dnsLabelProblem(name, MAX_APP_NAME_LENGTH));
    const path = reader.string(["path"], value.path);
    reader.check(["path"], repoPathProblem(path));
    if (path.includes(ENV_PLACEHOLDER)) reader.fail(["path"], `must not contain ${ENV_PLACEHOLDER}`);

    const stages = value.stages === undefined ? [...options.environments] : parseStages(reader, value.stages, options);
    const images = optionalList(reader, value, "images").map((item, i) => parseImage(reader, ["images", i], item));
    const charts = optionalList(reader, value, "charts").map((item, i) => parseChart(reader, ["charts", i], item));
    const releases = optionalList(reader, value, "releases").map((item, i) => parseRelease(reader, ["releases", i], item));

    const devImage = images.findIndex((image) => image.enableDevTags);
    if (devImage !== -1 && !options.environments.includes(options.devEnvironment)) {
        reader.fail(["images", devImage, "enableDevTags"], `needs a "${options.devEnvironment}" shard for the ${name}-dev stage, and this hub has none`);
    }
    rejectDuplicates(reader, "images", images.map((image) => image.repoURL), "repoURL");
    rejectDuplicates(reader, "charts", charts.map((chart) => `${chart.repoURL}#${chart.name ?? ""}`), "repoURL");
    rejectDuplicates(reader, "releases", releases.map((release) => release.repoURL), "repoURL");
    rejectDuplicates(reader, "releases", releases.map((release) => release.name), "name");
    return { name, path, stages, images, charts, releases };
}

function optionalList(reader: EntryReader, value: Record<string, unknown>, key: string): unknown[] {
    return value[key] === undefined ? [] : reader.list([key], value[key]);
}

function rejectDuplicates(reader: EntryReader, list: string, keys: readonly string[], field: string): void {
    keys.forEach((key, index) => {
        const first = keys.indexOf(key);
        if (first !== index) {
            reader.fail([list, index, field], `duplicates ${list}[${first}]; Kargo rejects a Warehouse that subscribes to the same repository twice`);
        }
    });
}

function parseStages(reader: EntryReader, raw: unknown, options: CatalogueOptions): string[] {
    const stages = reader.stringList(["stages"], raw);
    if (stages.length === 0) reader.fail(["stages"], "must list at least one environment, or be left out for all of them");
    stages.forEach((stage, index) => {
        if (!options.environments.includes(stage)) {
            reader.fail(["stages", index], `unknown stage "${stage}"; known environments: ${options.environments.join(", ")}`);
        }
        if (stages.indexOf(stage) !== index) reader.fail(["stages", index], `"${stage}" is listed twice`);
    });
    return stages;
}

/** `constraint` and its seed alias `semverConstraint`: either may be given, both only if equal. */
function parseConstraint(reader: EntryReader, at: YamlPath, value: Record<string, unknown>): string | undefined {
    const constraint = value.constraint === undefined ? undefined : reader.stringOrNumber([...at, "constraint"], value.constraint);
    const alias =
        value.semverConstraint === undefined ? undefined : reader.stringOrNumber([...at, "semverConstraint"], value.semverConstraint);
    if (constraint !== undefined && alias !== undefined && constraint !== alias) {
        reader.fail([...at, "semverConstraint"], `is an alias of constraint; they disagree ("${alias}" vs "${constraint}"), give only one`);
    }
    return constraint ?? alias;
}

function parseDiscoveryLimit(reader: EntryReader, at: YamlPath, value: Record<string, unknown>): number {
    return value.discoveryLimit === undefined
        ? DEFAULT_DISCOVERY_LIMIT
        : reader.integer([...at, "discoveryLimit"], value.discoveryLimit, 1, MAX_DISCOVERY_LIMIT);
}

function parseImage(reader: EntryReader, at: YamlPath, raw: unknown): ImageSpec {
    const value = reader.map(at, raw);
    reader.checkKeys(at, value, IMAGE_KEYS);
    if (value.repoURL === undefined) reader.fail([...at, "repoURL"], "is required");
    const repoURL = reader.string([...at, "repoURL"], value.repoURL);
    reader.check([...at, "repoURL"], imageRepoProblem(repoURL));

    const strategyName =
        value.imageSelectionStrategy === undefined ? undefined : reader.string([...at, "imageSelectionStrategy"], value.imageSelectionStrategy);
    const imageSelectionStrategy = strategyName === undefined ? undefined : STRATEGIES[strategyName.toLowerCase()];
    if (strategyName !== undefined && imageSelectionStrategy === undefined) {
        reader.fail([...at, "imageSelectionStrategy"], `unknown strategy "${strategyName}"; use one of ${Object.values(STRATEGIES).join(", ")}`);
    }
    const constraint = parseConstraint(reader, at, value);
    const strategy = imageSelectionStrategy ?? "SemVer";
    if (constraint !== undefined && strategy === "SemVer") reader.check([...at, "constraint"], semverConstraintProblem(constraint));
    if (strategy === "Digest" && constraint === undefined) {
        reader.fail([...at, "constraint"], "is required with imageSelectionStrategy Digest (it names the tag to follow)");
    }
    // Kargo ignores these for the other strategies; accepting them would promise a filter that never runs.
    if (constraint !== undefined && (strategy === "Lexical" || strategy === "NewestBuild")) {
        reader.fail([...at, "constraint"], `has no effect with imageSelectionStrategy ${strategy}; filter tags with allowTags instead`);
    }
    if (value.strictSemvers !== undefined && strategy !== "SemVer") {
        reader.fail([...at, "strictSemvers"], `only applies to imageSelectionStrategy SemVer, not ${strategy}`);
    }

    const allowTags = value.allowTags === undefined ? undefined : reader.string([...at, "allowTags"], value.allowTags);
    if (allowTags !== undefined) reader.check([...at, "allowTags"], regexProblem(allowTags));
    const ignoreTags = value.ignoreTags === undefined ? [] : reader.stringList([...at, "ignoreTags"], value.ignoreTags);

    return {
        repoURL,
        constraint,
        enableDevTags: value.enableDevTags === undefined ? false : reader.boolean([...at, "enableDevTags"], value.enableDevTags),
        imageSelectionStrategy,
        allowTagsRegexes: allowTags === undefined ? [] : [allowTags],
        ignoreTagsRegexes: ignoreTags.map(literalTagRegex),
        strictSemvers: value.strictSemvers === undefined ? undefined : reader.boolean([...at, "strictSemvers"], value.strictSemvers),
        discoveryLimit: parseDiscoveryLimit(reader, at, value),
        customPath: value.customPath === undefined ? undefined : parseCustomPath(reader, [...at, "customPath"], value.customPath),
    };
}

/** The seed's ignoreTags are literal tags; Kargo v1.11 only takes regular expressions. */
export function literalTagRegex(tag: string): string {
    return `^${tag.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`;
}

/** A YAML key in a file of the app (customPath, release updates), with the entry's other fields. */
function parseFileKey(reader: EntryReader, at: YamlPath, raw: unknown, allowed: readonly string[]) {
    const value = reader.map(at, raw);
    reader.checkKeys(at, value, allowed);
    const file = parseAppFile(reader, [...at, "file"], value.file, false);
    if (value.key === undefined) reader.fail([...at, "key"], "is required");
    const key = reader.string([...at, "key"], value.key);
    reader.check([...at, "key"], yamlKeyProblem(key));
    return { value, file, key };
}

function parseCustomPath(reader: EntryReader, at: YamlPath, raw: unknown): CustomImagePath {
    const { value, file, key } = parseFileKey(reader, at, raw, CUSTOM_PATH_KEYS);
    const valueType = value.valueType === undefined ? "full" : reader.string([...at, "valueType"], value.valueType);
    if (valueType !== "tag" && valueType !== "full") {
        reader.fail([...at, "valueType"], `must be "tag" (write the tag only) or "full" (write <repoURL>:<tag>), got "${valueType}"`);
    }
    return { file, key, valueType };
}

function parseAppFile(reader: EntryReader, at: YamlPath, raw: unknown, allowEnv: boolean): string {
    if (raw === undefined) reader.fail(at, "is required");
    const file = reader.string(at, raw);
    reader.check(at, repoPathProblem(file));
    const withoutEnv = file.split(ENV_PLACEHOLDER).join("env");
    if (/[{}]/.test(withoutEnv) || (!allowEnv && file.includes(ENV_PLACEHOLDER))) {
        reader.fail(at, allowEnv ? `only ${ENV_PLACEHOLDER} may appear in braces` : `${ENV_PLACEHOLDER} is only supported in chart generator files`);
    }
    return file;
}

function parseChart(reader: EntryReader, at: YamlPath, raw: unknown): ChartSpec {
    const value = reader.map(at, raw);
    reader.checkKeys(at, value, CHART_KEYS);
    for (const [option, why] of Object.entries(UNSUPPORTED_CHART_OPTIONS)) {
        if (value[option] !== undefined) reader.fail([...at, option], why);
    }
    if (value.repoURL === undefined) reader.fail([...at, "repoURL"], "is required");
    const rawRepoURL = reader.string([...at, "repoURL"], value.repoURL).replace(/\/+$/, "");
    reader.check([...at, "repoURL"], chartRepoProblem(rawRepoURL));
    const rawName = value.name === undefined ? undefined : reader.string([...at, "name"], value.name);
    if (rawName !== undefined) reader.check([...at, "name"], chartNameProblem(rawName));
    const isOci = rawRepoURL.startsWith("oci://");
    if (!isOci && rawName === undefined) reader.fail([...at, "name"], "is required for http(s) chart repositories");
    // Kargo forbids `name` for OCI repositories: the repository URL itself names the chart.
    const repoURL = isOci && rawName !== undefined && !rawRepoURL.endsWith(`/${rawName}`) ? `${rawRepoURL}/${rawName}` : rawRepoURL;

    const semverConstraint = parseConstraint(reader, at, value);
    if (semverConstraint !== undefined) reader.check([...at, "constraint"], semverConstraintProblem(semverConstraint));

    if (value.generatorFile !== undefined && value.generatorFiles !== undefined) {
        reader.fail([...at, "generatorFiles"], "give either generatorFile or generatorFiles, not both");
    }
    const generatorFiles =
        value.generatorFiles !== undefined
            ? reader.list([...at, "generatorFiles"], value.generatorFiles).map((file, i) => parseAppFile(reader, [...at, "generatorFiles", i], file, true))
            : value.generatorFile !== undefined
              ? [parseAppFile(reader, [...at, "generatorFile"], value.generatorFile, true)]
              : reader.fail([...at, "generatorFile"], "is required (or generatorFiles): the promotion writes the chart version there");
    if (generatorFiles.length === 0) reader.fail([...at, "generatorFiles"], "must list at least one file");
    return {
        name: isOci ? undefined : rawName,
        repoURL,
        semverConstraint,
        discoveryLimit: parseDiscoveryLimit(reader, at, value),
        generatorFiles,
    };
}

function parseRelease(reader: EntryReader, at: YamlPath, raw: unknown): ReleaseSpec {
    const value = reader.map(at, raw);
    reader.checkKeys(at, value, RELEASE_KEYS);
    for (const required of ["name", "repoURL", "updates"] as const) {
        if (value[required] === undefined) reader.fail([...at, required], "is required");
    }
    const name = reader.string([...at, "name"], value.name);
    reader.check([...at, "name"], dnsLabelProblem(name));
    const rawRepoURL = reader.string([...at, "repoURL"], value.repoURL);
    const repoURL = toHttpsGitUrl(rawRepoURL);
    if (repoURL === undefined) reader.fail([...at, "repoURL"], `"${rawRepoURL}" is not a git repository URL (use https://host/org/repo.git)`);
    const semverConstraint = parseConstraint(reader, at, value);
    if (semverConstraint !== undefined) reader.check([...at, "constraint"], semverConstraintProblem(semverConstraint));
    const updates = reader.list([...at, "updates"], value.updates).map((item, i) => parseReleaseUpdate(reader, [...at, "updates", i], item));
    if (updates.length === 0) reader.fail([...at, "updates"], "must list at least one file update");
    return { name, repoURL, semverConstraint, discoveryLimit: parseDiscoveryLimit(reader, at, value), updates };
}

function parseReleaseUpdate(reader: EntryReader, at: YamlPath, raw: unknown): ReleaseUpdate {
    const { value, file, key } = parseFileKey(reader, at, raw, UPDATE_KEYS);
    const affix = (field: "urlPrefix" | "urlSuffix"): string => {
        if (value[field] === undefined) return "";
        if (typeof value[field] !== "string") reader.fail([...at, field], "must be a string");
        const text = value[field] as string;
        if (text.includes("${{")) reader.fail([...at, field], "must not contain ${{ }} expressions");
        return text;
    };
    const urlPrefix = affix("urlPrefix");
    const urlSuffix = affix("urlSuffix");
    if (urlPrefix === "" && urlSuffix === "") reader.fail([...at, "urlPrefix"], "urlPrefix or urlSuffix is required to build the release URL");
    return { file, key, urlPrefix, urlSuffix };
}

/** Whether the app has a `<app>-dev` stage (any image opts in to dev tags). */
export function hasDevStage(app: Application): boolean {
    return app.images.some((image) => image.enableDevTags);
}

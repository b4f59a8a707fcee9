/**
 * The Argo CD Applications that the deployment repository's ApplicationSets generate, as far as they can be
 * worked out from the checkout. Understood: `list` generators (literal `elements`) and `git` directory
 * generators (`directories` with `*`, `?` and `[...]` per path segment, `exclude`), with fasttemplate
 * (`{{key}}`) or `goTemplate: true` (`{{.key}}`) placeholders that are plain parameter references. Anything
 * else (matrix, merge, clusters, git files, selectors, per-generator templates, template functions, a git
 * generator reading another repository) is "undetermined".
 * Parameters of the git directory generator: Argo CD docs/operator-manual/applicationset/Generators-Git.md
 * (`path`, `path.basename`, `path.basenameNormalized`, `path[n]`; with goTemplate `.path.path`,
 * `.path.basename`, `.path.basenameNormalized`, `.path.segments`).
 */
import { isMap, type Document, type Node } from "yaml";
import { toHttpsGitUrl } from "../input/validation";
import { APPLICATION_SET_KIND, kustomizeApplicationSets } from "./kustomizeBuild";
import type { RepoYaml } from "./repoFiles";
import { fieldName, nodeLines, pointerTo, TracedObject, type FieldSite, type JsonObject } from "./tracedObject";

export interface GeneratedApplication {
    /** The file the ApplicationSet document is in, and the line of its template. */
    readonly appSetFile: string;
    readonly line?: number;
    /** The kustomization that builds the ApplicationSet, when one includes it. */
    readonly kustomization?: string;
    readonly name?: string;
    /** The `kargo.akuity.io/authorized-stage` annotation, if rendered. */
    readonly authorizedStage?: string;
    /** `targetRevision` of the source(s) and the paths they read. */
    readonly revisions: readonly string[];
    readonly paths: readonly string[];
    /** Where the annotation and each revision are set (or, when absent, where to set them). */
    readonly annotationSite: FieldSiteAt;
    readonly revisionSites: readonly FieldSiteAt[];
}

/** A field of an ApplicationSet and the file and line (in a base or a patch) that set it. */
export interface FieldSiteAt extends FieldSite {
    /** The field, as `spec.template.spec.source.targetRevision`. */
    readonly field: string;
    readonly absent?: boolean;
}

/** An ApplicationSet as deployed, with its git directory patterns. */
export interface AnalysedApplicationSet {
    readonly name?: string;
    readonly file: string;
    readonly kustomization?: string;
    readonly directories: ReadonlyArray<{ readonly pattern: string; readonly site: FieldSiteAt }>;
}

export interface ApplicationSetScan {
    /** Whether the repository holds any ApplicationSet at all. */
    readonly present: boolean;
    readonly applications: readonly GeneratedApplication[];
    readonly applicationSets: readonly AnalysedApplicationSet[];
    readonly undetermined: ReadonlyArray<{ readonly file: string; readonly line?: number; readonly kustomization?: string; readonly reason: string }>;
    /** Malformed YAML, and kustomizations kustomize would fail to build. */
    readonly malformed: ReadonlyArray<{ readonly file: string; readonly line?: number; readonly reason: string }>;
}

export const AUTHORIZED_STAGE_ANNOTATION = "kargo.akuity.io/authorized-stage";
const MENTIONS_APPSET = /kind:\s*["']?ApplicationSet\b/;
const PLACEHOLDER = /\{\{-?\s*([^{}]*?)\s*-?\}\}/g;

type Params = Record<string, unknown>;
type Mutable<T> = { -readonly [K in keyof T]: T[K] extends ReadonlyArray<infer U> ? U[] : T[K] };

/** How an ApplicationSet was found: as a document on its own, or built by a kustomization. */
interface Origin {
    readonly file: string;
    readonly kustomization?: string;
    readonly lastPatch?: FieldSite;
}

/**
 * `deploymentRepoURL`: a git directory generator reading another repository cannot be expanded from this
 * checkout. An ApplicationSet that a kustomization includes is checked as that kustomization builds it.
 */
export function scanApplicationSets(yaml: RepoYaml, deploymentRepoURL?: string): ApplicationSetScan {
    const scan: Mutable<ApplicationSetScan> = { present: false, applications: [], applicationSets: [], undetermined: [], malformed: [] };
    const documents = new Map<string, Document[]>();
    for (const file of yaml.repo.yamlFiles()) {
        const text = yaml.text(file);
        if (text === undefined || !MENTIONS_APPSET.test(text)) continue;
        const read = yaml.read(file);
        if (read.kind === "malformed") scan.malformed.push({ file, line: read.line, reason: `malformed YAML: ${read.reason}` });
        if (read.kind !== "parsed") continue;
        const sets = read.yaml.documents.filter((document) => isMap(document.contents) && document.contents.get("kind") === APPLICATION_SET_KIND);
        if (sets.length > 0) documents.set(file, sets);
    }
    scan.present = documents.size > 0;
    const { builds, covered } = kustomizeApplicationSets(yaml, documents);
    for (const [file, sets] of documents) {
        if (covered.has(file)) continue;
        const read = yaml.read(file);
        const line = (node: Node | undefined) => (read.kind === "parsed" ? read.yaml.line(node) : undefined);
        for (const document of sets) {
            analyse(scan, new TracedObject(document.toJS({ maxAliasCount: 100 }) as JsonObject, file, nodeLines(document.contents, line)), { file }, yaml, deploymentRepoURL);
        }
    }
    for (const build of builds) {
        if (build.failure) {
            const { file, line, reason } = build.failure;
            scan.malformed.push({ file, line, reason: `kustomize cannot build ${build.kustomization}: ${reason}` });
        }
        for (const set of build.applicationSets) {
            analyse(scan, set.object, { file: set.sourceFile, kustomization: build.kustomization, lastPatch: set.lastPatch }, yaml, deploymentRepoURL);
        }
    }
    return scan;
}

function analyse(scan: Mutable<ApplicationSetScan>, object: TracedObject, origin: Origin, yaml: RepoYaml, deploymentRepoURL: string | undefined): void {
    /** A field's site; an absent field is to be set in the kustomization's patches, or else next to its parent. */
    const siteOf = (...parts: Array<string | number>): FieldSiteAt => {
        const pointer = pointerTo(...parts);
        const field = fieldName(pointer);
        if (object.valueAt(pointer) !== undefined) return { ...object.siteOf(pointer), field };
        const where = origin.kustomization === undefined ? object.siteOf(pointer) : (origin.lastPatch ?? { file: origin.kustomization });
        return { ...where, field, absent: true };
    };
    const spec = (object.value.spec ?? {}) as Record<string, unknown>;
    const name = (object.value.metadata as { name?: unknown } | undefined)?.name;
    const generators = Array.isArray(spec.generators) ? (spec.generators as unknown[]) : [];
    scan.applicationSets.push({
        name: typeof name === "string" ? name : undefined,
        file: origin.file,
        kustomization: origin.kustomization,
        directories: generators.flatMap((generator, g) => {
            const directories = (generator as { git?: { directories?: unknown } } | null)?.git?.directories;
            return (Array.isArray(directories) ? directories : []).flatMap((entry: { path?: unknown; exclude?: unknown }, d) =>
                typeof entry?.path === "string" && entry.exclude !== true ? [{ pattern: entry.path, site: siteOf("spec", "generators", g, "git", "directories", d, "path") }] : [],
            );
        }),
    });
    const templateLine = object.siteOf(pointerTo("spec", "template")).line;
    const generated = generateApplications(yaml, spec, deploymentRepoURL);
    if ("reason" in generated) {
        scan.undetermined.push({ file: origin.file, line: object.siteOf("").line, kustomization: origin.kustomization, reason: generated.reason });
        return;
    }
    const template = spec.template as { spec?: { source?: unknown; sources?: unknown[] } };
    const sourceFields = [...(template.spec?.source ? [["source"]] : []), ...(template.spec?.sources ?? []).map((_, i) => ["sources", i])];
    const revisionSites = sourceFields.map((at) => siteOf("spec", "template", "spec", ...at, "targetRevision"));
    const annotationSite = siteOf("spec", "template", "metadata", "annotations", AUTHORIZED_STAGE_ANNOTATION);
    for (const app of generated) {
        scan.applications.push({ ...app, appSetFile: origin.file, line: templateLine, kustomization: origin.kustomization, annotationSite, revisionSites });
    }
}

function generateApplications(
    yaml: RepoYaml,
    spec: Record<string, unknown>,
    deploymentRepoURL: string | undefined,
): Array<Pick<GeneratedApplication, "name" | "authorizedStage" | "revisions" | "paths">> | { reason: string } {
    const goTemplate = spec.goTemplate === true;
    const generators = Array.isArray(spec.generators) ? (spec.generators as Array<Record<string, unknown>>) : [];
    const template = spec.template as Record<string, unknown> | undefined;
    if (template === undefined || generators.length === 0) return { reason: "no template or generators" };
    const paramSets: Params[] = [];
    for (const generator of generators) {
        const params = generatorParams(yaml, generator, goTemplate, deploymentRepoURL);
        if ("reason" in params) return params;
        paramSets.push(...params);
    }
    const rendered: Array<Pick<GeneratedApplication, "name" | "authorizedStage" | "revisions" | "paths">> = [];
    for (const params of paramSets) {
        const render = (value: unknown): string | undefined => (typeof value === "string" ? renderTemplate(value, params, goTemplate) : undefined);
        const metadata = (template.metadata ?? {}) as { name?: unknown; annotations?: Record<string, unknown> };
        const appSpec = (template.spec ?? {}) as { source?: Record<string, unknown>; sources?: Array<Record<string, unknown>> };
        const sources = [...(appSpec.source ? [appSpec.source] : []), ...(Array.isArray(appSpec.sources) ? appSpec.sources : [])];
        const name = render(metadata.name);
        const annotation = metadata.annotations?.[AUTHORIZED_STAGE_ANNOTATION];
        const revisions = sources.map((source) => render(source.targetRevision));
        const paths = sources.map((source) => render(source.path));
        if (name === undefined || [...revisions, ...paths].includes(undefined) || (annotation !== undefined && render(annotation) === undefined)) {
            return { reason: "its template uses placeholders or functions check-repo cannot evaluate" };
        }
        rendered.push({
            name,
            authorizedStage: render(annotation),
            revisions: revisions as string[],
            paths: (paths as string[]).map((p) => p.replace(/\/+$/, "")),
        });
    }
    return rendered;
}

function generatorParams(
    yaml: RepoYaml,
    generator: Record<string, unknown>,
    goTemplate: boolean,
    deploymentRepoURL: string | undefined,
): Params[] | { reason: string } {
    const kinds = Object.keys(generator);
    const [kind] = kinds;
    const body = generator[kind] as Record<string, unknown> | undefined;
    if (kinds.length !== 1 || body === undefined || body === null) return { reason: `a generator with ${kinds.join(", ") || "nothing"} in it` };
    if ("template" in body) return { reason: `its ${kind} generator has its own template` };
    if (kind === "git" && deploymentRepoURL !== undefined && typeof body.repoURL === "string" && !sameGitRepo(body.repoURL, deploymentRepoURL)) {
        return { reason: `its git generator reads ${body.repoURL}, not this repository` };
    }
    if (kind === "list" && Array.isArray(body.elements) && body.elements.every((element) => element !== null && typeof element === "object")) {
        return body.elements as Params[];
    }
    if (kind === "git" && Array.isArray(body.directories) && body.files === undefined) {
        const entries = body.directories as Array<{ path?: unknown; exclude?: unknown }>;
        const matched = (exclude: boolean) =>
            new Set(
                entries
                    .filter((entry) => (entry.exclude === true) === exclude && typeof entry.path === "string")
                    .flatMap((entry) => matchDirectories(yaml, entry.path as string)),
            );
        const excluded = matched(true);
        return [...matched(false)]
            .filter((dir) => !excluded.has(dir))
            .sort()
            .map((dir) => directoryParams(dir, goTemplate));
    }
    return { reason: `generator "${kind}" is not one check-repo can expand (it reads list elements and git directories)` };
}

function directoryParams(dir: string, goTemplate: boolean): Params {
    const segments = dir.split("/");
    const basename = segments[segments.length - 1];
    const basenameNormalized = basename.replace(/[^a-zA-Z0-9-]/g, "-");
    if (goTemplate) return { path: { path: dir, basename, basenameNormalized, segments } };
    return {
        path: dir,
        "path.basename": basename,
        "path.basenameNormalized": basenameNormalized,
        ...Object.fromEntries(segments.map((segment, n) => [`path[${n}]`, segment])),
    };
}

/** Replaces every placeholder, or returns undefined if one is not a plain reference to a known parameter. */
export function renderTemplate(text: string, params: Params, goTemplate: boolean): string | undefined {
    let unresolved = false;
    const result = text.replace(PLACEHOLDER, (_, expression: string) => {
        const reference = goTemplate ? (expression.startsWith(".") ? expression.slice(1) : undefined) : expression;
        const value = reference === undefined ? undefined : lookupParam(params, reference);
        if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
            unresolved = true;
            return "";
        }
        return String(value);
    });
    return unresolved ? undefined : result;
}

function lookupParam(params: Params, reference: string): unknown {
    if (reference in params) return params[reference];
    let value: unknown = params;
    for (const part of reference.split(".")) {
        if (value === null || typeof value !== "object" || !(part in value)) return undefined;
        value = (value as Params)[part];
    }
    return value;
}

/** Directories matching an Argo CD git directory pattern, one glob per path segment. */
function matchDirectories(yaml: RepoYaml, pattern: string): string[] {
    let dirs = [""];
    for (const segment of pattern.replace(/^\/+|\/+$/g, "").split("/")) {
        if (!/[*?[]/.test(segment)) {
            dirs = dirs.map((dir) => (dir === "" ? segment : `${dir}/${segment}`)).filter((dir) => yaml.repo.isDirectory(dir));
            continue;
        }
        const regex = globSegment(segment);
        dirs = dirs.flatMap((dir) =>
            yaml.repo
                .subdirectories(dir)
                .filter((name) => !name.startsWith(".") && regex.test(name))
                .map((name) => (dir === "" ? name : `${dir}/${name}`)),
        );
    }
    return dirs.filter((dir) => dir !== "");
}

function globSegment(segment: string): RegExp {
    const source = segment
        .replace(/[.+^${}()|\\]/g, "\\$&")
        .replace(/\*/g, "[^/]*")
        .replace(/\?/g, "[^/]");
    return new RegExp(`^${source}$`);
}

function sameGitRepo(a: string, b: string): boolean {
    const normal = (url: string) =>
        (toHttpsGitUrl(url) ?? url)
            .toLowerCase()
            .replace(/\/+$/, "")
            .replace(/\.git$/, "");
    return normal(a) === normal(b);
}

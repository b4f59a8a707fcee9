/**
 * The Applications one ApplicationSet generates, as far as they can be worked out from the checkout.
 * Understood: `list` generators (literal `elements`) and `git` directory generators (`directories` with `*`,
 * `?` and `[...]` per path segment, `exclude`), with fasttemplate (`{{key}}`) or `goTemplate: true`
 * (`{{.key}}`) placeholders that are plain parameter references. Anything else (matrix, merge, clusters, git
 * files, selectors, per-generator templates, template functions, a git generator reading another
 * repository) is "undetermined".
 * Parameters of the git directory generator: Argo CD docs/operator-manual/applicationset/Generators-Git.md
 * (`path`, `path.basename`, `path.basenameNormalized`, `path[n]`; with goTemplate `.path.path`,
 * `.path.basename`, `.path.basenameNormalized`, `.path.segments`).
 */
import { toHttpsGitUrl } from "../input/validation";
import type { RepoYaml } from "./repoFiles";

const PLACEHOLDER = /\{\{-?\s*([^{}]*?)\s*-?\}\}/g;

type Params = Record<string, unknown>;

export const AUTHORIZED_STAGE_ANNOTATION = "kargo.akuity.io/authorized-stage";

/** One generated Application, as far as check-repo judges it. */
export interface RenderedApplication {
    readonly name?: string;
    /** The `kargo.akuity.io/authorized-stage` annotation, if rendered. */
    readonly authorizedStage?: string;
    /** `targetRevision` of the source(s) and the paths they read. */
    readonly revisions: readonly string[];
    readonly paths: readonly string[];
}

/** `deploymentRepoURL`: a git directory generator reading another repository cannot be expanded from this checkout. */
export function generateApplications(
    yaml: RepoYaml,
    spec: Record<string, unknown>,
    deploymentRepoURL: string | undefined,
): RenderedApplication[] | { reason: string } {
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
    const rendered: RenderedApplication[] = [];
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

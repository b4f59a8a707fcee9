/**
 * Reading a kustomization's patch entries and choosing the resources they apply to, as kustomize does
 * (api/internal/builtins/PatchTransformer.go, PatchJson6902Transformer.go, PatchStrategicMergeTransformer.go
 * @ api/v0.21.1): a `patches:` entry is a JSON 6902 operation list when its text parses as one and a
 * strategic-merge patch otherwise, from `patch` (inline) or `path` (a file next to the kustomization).
 */
import { posix } from "node:path";
import type { Operation } from "fast-json-patch";
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, Scalar, type Node } from "yaml";
import type { RepoYaml } from "./repoFiles";
import { nodeLines, type FieldSite, type JsonObject, type TracedObject } from "./tracedObject";

/** kustomize fails the whole build on this patch. */
export class PatchFailure extends Error {
    constructor(
        readonly file: string,
        readonly line: number | undefined,
        reason: string,
    ) {
        super(reason);
    }
}

export interface LoadedPatch {
    /** The patch entry, as `patches[0]` of `kustomization`, for findings. */
    readonly entry: string;
    readonly file: string;
    readonly line?: number;
    readonly operations?: ReadonlyArray<{ readonly operation: Operation; readonly line?: number; readonly valueLines: ReadonlyMap<string, number> }>;
    readonly merges?: ReadonlyArray<{ readonly patch: JsonObject; readonly lines: ReadonlyMap<string, number> }>;
}

/**
 * Parses patch `text`, whose first line is line `firstLine` of `file`. A list of operations is JSON 6902;
 * mappings are strategic-merge patches (kustomize refuses text that is both or neither).
 */
function loadPatch(text: string, file: string, firstLine: number, entry: string): LoadedPatch {
    const counter = new LineCounter();
    const documents = parseAllDocuments(text, { lineCounter: counter });
    const all = Array.isArray(documents) ? documents : [];
    const lineOf = (node: Node | undefined) => (node?.range ? counter.linePos(node.range[0]).line + firstLine - 1 : undefined);
    const error = all.flatMap((document) => document.errors)[0];
    if (error) throw new PatchFailure(file, firstLine, `${entry}: malformed patch: ${error.message.split("\n")[0]}`);
    const roots = all.map((document) => document.contents).filter((root) => root !== null);
    if (roots.length === 1 && isSeq(roots[0])) {
        const operations = roots[0].items.map((item, index) => {
            const operation = (item as Node & { toJSON(): unknown }).toJSON() as Operation;
            if (!isMap(item) || typeof operation.op !== "string" || typeof operation.path !== "string") {
                throw new PatchFailure(file, lineOf(item as Node), `${entry}: operation ${index} needs op and path`);
            }
            const value = item.get("value", true) as Node | undefined;
            return { operation, line: lineOf(value ?? item), valueLines: nodeLines(value, lineOf) };
        });
        return { entry, file, line: lineOf(roots[0]), operations };
    }
    if (roots.length === 0 || !roots.every((root) => isMap(root)))
        throw new PatchFailure(file, firstLine, `${entry}: neither a JSON 6902 nor a strategic-merge patch`);
    return {
        entry,
        file,
        line: lineOf(roots[0]),
        merges: roots.map((root) => ({ patch: (root as Node & { toJSON(): unknown }).toJSON() as JsonObject, lines: nodeLines(root, lineOf) })),
    };
}

/** A patch entry's inline text or file (`node`: the entry, for its line). */
export interface PatchSource {
    readonly inline?: unknown;
    readonly path?: unknown;
    readonly node: unknown;
}

/** The patch an entry's inline `patch` text or `path` file holds. */
export function patchOf(yaml: RepoYaml, source: PatchSource, dir: string, kustomization: string, entry: string): LoadedPatch {
    const read = yaml.read(kustomization);
    const line = (node: unknown) => (read.kind === "parsed" ? read.yaml.line(node as Node) : undefined);
    const { inline, path } = source;
    if (isScalar(path) && typeof path.value === "string") {
        const file = posix.normalize(posix.join(dir, path.value));
        const text = yaml.text(file);
        if (text === undefined) throw new PatchFailure(kustomization, line(path), `${entry}: ${file} does not exist`);
        return loadPatch(text, file, 1, `${kustomization} ${entry} (${path.value})`);
    }
    if (!isScalar(inline) || typeof inline.value !== "string") throw new PatchFailure(kustomization, line(source.node), `${entry}: has neither patch nor path`);
    const start = line(inline) ?? 1;
    // A block scalar's text starts on the line after its `|` header; a quoted or plain one on its own line.
    const block = inline.type === Scalar.BLOCK_LITERAL || inline.type === Scalar.BLOCK_FOLDED;
    return loadPatch(inline.value, kustomization, block ? start + 1 : start, entry);
}

/** What kustomize's selectors and ids compare: the group, version, kind, and the name and namespace before and after transformers. */
export interface Selectable {
    readonly object: TracedObject;
    readonly originalName: string;
    readonly originalNamespace?: string;
}

const metadataOf = (object: JsonObject) => (object.metadata ?? {}) as { name?: string; namespace?: string; labels?: JsonObject; annotations?: JsonObject };
/** Namespaced objects without a namespace are in `default` for kustomize's comparisons (kyaml resid EffectiveNamespace). */
const effectiveNamespace = (namespace: string | undefined) => namespace || "default";

function groupVersion(object: JsonObject): { group: string; version: string } {
    const apiVersion = typeof object.apiVersion === "string" ? object.apiVersion : "";
    const slash = apiVersion.indexOf("/");
    return slash === -1 ? { group: "", version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/**
 * A `target:` selector (api/types/selector.go, resmap Select): group, version, kind, name and namespace are
 * anchored regular expressions; name and namespace match the original or the current value.
 */
export function selects(target: JsonObject, resource: Selectable, failure: (reason: string) => PatchFailure): boolean {
    const { group, version } = groupVersion(resource.object.value);
    const metadata = metadataOf(resource.object.value);
    const matches = (field: string, ...values: Array<string | undefined>) => {
        const pattern = target[field];
        if (pattern === undefined || pattern === "") return true;
        let regex: RegExp;
        try {
            regex = new RegExp(`^(?:${String(pattern)})$`);
        } catch {
            throw failure(`target.${field} ${JSON.stringify(pattern)} is not a regular expression`);
        }
        return values.some((value) => regex.test(value ?? ""));
    };
    return (
        matches("group", group) &&
        matches("version", version) &&
        matches("kind", resource.object.value.kind as string) &&
        matches("name", resource.originalName, metadata.name) &&
        matches("namespace", effectiveNamespace(resource.originalNamespace), effectiveNamespace(metadata.namespace)) &&
        matchesLabels(target.labelSelector, metadata.labels, failure) &&
        matchesLabels(target.annotationSelector, metadata.annotations, failure)
    );
}

/** A strategic-merge patch without a target applies to the resource with its exact id (resmap GetById). */
export function hasIdOf(patch: JsonObject, resource: Selectable): boolean {
    const patchMeta = metadataOf(patch);
    const wanted = groupVersion(patch);
    const { group, version } = groupVersion(resource.object.value);
    const metadata = metadataOf(resource.object.value);
    return (
        wanted.group === group &&
        wanted.version === version &&
        patch.kind === resource.object.value.kind &&
        [resource.originalName, metadata.name].includes(patchMeta.name) &&
        [resource.originalNamespace, metadata.namespace].map(effectiveNamespace).includes(effectiveNamespace(patchMeta.namespace))
    );
}

/** A Kubernetes label selector: `a=b`, `a==b`, `a!=b`, `a`, `!a`, `a in (b,c)`, `a notin (b,c)`, comma-separated. */
function matchesLabels(selector: unknown, labels: JsonObject | undefined, failure: (reason: string) => PatchFailure): boolean {
    if (selector === undefined || selector === "") return true;
    const has = (key: string) => labels !== undefined && key in labels;
    const value = (key: string) => (labels === undefined ? undefined : String(labels[key]));
    return (String(selector).match(/([^,(]+(\([^)]*\))?)/g) ?? []).every((raw) => {
        const term = raw.trim();
        const set = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
        if (set) {
            const inSet = has(set[1]) && set[3].split(",").some((item) => item.trim() === value(set[1]));
            return set[2] === "in" ? inSet : !inSet;
        }
        const compare = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
        if (compare) return compare[2] === "!=" ? value(compare[1]) !== compare[3] || !has(compare[1]) : has(compare[1]) && value(compare[1]) === compare[3];
        if (/^![^!=\s]+$/.test(term)) return !has(term.slice(1));
        if (/^[^!=\s]+$/.test(term)) return has(term);
        throw failure(`cannot read the selector ${JSON.stringify(selector)}`);
    });
}

/** Applies a strategic-merge patch to one resource; kustomize keeps its kind, name and namespace (resource.go ApplySmPatch). */
export function applyMerge(patch: LoadedPatch, merge: { readonly patch: JsonObject; readonly lines: ReadonlyMap<string, number> }, resource: Selectable): void {
    const { kind } = resource.object.value;
    const { name, namespace } = metadataOf(resource.object.value);
    resource.object.mergePatch(merge.patch, { file: patch.file, line: patch.line, patch: patch.entry }, merge.lines);
    const metadata = (resource.object.value.metadata ??= {}) as JsonObject;
    resource.object.value.kind = kind;
    metadata.name = name;
    if (namespace === undefined) delete metadata.namespace;
    else metadata.namespace = namespace;
}

/** Applies a JSON 6902 patch's operations in order to one resource; the first that fails fails the build. */
export function applyOperations(patch: LoadedPatch, resource: Selectable): void {
    patch.operations?.forEach(({ operation, line, valueLines }, index) => {
        const site: FieldSite = { file: patch.file, line, patch: `${patch.entry}, operation ${index} (${operation.op})` };
        const reason = resource.object.applyOperation(operation, site, valueLines);
        if (reason !== undefined) throw new PatchFailure(patch.file, line, `${patch.entry}, operation ${index} (${operation.op} ${operation.path}): ${reason}`);
    });
}

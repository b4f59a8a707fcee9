/**
 * The ApplicationSets that the deployment repository's kustomizations build, as `kustomize build` would
 * produce them (api/internal/target/kusttarget.go @ api/v0.21.1): `resources` (and the legacy `bases`),
 * then `components`, then the transformers in kustomize's order: `patchesStrategicMerge`, `patches`,
 * `namespace`, `patchesJson6902`. Only ApplicationSets are followed; patches aimed at other kinds are
 * skipped, and a kustomization whose subtree holds no ApplicationSet is never built.
 */
import { posix } from "node:path";
import { isMap, isScalar, type Document, type Node, type YAMLMap } from "yaml";
import { KUSTOMIZATION_FILES, kustomizationIn, REMOTE } from "./kustomizeTree";
import { applyMerge, applyOperations, hasIdOf, PatchFailure, patchOf, selects, type LoadedPatch, type PatchSource, type Selectable } from "./kustomizePatches";
import { listField, type RepoYaml } from "./repoFiles";
import { nodeLines, TracedObject, type FieldSite, type JsonObject } from "./tracedObject";

export interface BuiltApplicationSet extends Selectable {
    /** The file the ApplicationSet document was read from. */
    readonly sourceFile: string;
    /** The last patch entry that changed it, if any. */
    lastPatch?: FieldSite;
}

export interface KustomizeBuild {
    /** The kustomization file built (one no other kustomization includes). */
    readonly kustomization: string;
    readonly applicationSets: readonly BuiltApplicationSet[];
    /** Why kustomize would fail to build it; then there is nothing to check. */
    readonly failure?: { readonly file: string; readonly line?: number; readonly reason: string };
}

export interface KustomizedApplicationSets {
    readonly builds: readonly KustomizeBuild[];
    /** ApplicationSet files some kustomization includes or patches with: they are not deployed as they stand. */
    readonly covered: ReadonlySet<string>;
}

export const APPLICATION_SET_KIND = "ApplicationSet";

interface Kustomization {
    readonly file: string;
    readonly dir: string;
    readonly root: YAMLMap;
    /** Local paths named by `resources`, `bases` and `components`, from the repository root. */
    readonly references: readonly string[];
}

const PATCH_FIELDS = ["patches", "patchesStrategicMerge", "patchesJson6902"] as const;

/** `applicationSetFiles`: files holding an ApplicationSet document, each with those documents. */
export function kustomizeApplicationSets(yaml: RepoYaml, applicationSetFiles: ReadonlyMap<string, readonly Document[]>): KustomizedApplicationSets {
    const kustomizations = new Map<string, Kustomization>();
    const covered = new Set<string>();
    if (applicationSetFiles.size === 0) return { builds: [], covered };
    for (const file of yaml.yamlFiles()) {
        if (!(KUSTOMIZATION_FILES as readonly string[]).includes(posix.basename(file))) continue;
        const read = yaml.read(file);
        const root = read.kind === "parsed" ? read.yaml.documents[0]?.contents : undefined;
        if (!isMap(root)) continue;
        const dir = posix.dirname(file);
        const local = (field: string) => listField(root, field).flatMap((item) => (isScalar(item) && typeof item.value === "string" ? [item.value] : []));
        const inRepo = (reference: string) => posix.normalize(posix.join(dir, reference));
        const references = ["resources", "bases", "components"]
            .flatMap(local)
            .filter((reference) => !REMOTE.test(reference))
            .map(inRepo);
        kustomizations.set(file, { file, dir, root, references });
        // A strategic-merge patch file is an ApplicationSet document too; it is not deployed on its own.
        for (const field of PATCH_FIELDS) {
            for (const item of listField(root, field)) {
                const { path } = patchSource(item);
                if (isScalar(path) && typeof path.value === "string") covered.add(inRepo(path.value));
            }
        }
    }
    const kustomizationOf = (dir: string) => {
        if (!yaml.repo.isDirectory(dir)) return undefined;
        const found = kustomizationIn(yaml, dir);
        return found.kind === "found" ? kustomizations.get(found.file) : undefined;
    };
    const holds = new Map<string, boolean>();
    const holdsApplicationSets = (kustomization: Kustomization): boolean => {
        if (!holds.has(kustomization.file)) {
            holds.set(kustomization.file, false); // a cycle adds nothing
            const inner = (reference: string) => {
                const nested = kustomizationOf(reference);
                return applicationSetFiles.has(reference) || (nested !== undefined && holdsApplicationSets(nested));
            };
            holds.set(kustomization.file, kustomization.references.some(inner));
        }
        return holds.get(kustomization.file) as boolean;
    };
    const holding = [...kustomizations.values()].filter(holdsApplicationSets);
    const included = new Set(holding.flatMap((kustomization) => kustomization.references.map((reference) => kustomizationOf(reference)?.file)));
    for (const kustomization of holding) for (const reference of kustomization.references) if (applicationSetFiles.has(reference)) covered.add(reference);
    const builder = new Builder(yaml, applicationSetFiles, kustomizationOf, holdsApplicationSets);
    const builds = holding.filter((kustomization) => !included.has(kustomization.file)).map((root) => builder.buildRoot(root));
    return { builds, covered };
}

class Builder {
    constructor(
        private readonly yaml: RepoYaml,
        private readonly applicationSetFiles: ReadonlyMap<string, readonly Document[]>,
        private readonly kustomizationOf: (dir: string) => Kustomization | undefined,
        private readonly holdsApplicationSets: (kustomization: Kustomization) => boolean,
    ) {}

    buildRoot(root: Kustomization): KustomizeBuild {
        try {
            return { kustomization: root.file, applicationSets: this.build(root, [], new Set()) };
        } catch (error) {
            if (!(error instanceof PatchFailure)) throw error;
            return { kustomization: root.file, applicationSets: [], failure: { file: error.file, line: error.line, reason: error.message } };
        }
    }

    /** A component (`kind: Component`) adds to and transforms its parent's resources; a kustomization starts afresh. */
    private build(kustomization: Kustomization, inherited: BuiltApplicationSet[], visiting: ReadonlySet<string>): BuiltApplicationSet[] {
        const { root, dir, file } = kustomization;
        const here = new Set([...visiting, file]);
        const resources = root.get("kind") === "Component" ? inherited : [];
        const inRepo = (item: unknown) => (isScalar(item) && typeof item.value === "string" ? posix.normalize(posix.join(dir, item.value)) : undefined);
        for (const reference of [...listField(root, "resources"), ...listField(root, "bases")].map(inRepo)) {
            if (reference === undefined) continue;
            const nested = this.kustomizationOf(reference);
            if (this.applicationSetFiles.has(reference)) resources.push(...this.load(reference));
            else if (nested !== undefined && !here.has(nested.file) && this.holdsApplicationSets(nested)) resources.push(...this.build(nested, [], here));
        }
        for (const reference of listField(root, "components").map(inRepo)) {
            const component = reference === undefined ? undefined : this.kustomizationOf(reference);
            if (component !== undefined && !here.has(component.file)) this.build(component, resources, here);
        }
        this.patchAll(kustomization, "patchesStrategicMerge", resources);
        this.patchAll(kustomization, "patches", resources);
        const namespace = root.get("namespace");
        if (typeof namespace === "string" && namespace !== "") {
            for (const resource of resources) ((resource.object.value.metadata ??= {}) as JsonObject).namespace = namespace;
        }
        this.patchAll(kustomization, "patchesJson6902", resources);
        return resources;
    }

    private load(file: string): BuiltApplicationSet[] {
        const read = this.yaml.read(file);
        const line = (node: Node | undefined) => (read.kind === "parsed" ? read.yaml.line(node) : undefined);
        return (this.applicationSetFiles.get(file) ?? []).map((document) => {
            const value = document.toJS({ maxAliasCount: 100 }) as JsonObject;
            const metadata = (value.metadata ?? {}) as { name?: string; namespace?: string };
            return {
                object: new TracedObject(value, file, nodeLines(document.contents, line)),
                originalName: metadata.name ?? "",
                originalNamespace: metadata.namespace,
                sourceFile: file,
            };
        });
    }

    private patchAll(kustomization: Kustomization, field: (typeof PATCH_FIELDS)[number], resources: BuiltApplicationSet[]): void {
        listField(kustomization.root, field).forEach((item, index) => {
            const entry = `${field}[${index}]`;
            const patch = patchOf(this.yaml, patchSource(item), kustomization.dir, kustomization.file, entry);
            const target = isMap(item) && field !== "patchesStrategicMerge" ? (item.toJSON() as JsonObject).target : undefined;
            const failure = (reason: string) => new PatchFailure(kustomization.file, this.lineOf(kustomization, item), `${entry}: ${reason}`);
            if (patch.operations !== undefined) {
                if (target === undefined || target === null) throw failure("a JSON 6902 patch needs a target");
                for (const resource of resources)
                    if (selects(target as JsonObject, resource, failure)) this.applied(resource, patch, () => applyOperations(patch, resource));
                return;
            }
            if (field === "patchesJson6902") throw failure("not a list of JSON 6902 operations");
            for (const merge of patch.merges ?? []) {
                if (target !== undefined && target !== null && (patch.merges?.length ?? 0) > 1) throw failure("a target allows only one strategic-merge patch");
                const chosen = resources.filter((resource) =>
                    target !== undefined && target !== null ? selects(target as JsonObject, resource, failure) : hasIdOf(merge.patch, resource),
                );
                // Without a target the patch names its resource: one of another kind is not followed here.
                if (chosen.length === 0 && (target === undefined || target === null) && merge.patch.kind === APPLICATION_SET_KIND) {
                    throw failure(`no ApplicationSet named ${JSON.stringify((merge.patch.metadata as JsonObject | undefined)?.name)} to patch`);
                }
                for (const resource of chosen) this.applied(resource, patch, () => applyMerge(patch, merge, resource));
            }
        });
    }

    private applied(resource: BuiltApplicationSet, patch: LoadedPatch, apply: () => void): void {
        apply();
        resource.lastPatch = { file: patch.file, line: patch.line, patch: patch.entry };
    }

    private lineOf(kustomization: Kustomization, node: unknown): number | undefined {
        const read = this.yaml.read(kustomization.file);
        return read.kind === "parsed" ? read.yaml.line(node as Node) : undefined;
    }
}

/**
 * Where an entry's patch is: inline `patch` text or a `path`. A `patchesStrategicMerge` entry is a string
 * that kustomize first reads as the patch itself, then as a path (PatchStrategicMergeTransformer.go, loadFromPaths).
 */
function patchSource(item: unknown): PatchSource {
    if (isMap(item)) return { inline: item.get("patch", true), path: item.get("path", true), node: item };
    const looksInline = isScalar(item) && typeof item.value === "string" && /^\s*(apiVersion|kind|metadata):/m.test(item.value);
    return looksInline ? { inline: item, node: item } : { path: item, node: item };
}

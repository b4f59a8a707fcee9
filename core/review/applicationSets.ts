/**
 * The Argo CD Applications that the deployment repository's ApplicationSets generate, with the file and line
 * that set each field check-repo judges. An ApplicationSet document that no kustomization includes is read
 * as it stands; one that a kustomization includes is read as that kustomization builds it, patches applied
 * (kustomizeBuild.ts), once per kustomization that no other includes (one per environment, typically).
 * What the generators produce: applicationSetGenerators.ts.
 */
import { isMap, type Document, type Node } from "yaml";
import { AUTHORIZED_STAGE_ANNOTATION, generateApplications, type RenderedApplication } from "./applicationSetGenerators";
import { APPLICATION_SET_KIND, kustomizeApplicationSets } from "./kustomizeBuild";
import type { RepoYaml } from "./repoFiles";
import { fieldName, nodeLines, pointerTo, TracedObject, type FieldSite, type JsonObject } from "./tracedObject";

export interface GeneratedApplication extends RenderedApplication {
    /** The file the ApplicationSet document is in, and the line of its template. */
    readonly appSetFile: string;
    readonly line?: number;
    /** The kustomization that builds the ApplicationSet, when one includes it. */
    readonly kustomization?: string;
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

const MENTIONS_APPSET = /kind:\s*["']?ApplicationSet\b/;
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
    const { documents, malformed } = applicationSetDocuments(yaml);
    const scan: Mutable<ApplicationSetScan> = { present: documents.size > 0, applications: [], applicationSets: [], undetermined: [], malformed };
    const { builds, covered } = kustomizeApplicationSets(yaml, documents);
    for (const [file, sets] of documents) {
        if (covered.has(file)) continue;
        const read = yaml.read(file);
        const line = (node: Node | undefined) => (read.kind === "parsed" ? read.yaml.line(node) : undefined);
        for (const document of sets) {
            analyse(
                scan,
                new TracedObject(document.toJS({ maxAliasCount: 100 }) as JsonObject, file, nodeLines(document.contents, line)),
                { file },
                yaml,
                deploymentRepoURL,
            );
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

/** Every ApplicationSet document in the repository, by file; and the files that mention one but do not parse. */
export function applicationSetDocuments(yaml: RepoYaml): {
    documents: Map<string, Document[]>;
    malformed: Array<{ file: string; line?: number; reason: string }>;
} {
    const documents = new Map<string, Document[]>();
    const malformed: Array<{ file: string; line?: number; reason: string }> = [];
    for (const file of yaml.yamlFiles()) {
        const text = yaml.text(file);
        if (text === undefined || !MENTIONS_APPSET.test(text)) continue;
        const read = yaml.read(file);
        if (read.kind === "malformed") malformed.push({ file, line: read.line, reason: `malformed YAML: ${read.reason}` });
        if (read.kind !== "parsed") continue;
        const sets = read.yaml.documents.filter((document) => isMap(document.contents) && document.contents.get("kind") === APPLICATION_SET_KIND);
        if (sets.length > 0) documents.set(file, sets);
    }
    return { documents, malformed };
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
                typeof entry?.path === "string" && entry.exclude !== true
                    ? [{ pattern: entry.path, site: siteOf("spec", "generators", g, "git", "directories", d, "path") }]
                    : [],
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

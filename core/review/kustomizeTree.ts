/**
 * Kustomizations in the deployment repository: which file a directory uses, and which image names its
 * `images:` transformer (and those of its local bases) rewrites.
 */
import { posix } from "node:path";
import { isMap, isScalar } from "yaml";
import { listField, scalarField, type RepoYaml } from "./repoFiles";

/** kustomize's recognised names, which kustomize-set-image also accepts (exactly one of them) (Kargo
 * pkg/promotion/runner/builtin/kustomize_image_setter.go @ v1.11.2, findKustomization). */
export const KUSTOMIZATION_FILES = ["kustomization.yaml", "kustomization.yml", "Kustomization"] as const;

export type KustomizationLookup =
    { readonly kind: "none" } | { readonly kind: "ambiguous"; readonly files: readonly string[] } | { readonly kind: "found"; readonly file: string };

export function kustomizationIn(yaml: RepoYaml, dir: string): KustomizationLookup {
    const files = KUSTOMIZATION_FILES.map((name) => `${dir}/${name}`).filter((file) => yaml.text(file) !== undefined);
    if (files.length === 0) return { kind: "none" };
    return files.length === 1 ? { kind: "found", file: files[0] } : { kind: "ambiguous", files };
}

export interface KustomizeProblem {
    readonly file: string;
    readonly line?: number;
    readonly message: string;
}

/** A reference kustomize fetches rather than reads from the checkout. */
export const REMOTE = /^[a-z][a-z0-9+.-]*:\/\/|^(github\.com|gitlab\.com|bitbucket\.org)\/|\?ref=|^git@/i;

/**
 * Every `images[].name` and `images[].newName` of the kustomization in `dir` and, recursively, of the local
 * directories its `resources`, `bases` and `components` name (file entries are manifests, not kustomizations).
 * kustomize applies an overlay's transformers to what its bases produced, so a base renaming an image to the
 * Freight's repository still lets the overlay's entry match.
 */
export function kustomizeImageNames(yaml: RepoYaml, dir: string): { names: Set<string>; problems: KustomizeProblem[] } {
    const names = new Set<string>();
    const problems: KustomizeProblem[] = [];
    const visited = new Set<string>();
    const visit = (current: string) => {
        if (visited.has(current)) return;
        visited.add(current);
        const found = kustomizationIn(yaml, current);
        if (found.kind !== "found") return;
        const read = yaml.read(found.file);
        if (read.kind === "malformed") problems.push({ file: found.file, line: read.line, message: `malformed YAML: ${read.reason}` });
        if (read.kind !== "parsed") return;
        const root = read.yaml.documents[0]?.contents;
        if (!isMap(root)) return;
        for (const image of listField(root, "images")) {
            for (const field of ["name", "newName"]) {
                const value = scalarField(image, field)?.value;
                if (value) names.add(value);
            }
        }
        for (const field of ["resources", "bases", "components"]) {
            for (const entry of listField(root, field)) {
                const reference = isScalar(entry) && typeof entry.value === "string" ? entry.value : undefined;
                if (reference === undefined || REMOTE.test(reference)) continue;
                const next = posix.normalize(posix.join(current, reference));
                if (!next.startsWith("..") && yaml.repo.isDirectory(next)) visit(next);
            }
        }
    };
    visit(dir);
    return { names, problems };
}

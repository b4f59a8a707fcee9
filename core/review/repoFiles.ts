/**
 * Read-only access to a checkout of the deployment repository for `check-repo`: a small interface (so the
 * checks stay pure and tests can use a temp dir) and a cache of parsed YAML that never throws on bad YAML.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from "yaml";

/** Paths are POSIX-style and relative to the repository root. */
export interface RepoReader {
    /** The file's text, or undefined when there is no regular file at `file`. */
    readText(file: string): string | undefined;
    isDirectory(dir: string): boolean;
    /** Every file under the root whose name ends in .yaml or .yml (hidden directories skipped), sorted. */
    yamlFiles(): readonly string[];
    /** Names of the sub-directories of `dir`, sorted. */
    subdirectories(dir: string): readonly string[];
}

/** The repository on disk. It only ever reads. */
export function diskRepo(root: string): RepoReader {
    const full = (relative: string) => path.join(root, ...relative.split("/"));
    const stat = (relative: string) => statSync(full(relative), { throwIfNoEntry: false });
    const children = (relative: string) => {
        try {
            return readdirSync(full(relative), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        } catch {
            return [];
        }
    };
    return {
        readText: (file) => (stat(file)?.isFile() ? readFileSync(full(file), "utf8") : undefined),
        isDirectory: (dir) => stat(dir)?.isDirectory() ?? false,
        subdirectories: (dir) =>
            children(dir)
                .filter((entry) => entry.isDirectory())
                .map((entry) => entry.name),
        yamlFiles: () => {
            const found: string[] = [];
            const walk = (dir: string) => {
                for (const entry of children(dir)) {
                    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
                    const relative = dir === "" ? entry.name : `${dir}/${entry.name}`;
                    if (entry.isDirectory()) walk(relative);
                    else if (/\.ya?ml$/.test(entry.name)) found.push(relative);
                }
            };
            walk("");
            return found;
        },
    };
}

/** One parsed YAML file: its documents and the line of any node. */
export interface YamlFile {
    readonly file: string;
    readonly documents: readonly Document[];
    line(node: Node | undefined): number | undefined;
}

export type YamlRead =
    | { readonly kind: "missing" }
    | { readonly kind: "malformed"; readonly line?: number; readonly reason: string }
    | { readonly kind: "parsed"; readonly yaml: YamlFile };

/** Reads and parses each repository file once, however many apps and environments refer to it. */
export class RepoYaml {
    private readonly texts = new Map<string, string | undefined>();
    private readonly parsed = new Map<string, YamlRead>();
    private listed?: readonly string[];

    constructor(readonly repo: RepoReader) {}

    /** The repository's YAML files (RepoReader.yamlFiles), listed once. */
    yamlFiles(): readonly string[] {
        return (this.listed ??= this.repo.yamlFiles());
    }

    text(file: string): string | undefined {
        if (!this.texts.has(file)) this.texts.set(file, this.repo.readText(file));
        return this.texts.get(file);
    }

    read(file: string): YamlRead {
        let result = this.parsed.get(file);
        if (result === undefined) {
            const text = this.text(file);
            result = text === undefined ? { kind: "missing" } : parseYamlFile(file, text);
            this.parsed.set(file, result);
        }
        return result;
    }
}

export function parseYamlFile(file: string, text: string): YamlRead {
    const lines = new LineCounter();
    const documents = parseAllDocuments(text, { lineCounter: lines, prettyErrors: true });
    const all = Array.isArray(documents) ? documents : [];
    const error = all.flatMap((document) => document.errors)[0];
    if (error) {
        return { kind: "malformed", line: error.linePos?.[0].line, reason: error.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "") };
    }
    const line = (node: Node | undefined) => (node?.range ? lines.linePos(node.range[0]).line : undefined);
    return { kind: "parsed", yaml: { file, documents: all.filter((document) => document.contents !== null), line } };
}

/** The string value of a scalar field of a mapping node, if it is one. */
export function scalarField(node: unknown, key: string): { value: string; node: Node } | undefined {
    if (!isMap(node)) return undefined;
    const value = node.get(key, true);
    return isScalar(value) && value.value !== null ? { value: String(value.value), node: value } : undefined;
}

/** The items of a list field of a mapping node (empty when absent or not a list). */
export function listField(node: unknown, key: string): readonly unknown[] {
    if (!isMap(node)) return [];
    const value = node.get(key, true);
    return isSeq(value) ? value.items : [];
}

/**
 * A Kubernetes object as kustomize patches it, remembering for every field the file and line that last set
 * it, so that a finding about the effective object can point at the patch to fix rather than at the base.
 * JSON 6902 patches are applied with fast-json-patch (RFC 6902, as kustomize's evanphx/json-patch does);
 * strategic-merge patches of a kind without an OpenAPI schema (any CRD) as a JSON merge patch (see mergePatch).
 */
import { applyOperation, type Operation } from "fast-json-patch";
import { isMap, isSeq, type Node } from "yaml";

/** Where a field of the effective object comes from. */
export interface FieldSite {
    readonly file: string;
    readonly line?: number;
    /** The kustomization entry that set it (`eodhp/envs/test/kustomization.yaml patches[0], op 2`), if a patch did. */
    readonly patch?: string;
}

export type JsonObject = Record<string, unknown>;

/** `/spec/template/metadata` → `spec.template.metadata`; list indexes as `[0]`, keys with dots or slashes quoted. */
export function fieldName(pointer: string): string {
    return pointer
        .split("/")
        .slice(1)
        .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
        .reduce((name, part) => {
            if (/^\d+$/.test(part)) return `${name}[${part}]`;
            if (/[./]/.test(part)) return `${name}[${JSON.stringify(part)}]`;
            return name === "" ? part : `${name}.${part}`;
        }, "");
}

export const pointerTo = (...parts: ReadonlyArray<string | number>): string =>
    parts.map((part) => `/${String(part).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");

/** The line of every node under `node`, by JSON pointer relative to it. */
export function nodeLines(node: unknown, line: (node: Node | undefined) => number | undefined, at = ""): Map<string, number> {
    const lines = new Map<string, number>();
    const visit = (current: unknown, pointer: string) => {
        const here = line(current as Node | undefined);
        if (here !== undefined) lines.set(pointer, here);
        if (isMap(current)) {
            for (const pair of current.items) {
                const key = (pair.key as { value?: unknown } | null)?.value;
                if (key !== undefined) visit(pair.value, `${pointer}${pointerTo(String(key))}`);
            }
        } else if (isSeq(current)) {
            current.items.forEach((item, index) => visit(item, `${pointer}${pointerTo(index)}`));
        }
    };
    visit(node, at);
    return lines;
}

const isObject = (value: unknown): value is JsonObject => value !== null && typeof value === "object" && !Array.isArray(value);
const parentOf = (pointer: string) => pointer.slice(0, pointer.lastIndexOf("/"));

export class TracedObject {
    private readonly sites = new Map<string, FieldSite>();

    /** `lines`: the base document's lines by pointer, all in `file`. */
    constructor(
        public value: JsonObject,
        file: string,
        lines: ReadonlyMap<string, number>,
    ) {
        this.sites.set("", { file, line: lines.get("") });
        for (const [pointer, line] of lines) this.sites.set(pointer, { file, line });
    }

    /** The site of the field at `pointer`, or of its nearest ancestor that has one. */
    siteOf(pointer: string): FieldSite {
        for (let at = pointer; ; at = parentOf(at)) {
            const site = this.sites.get(at);
            if (site !== undefined) return site;
        }
    }

    valueAt(pointer: string): unknown {
        let value: unknown = this.value;
        for (const part of pointer.split("/").slice(1)) {
            const key = part.replace(/~1/g, "/").replace(/~0/g, "~");
            if (Array.isArray(value)) value = value[Number(key)];
            else if (isObject(value)) value = value[key];
            else return undefined;
        }
        return value;
    }

    /** Records that `pointer` (and all under it) was set at `site`; `lines` place fields under it more precisely. */
    private set(pointer: string, site: FieldSite, lines?: ReadonlyMap<string, number>): void {
        for (const known of [...this.sites.keys()]) if (known.startsWith(`${pointer}/`)) this.sites.delete(known);
        this.sites.set(pointer, site);
        for (const [relative, line] of lines ?? []) if (relative !== "") this.sites.set(`${pointer}${relative}`, { ...site, line });
    }

    /**
     * Applies one JSON 6902 operation; returns the reason it fails (kustomize then fails the whole build).
     * An add or remove inside a list shifts its items, so the list as a whole is recorded as set.
     */
    applyOperation(operation: Operation, site: FieldSite, valueLines?: ReadonlyMap<string, number>): string | undefined {
        try {
            const result = applyOperation(this.value, structuredClone(operation), true, true, true);
            if (!isObject(result.newDocument)) return "the operation leaves no object";
            this.value = result.newDocument;
        } catch (error) {
            return error instanceof Error ? error.message.split("\n")[0] : String(error);
        }
        if (operation.op === "test") return undefined;
        const shifts = (pointer: string) => ["add", "remove", "move"].includes(operation.op) && Array.isArray(this.valueAt(parentOf(pointer)));
        if (operation.op === "move") this.set(shifts(operation.from) ? parentOf(operation.from) : operation.from, site);
        this.set(shifts(operation.path) ? parentOf(operation.path) : operation.path, site, operation.op === "remove" ? undefined : valueLines);
        return undefined;
    }

    /**
     * A strategic-merge patch on a kind kustomize has no schema for: maps merge key by key, `null` deletes a
     * key, lists and scalars replace, and `$patch: delete` / `$patch: replace` on a map delete or replace it
     * (kyaml merge2.Merger). `lines` gives the patch's lines by pointer.
     */
    mergePatch(patch: JsonObject, site: FieldSite, lines: ReadonlyMap<string, number>): void {
        const lineSite = (pointer: string): FieldSite => ({ ...site, line: lines.get(pointer) ?? site.line });
        const merge = (target: JsonObject, changes: JsonObject, pointer: string) => {
            for (const [key, change] of Object.entries(changes)) {
                const at = `${pointer}${pointerTo(key)}`;
                const directive = isObject(change) ? change.$patch : undefined;
                const rest = isObject(change) ? withoutDirective(change) : {};
                if (change === null || directive === "delete") {
                    delete target[key];
                    this.set(at, lineSite(at));
                } else if (isObject(change) && directive !== "replace" && isObject(target[key])) {
                    merge(target[key], rest, at);
                } else {
                    target[key] = structuredClone(isObject(change) ? rest : change);
                    this.set(at, lineSite(at), relativeLines(lines, at));
                }
            }
        };
        merge(this.value, patch, "");
    }
}

/** A map without its `$patch` directive. */
function withoutDirective(map: JsonObject): JsonObject {
    return Object.fromEntries(Object.entries(map).filter(([key]) => key !== "$patch"));
}

function relativeLines(lines: ReadonlyMap<string, number>, under: string): Map<string, number> {
    return new Map([...lines].filter(([pointer]) => pointer.startsWith(`${under}/`)).map(([pointer, line]) => [pointer.slice(under.length), line]));
}

/**
 * Resolves a Kargo `yaml-update` key (`hub.image.tag`, `resources.1`, `a\.b`) in a parsed YAML document,
 * without changing it. Kargo itself never fails on a missing key: it adds the field, and an index past the
 * end of a list appends an item (pkg/yaml/update.go @ v1.11.2, updateMappingNode / updateSequenceNode), so
 * a wrong key silently writes to the wrong place. Hence every segment must already exist here.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type Node } from "yaml";

/**
 * Kargo's key syntax (pkg/sjson/split_key.go @ v1.11.2, SplitKey): `.` separates parts, `\.` and `\:` are
 * literal, a leading `:` forces a part to be read as a mapping key. Returns undefined for a malformed key.
 */
export function splitKargoKey(key: string): string[] | undefined {
    const parts: string[] = [];
    let current = "";
    let escaped = false;
    for (const char of key.trim()) {
        if (escaped) {
            if (char !== "." && char !== ":") return undefined;
            current += char;
            escaped = false;
        } else if (char === "\\") {
            escaped = true;
        } else if (char === ".") {
            if (current === "") return undefined;
            parts.push(current);
            current = "";
        } else if (char === ":") {
            if (current !== "") return undefined;
        } else {
            current += char;
        }
    }
    if (escaped || current === "") return undefined;
    return [...parts, current];
}

export type KeyLookup =
    { readonly found: true; readonly node: Node; readonly value: unknown } | { readonly found: false; readonly reason: string; readonly node?: Node };

/** Follows `key` through mappings and lists of `document`; the failure names the first missing segment. */
export function lookupKey(document: Document, key: string): KeyLookup {
    const parts = splitKargoKey(key);
    if (parts === undefined) return { found: false, reason: `"${key}" is not a valid Kargo key` };
    let node: unknown = document.contents;
    for (let index = 0; index < parts.length; index++) {
        const part = parts[index];
        const at = parts.slice(0, index).join(".") || "the document";
        while (isAlias(node)) node = node.resolve(document);
        if (isMap(node)) {
            const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === part);
            if (pair === undefined) return { found: false, reason: `${at} has no key "${part}"`, node: node as Node };
            node = pair.value;
        } else if (isSeq(node)) {
            const position = /^\d+$/.test(part) ? Number(part) : Number.NaN;
            if (Number.isNaN(position)) return { found: false, reason: `${at} is a list; "${part}" is not an index`, node: node as Node };
            if (position >= node.items.length) {
                return { found: false, reason: `${at} has ${node.items.length} item(s); index ${position} is out of range`, node: node as Node };
            }
            node = node.items[position];
        } else {
            return { found: false, reason: `${at} is not a mapping or list`, node: node as Node | undefined };
        }
    }
    while (isAlias(node)) node = node.resolve(document);
    if (node === null || node === undefined) return { found: false, reason: `"${key}" has no value` };
    return { found: true, node: node as Node, value: isScalar(node) ? node.value : (node as { toJSON(): unknown }).toJSON() };
}

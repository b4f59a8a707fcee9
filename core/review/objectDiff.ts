/**
 * Field-level differences between two renders: which objects would be created, changed or deleted, and for
 * a change, which fields. Lists of named things (steps by alias, vars by name, freight by origin) are
 * matched by name, so inserting one step does not show every later step as changed.
 */
import { compareText } from "../kubernetes";

export type FieldChange =
    | { readonly kind: "added"; readonly path: string; readonly after: unknown }
    | { readonly kind: "removed"; readonly path: string; readonly before: unknown }
    | { readonly kind: "changed"; readonly path: string; readonly before: unknown; readonly after: unknown };

export type ObjectChange =
    | { readonly kind: "created"; readonly key: string; readonly after: unknown }
    | { readonly kind: "deleted"; readonly key: string; readonly before: unknown }
    | { readonly kind: "changed"; readonly key: string; readonly fields: readonly FieldChange[] };

export function diffObjects(before: ReadonlyMap<string, unknown>, after: ReadonlyMap<string, unknown>): ObjectChange[] {
    const keys = [...new Set([...before.keys(), ...after.keys()])].sort(compareText);
    return keys.flatMap((key): ObjectChange[] => {
        if (!before.has(key)) return [{ kind: "created", key, after: after.get(key) }];
        if (!after.has(key)) return [{ kind: "deleted", key, before: before.get(key) }];
        const fields = diffValues(before.get(key), after.get(key), "");
        return fields.length === 0 ? [] : [{ kind: "changed", key, fields }];
    });
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The field that names list items, if every item in both lists has it. */
function identityField(before: unknown[], after: unknown[]): string | undefined {
    const items = [...before, ...after];
    const candidates: Array<[string, (item: Record<string, unknown>) => unknown]> = [
        ["as", (item) => item.as],
        ["name", (item) => item.name],
        ["origin", (item) => (isRecord(item.origin) ? item.origin.name : undefined)],
    ];
    for (const [field, read] of candidates) {
        const values = items.map((item) => (isRecord(item) ? read(item) : undefined));
        if (values.every((value) => typeof value === "string") && new Set(before.map((item) => read(item as Record<string, unknown>))).size === before.length) {
            return field;
        }
    }
    return undefined;
}

function itemName(field: string, item: unknown): string {
    const record = item as Record<string, unknown>;
    return String(field === "origin" ? (record.origin as Record<string, unknown>).name : record[field]);
}

function join(path: string, part: string): string {
    return path === "" ? part : part.startsWith("[") ? `${path}${part}` : `${path}.${part}`;
}

function diffValues(before: unknown, after: unknown, path: string): FieldChange[] {
    if (JSON.stringify(before) === JSON.stringify(after)) return [];
    if (Array.isArray(before) && Array.isArray(after)) {
        const field = identityField(before, after);
        if (field) {
            const named = (items: unknown[]) => new Map(items.map((item) => [itemName(field, item), item]));
            return diffMaps(named(before), named(after), path, (name) => `[${name}]`);
        }
        const indexed = (items: unknown[]) => new Map(items.map((item, index) => [String(index), item]));
        return diffMaps(indexed(before), indexed(after), path, (index) => `[${index}]`);
    }
    if (isRecord(before) && isRecord(after)) {
        return diffMaps(new Map(Object.entries(before)), new Map(Object.entries(after)), path, (key) => key);
    }
    return [{ kind: "changed", path, before, after }];
}

function diffMaps(
    before: ReadonlyMap<string, unknown>,
    after: ReadonlyMap<string, unknown>,
    path: string,
    label: (key: string) => string,
): FieldChange[] {
    const keys = [...before.keys(), ...[...after.keys()].filter((key) => !before.has(key))];
    return keys.flatMap((key): FieldChange[] => {
        const at = join(path, label(key));
        if (!before.has(key)) return [{ kind: "added", path: at, after: after.get(key) }];
        if (!after.has(key)) return [{ kind: "removed", path: at, before: before.get(key) }];
        return diffValues(before.get(key), after.get(key), at);
    });
}

/**
 * Field-level differences between two renders: which objects would be created, changed or deleted, and for
 * a change, which fields. Lists of named things (steps by alias, vars by name, freight by origin) are
 * matched by name (and lists of distinct strings by value), so inserting one step does not show every later
 * step as changed; microdiff does the
 * comparison once both sides are keyed that way. Secret values are "[secret]" on both sides of a render, so
 * whether one changed comes from digests the render kept of them (never the values).
 */
import diff from "microdiff";
import { compareText } from "../kubernetes";

export type FieldChange =
    | { readonly kind: "added"; readonly path: string; readonly after: unknown }
    | { readonly kind: "removed"; readonly path: string; readonly before: unknown }
    | { readonly kind: "changed"; readonly path: string; readonly before: unknown; readonly after: unknown }
    /** A secret input whose value differs; neither value is known here. */
    | { readonly kind: "secret"; readonly path: string };

/** Per object key: each secret input's path (`data.token`) → a digest of its value. */
export type SecretDigests = ReadonlyMap<string, Readonly<Record<string, string>>>;

export type ObjectChange =
    | { readonly kind: "created"; readonly key: string; readonly after: unknown }
    | { readonly kind: "deleted"; readonly key: string; readonly before: unknown }
    | { readonly kind: "changed"; readonly key: string; readonly fields: readonly FieldChange[] };

const NO_SECRETS: SecretDigests = new Map();

export function diffObjects(
    before: ReadonlyMap<string, unknown>,
    after: ReadonlyMap<string, unknown>,
    secrets: { readonly before: SecretDigests; readonly after: SecretDigests } = { before: NO_SECRETS, after: NO_SECRETS },
): ObjectChange[] {
    const keys = [...new Set([...before.keys(), ...after.keys()])].sort(compareText);
    return keys.flatMap((key): ObjectChange[] => {
        if (!before.has(key)) return [{ kind: "created", key, after: after.get(key) }];
        if (!after.has(key)) return [{ kind: "deleted", key, before: before.get(key) }];
        const fields = [...diffFields(before.get(key), after.get(key)), ...changedSecrets(secrets.before.get(key), secrets.after.get(key))];
        return fields.length === 0 ? [] : [{ kind: "changed", key, fields }];
    });
}

/** Secret inputs on both sides whose digests differ (one on a single side shows as added or removed "[secret]"). */
function changedSecrets(before: Readonly<Record<string, string>> = {}, after: Readonly<Record<string, string>> = {}): FieldChange[] {
    return Object.keys(after)
        .filter((path) => path in before && before[path] !== after[path])
        .sort(compareText)
        .map((path) => ({ kind: "secret", path }));
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

const IDENTITIES: ReadonlyArray<(item: unknown) => unknown> = [
    (item) => (isRecord(item) ? item.as : undefined),
    (item) => (isRecord(item) ? item.name : undefined),
    (item) => (isRecord(item) && isRecord(item.origin) ? item.origin.name : undefined),
    // Lists of distinct names (resourceNames, verbs): a name added or removed, not every later index shifted.
    (item) => item,
];

/** How list items are named, if every item of both lists has a unique name of one kind. */
function identityOf(before: unknown[], after: unknown[]): ((item: unknown) => string) | undefined {
    const unique = (items: unknown[], read: (item: unknown) => unknown) => {
        const names = items.map(read);
        return names.every((name) => typeof name === "string") && new Set(names).size === names.length;
    };
    const read = IDENTITIES.find((candidate) => unique(before, candidate) && unique(after, candidate));
    return read && ((item) => `[${String(read(item))}]`);
}

/** Both values with named lists turned into maps keyed `[name]`, walked together so both sides agree. */
function keyed(before: unknown, after: unknown): [unknown, unknown] {
    if (Array.isArray(before) && Array.isArray(after)) {
        const name = identityOf(before, after);
        if (!name) {
            const pairs = before.map((item, index) => keyed(item, after[index]));
            return [pairs.map(([b]) => b), after.map((item, index) => (index < before.length ? pairs[index][1] : item))];
        }
        const afterByName = new Map(after.map((item) => [name(item), item]));
        const beforeByName = new Map(before.map((item) => [name(item), item]));
        const b = Object.fromEntries(before.map((item) => [name(item), keyed(item, afterByName.get(name(item)))[0]]));
        const a = Object.fromEntries(after.map((item) => [name(item), keyed(beforeByName.get(name(item)), item)[1]]));
        return [b, a];
    }
    if (isRecord(before) && isRecord(after)) {
        const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
        const pairs = [...keys].map((key) => [key, keyed(before[key], after[key])] as const);
        return [
            Object.fromEntries(pairs.filter(([key]) => key in before).map(([key, [b]]) => [key, b])),
            Object.fromEntries(pairs.filter(([key]) => key in after).map(([key, [, a]]) => [key, a])),
        ];
    }
    return [before, after];
}

/** `["spec", "steps", "[build]", "config"]` → `spec.steps[build].config`. */
function pathText(path: ReadonlyArray<string | number>): string {
    return path.reduce<string>((text, part) => {
        const segment = typeof part === "number" ? `[${part}]` : part;
        return text === "" ? segment : segment.startsWith("[") ? `${text}${segment}` : `${text}.${segment}`;
    }, "");
}

function diffFields(before: unknown, after: unknown): FieldChange[] {
    const [b, a] = keyed(before, after);
    if (!isRecord(b) || !isRecord(a)) return JSON.stringify(b) === JSON.stringify(a) ? [] : [{ kind: "changed", path: "", before, after }];
    return diff(b, a).map((change): FieldChange => {
        const path = pathText(change.path);
        if (change.type === "CREATE") return { kind: "added", path, after: unkeyed(change.value) };
        if (change.type === "REMOVE") return { kind: "removed", path, before: unkeyed(change.oldValue) };
        return { kind: "changed", path, before: unkeyed(change.oldValue), after: unkeyed(change.value) };
    });
}

/** A value as the user wrote it: keyed lists back to lists (names come from the items themselves). */
function unkeyed(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(unkeyed);
    if (!isRecord(value)) return value;
    const entries = Object.entries(value);
    if (entries.length > 0 && entries.every(([key]) => key.startsWith("["))) return entries.map(([, item]) => unkeyed(item));
    return Object.fromEntries(entries.map(([key, item]) => [key, unkeyed(item)]));
}

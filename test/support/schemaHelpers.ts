/** Test support: small helpers shared by the schema checker's modules. */
import type { ErrorObject, ValidateFunction } from "ajv";

export interface SchemaProblem {
    /** "Kind/namespace/name", or "Kind/name" when the object has no namespace. */
    object: string;
    /** JSON pointer into the object, e.g. "/spec/subscriptions/0/image/allowTags"; "" = whole object. */
    path: string;
    message: string;
}

export type Finding = Omit<SchemaProblem, "object">;
export type JsonObject = Record<string, unknown>;

export function validate(validateFn: ValidateFunction, data: unknown, prefix: string, keep: (e: ErrorObject) => boolean = () => true): Finding[] {
    if (validateFn(data)) return [];
    return (validateFn.errors ?? []).filter(keep).map((e) => toFinding(e, prefix));
}

/** Ajv's message, with the offending property in path and message where Ajv only gives the parent. */
export function toFinding(e: ErrorObject, prefix: string): Finding {
    let path = prefix + e.instancePath;
    let message = e.message ?? `failed ${e.keyword}`;
    const params = e.params as Record<string, unknown>;
    const extra = params.additionalProperty ?? params.unevaluatedProperty;
    if (typeof extra === "string") {
        path += `/${pointerEscape(extra)}`;
        message += ` (${extra})`;
    } else if (e.keyword === "enum" && Array.isArray(params.allowedValues)) {
        message += `: ${params.allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
    }
    return { path, message };
}

export function objectId(obj: JsonObject): string {
    const metadata = isObject(obj.metadata) ? obj.metadata : {};
    const kind = typeof obj.kind === "string" ? obj.kind : "<no kind>";
    const name = typeof metadata.name === "string" && metadata.name ? metadata.name : "<no name>";
    return typeof metadata.namespace === "string" ? `${kind}/${metadata.namespace}/${name}` : `${kind}/${name}`;
}

export function isObject(v: unknown): v is JsonObject {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function isNonEmpty(v: unknown): boolean {
    if (v === undefined || v === null || v === "") return false;
    if (Array.isArray(v)) return v.length > 0;
    return true;
}

export function get(obj: unknown, ...keys: string[]): unknown {
    return keys.reduce<unknown>((node, k) => (isObject(node) ? node[k] : undefined), obj);
}

export function valueAt(data: unknown, pointer: string): unknown {
    if (pointer === "") return data;
    return pointer
        .split("/")
        .slice(1)
        .map(pointerUnescape)
        .reduce<unknown>((node, k) => (Array.isArray(node) ? node[Number(k)] : isObject(node) ? node[k] : undefined), data);
}

export function pointerEscape(segment: string): string {
    return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

export function pointerUnescape(segment: string): string {
    return segment.replace(/~1/g, "/").replace(/~0/g, "~");
}

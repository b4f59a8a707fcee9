/** Test support: Kargo's checks beyond the CRD schemas: Warehouse subscriptions and promotion step configs. */
import type { ErrorObject } from "ajv";
import { schemas, SUBSCRIPTION_KINDS, type SubscriptionKind } from "./schemaRegistry";
import { get, isNonEmpty, isObject, pointerEscape, pointerUnescape, validate, valueAt, type Finding, type JsonObject } from "./schemaHelpers";

/** Checks beyond the CRD schema, by "apiVersion/Kind". */
export const KIND_CHECKS: Record<string, (obj: JsonObject) => Finding[]> = {
    "kargo.akuity.io/v1alpha1/Warehouse": (obj) => checkSubscriptions(get(obj, "spec", "subscriptions"), "/spec/subscriptions"),
    "kargo.akuity.io/v1alpha1/Stage": (obj) => checkSteps(get(obj, "spec", "promotionTemplate", "spec", "steps"), "/spec/promotionTemplate/spec/steps"),
    "kargo.akuity.io/v1alpha1/PromotionTask": (obj) => checkSteps(get(obj, "spec", "steps"), "/spec/steps"),
    "kargo.akuity.io/v1alpha1/ClusterPromotionTask": (obj) => checkSteps(get(obj, "spec", "steps"), "/spec/steps"),
    "kargo.akuity.io/v1alpha1/Promotion": (obj) => checkSteps(get(obj, "spec", "steps"), "/spec/steps"),
};

/** The CRD leaves subscription items schemaless; Kargo's webhook validates them per kind. */
function checkSubscriptions(subscriptions: unknown, at: string): Finding[] {
    if (!Array.isArray(subscriptions)) return []; // type/required errors come from the CRD schema
    const { jsonAjv, failingSubscriptionFields } = schemas();
    const findings: Finding[] = [];
    subscriptions.forEach((item: unknown, i) => {
        const itemPath = `${at}/${i}`;
        if (!isObject(item)) {
            findings.push({ path: itemPath, message: "must be an object" });
            return;
        }
        const keys = Object.keys(item);
        if (keys.length !== 1 || !isSubscriptionKind(keys[0])) {
            findings.push({
                path: itemPath,
                message: `must have exactly one of ${SUBSCRIPTION_KINDS.join(", ")} (has: ${keys.join(", ") || "none"})`,
            });
        }
        for (const kind of keys.filter(isSubscriptionKind)) {
            const value = item[kind];
            const validateFn = jsonAjv.getSchema(`subscriptions/${kind}.json`);
            if (validateFn) findings.push(...validate(validateFn, value, `${itemPath}/${kind}`));
            for (const field of failingSubscriptionFields.get(kind) ?? []) {
                if (isObject(value) && isNonEmpty(value[field])) {
                    findings.push({
                        path: `${itemPath}/${kind}/${pointerEscape(field)}`,
                        message: `${field} is deprecated: since Kargo v1.11.0 artifact discovery fails when it is non-empty`,
                    });
                }
            }
        }
    });
    return findings;
}

function isSubscriptionKind(key: string): key is SubscriptionKind {
    return (SUBSCRIPTION_KINDS as readonly string[]).includes(key);
}

/**
 * Each `uses: X` step's config must match `X-config.json`. Steps that reference a task (`task:`)
 * are checked where the task is defined.
 */
function checkSteps(steps: unknown, at: string): Finding[] {
    if (!Array.isArray(steps)) return [];
    const { jsonAjv, jsonSchemas } = schemas();
    const findings: Finding[] = [];
    steps.forEach((step: unknown, i) => {
        if (!isObject(step) || typeof step.uses !== "string") return;
        const id = `${step.uses}-config.json`;
        const root = jsonSchemas.get(id);
        const validateFn = root && jsonAjv.getSchema(id);
        if (!root || !validateFn) {
            findings.push({ path: `${at}/${i}/uses`, message: `unknown step "${step.uses}" (no ${id})` });
            return;
        }
        // Kargo validates `config` even when it is absent; every step schema requires an object, so an
        // absent config only fails when the schema has required fields.
        const config = step.config ?? {};
        const data = withPlaceholders(config, expand({ node: root, base: id }));
        findings.push(...validate(validateFn, data, `${at}/${i}/config`, (e) => !dependsOnExpression(e, data)));
    });
    return findings;
}

// --- `${{ ... }}` expressions --------------------------------------------------------------------
//
// Kargo evaluates expressions in step configs first and validates the result. A string that is one
// whole expression may become any JSON value (Kargo parses the result as number, bool or JSON), so
// it gets a placeholder of the type the schema wants there; if the schema wants a string (or we
// cannot tell) it stays. Afterwards, errors about values whose content is only known at promotion
// time (patterns, formats, lengths, enums of strings containing expressions) are dropped.

const DELIMITERS: ReadonlyArray<readonly [string, string]> = [
    ["${{", "}}"],
    ["${%", "%}"],
];

function containsExpression(s: string): boolean {
    return DELIMITERS.some(([start]) => s.includes(start));
}

function isWholeExpression(s: string): boolean {
    const t = s.endsWith("\n") ? s.slice(0, -1) : s; // Kargo drops one trailing newline (YAML `|`)
    return DELIMITERS.some(([start, end]) => t.startsWith(start) && t.indexOf(end, start.length) === t.length - end.length);
}

const VALUE_KEYWORDS = new Set(["pattern", "format", "minLength", "maxLength", "enum", "const"]);

function dependsOnExpression(e: ErrorObject, data: unknown): boolean {
    const value = valueAt(data, e.instancePath);
    if (typeof value !== "string" || !containsExpression(value)) return false;
    return isWholeExpression(value) || VALUE_KEYWORDS.has(e.keyword);
}

/** A schema node together with the `$id` of the file it is in, for resolving relative `$ref`s. */
interface SchemaAt {
    node: JsonObject;
    base: string;
}

/** The node plus everything it brings in through `$ref` and allOf/anyOf/oneOf. */
function expand(at: SchemaAt, out: SchemaAt[] = [], depth = 0): SchemaAt[] {
    if (depth > 32) return out; // recursive schemas: deep enough for any config
    out.push(at);
    const { node, base } = at;
    if (typeof node.$ref === "string") {
        const target = resolveRef(node.$ref, base);
        if (target) expand(target, out, depth + 1);
    }
    for (const junctor of ["allOf", "anyOf", "oneOf"]) {
        const branches = node[junctor];
        if (Array.isArray(branches)) {
            for (const b of branches) if (isObject(b)) expand({ node: b, base }, out, depth + 1);
        }
    }
    return out;
}

function resolveRef(ref: string, base: string): SchemaAt | undefined {
    const [file, fragment = ""] = ref.split("#");
    const id = file || base;
    let node: unknown = schemas().jsonSchemas.get(id);
    for (const segment of fragment.split("/").slice(1)) {
        node = isObject(node) ? node[pointerUnescape(segment)] : undefined;
    }
    return isObject(node) ? { node, base: id } : undefined;
}

function childSchemas(parents: SchemaAt[], key: string | number): SchemaAt[] {
    const out: SchemaAt[] = [];
    for (const { node, base } of parents) {
        let child: unknown;
        if (typeof key === "number") {
            child = Array.isArray(node.prefixItems) && key < node.prefixItems.length ? node.prefixItems[key] : node.items;
        } else {
            child = isObject(node.properties) && key in node.properties ? node.properties[key] : node.additionalProperties;
        }
        if (isObject(child)) expand({ node: child, base }, out);
    }
    return out;
}

function withPlaceholders(value: unknown, at: SchemaAt[]): unknown {
    if (typeof value === "string") return isWholeExpression(value) ? (placeholder(at) ?? value) : value;
    if (Array.isArray(value)) return value.map((v, i) => withPlaceholders(v, childSchemas(at, i)));
    if (isObject(value)) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withPlaceholders(v, childSchemas(at, k))]));
    }
    return value;
}

function placeholder(at: SchemaAt[]): boolean | number | undefined {
    const types = new Set(at.flatMap(({ node }) => (Array.isArray(node.type) ? node.type : [node.type])));
    if (types.has("string") || !(types.has("boolean") || types.has("integer") || types.has("number"))) {
        return undefined;
    }
    if (types.has("boolean")) return true;
    // 1, moved into [minimum, maximum] if the schema has bounds.
    const bound = (k: string, pick: (...n: number[]) => number): number | undefined => {
        const values = at.map(({ node }) => node[k]).filter((n): n is number => typeof n === "number");
        return values.length > 0 ? pick(...values) : undefined;
    };
    const min = bound("minimum", Math.max);
    const max = bound("maximum", Math.min);
    let n = 1;
    if (min !== undefined && n < min) n = Math.ceil(min);
    if (max !== undefined && n > max) n = Math.floor(max);
    return n;
}

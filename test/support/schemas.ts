/**
 * Test support: check rendered Kubernetes objects against the reference schemas in
 * `test/fixtures/schemas` (Kargo v1.11.2 CRDs, step and subscription schemas; external-secrets
 * v2.9.0 ExternalSecret CRD).
 *
 * Why: the API server silently prunes unknown fields from custom resources, and Kargo only
 * validates step configs when a promotion runs. A typo in a rendered object would therefore pass
 * `pulumi up` and break later. Here every such mistake is a test failure instead.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv, { type ErrorObject, type Format, type Options, type SchemaObject, type ValidateFunction } from "ajv";
import Ajv2020 from "ajv/dist/2020";
import { parse as parseYaml } from "yaml";

export interface SchemaProblem {
    /** "Kind/namespace/name", or "Kind/name" when the object has no namespace. */
    object: string;
    /** JSON pointer into the object, e.g. "/spec/subscriptions/0/image/allowTags"; "" = whole object. */
    path: string;
    message: string;
}

/** Checks one object; returns [] when it is valid. */
export function checkAgainstSchemas(obj: Record<string, unknown>): SchemaProblem[] {
    const object = objectId(obj);
    const key = `${String(obj.apiVersion)}/${String(obj.kind)}`;
    const kind = schemas().kinds.get(key);
    if (!kind) {
        return [{ object, path: "", message: `no schema for ${key}` }];
    }
    const findings = validate(kind.validate(), obj, "");
    const metadata = obj.metadata;
    if (kind.scope === "Cluster" && isObject(metadata) && metadata.namespace !== undefined) {
        findings.push({ path: "/metadata/namespace", message: `must NOT be set: ${String(obj.kind)} is cluster-scoped` });
    }
    findings.push(...(KIND_CHECKS[key]?.(obj) ?? []));
    return findings.map((f) => ({ object, ...f }));
}

/** The "apiVersion/Kind" pairs the checker knows, e.g. "kargo.akuity.io/v1alpha1/Stage". */
export function supportedKinds(): string[] {
    return [...schemas().kinds.keys()].sort();
}

// ---------------------------------------------------------------------------------------------
// Loading (once, lazily) and Ajv set-up

const SCHEMA_DIR = path.join(__dirname, "..", "fixtures", "schemas");
const CRD_DIRS = [path.join(SCHEMA_DIR, "kargo", "crds"), path.join(SCHEMA_DIR, "external-secrets")];
const STEP_DIR = path.join(SCHEMA_DIR, "kargo", "steps");
const SUBSCRIPTION_DIR = path.join(SCHEMA_DIR, "kargo", "subscriptions");
const SUBSCRIPTION_KINDS = ["git", "image", "chart"] as const;
type SubscriptionKind = (typeof SUBSCRIPTION_KINDS)[number];

type JsonObject = Record<string, unknown>;

interface KindSchema {
    scope: "Namespaced" | "Cluster";
    /** Compiled on first use: most test runs touch only a few kinds. */
    validate: () => ValidateFunction;
}

interface Schemas {
    kinds: Map<string, KindSchema>;
    /** Raw step/subscription schemas by `$id`, for resolving the schema at a given data position. */
    jsonSchemas: Map<string, JsonObject>;
    jsonAjv: Ajv2020;
    /** Subscription fields whose mere presence makes Kargo's artifact discovery fail. */
    failingSubscriptionFields: Map<SubscriptionKind, string[]>;
}

let loaded: Schemas | undefined;

function schemas(): Schemas {
    if (loaded) return loaded;

    const crds = CRD_DIRS.flatMap((dir) => listFiles(dir, ".yaml")).map(
        (file) => parseYaml(fs.readFileSync(file, "utf8")) as Crd,
    );
    const jsonSchemas = new Map<string, JsonObject>();
    for (const file of listFiles(STEP_DIR, ".json")) {
        // Steps `$ref` each other by file name (e.g. "argocd-common.json#/definitions/..."), so the
        // file name is the `$id`.
        jsonSchemas.set(path.basename(file), readJsonSchema(file));
    }
    for (const file of listFiles(SUBSCRIPTION_DIR, ".json")) {
        jsonSchemas.set(`subscriptions/${path.basename(file)}`, readJsonSchema(file));
    }

    const converted: Array<{ key: string; scope: KindSchema["scope"]; schema: SchemaObject }> = [];
    for (const crd of crds) {
        for (const version of crd.spec.versions) {
            if (!version.served || !version.schema) continue;
            converted.push({
                key: `${crd.spec.group}/${version.name}/${crd.spec.names.kind}`,
                scope: crd.spec.scope,
                schema: crdToJsonSchema(version.schema.openAPIV3Schema),
            });
        }
    }

    const options: Options = {
        strict: false,
        allErrors: true,
        code: { regExp: re2RegExp },
        formats: formatsFor([...converted.map((c) => c.schema), ...jsonSchemas.values()]),
    };
    const crdAjv = new Ajv(options);
    const jsonAjv = new Ajv2020(options);
    for (const [id, schema] of jsonSchemas) jsonAjv.addSchema({ ...schema, $id: id });

    const kinds = new Map<string, KindSchema>();
    for (const { key, scope, schema } of converted) {
        let compiled: ValidateFunction | undefined;
        kinds.set(key, { scope, validate: () => (compiled ??= crdAjv.compile(schema)) });
    }

    const failingSubscriptionFields = new Map<SubscriptionKind, string[]>();
    for (const kind of SUBSCRIPTION_KINDS) {
        const props = jsonSchemas.get(`subscriptions/${kind}.json`)?.properties;
        const failing = isObject(props)
            ? Object.entries(props)
                    .filter(([, p]) => isObject(p) && typeof p.description === "string" && FAILS_WHEN_SET.test(p.description))
                    .map(([name]) => name)
            : [];
        failingSubscriptionFields.set(kind, failing);
    }

    loaded = { kinds, jsonSchemas, jsonAjv, failingSubscriptionFields };
    return loaded;
}

/**
 * Kargo v1.11 still lists the legacy image `allowTags`/`ignoreTags` in the schema (so the schema
 * accepts them) but documents: "Beginning in v1.11.0, artifact discovery will FAIL if this field
 * is non-empty." We read that sentence from the schema so the rule follows the fixture version.
 */
const FAILS_WHEN_SET = /artifact discovery will FAIL if this field is non-empty/i;

function listFiles(dir: string, ext: string): string[] {
    return fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(ext))
        .sort()
        .map((f) => path.join(dir, f));
}

function readJsonSchema(file: string): JsonObject {
    const schema = JSON.parse(fs.readFileSync(file, "utf8")) as JsonObject;
    // git-tag-config.json declares draft-07, which an Ajv2020 instance refuses to load. It uses no
    // keyword whose meaning differs between draft-07 and 2020-12, so validating it as 2020-12 is exact.
    if (typeof schema.$schema === "string" && schema.$schema.includes("draft-07")) delete schema.$schema;
    return schema;
}

/**
 * Formats we check (the ones the reference schemas use as string formats); every other format
 * name found in the schemas (int32, int64, ...) is registered as always-valid so Ajv neither
 * fails nor warns on it.
 */
const CHECKED_FORMATS: Record<string, Format> = {
    "date-time": /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/,
    uri: /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/,
    email: /^[^\s@]+@[^\s@]+$/,
};

function formatsFor(schemaList: unknown[]): Record<string, Format> {
    const formats: Record<string, Format> = { ...CHECKED_FORMATS };
    const visit = (node: unknown): void => {
        if (Array.isArray(node)) node.forEach(visit);
        else if (isObject(node)) {
            if (typeof node.format === "string" && !(node.format in formats)) formats[node.format] = true;
            Object.values(node).forEach(visit);
        }
    };
    schemaList.forEach(visit);
    return formats;
}

// ---------------------------------------------------------------------------------------------
// CRD structural schema -> JSON Schema (draft-07)

interface Crd {
    spec: {
        group: string;
        scope: "Namespaced" | "Cluster";
        names: { kind: string };
        versions: Array<{ name: string; served: boolean; schema?: { openAPIV3Schema: StructuralSchema } }>;
    };
}

/** The OpenAPI v3 / structural-schema keywords that occur in CRDs. */
interface StructuralSchema {
    type?: string;
    properties?: Record<string, StructuralSchema>;
    items?: StructuralSchema;
    additionalProperties?: boolean | StructuralSchema;
    required?: string[];
    enum?: unknown[];
    nullable?: boolean;
    default?: unknown;
    format?: string;
    exclusiveMinimum?: boolean;
    exclusiveMaximum?: boolean;
    minimum?: number;
    maximum?: number;
    anyOf?: StructuralSchema[];
    allOf?: StructuralSchema[];
    oneOf?: StructuralSchema[];
    not?: StructuralSchema;
    "x-kubernetes-preserve-unknown-fields"?: boolean;
    "x-kubernetes-int-or-string"?: boolean;
    "x-kubernetes-list-type"?: string;
    [keyword: string]: unknown;
}

/** Keywords with the same meaning in OpenAPI v3 and JSON Schema draft-07. */
const COPIED_KEYWORDS = [
    "pattern",
    "format",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minimum",
    "maximum",
    "multipleOf",
    "minProperties",
    "maxProperties",
    "uniqueItems",
] as const;

const STRING_MAP: SchemaObject = { type: "object", additionalProperties: { type: "string" } };

/** CRDs declare `metadata` as a bare object; the API server validates it as ObjectMeta. */
const METADATA_SCHEMA: SchemaObject = {
    type: "object",
    required: ["name"],
    additionalProperties: false,
    properties: {
        name: { type: "string", minLength: 1 },
        namespace: { type: "string", minLength: 1 },
        labels: STRING_MAP,
        annotations: STRING_MAP,
        finalizers: { type: "array", items: { type: "string" } },
    },
};

function crdToJsonSchema(root: StructuralSchema): SchemaObject {
    const schema = convert(root, false);
    schema.properties = { ...(schema.properties as JsonObject), metadata: METADATA_SCHEMA };
    return schema;
}

/**
 * `inJunctor` is true under anyOf/allOf/oneOf/not: structural schemas only allow value
 * validations there, and their `properties` constrain without declaring fields, so they must not
 * close the object.
 */
function convert(s: StructuralSchema, inJunctor: boolean): SchemaObject {
    const out: SchemaObject = {};

    let types = s["x-kubernetes-int-or-string"] ? ["integer", "string"] : s.type ? [s.type] : [];
    if (s.nullable && types.length > 0) types = [...types, "null"];
    if (types.length > 0) out.type = types.length === 1 ? types[0] : types;
    if (s.enum) out.enum = s.nullable && !s.enum.includes(null) ? [...s.enum, null] : s.enum;

    for (const keyword of COPIED_KEYWORDS) {
        if (s[keyword] !== undefined) out[keyword] = s[keyword];
    }
    // OpenAPI v3.0 exclusive bounds are flags on minimum/maximum; draft-07 makes them numbers.
    if (s.exclusiveMinimum && s.minimum !== undefined) {
        out.exclusiveMinimum = s.minimum;
        delete out.minimum;
    }
    if (s.exclusiveMaximum && s.maximum !== undefined) {
        out.exclusiveMaximum = s.maximum;
        delete out.maximum;
    }
    if (s["x-kubernetes-list-type"] === "set") out.uniqueItems = true;

    const properties = s.properties;
    if (properties) {
        out.properties = Object.fromEntries(
            Object.entries(properties).map(([name, p]) => [name, convert(p, inJunctor)]),
        );
    }
    if (s.required) {
        // The API server applies defaults before validating, so a defaulted field is never missing
        // (e.g. Warehouse `spec.interval`, required but defaulted to 5m0s).
        out.required = inJunctor ? s.required : s.required.filter((name) => properties?.[name]?.default === undefined);
    }
    if (s.items) out.items = convert(s.items, inJunctor);

    if (typeof s.additionalProperties === "object") {
        out.additionalProperties = convert(s.additionalProperties, inJunctor);
    } else if (s.additionalProperties !== undefined) {
        out.additionalProperties = s.additionalProperties;
    } else if (!inJunctor && s.type === "object" && !s["x-kubernetes-preserve-unknown-fields"]) {
        // The API server prunes fields a structural schema does not declare. Pruning would hide our
        // mistakes, so unknown fields are errors here.
        out.additionalProperties = false;
    }

    for (const junctor of ["anyOf", "allOf", "oneOf"] as const) {
        const branches = s[junctor];
        if (branches) out[junctor] = branches.map((b) => convert(b, true));
    }
    if (s.not) out.not = convert(s.not, true);
    // Everything else (description, default, x-kubernetes-validations (CEL), list/map types) is
    // dropped: either documentation or not checkable here.
    return out;
}

// ---------------------------------------------------------------------------------------------
// Go RE2 patterns -> JavaScript RegExp

/** Characters JavaScript's `u` mode allows after a backslash as a literal (plus `-` in a class). */
const JS_ESCAPABLE = new Set("^$\\.*+?()[]{}|/");

const POSIX_CLASSES: Record<string, string> = {
    alnum: "0-9A-Za-z",
    alpha: "A-Za-z",
    ascii: "\\x00-\\x7F",
    blank: "\\t ",
    cntrl: "\\x00-\\x1F\\x7F",
    digit: "0-9",
    graph: "!-~",
    lower: "a-z",
    print: " -~",
    punct: "!-\\/:-@\\[-`{-~",
    space: "\\t\\n\\v\\f\\r ",
    upper: "A-Z",
    word: "0-9A-Za-z_",
    xdigit: "0-9A-Fa-f",
};

/**
 * Translates an RE2 (Go) pattern into an equivalent JavaScript one usable with the `u` flag.
 * RE2 accepts spellings that `u`-mode RegExp rejects: escaped punctuation such as `\_` (in the
 * ExternalSecret CRD), leading flag groups `(?i)`, `(?P<name>`, `\A`/`\z`, `\pL`, `\x{..}`,
 * `\Q..\E` and `[[:alpha:]]`.
 */
export function re2ToJs(pattern: string): { source: string; flags: string } {
    let src = pattern;
    let flags = "";
    const lead = /^\(\?([imsU]+)\)/.exec(src);
    if (lead) {
        if (lead[1].includes("U")) throw new Error(`RE2 flag U has no JavaScript equivalent: ${pattern}`);
        flags = [...new Set(lead[1])].join("");
        src = src.slice(lead[0].length);
    }

    let out = "";
    let inClass = false;
    for (let i = 0; i < src.length; i++) {
        const c = src[i];
        if (c === "\\") {
            const next = src[++i];
            if (next === undefined) throw new Error(`trailing backslash in pattern: ${pattern}`);
            if (next === "Q") {
                const end = src.indexOf("\\E", i + 1);
                const literal = src.slice(i + 1, end < 0 ? undefined : end);
                out += [...literal].map((ch) => escapeLiteral(ch, inClass)).join("");
                i = end < 0 ? src.length : end + 1;
            } else if (!inClass && next === "A") {
                out += "(?<![\\s\\S])";
            } else if (!inClass && next === "z") {
                out += "(?![\\s\\S])";
            } else if ((next === "p" || next === "P") && src[i + 1] !== "{") {
                out += `\\${next}{${src[++i]}}`;
            } else if (next === "x" && src[i + 1] === "{") {
                const end = src.indexOf("}", i);
                out += `\\u${src.slice(i + 1, end + 1)}`;
                i = end;
            } else {
                // Letters and digits are classes/escapes with the same meaning in both (\d, \w, \s, \b, \n, ...);
                // RE2 takes any other escaped character literally.
                out += /[0-9A-Za-z]/.test(next) ? `\\${next}` : escapeLiteral(next, inClass);
            }
            continue;
        }
        if (inClass) {
            if (c === "[" && src[i + 1] === ":") {
                const end = src.indexOf(":]", i + 2);
                const expansion = end < 0 ? undefined : POSIX_CLASSES[src.slice(i + 2, end)];
                if (expansion === undefined) throw new Error(`unsupported POSIX class in pattern: ${pattern}`);
                out += expansion;
                i = end + 1;
                continue;
            }
            if (c === "]") inClass = false;
            out += c;
            continue;
        }
        if (c === "[") {
            inClass = true;
            out += c;
            if (src[i + 1] === "^") out += src[++i];
            if (src[i + 1] === "]") {
                out += "\\]"; // RE2 takes a leading ']' literally; JavaScript would close the class
                i++;
            }
            continue;
        }
        if (c === "(" && src.startsWith("?P<", i + 1)) {
            out += "(?<";
            i += 3;
            continue;
        }
        out += c;
    }
    return { source: out, flags };
}

function escapeLiteral(ch: string, inClass: boolean): string {
    return JS_ESCAPABLE.has(ch) || (inClass && ch === "-") ? `\\${ch}` : ch;
}

/** Ajv's hook for building pattern RegExps; `code` only matters for standalone code generation. */
const re2RegExp = Object.assign(
    (pattern: string, u: string): RegExp => {
        const { source, flags } = re2ToJs(pattern);
        return new RegExp(source, flags + u);
    },
    { code: "re2RegExp" },
);

// ---------------------------------------------------------------------------------------------
// Kargo-specific checks: Warehouse subscriptions and promotion steps

type Finding = Omit<SchemaProblem, "object">;

/** Checks beyond the CRD schema, by "apiVersion/Kind". */
const KIND_CHECKS: Record<string, (obj: JsonObject) => Finding[]> = {
    "kargo.akuity.io/v1alpha1/Warehouse": (obj) => checkSubscriptions(get(obj, "spec", "subscriptions"), "/spec/subscriptions"),
    "kargo.akuity.io/v1alpha1/Stage": (obj) =>
        checkSteps(get(obj, "spec", "promotionTemplate", "spec", "steps"), "/spec/promotionTemplate/spec/steps"),
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
        findings.push(
            ...validate(validateFn, data, `${at}/${i}/config`, (e) => !dependsOnExpression(e, data)),
        );
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
    return DELIMITERS.some(
        ([start, end]) => t.startsWith(start) && t.indexOf(end, start.length) === t.length - end.length,
    );
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

// ---------------------------------------------------------------------------------------------
// Helpers

function validate(
    validateFn: ValidateFunction,
    data: unknown,
    prefix: string,
    keep: (e: ErrorObject) => boolean = () => true,
): Finding[] {
    if (validateFn(data)) return [];
    return (validateFn.errors ?? []).filter(keep).map((e) => toFinding(e, prefix));
}

/** Ajv's message, with the offending property in path and message where Ajv only gives the parent. */
function toFinding(e: ErrorObject, prefix: string): Finding {
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

function objectId(obj: JsonObject): string {
    const metadata = isObject(obj.metadata) ? obj.metadata : {};
    const kind = typeof obj.kind === "string" ? obj.kind : "<no kind>";
    const name = typeof metadata.name === "string" && metadata.name ? metadata.name : "<no name>";
    return typeof metadata.namespace === "string" ? `${kind}/${metadata.namespace}/${name}` : `${kind}/${name}`;
}

function isObject(v: unknown): v is JsonObject {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isNonEmpty(v: unknown): boolean {
    if (v === undefined || v === null || v === "") return false;
    if (Array.isArray(v)) return v.length > 0;
    return true;
}

function get(obj: unknown, ...keys: string[]): unknown {
    return keys.reduce<unknown>((node, k) => (isObject(node) ? node[k] : undefined), obj);
}

function valueAt(data: unknown, pointer: string): unknown {
    if (pointer === "") return data;
    return pointer
        .split("/")
        .slice(1)
        .map(pointerUnescape)
        .reduce<unknown>((node, k) => (Array.isArray(node) ? node[Number(k)] : isObject(node) ? node[k] : undefined), data);
}

function pointerEscape(segment: string): string {
    return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

function pointerUnescape(segment: string): string {
    return segment.replace(/~1/g, "/").replace(/~0/g, "~");
}

/**
 * Test support: the reference schemas in `crds`, loaded once and compiled lazily (CRD files
 * parsed per kind on first use; step and subscription schemas by `$id`).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv, { type Format, type Options, type ValidateFunction } from "ajv";
import Ajv2020 from "ajv/dist/2020";
// js-yaml, not yaml: these CRDs are up to 690 KB, which js-yaml reads five times faster (no line positions needed).
import { load as parseYaml } from "js-yaml";
import { crdToJsonSchema, type Crd } from "./crdSchema";
import { re2RegExp } from "./re2";
import { isObject, type JsonObject } from "./schemaHelpers";

const SCHEMA_DIR = path.join(__dirname, "..", "..", "crds");
const CRD_DIRS = [path.join(SCHEMA_DIR, "kargo"), path.join(SCHEMA_DIR, "external-secrets")];
const STEP_DIR = path.join(SCHEMA_DIR, "kargo", "steps");
const SUBSCRIPTION_DIR = path.join(SCHEMA_DIR, "kargo", "subscriptions");
export const SUBSCRIPTION_KINDS = ["git", "image", "chart"] as const;
export type SubscriptionKind = (typeof SUBSCRIPTION_KINDS)[number];

interface KindSchema {
    scope: "Namespaced" | "Cluster";
    /** Compiled on first use: most test runs touch only a few kinds. */
    validate: () => ValidateFunction;
}

interface Schemas {
    /** The CRD kinds by "group/version/Kind"; a file is parsed the first time one of its kinds is asked for. */
    kinds: CrdKinds;
    /** Raw step/subscription schemas by `$id`, for resolving the schema at a given data position. */
    jsonSchemas: Map<string, JsonObject>;
    jsonAjv: Ajv2020;
    /** Subscription fields whose mere presence makes Kargo's artifact discovery fail. */
    failingSubscriptionFields: Map<SubscriptionKind, string[]>;
}

/** The CRD kinds, parsed and converted on demand: the external-secrets SecretStore CRD alone is 690 KB of YAML. */
export interface CrdKinds {
    get(key: string): KindSchema | undefined;
}

let loaded: Schemas | undefined;

export function schemas(): Schemas {
    if (loaded) return loaded;

    const jsonSchemas = new Map<string, JsonObject>();
    for (const file of listFiles(STEP_DIR, ".json")) {
        // Steps `$ref` each other by file name (e.g. "argocd-common.json#/definitions/..."), so the
        // file name is the `$id`.
        jsonSchemas.set(path.basename(file), readJsonSchema(file));
    }
    for (const file of listFiles(SUBSCRIPTION_DIR, ".json")) {
        jsonSchemas.set(`subscriptions/${path.basename(file)}`, readJsonSchema(file));
    }

    const options = (schemaList: unknown[]): Options => ({
        strict: false,
        allErrors: true,
        // No optimisation pass over the generated code: compiling is most of the cost here (each validator runs
        // on a few hundred objects at most), and the pass halves it for the 690 KB SecretStore CRD.
        code: { regExp: re2RegExp, optimize: false },
        formats: formatsFor(schemaList),
    });
    const jsonAjv = new Ajv2020(options([...jsonSchemas.values()]));
    for (const [id, schema] of jsonSchemas) jsonAjv.addSchema({ ...schema, $id: id });

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

    loaded = { kinds: crdKinds(new Ajv(options([]))), jsonSchemas, jsonAjv, failingSubscriptionFields };
    return loaded;
}

/**
 * A CRD file's "group/Kind", read from its text: the spec's `group:` and `names.kind:` lines as controller-gen
 * writes them (two and four spaces in). The file is checked against its parsed content when it is loaded.
 */
function crdIdentity(file: string, text: string): string {
    const group = /^ {2}group: (\S+)$/m.exec(text)?.[1];
    const kind = /^ {2}names:\n(?: {4}.*\n)*? {4}kind: (\w+)$/m.exec(text)?.[1];
    if (!group || !kind) throw new Error(`${file}: no spec.group or spec.names.kind line`);
    return `${group}/${kind}`;
}

function crdKinds(crdAjv: Ajv): CrdKinds {
    const files = new Map(
        CRD_DIRS.flatMap((dir) => listFiles(dir, ".yaml")).map((file) => {
            const text = fs.readFileSync(file, "utf8");
            return [crdIdentity(file, text), { file, text }] as const;
        }),
    );
    const versions = new Map<string, KindSchema>();
    const parsed = new Set<string>();
    const load = (identity: string): void => {
        const source = files.get(identity);
        if (!source || parsed.has(identity)) return;
        parsed.add(identity);
        const crd = parseYaml(source.text) as Crd;
        if (`${crd.spec.group}/${crd.spec.names.kind}` !== identity) throw new Error(`${source.file}: read as ${identity}, holds ${crd.spec.names.kind}`);
        for (const version of crd.spec.versions) {
            if (!version.served || !version.schema) continue;
            const schema = crdToJsonSchema(version.schema.openAPIV3Schema);
            let compiled: ValidateFunction | undefined;
            const validate = (): ValidateFunction => {
                if (compiled) return compiled;
                for (const [name, format] of Object.entries(formatsFor([schema]))) if (!crdAjv.formats[name]) crdAjv.addFormat(name, format);
                return (compiled = crdAjv.compile(schema));
            };
            versions.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, { scope: crd.spec.scope, validate });
        }
    };
    return {
        get(key) {
            const [group, , kind] = key.split("/");
            load(`${group}/${kind}`);
            return versions.get(key);
        },
    };
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

/**
 * Test support: the reference schemas in `test/fixtures/schemas`, loaded once and compiled lazily (CRDs per
 * kind; step and subscription schemas by `$id`).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv, { type Format, type Options, type SchemaObject, type ValidateFunction } from "ajv";
import Ajv2020 from "ajv/dist/2020";
import { parse as parseYaml } from "yaml";
import { crdToJsonSchema, type Crd } from "./crdSchema";
import { re2RegExp } from "./re2";
import { isObject, type JsonObject } from "./schemaHelpers";

const SCHEMA_DIR = path.join(__dirname, "..", "fixtures", "schemas");
const CRD_DIRS = [path.join(SCHEMA_DIR, "kargo", "crds"), path.join(SCHEMA_DIR, "external-secrets")];
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
    kinds: Map<string, KindSchema>;
    /** Raw step/subscription schemas by `$id`, for resolving the schema at a given data position. */
    jsonSchemas: Map<string, JsonObject>;
    jsonAjv: Ajv2020;
    /** Subscription fields whose mere presence makes Kargo's artifact discovery fail. */
    failingSubscriptionFields: Map<SubscriptionKind, string[]>;
}

let loaded: Schemas | undefined;

export function schemas(): Schemas {
    if (loaded) return loaded;

    const crds = CRD_DIRS.flatMap((dir) => listFiles(dir, ".yaml")).map((file) => parseYaml(fs.readFileSync(file, "utf8")) as Crd);
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

/** Test support: a CRD's structural schema (OpenAPI v3) as a JSON Schema that rejects unknown fields. */
import type { SchemaObject } from "ajv";
import type { JsonObject } from "./schemaHelpers";

export interface Crd {
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

export function crdToJsonSchema(root: StructuralSchema): SchemaObject {
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
        out.properties = Object.fromEntries(Object.entries(properties).map(([name, p]) => [name, convert(p, inJunctor)]));
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

/**
 * `npm run config-docs`: writes the generated parts of docs/configuration.md (between their markers) from the
 * zod schemas: the stack-configuration table from core/input/settingsSchema.ts (every key's role, type,
 * default and description) and the catalogue reference from core/input/catalogueSchema.ts (every field's
 * type, default, rule and description). A test fails when the file is stale.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { catalogueSchema } from "../core/input/catalogueSchema";
import { commonConfigKeys, hubConfigKeys, remoteShardSchema, shardConfigSchema } from "../core/input/settingsSchema";
import { configDocs } from "../core/input/settingsValues";
import { parseCommandLine, runMain, type Command, type CommandMain } from "../cli/args";

export const DOCS_FILE = "docs/configuration.md";

/** A generated block of the docs file: its markers and what goes between them. */
interface Block {
    readonly start: string;
    readonly end: string;
    readonly text: () => string;
}

type Schema = z.core.$ZodType;
type Check = { check: string; minimum?: number; format?: string };
type Def = { checks?: ReadonlyArray<{ _zod: { def: Check } }> } & (
    | { type: "optional" | "nullable"; innerType: Schema }
    | { type: "default"; innerType: Schema; defaultValue: unknown }
    | { type: "pipe"; in: Schema; out: Schema }
    | { type: "array"; element: Schema }
    | { type: "record"; valueType: Schema }
    | { type: "enum"; entries: Record<string, string> }
    | { type: "literal"; values: unknown[] }
    | { type: "object"; shape: Record<string, Schema> }
    | { type: "string" | "boolean" | "number" | "never" | "transform" }
);

interface KeyDoc {
    readonly type: string;
    readonly default: string;
    readonly description: string;
}

const defOf = (schema: Schema): Def => schema._zod.def as Def;

/** The schema a pipe checks values with: its output side, unless that is a transform (then its input). */
function piped(def: Extract<Def, { type: "pipe" }>): Schema {
    return defOf(def.out).type === "transform" ? def.in : def.out;
}

/** The schema under optional, default, preprocess and transform wrappers: the type a value ends up with. */
function unwrapped(schema: Schema): Schema {
    const def = defOf(schema);
    if (def.type === "optional" || def.type === "nullable" || def.type === "default") return unwrapped(def.innerType);
    if (def.type === "pipe") return unwrapped(piped(def));
    return schema;
}

function typeName(schema: Schema): string {
    const def = defOf(unwrapped(schema));
    switch (def.type) {
        case "string":
            return "text";
        case "boolean":
            return "true or false";
        case "number":
            return def.checks?.some((check) => check._zod.def.format === "safeint") ? "whole number" : "number";
        case "never":
            return "not supported";
        case "enum":
            return Object.values(def.entries)
                .map((value) => `\`${value}\``)
                .join(" | ");
        case "literal":
            return def.values.map((value) => `\`${String(value)}\``).join(" | ");
        case "array":
            return defOf(unwrapped(def.element)).type === "object" ? "list of mappings" : `list of ${typeName(def.element)}`;
        case "record":
            return `mapping of text to ${typeName(def.valueType)}`;
        case "object":
            return "mapping";
        default:
            throw new Error(`config-docs: no wording for a ${def.type} schema`);
    }
}

function formatDefault(value: unknown): string {
    if (Array.isArray(value)) return `\`[${value.map((item) => JSON.stringify(item)).join(", ")}]\``;
    return `\`${typeof value === "string" ? value : JSON.stringify(value)}\``;
}

/** Reads a key's documentation off its schema, from the outermost wrapper inwards. */
export function keyDoc(key: string, schema: Schema): KeyDoc {
    let description: string | undefined;
    let unsetMeans: string | undefined;
    let inputType: string | undefined;
    let fallback: string | undefined;
    let optional = false;
    for (let node: Schema | undefined = schema; node;) {
        description ??= z.globalRegistry.get(node)?.description;
        unsetMeans ??= configDocs.get(node)?.unsetMeans;
        inputType ??= configDocs.get(node)?.inputType;
        const def = defOf(node);
        if (def.type === "default") fallback ??= formatDefault(def.defaultValue);
        if (def.type === "optional" || def.type === "default") optional = true;
        node = def.type === "optional" || def.type === "nullable" || def.type === "default" ? def.innerType : def.type === "pipe" ? piped(def) : undefined;
    }
    if (!description) throw new Error(`config-docs: ${key} has no description in its schema`);
    return { type: inputType ?? typeName(schema), default: fallback ?? unsetMeans ?? (optional ? "none" : "required"), description };
}

/** The size rules a schema states itself (the rest of a field's rule is in its description). */
function sizeRule(schema: Schema): string | undefined {
    const def = defOf(unwrapped(schema));
    const minimum = def.checks?.find((check) => check._zod.def.check === "min_length")?._zod.def.minimum;
    if (minimum === undefined) return undefined;
    if (def.type === "string") return "not empty";
    return minimum === 1 ? "at least one entry" : `at least ${minimum} entries`;
}

type Shape = Readonly<Record<string, Schema>>;

/** Stack rows in the order a reader sets up a stack: both roles' keys, the spokes', then the hub's (each nested key after its parent). */
function stackRows(): Array<{ key: string; role: string; doc: KeyDoc }> {
    const common: Shape = commonConfigKeys;
    const own = (shape: Shape, role: string) =>
        Object.entries(shape)
            .filter(([key]) => !(key in common))
            .flatMap(([key, schema]) => [
                { key, role, doc: keyDoc(key, schema) },
                ...(key === "remoteShards"
                    ? Object.entries(remoteShardSchema.shape).map(([field, child]) => ({
                          key: `${key}[].${field}`,
                          role,
                          doc: keyDoc(`${key}[].${field}`, child),
                      }))
                    : []),
            ]);
    return [
        ...Object.entries(common).map(([key, schema]) => ({ key, role: "both", doc: keyDoc(key, schema) })),
        ...own(shardConfigSchema.shape, "shard"),
        ...own(hubConfigKeys.shape, "hub"),
    ];
}

/** Text for a table cell: `|` escaped, and outside code spans `\\` and `<` too, so `<app>` is not read as HTML. */
const cell = (text: string): string =>
    text
        .split("`")
        .map((part, index) => (index % 2 === 1 ? part : part.replace(/\\/g, "\\\\").replace(/</g, "&lt;")))
        .join("`")
        .replace(/\|/g, "\\|");

export function configTable(): string {
    const lines = stackRows().map(({ key, role, doc }) => `| \`${key}\` | ${role} | ${cell(doc.type)} | ${cell(doc.default)} | ${cell(doc.description)} |`);
    return ["| Key | Role | Type | Default | Meaning |", "|---|---|---|---|---|", ...lines].join("\n");
}

/** The object schema a field holds, directly or as the entries of a list: its fields are listed after it. */
function nestedShape(schema: Schema): Shape | undefined {
    const def = defOf(unwrapped(schema));
    const inner = def.type === "array" ? defOf(unwrapped(def.element)) : def;
    return inner.type === "object" ? inner.shape : undefined;
}

/** Every catalogue field, depth first: `applications[].images[].repoURL`. */
function catalogueRows(shape: Shape = catalogueSchema.shape, prefix = ""): Array<{ key: string; doc: KeyDoc; rule: string }> {
    return Object.entries(shape).flatMap(([field, schema]) => {
        const doc = keyDoc(`${prefix}${field}`, schema);
        const rule = [doc.default === "required" ? "required" : "optional", sizeRule(schema)].filter((part) => part !== undefined).join(", ");
        const nested = nestedShape(schema);
        const key = `${prefix}${field}`;
        const childPrefix = defOf(unwrapped(schema)).type === "array" ? `${key}[].` : `${key}.`;
        return [{ key, doc: { ...doc, default: doc.default === "required" ? "—" : doc.default }, rule }, ...(nested ? catalogueRows(nested, childPrefix) : [])];
    });
}

export function catalogueTable(): string {
    const lines = catalogueRows().map(
        ({ key, doc, rule }) => `| \`${key}\` | ${cell(doc.type)} | ${cell(doc.default)} | ${cell(rule)} | ${cell(doc.description)} |`,
    );
    return ["| Field | Type | Default | Rule | Meaning |", "|---|---|---|---|---|", ...lines].join("\n");
}

const marker = (name: string, source: string): Block["start"] =>
    `<!-- config-docs ${name}: generated by \`npm run config-docs\` from ${source}; do not edit -->`;
export const BLOCKS: readonly Block[] = [
    { start: marker("stack-config", "core/input/settingsSchema.ts"), end: "<!-- config-docs stack-config: end -->", text: configTable },
    { start: marker("catalogue", "core/input/catalogueSchema.ts"), end: "<!-- config-docs catalogue: end -->", text: catalogueTable },
];

/** `docs` with the text between each pair of markers replaced by the current generated text. */
export function docsWithGeneratedTables(docs: string): string {
    return BLOCKS.reduce((text, block) => {
        const start = text.indexOf(block.start);
        const end = text.indexOf(block.end);
        if (start === -1 || end < start) throw new Error(`${DOCS_FILE} lacks the config-docs markers (${block.start} … ${block.end})`);
        return `${text.slice(0, start + block.start.length)}\n${block.text()}\n${text.slice(end)}`;
    }, docs);
}

export const CONFIG_DOCS_COMMAND = {
    name: "npm run config-docs --",
    summary: `Writes the stack-configuration table and the catalogue reference of ${DOCS_FILE} from the zod schemas (core/input/settingsSchema.ts, core/input/catalogueSchema.ts).`,
    flags: {},
} as const satisfies Command;

/** The CLI's entry. */
export const configDocsMain: CommandMain = async (argv, io) => {
    parseCommandLine(CONFIG_DOCS_COMMAND, argv);
    const file = path.resolve(__dirname, "..", DOCS_FILE);
    writeFileSync(file, docsWithGeneratedTables(readFileSync(file, "utf8")));
    io.stdout(`wrote the stack-configuration table and the catalogue reference of ${DOCS_FILE}\n`);
    return 0;
};

if (require.main === module) runMain(configDocsMain);

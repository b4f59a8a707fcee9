/**
 * `npm run generate-types`: TypeScript types for the Kargo and external-secrets objects this program builds,
 * generated from the reference CRDs (crds) with json-schema-to-typescript, into
 * core/generated/. Each file's header records a fingerprint of everything that shapes it (the CRDs, this
 * generator, the versions of the libraries it runs) and of its own text; a test recomputes both, so a stale or
 * hand-edited file fails in milliseconds instead of a second of regeneration.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import type { JSONSchema } from "json-schema-to-typescript";
import { parse } from "yaml";
import { parseCommandLine, runMain, type Command, type CommandMain } from "../cli/args";

const ROOT = path.resolve(__dirname, "..");
const CRDS = path.join(ROOT, "crds");

/** Output file → the CRDs (and kinds) it types. */
export const GENERATED: ReadonlyArray<{ readonly file: string; readonly crds: readonly string[] }> = [
    {
        file: "core/generated/kargo.ts",
        crds: ["projects", "projectconfigs", "warehouses", "stages", "promotiontasks", "promotions", "freights"].map(
            (name) => `kargo/kargo.akuity.io_${name}.yaml`,
        ),
    },
    {
        file: "core/generated/externalSecrets.ts",
        crds: ["external-secrets/external-secrets.io_externalsecrets.yaml", "external-secrets/external-secrets.io_secretstores.yaml"],
    },
];

interface Crd {
    spec: { names: { kind: string }; versions: Array<{ name: string; served: boolean; storage?: boolean; schema: { openAPIV3Schema: JSONSchema } }> };
}

/** The served storage version's schema, without status (we never write it) and without descriptions' noise. */
function kindSchema(file: string): { kind: string; schema: JSONSchema } {
    const crd = parse(readFileSync(path.join(CRDS, file), "utf8")) as Crd;
    const version = crd.spec.versions.find((candidate) => candidate.served && candidate.storage) ?? crd.spec.versions[0];
    const schema = structuredClone(version.schema.openAPIV3Schema) as JSONSchema & { properties: Record<string, JSONSchema> };
    delete schema.properties.status;
    delete schema.properties.metadata;
    return { kind: crd.spec.names.kind, schema };
}

function entryOf(file: string): (typeof GENERATED)[number] {
    const entry = GENERATED.find((candidate) => candidate.file === file);
    if (!entry) throw new Error(`no generated file ${file}`);
    return entry;
}

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

/** The libraries that shape the output: the CRDs' parser, and the generator (which formats with Prettier). */
const GENERATOR_PACKAGES = ["yaml", "json-schema-to-typescript"];

/** The folder Node would load package `name` from, looking up from `from` as require does. */
function packageDir(name: string, from: string): string | undefined {
    for (let dir = from; ; dir = path.dirname(dir)) {
        const candidate = path.join(dir, "node_modules", name);
        if (existsSync(path.join(candidate, "package.json"))) return candidate;
        if (path.dirname(dir) === dir) return undefined;
    }
}

/** `name@version` of a package and of everything it depends on, as installed (an absent optional one is skipped). */
function installedClosure(name: string, from: string, found = new Map<string, string>()): Map<string, string> {
    const dir = packageDir(name, from);
    if (dir === undefined || found.has(dir)) return found;
    const manifest = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string; dependencies?: Record<string, string> };
    found.set(dir, `${name}@${manifest.version}`);
    for (const dependency of Object.keys(manifest.dependencies ?? {})) installedClosure(dependency, dir, found);
    return found;
}

/**
 * A fingerprint of every input of `file`: its CRDs' text, this generator's source, and the version of every
 * library that takes part (the generator libraries and all they depend on, as installed).
 */
export function inputsFingerprint(file: string): string {
    const libraries = new Map<string, string>();
    for (const name of GENERATOR_PACKAGES) installedClosure(name, ROOT, libraries);
    const inputs = [
        ...entryOf(file).crds.map((crd) => `${crd}\n${readFileSync(path.join(CRDS, crd), "utf8")}`),
        `generator\n${readFileSync(__filename, "utf8")}`,
        ...[...new Set(libraries.values())].sort(),
    ];
    return sha256(inputs.join("\n\0"));
}

const FINGERPRINT_LINE = /^\/\*\* Inputs sha256 ([0-9a-f]{64}); text sha256 ([0-9a-f]{64})\. \*\/\n/m;

/** What a generated file's header records, and the fingerprint of the text after it (undefined: no header). */
export function recordedFingerprints(text: string): { inputs: string; text: string; actualText: string } | undefined {
    const match = FINGERPRINT_LINE.exec(text);
    if (!match) return undefined;
    return { inputs: match[1], text: match[2], actualText: sha256(text.slice(match.index + match[0].length)) };
}

export async function generatedTypes(file: string): Promise<string> {
    const entry = entryOf(file);
    // Loaded here, not at the top: the fingerprint check never needs the compiler (or Prettier).
    const { compile } = await import("json-schema-to-typescript");
    const parts = await Promise.all(
        entry.crds.map(async (crd) => {
            const { kind, schema } = kindSchema(crd);
            return compile({ ...schema, title: `${kind}Body` }, kind, {
                bannerComment: "",
                additionalProperties: false,
                strictIndexSignatures: true,
                ignoreMinAndMaxItems: true,
                format: true,
                style: { printWidth: 140, tabWidth: 4 },
            });
        }),
    );
    const sources = entry.crds.map((crd) => `crds/${crd}`).join(", ");
    const body = `\n${parts.join("\n")}`;
    const header = `/* eslint-disable */\n/** Generated by \`npm run generate-types\` from ${sources}; do not edit. */\n`;
    return `${header}/** Inputs sha256 ${inputsFingerprint(file)}; text sha256 ${sha256(body)}. */\n${body}`;
}

export const GENERATE_TYPES_COMMAND = {
    name: "npm run generate-types --",
    summary: "Writes core/generated/, TypeScript types of the Kargo and external-secrets objects, from the reference CRDs.",
    flags: {},
} as const satisfies Command;

/** The CLI's entry. */
export const generateTypesMain: CommandMain = async (argv, io) => {
    parseCommandLine(GENERATE_TYPES_COMMAND, argv);
    for (const { file } of GENERATED) {
        writeFileSync(path.join(ROOT, file), await generatedTypes(file));
        io.stdout(`wrote ${file}\n`);
    }
    return 0;
};

if (require.main === module) runMain(generateTypesMain);

/**
 * `npm run catalogue-schema`: writes catalogue.schema.json, the editor's JSON Schema of catalogue.yaml, from
 * the catalogue's zod schema. A test fails when the checked-in file is stale.
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { catalogueJsonSchema } from "../core/input/catalogueSchema";
import { parseCommandLine, runMain, type Command, type CommandMain } from "../cli/args";

export const CATALOGUE_SCHEMA_FILE = "catalogue.schema.json";

export function catalogueSchemaText(): string {
    return `${JSON.stringify({ title: "eodhp-kargo application catalogue", ...catalogueJsonSchema() }, null, 2)}\n`;
}

export const CATALOGUE_SCHEMA_COMMAND = {
    name: "npm run catalogue-schema --",
    summary: "Writes catalogue.schema.json, the editor's JSON Schema of catalogue.yaml, from the catalogue's zod schema.",
    flags: {},
} as const satisfies Command;

/** The CLI's entry. */
export const catalogueSchemaMain: CommandMain = async (argv, io) => {
    parseCommandLine(CATALOGUE_SCHEMA_COMMAND, argv);
    writeFileSync(path.resolve(__dirname, "..", CATALOGUE_SCHEMA_FILE), catalogueSchemaText());
    io.stdout(`wrote ${CATALOGUE_SCHEMA_FILE}\n`);
    return 0;
};

if (require.main === module) runMain(catalogueSchemaMain);

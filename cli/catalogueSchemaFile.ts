/**
 * `npm run catalogue-schema`: writes catalogue.schema.json, the editor's JSON Schema of catalogue.yaml, from
 * the catalogue's zod schema. A test fails when the checked-in file is stale.
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { catalogueJsonSchema } from "../core/input/catalogueSchema";
import { parseCommandLine, runMain } from "./args";

export const CATALOGUE_SCHEMA_FILE = "catalogue.schema.json";

export function catalogueSchemaText(): string {
    return `${JSON.stringify({ title: "eodhp-kargo application catalogue", ...catalogueJsonSchema() }, null, 2)}\n`;
}

if (require.main === module) {
    runMain(async () => {
        parseCommandLine({
            name: "npm run catalogue-schema --",
            summary: "Writes catalogue.schema.json, the editor's JSON Schema of catalogue.yaml, from the catalogue's zod schema.",
            flags: {},
        });
        const file = path.resolve(__dirname, "..", CATALOGUE_SCHEMA_FILE);
        writeFileSync(file, catalogueSchemaText());
        process.stdout.write(`wrote ${CATALOGUE_SCHEMA_FILE}\n`);
        return 0;
    });
}

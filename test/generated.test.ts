import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { GENERATED, generatedHeader } from "../scripts/generateObjectTypes";
import { ROOT } from "./support/fixtures";

// That the files are current is checked in CI, by regenerating them and diffing (.ci/run).
describe("Kargo and external-secrets object types (core/generated/)", () => {
    for (const { file } of GENERATED) {
        it(`${file} says which CRDs it is generated from, and not to edit it`, () => {
            assert.ok(readFileSync(path.join(ROOT, file), "utf8").startsWith(generatedHeader(file)), `${file}: run npm run generate-types`);
        });
    }
});

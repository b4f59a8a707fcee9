import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { GENERATED, generatedTypes } from "../cli/generateObjectTypes";
import { ROOT } from "./support/fixtures";

describe("Kargo and external-secrets object types (core/generated/)", () => {
    for (const { file } of GENERATED) {
        it(`${file} is generated from the reference CRDs and current (npm run generate-types)`, async function () {
            this.timeout(20000);
            assert.equal(readFileSync(path.join(ROOT, file), "utf8"), await generatedTypes(file));
        });
    }
});

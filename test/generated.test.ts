import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { GENERATED, inputsFingerprint, recordedFingerprints } from "../scripts/generateObjectTypes";
import { ROOT } from "./support/fixtures";

describe("Kargo and external-secrets object types (core/generated/)", () => {
    for (const { file } of GENERATED) {
        it(`${file} is generated from the reference CRDs, current and unedited (npm run generate-types)`, () => {
            const recorded = recordedFingerprints(readFileSync(path.join(ROOT, file), "utf8"));
            assert.ok(recorded, `${file} has no fingerprint header: run npm run generate-types`);
            assert.equal(
                recorded.inputs,
                inputsFingerprint(file),
                `${file} is stale (a CRD, the generator or its libraries changed): run npm run generate-types`,
            );
            assert.equal(recorded.actualText, recorded.text, `${file} was edited by hand: run npm run generate-types`);
        });
    }

    it("the fingerprints notice a changed file, and a file without its header", () => {
        const text = readFileSync(path.join(ROOT, GENERATED[0].file), "utf8");
        const edited = recordedFingerprints(text.replace("export interface ProjectBody", "export interface ProjectBodyX"));
        assert.ok(edited);
        assert.notEqual(edited.actualText, edited.text);
        assert.equal(recordedFingerprints(text.replace(/^\/\*\* Inputs sha256 .*\n/m, "")), undefined);
    });
});

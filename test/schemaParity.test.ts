import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { parse } from "yaml";
import { GIT_URL, toHttpsGitUrl } from "../core/input/validation";
import { BAD_CATALOGUES } from "./support/badCatalogues";
import { ROOT } from "./support/fixtures";

/**
 * Rules only the program enforces, each with why an editor cannot: they need the stack, another entry or the
 * YAML text itself, or a check JSON Schema has no keyword for. Any other rule must be in both.
 */
const PROGRAM_ONLY: Readonly<Record<string, string>> = {
    "malformed YAML": "the editor's YAML parser reports it, not the schema",
    "a duplicate key": "the editor's YAML parser reports it, not the schema",
    "an unquoted constraint YAML reads as a block": "the editor's YAML parser reports it, not the schema",
    "an unknown stage": "needs the stack's environments",
    "a duplicate app": "needs another entry",
    "the same image twice": "needs another entry",
    "an invalid allowTags regex": "JSON Schema cannot say a string is a valid regular expression",
    "a look-ahead RE2 cannot run": "JSON Schema cannot say a string is an RE2 regular expression",
    "disagreeing constraint and alias": "compares two values",
    "strictSemvers with a non-SemVer strategy": "a strategy is matched in any capitalisation, with SemVer as default",
    "a constraint NewestBuild would ignore": "a strategy is matched in any capitalisation",
    "a semver range that does not parse": "only for SemVer selection; Digest takes a tag",
};

describe("the editor's catalogue schema is as strict as the program", () => {
    it("accepts exactly the git URLs the program rewrites to HTTPS", () => {
        const urls = ["https://github.com/o/r.git", "https://h:443/x", "git@github.com:o/r.git", "git@github.com:/o/r.git", "ssh://git@github.com/o/r.git"];
        const notGit = [
            "https://github.com",
            "https://github.com/o/r/",
            "git@github.com:",
            "git@h://x",
            "ssh://git@h/",
            "http://github.com/o/r",
            "https://h/x y",
            "r.git",
        ];
        for (const url of [...urls, ...notGit]) assert.equal(GIT_URL.test(url), toHttpsGitUrl(url) !== undefined, url);
    });

    const schema = JSON.parse(readFileSync(path.join(ROOT, "catalogue.schema.json"), "utf8"));
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
    const editorRejects = (text: string): boolean => {
        let document: unknown;
        try {
            document = parse(text);
        } catch {
            return false;
        }
        return !validate(document);
    };

    it("rejects every bad catalogue the program rejects, but for the rules it cannot state", () => {
        const onlyProgram = BAD_CATALOGUES.filter(([, text]) => !editorRejects(text)).map(([what]) => what);
        assert.deepEqual(onlyProgram.sort(), Object.keys(PROGRAM_ONLY).sort(), "bad catalogues only the program rejects");
    });

    it("accepts what the program accepts: the shipped catalogue and every documented option", () => {
        for (const file of ["catalogue.yaml", "test/fixtures/all-options.yaml"]) {
            const text = readFileSync(path.join(ROOT, file), "utf8");
            assert.ok(!editorRejects(text), `${file}: ${JSON.stringify(validate.errors)}`);
        }
    });
});

import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { parse } from "yaml";
import { z } from "zod";
import { catalogueSchemaText, CATALOGUE_SCHEMA_FILE } from "../scripts/catalogueSchemaFile";
import { docsWithGeneratedTables, DOCS_FILE, keyDoc } from "../scripts/configDocs";
import { readStackConfig } from "../core/plan/stackFiles";
import { parseStackSettings } from "../core/input/settings";
import { loadStackPlan } from "../core/plan/loadStack";
import { hubConfig, ROOT, SHIPPED_CATALOGUE } from "./support/fixtures";

const checkedIn = readFileSync(path.join(ROOT, CATALOGUE_SCHEMA_FILE), "utf8");

describe("the editor's catalogue schema (catalogue.schema.json)", () => {
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(JSON.parse(checkedIn));

    it("is generated from the catalogue's schema and current (npm run catalogue-schema)", () => {
        assert.equal(checkedIn, catalogueSchemaText());
    });

    it("is what catalogue.yaml points editors to", () => {
        assert.match(SHIPPED_CATALOGUE, /^# yaml-language-server: \$schema=\.\/catalogue\.schema\.json\n/);
    });

    it("accepts the shipped catalogue and every documented option", () => {
        for (const file of ["catalogue.yaml", "test/fixtures/all-options.yaml"]) {
            assert.ok(validate(parse(readFileSync(path.join(ROOT, file), "utf8"))), `${file}: ${JSON.stringify(validate.errors)}`);
        }
    });

    it("describes every field", () => {
        const undescribed: string[] = [];
        const visit = (node: unknown, at: string): void => {
            if (node === null || typeof node !== "object") return;
            const properties = (node as { properties?: Record<string, Record<string, unknown>> }).properties ?? {};
            for (const [key, child] of Object.entries(properties)) {
                if (typeof child.description !== "string") undescribed.push(`${at}.${key}`);
                visit(child, `${at}.${key}`);
            }
            visit((node as { items?: unknown }).items, `${at}[]`);
        };
        visit(JSON.parse(checkedIn), "");
        assert.deepEqual(undescribed, []);
    });

    for (const [what, text] of [
        ["a misspelt key", "applications:\n  - name: a\n    path: apps/a\n    imagse: []\n"],
        ["a missing path", "applications:\n  - name: a\n"],
        ["a wrong type", "applications:\n  - name: a\n    path: apps/a\n    images:\n      - {repoURL: r/i, enableDevTags: yes please}\n"],
        ["an empty list", "applications: []\n"],
        [
            "a bad valueType",
            "applications:\n  - name: a\n    path: apps/a\n    images:\n      - {repoURL: r/i, customPath: {file: v.yaml, key: a, valueType: short}}\n",
        ],
        [
            "a chart tag filter Kargo lacks",
            "applications:\n  - name: a\n    path: apps/a\n    charts:\n      - {name: c, repoURL: 'https://c.example.com', generatorFile: c.yaml, allowTags: '^v'}\n",
        ],
    ]) {
        it(`rejects ${what} as the user types`, () => {
            assert.equal(validate(parse(text)), false);
        });
    }
});

describe("docs/configuration.md: the stack-configuration table and the catalogue reference", () => {
    it("are generated from the settings and catalogue schemas and current (npm run config-docs)", () => {
        const docs = readFileSync(path.join(ROOT, DOCS_FILE), "utf8");
        assert.equal(docs, docsWithGeneratedTables(docs));
    });

    it("refuses a key whose schema carries no description", () => {
        assert.throws(() => keyDoc("newKey", z.string().optional()), /newKey has no description/);
        assert.deepEqual(keyDoc("newKey", z.string().describe("What it does.").default("x")), { type: "text", default: "`x`", description: "What it does." });
    });
});

describe("stack settings: declared types, never coerced", () => {
    const shardName = (value: unknown) => hubConfig({ remoteShards: JSON.stringify([{ environment: "test", shardName: value, kubeconfigSecretName: "s" }]) });

    for (const value of [12345, true, null]) {
        it(`rejects ${JSON.stringify(value)} where a shard name belongs`, () => {
            assert.throws(
                () => parseStackSettings("prod", shardName(value)),
                /eodhp-kargo:remoteShards\[0\]\.shardName: must be a string, got (number 12345|boolean true|nothing)/,
            );
        });
    }

    it("reads the stack file's own YAML types: an unquoted null or true is not text", () => {
        const file = {
            line: () => 3,
            value: (key: string) => (key === "eodhp-kargo:kubeContext" ? null : key === "eodhp-kargo:developerGroup" ? true : undefined),
        };
        const config = { ...hubConfig(), "eodhp-kargo:kubeContext": "null", "eodhp-kargo:developerGroup": "true" };
        assert.throws(
            () => parseStackSettings("prod", config, file),
            (error: Error) => {
                assert.match(error.message, /Pulumi\.prod\.yaml:3: stack "prod": eodhp-kargo:developerGroup: must be a string, got boolean true; quote it/);
                assert.match(error.message, /eodhp-kargo:kubeContext: must be a string, got nothing/);
                return true;
            },
        );
    });

    it("names a misspelt config namespace, and leaves the providers' alone", () => {
        const config = { ...hubConfig(), "eodhp-karg:developerGroup": "devs", "aws:region": "eu-west-2", "kubernetes:context": "x", "pulumi:tags": "{}" };
        assert.throws(
            () => parseStackSettings("prod", config),
            /^InputError: Pulumi\.prod\.yaml: eodhp-karg:developerGroup: unknown config namespace "eodhp-karg" \(did you mean "eodhp-kargo"\?\)/,
        );
    });
});

describe("every problem in one run", () => {
    it("reports the stack file's and the catalogue's problems together, sorted by file and line", () => {
        const dir = mkdtempSync(path.join(tmpdir(), "all-problems-"));
        try {
            const catalogue = path.join(dir, "catalogue.yaml");
            writeFileSync(catalogue, "applications:\n  - name: a\n    path: apps/a\n    imagse: []\n  - name: B\n    path: apps/b\n");
            const config = hubConfig({ apiHost: "https://kargo", catalogue, chartVersion: "1.x" });
            assert.throws(
                () => loadStackPlan("prod", config, ROOT),
                (error: Error) => {
                    assert.deepEqual(
                        error.message.split("\n").map((line) => line.replace(/ stack "prod".*| application .*/, "")),
                        [`${catalogue}:4:`, `${catalogue}:5:`, "Pulumi.prod.yaml:11:", "Pulumi.prod.yaml:13:"].sort(),
                    );
                    assert.match(error.message, /apiHost: .*without https/);
                    assert.match(error.message, /application "a": imagse: unknown key "imagse"/);
                    assert.match(error.message, /application "B": name: "B" must consist of lower-case letters/);
                    return true;
                },
            );
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("every problem in one run, and none that another causes", () => {
    const problemsOf = (catalogueText: string, overrides: Record<string, string>): string[] => {
        const dir = mkdtempSync(path.join(tmpdir(), "own-problems-"));
        try {
            const catalogue = path.join(dir, "catalogue.yaml");
            writeFileSync(catalogue, catalogueText);
            loadStackPlan("prod", hubConfig({ catalogue, ...overrides }), ROOT);
            return [];
        } catch (error) {
            return (error as Error).message.split("\n").map((line) => line.replace(`${dir}/`, ""));
        }
    };
    const qaApp = "applications:\n  - name: a\n    path: apps/a\n    stages: [qa, prod]\n";

    it("checks the catalogue against the stack file's own environments when only another key is wrong", () => {
        const problems = problemsOf(qaApp, { environments: JSON.stringify(["test", "qa", "staging", "prod"]), apiHost: "https://kargo" });
        assert.ok(
            problems.some((line) => /apiHost: .*without https/.test(line)),
            problems.join("\n"),
        );
        assert.deepEqual(
            problems.filter((line) => line.startsWith("catalogue.yaml")),
            [],
        );
    });

    it("reports no stage as unknown when the environments themselves are wrong", () => {
        const problems = problemsOf(qaApp, { environments: JSON.stringify(["test", "Bad"]) });
        assert.ok(
            problems.some((line) => /eodhp-kargo:environments/.test(line)),
            problems.join("\n"),
        );
        assert.deepEqual(
            problems.filter((line) => line.startsWith("catalogue.yaml")),
            [],
        );
    });

    it("still reports the catalogue's own mistakes then", () => {
        const problems = problemsOf(`${qaApp}  - name: B\n    path: apps/b\n`, { environments: JSON.stringify(["test", "Bad"]) });
        assert.ok(
            problems.some((line) => /^catalogue\.yaml:5: application "B": name:/.test(line)),
            problems.join("\n"),
        );
    });
});

describe("a stack file that is not YAML", () => {
    it("is named with its line", () => {
        const dir = mkdtempSync(path.join(tmpdir(), "stack-yaml-"));
        try {
            writeFileSync(path.join(dir, "Pulumi.yaml"), "name: eodhp-kargo\nruntime: nodejs\n");
            writeFileSync(path.join(dir, "Pulumi.qa.yaml"), "config:\n  eodhp-kargo:role: shard\n  eodhp-kargo:shardName: [unclosed\n");
            assert.throws(() => readStackConfig("qa", dir), /^InputError: Pulumi\.qa\.yaml:\d+: malformed YAML: Flow sequence/);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});

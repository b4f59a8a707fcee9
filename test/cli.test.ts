import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { BENCH_COMMAND, benchMain } from "../bench/bench";
import { CATALOGUE_SCHEMA_COMMAND, catalogueSchemaMain } from "../scripts/catalogueSchemaFile";
import { CONFIG_DOCS_COMMAND, configDocsMain } from "../scripts/configDocs";
import { DIFF_COMMAND, diffCommand, diffMain } from "../cli/diff";
import { GENERATE_TYPES_COMMAND, generateTypesMain } from "../scripts/generateObjectTypes";
import { PULUMI_LOAD_COMMAND, pulumiLoadMain } from "../scripts/pulumiLoad";
import { URNS_COMMAND, urnsMain } from "../scripts/urns";
import { GRAPH_COMMAND, graphMain } from "../cli/graph";
import { RENDER_COMMAND, renderMain } from "../cli/render";
import { RENDER_MARKER, writeRender } from "../cli/renderOutput";
import { renderStack, type RenderResult } from "../cli/renderRuntime";
import { runInProcess, runScript } from "./support/cli";
import { ROOT } from "./support/fixtures";
import { render } from "./support/render";

describe("render --out never deletes what it did not write", () => {
    let dir: string;
    let result: RenderResult;
    before(async function () {
        this.timeout(30000);
        result = await render({ stack: "test" });
    });
    beforeEach(() => {
        dir = mkdtempSync(path.join(tmpdir(), "render-out-"));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it("replaces an earlier render, with 0755 folders and 0644 files", () => {
        const target = writeRender(result, dir);
        writeRender(result, dir);
        assert.deepEqual(
            [target, ...["manifests.yaml", "resources.json", RENDER_MARKER].map((name) => path.join(target, name))].map((file) =>
                (statSync(file).mode & 0o777).toString(8),
            ),
            ["755", "644", "644", "644"],
        );
    });

    it("refuses a folder holding a planted file, deleting nothing", () => {
        const target = writeRender(result, dir);
        writeFileSync(path.join(target, "notes.txt"), "mine");
        assert.throws(
            () => writeRender(result, dir),
            /--out .*holds files an earlier render did not write \(notes\.txt\); refusing to replace it, nothing was deleted/,
        );
        assert.equal(readFileSync(path.join(target, "notes.txt"), "utf8"), "mine");
        assert.ok(existsSync(path.join(target, "manifests.yaml")));
    });

    it("keeps a project's test/ folder under --out . (a copy of the layout)", () => {
        mkdirSync(path.join(dir, "test"));
        writeFileSync(path.join(dir, "test", "render.test.ts"), "// a test");
        writeFileSync(path.join(dir, "test", "manifests.yaml"), "# not ours");
        assert.throws(() => writeRender(result, dir), /refusing to replace it/);
        assert.equal(readFileSync(path.join(dir, "test", "render.test.ts"), "utf8"), "// a test");
        assert.equal(readFileSync(path.join(dir, "test", "manifests.yaml"), "utf8"), "# not ours");
    });

    it("fails before rendering when --out names a file, exit 2 (through the npm script's own process)", () => {
        const file = path.join(dir, "a-file");
        writeFileSync(file, "x");
        // The one CLI process of this file: the script's wiring, exit code and one clean line on stderr.
        const run = runScript("render", ["--stack", "test", "--out", file]);
        assert.equal(run.status, 2);
        assert.match(run.stderr, /^error: --out .*a-file: is a file, not a folder\n$/);
        assert.equal(readFileSync(file, "utf8"), "x");
    });
});

describe("every command: --help, exit codes, no warnings", () => {
    const commands = [
        ["render", renderMain(render), RENDER_COMMAND],
        ["diff", diffMain(render), DIFF_COMMAND],
        ["graph", graphMain, GRAPH_COMMAND],
        ["bench", benchMain, BENCH_COMMAND],
        ["catalogue-schema", catalogueSchemaMain, CATALOGUE_SCHEMA_COMMAND],
        ["config-docs", configDocsMain, CONFIG_DOCS_COMMAND],
        ["generate-types", generateTypesMain, GENERATE_TYPES_COMMAND],
        ["pulumi-load", pulumiLoadMain, PULUMI_LOAD_COMMAND],
        ["urns", urnsMain, URNS_COMMAND],
    ] as const;
    for (const [script, main, command] of commands) {
        it(`${script} --help exits 0 and lists every flag; an unknown flag exits 2`, async () => {
            const help = await runInProcess(main, ["--help"]);
            assert.equal(help.status, 0, help.stderr);
            for (const flag of [...Object.keys(command.flags), "help"]) assert.match(help.stdout, new RegExp(`^  --${flag}\\b`, "m"));
            const misuse = await runInProcess(main, ["--no-such-flag"]);
            assert.equal(misuse.status, 2);
            assert.match(misuse.stderr, /^error: .*--no-such-flag/m);
        });
    }

    it("render, diff and graph exit 1 on bad input", async () => {
        const missing = path.join(tmpdir(), "no-such-catalogue.yaml");
        for (const [main, argv] of [
            [renderMain(render), ["--stack", "prod", "--catalogue", missing]],
            [diffMain(render), ["--stack", "prod", "--base", "HEAD", "--catalogue", missing]],
            [graphMain, ["--catalogue", missing]],
        ] as const) {
            const run = await runInProcess(main, argv);
            assert.equal(run.status, 1, run.stderr);
            assert.match(run.stderr, /^error: .*no-such-catalogue\.yaml/);
        }
    });

    it("renders every stack with no warning on stderr", async () => {
        const out = mkdtempSync(path.join(tmpdir(), "render-warn-"));
        try {
            // A Pulumi runtime or Node warning of any render reaches this process's stderr, which fails the
            // test that was running (test/support/quietStderr.ts); here the command's own stderr stays empty too.
            for (const stack of ["prod", "test", "staging"]) {
                const run = await runInProcess(renderMain(render), ["--stack", stack, "--out", out]);
                assert.equal(run.status, 0, run.stderr);
                assert.equal(run.stderr, "");
                assert.match(run.stdout, new RegExp(`^${stack}: \\d+ Pulumi resources, \\d+ Kubernetes objects`));
            }
        } finally {
            rmSync(out, { recursive: true, force: true });
        }
    });
});

describe("stack outputs per role", () => {
    it("exports only the hub's outputs on prod and the shard's on a spoke (none undefined)", async () => {
        assert.deepEqual((await render({ stack: "prod" })).outputs, ["applications", "kargoUrl", "remoteKubeconfigSecrets", "shards"]);
        assert.deepEqual((await render({ stack: "test" })).outputs, ["shard"]);
    });
});

describe("errors name what the user typed", () => {
    it("--catalogue FILE names FILE, not the stack key", async () => {
        await assert.rejects(renderStack({ stack: "prod", catalogue: "missing.yaml" }), (error: Error) => {
            assert.match(error.message, /^missing\.yaml: --catalogue: no such file$/);
            assert.doesNotMatch(error.message, /eodhp-kargo:catalogue/);
            return true;
        });
    });

    it("a bad catalogue at a git base is named <ref>:<path>, not a temporary file", async () => {
        // A tree object holding a bad catalogue.yaml (an unreachable object; the work tree is untouched).
        const git = (args: string[], input?: string) => execFileSync("git", args, { cwd: ROOT, encoding: "utf8", input }).trim();
        const blob = git(["hash-object", "-w", "--stdin"], "applications:\n  - name: a\n");
        const tree = git(["mktree"], `100644 blob ${blob}\tcatalogue.yaml\n`);
        await assert.rejects(diffCommand(["--stack", "prod", "--base", tree], render), (error: Error) => {
            assert.equal(error.message, `${tree}:catalogue.yaml:2: application "a": path: is required`);
            return true;
        });
    });
});

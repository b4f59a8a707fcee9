import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { ROOT } from "./support/fixtures";
import { ONE_APP_CATALOGUE, render } from "./support/render";

const REGISTER = path.join(ROOT, "cli", "register.js");
const { DEFERRED, defer } = require("../cli/leanSdk") as { DEFERRED: Record<string, string[]>; defer(filename: string, names: string[]): void };

/** Runs `script` in a fresh Node with `preload` (by default the loader, as every command starts); its last line, parsed. */
function inFreshNode(script: string, env: Record<string, string> = {}, preload = [REGISTER]): any {
    const args = [...preload.flatMap((file) => ["--require", file]), "-e", script];
    const run = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
    assert.equal(run.status, 0, run.stderr);
    return JSON.parse(run.stdout.trim().split("\n").pop() as string);
}

/**
 * One child process with the SDK as shipped (test/support/shippedSdk.js: our .ts loader, no leanSdk): a render
 * of prod, whether the SDK loaded its closure serializer at start (as shipped it does; leanSdk defers it to a
 * first call that never comes), and the exports of every module leanSdk defers.
 */
let shippedSdkResult: { shipped: boolean; resources: unknown[]; exports: Record<string, Array<[string, string]>> } | undefined;
function shippedSdkRun(): NonNullable<typeof shippedSdkResult> {
    shippedSdkResult ??= inFreshNode(
        `require("./cli/renderRuntime").renderStack({ stack: "prod", catalogue: ${JSON.stringify(ONE_APP_CATALOGUE)} }).then((result) => {
            const shipped = Object.keys(require.cache).some((file) => file.endsWith("serializeClosure.js"));
            const exports = Object.fromEntries(${JSON.stringify(Object.keys(DEFERRED))}.map((request) => {
                const exported = require(request);
                return [request, Object.keys(exported).filter((name) => name !== "__esModule").map((name) => [name, typeof exported[name]]).sort()];
            }));
            console.log(JSON.stringify({ shipped, resources: result.resources, exports }));
        })`,
        {},
        [path.join(__dirname, "support", "shippedSdk.js")],
    );
    return shippedSdkResult as NonNullable<typeof shippedSdkResult>;
}

describe("what `pulumi preview`/`up` run: Pulumi's own TypeScript support, nothing preloaded", () => {
    it("Pulumi.yaml sets no nodeargs and leaves `typescript` on, so no loader of ours and nothing that patches the SDK runs", () => {
        const runtime = (parse(readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as { runtime: { name: string; options?: Record<string, unknown> } })
            .runtime;
        const options = runtime.options ?? {};
        const why = 'Pulumi.yaml must run index.ts with Pulumi\'s documented TypeScript support only (docs/real-runs.md, "What Pulumi runs")';
        assert.equal(runtime.name, "nodejs");
        assert.equal(options.nodeargs, undefined, `${why}: no nodeargs (it would --require code before the SDK)`);
        assert.notEqual(options.typescript, false, `${why}: typescript: false turns off the SDK's ts-node`);
        assert.deepEqual(Object.keys(options), ["packagemanager"], `${why}: no other runtime options`);
        const main = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { main: string }).main;
        assert.equal(main, "index.ts", "package.json main is the program's TypeScript entry, which the SDK's ts-node loads");
    });
});

describe("Node versions: offline tools on Node 20, real runs on Node 22", () => {
    it("package.json engines covers the Node CI runs and the Node @pulumi/pulumi declares for real runs", () => {
        const engines = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { engines: { node: string } }).engines.node;
        const sdk = (require("@pulumi/pulumi/package.json") as { engines: { node: string } }).engines.node;
        const why = 'package.json engines, .ci/run and docs/real-runs.md ("Node versions") state these together: change all three';
        // ESLint 10 needs ^20.19.0 || ^22.13.0 || >=24; @pulumi/pulumi needs >=22 for `pulumi up`.
        assert.equal(engines, "^20.19.0 || >=22.13.0", why);
        assert.equal(sdk, ">=22", `@pulumi/pulumi now declares Node ${sdk}; ${why}`);
        assert.match(process.version, /^v(20\.(19|[2-9]\d)|22\.(1[3-9]|[2-9]\d)|2[3-9]|[3-9]\d)\./, `this Node (${process.version}) is outside ${engines}`);
    });
});

describe("the loader (cli/register.js): what every offline command and test starts with", () => {
    let dir: string;
    before(() => {
        dir = mkdtempSync(path.join(tmpdir(), "loader-"));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it("runs .ts with stack traces on the .ts file's own lines, keeps each stripped file, never reads one stale; the SDK starts lean", () => {
        const cache = path.join(dir, "cache");
        const [kept, edited] = ["kept.ts", "edited.ts"].map((name) => path.join(dir, name));
        const source = (line: string) => `interface Shape {\n    readonly size: number;\n}\nconst shape: Shape = { size: 1 };\n${line}\n`;
        const loaded = (pattern: string) => `Object.keys(require.cache).some((file) => /${pattern}/.test(file))`;
        // One process as every offline command starts: each file's error stack, then (the first time) what the SDK loaded.
        const run = (withSdk: boolean) =>
            inFreshNode(
                `const stacks = ${JSON.stringify([kept, edited])}.map((file) => { try { require(file) } catch (e) { return e.stack } });
                ${withSdk ? 'require("@pulumi/pulumi");' : ""}
                console.log(JSON.stringify({ stacks, typescript: ${loaded("node_modules\\/typescript\\/")}, arborist: ${loaded("@npmcli\\/arborist")} }))`,
                { EODHP_KARGO_TS_CACHE: cache },
            );
        writeFileSync(kept, source("throw new Error(`kept ${shape.size as number}`);"));
        writeFileSync(edited, source("throw new Error(`first ${shape.size}`);"));
        const first = run(true);
        assert.match(first.stacks[0], /^Error: kept 1\n {4}at .*kept\.ts:5:/, "the throw's own line, 5, types and all");
        assert.deepEqual([first.typescript, first.arborist], [false, false], "@pulumi/pulumi started without the TypeScript compiler or @npmcli/arborist");
        const files = readdirSync(cache);
        assert.equal(files.length, 2);
        // A kept file is what the next process runs: mark kept.ts's, and edit the other .ts file.
        const keptFile = files.map((name) => path.join(cache, name)).find((file) => readFileSync(file, "utf8").includes("kept")) as string;
        writeFileSync(keptFile, readFileSync(keptFile, "utf8").replace("kept ", "from the cache "));
        writeFileSync(edited, source("throw new Error(`edited ${shape.size}`);"));
        const second = run(false);
        assert.match(second.stacks[0], /^Error: from the cache 1\n/, "the second process read the kept file");
        assert.match(second.stacks[1], /^Error: edited 1\n/, "an edited file is stripped anew");
        assert.equal(readdirSync(cache).length, 3);
    });

    it("stands in for each deferred SDK module with every function it exports, loading it on the first call", () => {
        // The SDK as shipped: each module's exports are exactly the functions deferred.
        const { exports: shipped } = shippedSdkRun();
        for (const [request, names] of Object.entries(DEFERRED)) {
            assert.deepEqual(
                shipped[request],
                [...names].sort().map((name) => [name, "function"]),
                `${request} exports exactly these functions`,
            );
        }
        const file = path.join(dir, "heavy.js");
        writeFileSync(file, "globalThis.heavyLoaded = true;\nexports.scaled = function (x) { return this.factor * x; };\n");
        defer(file, ["scaled"]);
        const standIn = require(file) as { scaled(this: { factor: number }, x: number): number };
        assert.equal((globalThis as { heavyLoaded?: boolean }).heavyLoaded, undefined, "not loaded until called");
        assert.equal(standIn.scaled.call({ factor: 3 }, 2), 6, "the call reaches the real function, with its this and arguments");
        assert.equal((globalThis as { heavyLoaded?: boolean }).heavyLoaded, true);
        assert.notEqual(require(file), standIn, "later requires get the real module");
        delete (globalThis as { heavyLoaded?: boolean }).heavyLoaded;
    });

    it("changes nothing a render registers: with and without cli/leanSdk.js, the same resources, inputs and parents", async () => {
        const shipped = shippedSdkRun();
        assert.equal(shipped.shipped, true, "rendered with the SDK as shipped");
        const lean = await render({ stack: "prod", catalogue: ONE_APP_CATALOGUE });
        assert.ok(lean.resources.length > 50);
        assert.deepEqual(shipped.resources, JSON.parse(JSON.stringify(lean.resources)));
    });

    it("captures no stack trace for Pulumi's promise-leak report unless PULUMI_DEBUG_PROMISE_LEAKS asks for one", () => {
        const debuggable = require("@pulumi/pulumi/runtime/debuggable") as {
            debuggablePromise: <T>(p: Promise<T>, ctx: string) => Promise<T>;
            debugPromiseLeaks: boolean;
        };
        const traced = (): string => {
            const promise = Promise.resolve(1) as Promise<number> & { _debugStackTrace?: string };
            void debuggable.debuggablePromise(promise, "test");
            return promise._debugStackTrace as string;
        };
        const limit = Error.stackTraceLimit;
        assert.equal(traced(), "Error");
        assert.equal(Error.stackTraceLimit, limit, "the process's own limit is left as it was");
        debuggable.debugPromiseLeaks = true;
        try {
            assert.match(traced(), /^Error\n {4}at /);
        } finally {
            debuggable.debugPromiseLeaks = false;
        }
    });
});

import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { ROOT } from "./support/fixtures";

const REGISTER = path.join(ROOT, "cli", "register.js");
const { DEFERRED, defer } = require("../cli/leanSdk") as { DEFERRED: Record<string, string[]>; defer(filename: string, names: string[]): void };

/** Runs `script` in a fresh Node with the loader, as every command and `pulumi up` start; its last line, parsed. */
function inFreshNode(script: string, env: Record<string, string> = {}): any {
    const run = spawnSync(process.execPath, ["--require", REGISTER, "-e", script], { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env } });
    assert.equal(run.status, 0, run.stderr);
    return JSON.parse(run.stdout.trim().split("\n").pop() as string);
}

describe("the loader (cli/register.js): what every process and `pulumi up` start with", () => {
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
        // One process as every command and `pulumi up` start: each file's error stack, then what the SDK loaded.
        const run = () =>
            inFreshNode(
                `const stacks = ${JSON.stringify([kept, edited])}.map((file) => { try { require(file) } catch (e) { return e.stack } });
                require("@pulumi/pulumi");
                console.log(JSON.stringify({ stacks, typescript: ${loaded("node_modules\\/typescript\\/")}, arborist: ${loaded("@npmcli\\/arborist")} }))`,
                { EODHP_KARGO_TS_CACHE: cache },
            );
        writeFileSync(kept, source("throw new Error(`kept ${shape.size as number}`);"));
        writeFileSync(edited, source("throw new Error(`first ${shape.size}`);"));
        const first = run();
        assert.match(first.stacks[0], /^Error: kept 1\n {4}at .*kept\.ts:5:/, "the throw's own line, 5, types and all");
        assert.deepEqual([first.typescript, first.arborist], [false, false], "@pulumi/pulumi started without the TypeScript compiler or @npmcli/arborist");
        const files = readdirSync(cache);
        assert.equal(files.length, 2);
        // A kept file is what the next process runs: mark kept.ts's, and edit the other .ts file.
        const keptFile = files.map((name) => path.join(cache, name)).find((file) => readFileSync(file, "utf8").includes("kept")) as string;
        writeFileSync(keptFile, readFileSync(keptFile, "utf8").replace("kept ", "from the cache "));
        writeFileSync(edited, source("throw new Error(`edited ${shape.size}`);"));
        const second = run();
        assert.match(second.stacks[0], /^Error: from the cache 1\n/, "the second process read the kept file");
        assert.match(second.stacks[1], /^Error: edited 1\n/, "an edited file is stripped anew");
        assert.equal(readdirSync(cache).length, 3);
    });

    it("stands in for each deferred SDK module with every function it exports, loading it on the first call", () => {
        for (const [request, names] of Object.entries(DEFERRED)) {
            const assigned = [...readFileSync(require.resolve(request), "utf8").matchAll(/^exports\.(\w+) = (\w+);$/gm)];
            assert.deepEqual(assigned.map(([, name]) => name).sort(), [...names].sort(), request);
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

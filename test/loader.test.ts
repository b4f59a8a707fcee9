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

    it("runs .ts with stack traces on the .ts file's own lines, and keeps each stripped file once per text", () => {
        const file = path.join(dir, "fails.ts");
        const cache = path.join(dir, "cache");
        const source = (line: string) => `interface Shape {\n    readonly size: number;\n}\nconst shape: Shape = { size: 1 };\n${line}\n`;
        const run = (): string =>
            inFreshNode(`try { require(${JSON.stringify(file)}) } catch (e) { console.log(JSON.stringify(e.stack)) }`, { EODHP_KARGO_TS_CACHE: cache });
        writeFileSync(file, source("throw new Error(`size ${shape.size as number}`);"));
        assert.match(run(), new RegExp(`^Error: size 1\\n    at .*fails\\.ts:5:`));
        assert.equal(readdirSync(cache).length, 1);
        run();
        assert.equal(readdirSync(cache).length, 1, "a second process reads the kept file");
        writeFileSync(file, source("throw new Error(`changed ${shape.size}`);"));
        assert.match(run(), /^Error: changed 1\n/, "a changed file is stripped anew, never read stale");
        assert.deepEqual(readdirSync(cache).length, 2);
    });

    it("starts @pulumi/pulumi without the TypeScript compiler or @npmcli/arborist", () => {
        const loaded = (pattern: string) => `Object.keys(require.cache).some((file) => /${pattern}/.test(file))`;
        const atStart = inFreshNode(`require("@pulumi/pulumi");
            console.log(JSON.stringify({ typescript: ${loaded("node_modules\\/typescript\\/")}, arborist: ${loaded("@npmcli\\/arborist")} }))`);
        assert.deepEqual(atStart, { typescript: false, arborist: false });
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

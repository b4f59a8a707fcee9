/**
 * Root hooks (loaded by .mocharc): a test fails when anything reaches the process's stderr while it runs.
 * That catches Pulumi runtime warnings of every in-process render (under mocks the SDK logs them with
 * console.warn, @pulumi/pulumi log/index.js), Node warnings, and a command printing past its `io`.
 */
import { strict as assert } from "node:assert";

let written: string[] = [];
const write = process.stderr.write.bind(process.stderr);
process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    written.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString());
    return write(chunk, ...rest);
}) as typeof process.stderr.write;
process.on("warning", (warning) => written.push(`${warning.name}: ${warning.message}\n`));

/** Fails if anything was written since the last check (output of a hook or a late render counts for the next test). */
function assertQuiet(what: string): void {
    const text = written.join("");
    written = [];
    assert.equal(text, "", `${what} wrote to stderr`);
}

export const mochaHooks = {
    afterEach(this: Mocha.Context): void {
        assertQuiet(`test "${this.currentTest?.fullTitle()}"`);
    },
    afterAll(): void {
        assertQuiet("the tests (after the last one)");
    },
};

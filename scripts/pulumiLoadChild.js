/**
 * Runs the program as `pulumi preview`/`up` start it, offline: the installed SDK's own entry
 * (@pulumi/pulumi cmd/run/run.js `run`, which the Pulumi CLI's nodejs language host starts) with
 * PULUMI_NODEJS_TYPESCRIPT=true, as the host sets it for Pulumi.yaml's default `typescript: true`, so the SDK
 * registers ts-node itself (type-checking each file it compiles) and requires package.json's `main`. Only the
 * resource monitor is mocked. Plain JavaScript and started without --require: nothing of ours runs first.
 * The config comes in PULUMI_CONFIG, as the host passes it (@pulumi/pulumi runtime/config.js).
 * Prints one JSON line: {"seconds", "resources": [{"id": "type::name", "inputs"}, ...], "outputs": [...]}, the
 * inputs with every secret value replaced as the offline render replaces it.
 */
"use strict";
const Module = require("node:module");
const path = require("node:path");
const pulumi = require("@pulumi/pulumi");

const [stack] = process.argv.slice(2);
if (!stack) {
    process.stderr.write("usage: node scripts/pulumiLoadChild.js <stack>  (config in PULUMI_CONFIG)\n");
    process.exit(2);
}
const root = path.join(__dirname, "..");
process.chdir(root);
process.env.PULUMI_NODEJS_TYPESCRIPT = "true";

/** What AWS and the cluster fill in, as the offline render simulates it; loaded through ts-node once it is registered. */
const simulated = () => require("../cli/renderRuntime");
const registered = [];
pulumi.runtime.setMocks(
    {
        newResource: (args) => {
            registered.push({ id: `${args.type}::${args.name}`, inputs: simulated().redactSecrets(simulated().withoutEnvironment(args.type, args.inputs)) });
            return simulated().simulatedResource(args);
        },
        call: (args) => simulated().simulatedCall(args.token, args.inputs),
    },
    "eodhp-kargo",
    stack,
    false,
);

// run.js requires its package's cmd/run/index.js, whose top level parses process.argv and connects to the
// engine; a test harness supplies only the one value run.js reads from it (its exit code for logged errors).
const entry = require.resolve("@pulumi/pulumi/cmd/run/index.js");
const harness = new Module(entry);
harness.filename = entry;
harness.loaded = true;
harness.exports = { nodeJSProcessExitedAfterLoggingUserActionableMessage: 32 };
require.cache[entry] = harness;
const { run } = require("@pulumi/pulumi/cmd/run/run.js");

let outputs = [];
// A program's error (a TSError names the file, line and type error) reaches the process's handlers; the SDK's
// own, installed by run(), would log it and leave the process to Pulumi's host. Ours runs first and ends it.
const failed = (error) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
};
process.on("uncaughtException", failed);
process.on("unhandledRejection", failed);
run(
    { _: ["."] },
    () => undefined,
    () => undefined,
    () => false,
).then((exported) => {
    outputs = Object.keys(exported ?? {}).sort();
}, failed);
// Components register their last children after the stack's outputs resolve: report once everything has run.
let reported = false;
process.on("beforeExit", () => {
    if (reported || process.exitCode) return;
    reported = true;
    const resources = registered.filter(({ id }) => !id.startsWith("pulumi:pulumi:Stack::")).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    process.stdout.write(`${JSON.stringify({ seconds: process.uptime(), resources, outputs })}\n`);
});

/**
 * `npm run bench`'s yardstick: a bare @pulumi/pulumi program under mocks that registers the resources a render
 * registered (names and inputs, read from <file>) as plain CustomResources, in groups of <group size> as
 * EodhpProject does (a group once the one before is registered): the SDK's own cost for that work.
 * Plain JavaScript, so that it runs with nothing of ours: `node bench/benchBare.js` is the SDK as shipped;
 * with `--require ./cli/leanSdk.js` it is the SDK as the offline commands run it (`pulumi up` runs it as shipped).
 * Prints one JSON line: {"seconds", "resources"}; seconds count from process start, module loading
 * included, less the reading of <file>.
 */
"use strict";
const { readFileSync } = require("node:fs");
const pulumi = require("@pulumi/pulumi");

class BenchObject extends pulumi.CustomResource {
    constructor(name, props) {
        super("bench:index:Object", name, props);
    }
}

async function bare(file, groupSize) {
    const started = process.uptime();
    const resources = JSON.parse(readFileSync(file, "utf8"));
    const reading = process.uptime() - started;
    pulumi.runtime.setMocks({ newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }), call: (args) => args.inputs }, "bare", "bench", false);
    await pulumi.runtime.runInPulumiStack(async () => {
        for (let start = 0; start < resources.length; start += groupSize) {
            const group = resources.slice(start, start + groupSize).map(({ name, inputs }) => new BenchObject(name, inputs));
            await new Promise((resolve) => pulumi.all(group.map((resource) => resource.urn)).apply(resolve));
        }
        return {};
    });
    await pulumi.runtime.disconnect();
    return { seconds: process.uptime() - reading, resources: resources.length };
}

const [file, groupSize] = process.argv.slice(2);
if (!file || !(Number(groupSize) > 0)) {
    process.stderr.write("usage: node bench/benchBare.js <resources file> <group size>\n");
    process.exitCode = 2;
} else {
    bare(file, Number(groupSize)).then(
        (measured) => process.stdout.write(`${JSON.stringify(measured)}\n`),
        (error) => {
            process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
            process.exitCode = 1;
        },
    );
}

/**
 * One measurement of `npm run bench`, in its own process so that each starts cold and alike:
 *   render <catalogue> <file>  the real program under mocks (renderStack, which plans once and runs deployStack
 *                              as index.ts does), its output serialised as `npm run render` does; writes every
 *                              registered resource (name and inputs) to <file> for the yardstick;
 *   bare <file> <group size>   the yardstick: a bare @pulumi/pulumi program under mocks that registers the same
 *                              resources (names and inputs from <file>) as plain CustomResources, with nothing
 *                              of ours loaded but the loader (started with the same node options as bench, so
 *                              cli/register.js and cli/leanSdk.js), in groups of that size as EodhpProject does
 *                              (a group once the one before is registered): the SDK's own cost for that work;
 *   (`render -` renders the shipped catalogue.)
 * Prints one JSON line: {"seconds", "resources"}. Seconds count from process start, module loading included;
 * the bare program's reading of <file> is not counted.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";

interface RegisteredInputs {
    readonly name: string;
    readonly inputs: pulumi.Inputs;
}

class BenchObject extends pulumi.CustomResource {
    constructor(name: string, props: pulumi.Inputs) {
        super("bench:index:Object", name, props);
    }
}

interface Measured {
    readonly seconds: number;
    readonly resources: number;
}

async function render(catalogue: string, file: string): Promise<Measured> {
    // Loaded here, not at the top, so that the bare program loads nothing of ours.
    const { renderStack } = await import("./renderRuntime");
    const { manifestsYaml, resourcesJson } = await import("./renderOutput");
    const result = await renderStack({ stack: "prod", catalogue: catalogue === "-" ? undefined : catalogue });
    manifestsYaml(result);
    resourcesJson(result);
    const seconds = process.uptime();
    writeFileSync(file, JSON.stringify(result.resources.map(({ name, inputs }) => ({ name, inputs }))));
    return { seconds, resources: result.resources.length };
}

async function bare(file: string, groupSize: number): Promise<Measured> {
    const started = process.uptime();
    const resources = JSON.parse(readFileSync(file, "utf8")) as RegisteredInputs[];
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

async function main(): Promise<void> {
    const [mode, first, second] = process.argv.slice(2);
    let measured: Measured;
    if (mode === "render" && first && second) measured = await render(first, second);
    else if (mode === "bare" && first && second) measured = await bare(first, Number(second));
    else throw new Error("usage: benchChild render <catalogue> <resources file> | bare <resources file> <group size>");
    process.stdout.write(`${JSON.stringify(measured)}\n`);
}

main().catch((error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
});

/**
 * One measurement of `npm run bench`, in its own process so that each starts cold and alike:
 *   render <catalogue file>   the real program (index.ts) under mocks, output serialised as `npm run render` does;
 *   bare <resources> <bytes>  a bare @pulumi/pulumi program under mocks registering that many resources with
 *                             inputs of about that many bytes each: the SDK's own cost, the yardstick.
 *   (`render -` renders the shipped catalogue.)
 * Prints one JSON line: {"seconds", "resources", "bytes"} (bytes: mean input size per resource); seconds count
 * from process start, module loading included.
 */
import * as pulumi from "@pulumi/pulumi";
import { manifestsYaml, resourcesJson } from "./renderOutput";
import { renderStack } from "./renderRuntime";

class BenchObject extends pulumi.CustomResource {
    constructor(name: string, props: pulumi.Inputs) {
        super("bench:index:Object", name, props);
    }
}

async function bare(resources: number, bytes: number): Promise<number> {
    let registered = 0;
    pulumi.runtime.setMocks(
        { newResource: (args) => ((registered += 1), { id: `${args.name}-id`, state: args.inputs }), call: (args) => args.inputs },
        "bare",
        "bench",
        false,
    );
    const filler = "x".repeat(Math.max(0, bytes - 40));
    await pulumi.runtime.runInPulumiStack(async () => {
        for (let index = 0; index < resources; index += 1) {
            new BenchObject(`object-${index}`, { metadata: { name: `object-${index}` }, spec: { filler } });
        }
        return {};
    });
    await pulumi.runtime.disconnect();
    return registered;
}

async function main(): Promise<void> {
    const [mode, first, second] = process.argv.slice(2);
    let resources: number;
    let bytes = Number(second);
    if (mode === "render") {
        const result = await renderStack({ stack: "prod", catalogue: first === "-" ? undefined : first });
        manifestsYaml(result);
        bytes = Math.round(Buffer.byteLength(resourcesJson(result)) / result.resources.length);
        resources = result.resources.length;
    } else if (mode === "bare") {
        resources = await bare(Number(first), bytes);
    } else {
        throw new Error("usage: benchChild render <catalogue> | bare <resources> <bytes>");
    }
    process.stdout.write(`${JSON.stringify({ seconds: process.uptime(), resources, bytes })}\n`);
}

main().catch((error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
});

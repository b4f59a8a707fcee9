/**
 * `npm run render -- --stack <prod|test|staging> [--catalogue FILE] [--out DIR]`: the stack's program under
 * Pulumi's mock runtime, written as DIR/<stack>/manifests.yaml and resources.json.
 */
import { parseCommandLine, required, runMain, type Command } from "./args";
import { checkOutputTarget, kindSummary, writeRender } from "./renderOutput";
import { renderStack } from "./renderRuntime";

export const RENDER_COMMAND = {
    name: "npm run render --",
    summary: "Runs the stack's program offline under Pulumi's mock runtime and writes DIR/<stack>/manifests.yaml and resources.json; DIR/<stack> is replaced only if an earlier render wrote it.",
    flags: {
        stack: { type: "string", value: "prod|test|staging", help: "the stack to render (required)", required: true },
        catalogue: { type: "string", value: "FILE", help: "render this catalogue instead of the stack's `catalogue` setting" },
        out: { type: "string", value: "DIR", default: "out", help: "folder to write <stack>/ into" },
    },
} as const satisfies Command;

if (require.main === module) {
    runMain(async () => {
        const args = parseCommandLine(RENDER_COMMAND);
        const stack = required(RENDER_COMMAND, "stack", args.stack);
        const out = args.out ?? "out";
        checkOutputTarget(out, stack);
        const result = await renderStack({ stack, catalogue: args.catalogue });
        const written = writeRender(result, out);
        process.stdout.write(`${stack}: ${result.resources.length} Pulumi resources, ${result.manifests.length} Kubernetes objects (${kindSummary(result)})\n`);
        process.stdout.write(`wrote ${written}/manifests.yaml and ${written}/resources.json\n`);
        return 0;
    });
}

/**
 * `npm run render -- --stack <prod|test|staging> [--catalogue FILE] [--out DIR]`: the stack's program under
 * Pulumi's mock runtime, written as DIR/<stack>/manifests.yaml and resources.json.
 */
import { parseCommandLine, runMain, UsageError } from "./args";
import { kindSummary, writeRender } from "./renderOutput";
import { renderStack } from "./renderRuntime";

const USAGE = "npm run render -- --stack <prod|test|staging> [--catalogue FILE] [--out DIR]";

runMain(async () => {
    const args = parseCommandLine(USAGE, {
        stack: { type: "string" },
        catalogue: { type: "string" },
        out: { type: "string", default: "out" },
    });
    if (!args.stack) throw new UsageError(`--stack is required\nusage: ${USAGE}`);
    const result = await renderStack({ stack: args.stack, catalogue: args.catalogue });
    const written = writeRender(result, args.out ?? "out");
    process.stdout.write(`${args.stack}: ${result.resources.length} Pulumi resources, ${result.manifests.length} Kubernetes objects (${kindSummary(result)})\n`);
    process.stdout.write(`wrote ${written}/manifests.yaml and ${written}/resources.json\n`);
    return 0;
});

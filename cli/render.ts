/**
 * `npm run render -- --stack <prod|test|staging> [--catalogue FILE] [--out DIR]`: the stack's program under
 * Pulumi's mock runtime, written as DIR/<stack>/manifests.yaml and resources.json.
 */
import { parseCommandLine, runMain, UsageError } from "./args";
import { kindSummary, writeRender } from "./renderOutput";
import { renderStack } from "./renderRuntime";

const USAGE = "npm run render -- --stack <prod|test|staging> [--catalogue FILE] [--out DIR]";

/** Renders and writes for command-line `argv`; returns what the command prints. */
export async function renderCommand(argv: readonly string[]): Promise<string> {
    const args = parseCommandLine(USAGE, { stack: { type: "string" }, catalogue: { type: "string" }, out: { type: "string", default: "out" } }, [...argv]);
    if (!args.stack) throw new UsageError(`--stack is required\nusage: ${USAGE}`);
    const result = await renderStack({ stack: args.stack, catalogue: args.catalogue });
    const written = writeRender(result, args.out ?? "out");
    return (
        `${args.stack}: ${result.resources.length} Pulumi resources, ${result.manifests.length} Kubernetes objects (${kindSummary(result)})\n` +
        `wrote ${written}/manifests.yaml and ${written}/resources.json\n`
    );
}

if (require.main === module) {
    runMain(async () => {
        process.stdout.write(await renderCommand(process.argv.slice(2)));
        return 0;
    });
}

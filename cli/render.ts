/**
 * `npm run render -- --stack STACK [--catalogue FILE] [--out DIR]`: the stack's program under
 * Pulumi's mock runtime, written as DIR/<stack>/manifests.yaml, resources.json and chart-values.yaml (the
 * Kargo chart's values, for `helm template`).
 */
import { parseCommandLine, required, runMain, type Command, type CommandMain } from "./args";
import { checkOutputTarget, kindSummary, writeRender } from "./renderOutput";
import { checkProjectStacks, PROJECT_ROOT, projectStacks } from "../core/plan/stackFiles";
import type { RenderOptions, RenderResult } from "./renderRuntime";

/** Renders one stack: renderStack, or in tests their cached renders. */
export type Renderer = (options: RenderOptions) => Promise<RenderResult>;

export const RENDER_COMMAND = {
    name: "npm run render --",
    summary:
        "Runs the stack's program offline under Pulumi's mock runtime and writes DIR/<stack>/manifests.yaml, resources.json and chart-values.yaml (the Kargo chart's values, for helm template); DIR/<stack> is replaced only if an earlier render wrote it.",
    flags: {
        stack: { type: "string", value: "STACK", help: `the stack to render (required): ${projectStacks().join(", ")}`, required: true },
        catalogue: { type: "string", value: "FILE", help: "render this catalogue instead of the stack's `catalogue` setting" },
        out: { type: "string", value: "DIR", default: "out", help: "folder to write <stack>/ into" },
    },
} as const satisfies Command;

/**
 * Renders and writes for command-line `argv`; returns what the command prints. `projectRoot`: the project
 * whose stacks are checked and rendered, this checkout unless a test gives another.
 */
export async function renderCommand(argv: readonly string[], render?: Renderer, projectRoot = PROJECT_ROOT): Promise<string> {
    const args = parseCommandLine(RENDER_COMMAND, [...argv]);
    const stack = required(RENDER_COMMAND, "stack", args.stack);
    const out = args.out ?? "out";
    checkOutputTarget(out, stack);
    // The stack set is checked as a whole on every render: a spoke that disagrees with the hub fails here,
    // naming both files, before a `pulumi up` of either could deploy the mismatch.
    checkProjectStacks(projectRoot, { stack, catalogue: args.catalogue });
    // Loaded only now, so --help and misuse answer without loading the Pulumi SDK and providers.
    const { renderStack } = await import("./renderRuntime");
    const result = await (render ?? renderStack)({ stack, catalogue: args.catalogue, projectRoot });
    const written = writeRender(result, out);
    return (
        `${stack}: ${result.resources.length} Pulumi resources, ${result.manifests.length} Kubernetes objects (${kindSummary(result)})\n` +
        `wrote ${written}/manifests.yaml, ${written}/resources.json and ${written}/chart-values.yaml\n`
    );
}

/** The CLI's entry; `render` as for renderCommand. */
export function renderMain(render?: Renderer): CommandMain {
    return async (argv, io) => {
        io.stdout(await renderCommand(argv, render));
        return 0;
    };
}

if (require.main === module) runMain(renderMain());

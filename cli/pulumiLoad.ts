/**
 * `npm run pulumi-load -- [--stack NAME]`: runs index.ts for each stack as `pulumi preview`/`up` would, offline
 * (cli/pulumiLoadChild.js: the SDK's own entry, its own ts-node with type checking, nothing of ours preloaded,
 * only the resource monitor mocked), and checks that it registers exactly the resources the offline render
 * does (Sucrase and cli/leanSdk.js). CI runs it: a type error, a file ts-node cannot compile, or a
 * difference between the two loaders fails it.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { parseCommandLine, runMain, type Command, type CommandMain } from "./args";
import { renderConfig, renderStack } from "./renderRuntime";
import { projectStacks } from "../core/plan/stackFiles";

export const PULUMI_LOAD_COMMAND = {
    name: "npm run pulumi-load --",
    summary:
        "Runs index.ts as `pulumi up` loads it (the SDK's ts-node, type-checked, the SDK as shipped) under mocks, and checks it registers the same resources as the offline render.",
    flags: {
        stack: { type: "string", value: "NAME", help: "only this stack (default: every Pulumi.<stack>.yaml)" },
    },
} as const satisfies Command;

export interface PulumiLoad {
    /** From process start to the last registration, module loading and ts-node's type check included. */
    readonly seconds: number;
    /** `type::name` of every resource registered, the stack itself aside, sorted. */
    readonly resources: readonly string[];
    readonly outputs: readonly string[];
}

/** Runs cli/pulumiLoadChild.js for a stack (and another catalogue) with its config as Pulumi's host passes it; throws its error. */
export function pulumiLoad(stack: string, catalogue?: string): PulumiLoad {
    const { config, secretKeys } = renderConfig({ stack, catalogue });
    const run = spawnSync(process.execPath, [path.join(__dirname, "pulumiLoadChild.js"), stack], {
        encoding: "utf8",
        env: { ...process.env, PULUMI_CONFIG: JSON.stringify(config), PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(secretKeys) },
    });
    if (run.status !== 0) throw new Error(`stack ${stack}: index.ts failed as pulumi up loads it:\n${run.stderr.trim()}`);
    return JSON.parse(run.stdout.trim().split("\n").pop() as string) as PulumiLoad;
}

/** What `loaded` registered that the offline render did not, and the reverse; empty when they agree. */
export function loaderDifferences(loaded: readonly string[], rendered: readonly string[]): string[] {
    const [inLoaded, inRendered] = [new Set(loaded), new Set(rendered)];
    return [
        ...loaded.filter((resource) => !inRendered.has(resource)).map((resource) => `only as pulumi up loads it: ${resource}`),
        ...rendered.filter((resource) => !inLoaded.has(resource)).map((resource) => `only in the offline render: ${resource}`),
    ];
}

export const pulumiLoadMain: CommandMain = async (argv, io) => {
    const args = parseCommandLine(PULUMI_LOAD_COMMAND, argv);
    let failed = false;
    for (const stack of args.stack === undefined ? projectStacks() : [args.stack]) {
        const loaded = pulumiLoad(stack);
        const rendered = (await renderStack({ stack })).resources.map(({ type, name }) => `${type}::${name}`);
        const differences = loaderDifferences(loaded.resources, rendered);
        if (differences.length > 0) {
            failed = true;
            io.stderr(`${stack}: the two loaders registered different resources:\n  ${differences.join("\n  ")}\n`);
        } else {
            io.stdout(`${stack}: ${loaded.resources.length} resources, as the offline render; loaded and type-checked in ${loaded.seconds.toFixed(1)} s\n`);
        }
    }
    return failed ? 1 : 0;
};

if (require.main === module) runMain(pulumiLoadMain);

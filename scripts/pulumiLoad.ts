/**
 * `npm run pulumi-load -- [--stack NAME]`: runs index.ts for each stack as `pulumi preview`/`up` would, offline
 * (scripts/pulumiLoadChild.js: the SDK's own entry, its own ts-node with type checking, nothing of ours preloaded,
 * only the resource monitor mocked), and checks that it registers exactly the resources, with the same
 * inputs, that the offline render does (Sucrase and cli/leanSdk.js). CI runs it: a type error, a file ts-node cannot compile, or a
 * difference between the two loaders fails it.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { parseCommandLine, runMain, type Command, type CommandMain } from "../cli/args";
import { CONFIG_NAMESPACE } from "../core/input/settings";
import { renderConfig } from "../core/plan/stackFiles";
import { offlineEksCluster, offlineKubeconfig, renderStack, type RenderResult } from "../cli/renderRuntime";
import { projectStacks } from "../core/plan/stackFiles";

export const PULUMI_LOAD_COMMAND = {
    name: "npm run pulumi-load --",
    summary:
        "Runs index.ts as `pulumi up` loads it (the SDK's ts-node, type-checked, the SDK as shipped) under mocks, and checks it registers the same resources and inputs as the offline render.",
    flags: {
        stack: { type: "string", value: "NAME", help: "only this stack (default: every Pulumi.<stack>.yaml)" },
    },
} as const satisfies Command;

export interface LoadedResource {
    readonly id: string;
    readonly inputs: Record<string, unknown>;
}

export interface PulumiLoad {
    /** From process start to the last registration, module loading and ts-node's type check included. */
    readonly seconds: number;
    /** Every resource registered (`type::name`, inputs with secrets replaced), the stack itself aside, sorted. */
    readonly resources: readonly LoadedResource[];
    readonly outputs: readonly string[];
}

/**
 * The kubeconfig an operator's machine would have for the stack: its context at its EKS cluster (offline),
 * which index.ts checks before any change (core/install/clusterPin.ts).
 */
function stackKubeconfig(config: Readonly<Record<string, string>>): string {
    return offlineKubeconfig(config[`${CONFIG_NAMESPACE}:kubeContext`], offlineEksCluster(config[`${CONFIG_NAMESPACE}:eksClusterName`]));
}

/** Runs scripts/pulumiLoadChild.js for a stack (and another catalogue) with its config as Pulumi's host passes it; throws its error. */
export function pulumiLoad(stack: string, catalogue?: string): PulumiLoad {
    const { config, secretKeys } = renderConfig({ stack, catalogue });
    const run = spawnSync(process.execPath, [path.join(__dirname, "pulumiLoadChild.js"), stack], {
        encoding: "utf8",
        // Every resource's inputs: some megabytes for a large catalogue.
        maxBuffer: 1024 * 1024 * 1024,
        // TS_NODE_CACHE=false: as a first `pulumi up` on a machine, every file compiled and type-checked (ts-node
        // otherwise serves unchanged files from its cache in the OS temp folder, unchecked).
        env: {
            ...process.env,
            PULUMI_CONFIG: JSON.stringify(config),
            PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(secretKeys),
            TS_NODE_CACHE: "false",
            KUBECONFIG: stackKubeconfig(config),
        },
    });
    if (run.status !== 0) throw new Error(`stack ${stack}: index.ts failed as pulumi up loads it:\n${run.stderr.trim()}`);
    return JSON.parse(run.stdout.trim().split("\n").pop() as string) as PulumiLoad;
}

/** What `loaded` registered that the offline render did not, the reverse, and inputs that differ; empty when they agree. */
export function loaderDifferences(loaded: readonly LoadedResource[], rendered: readonly LoadedResource[]): string[] {
    // As JSON, as the child prints them (an input still unknown, `undefined`, has no key there).
    const asJson = (inputs: Record<string, unknown>): unknown => JSON.parse(JSON.stringify(inputs));
    const [inLoaded, inRendered] = [new Map(loaded.map((r) => [r.id, r.inputs])), new Map(rendered.map((r) => [r.id, asJson(r.inputs)]))];
    return [
        ...loaded.filter(({ id }) => !inRendered.has(id)).map(({ id }) => `only as pulumi up loads it: ${id}`),
        ...rendered.filter(({ id }) => !inLoaded.has(id)).map(({ id }) => `only in the offline render: ${id}`),
        ...loaded.filter(({ id, inputs }) => inRendered.has(id) && !isDeepStrictEqual(inputs, inRendered.get(id))).map(({ id }) => `other inputs: ${id}`),
    ];
}

export const pulumiLoadMain: CommandMain = async (argv, io) => {
    const args = parseCommandLine(PULUMI_LOAD_COMMAND, argv);
    let failed = false;
    for (const stack of args.stack === undefined ? projectStacks() : [args.stack]) {
        const loaded = pulumiLoad(stack);
        // The offline render under the same $KUBECONFIG, which the SDK passes on to the kubernetes provider.
        const before = process.env.KUBECONFIG;
        process.env.KUBECONFIG = stackKubeconfig(renderConfig({ stack }).config);
        let result: RenderResult;
        try {
            result = await renderStack({ stack });
        } finally {
            if (before === undefined) delete process.env.KUBECONFIG;
            else process.env.KUBECONFIG = before;
        }
        const rendered = result.resources.map(({ type, name, inputs }) => ({ id: `${type}::${name}`, inputs }));
        const differences = loaderDifferences(loaded.resources, rendered);
        if (differences.length > 0) {
            failed = true;
            io.stderr(`${stack}: the two loaders registered different resources:\n  ${differences.join("\n  ")}\n`);
        } else {
            io.stdout(
                `${stack}: ${loaded.resources.length} resources, with the offline render's inputs; loaded and type-checked in ${loaded.seconds.toFixed(1)} s\n`,
            );
        }
    }
    return failed ? 1 : 0;
};

if (require.main === module) runMain(pulumiLoadMain);

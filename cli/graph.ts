/**
 * `npm run graph -- [--catalogue FILE] [--format mermaid|dot] [--readme]`: the promotion pipeline of every
 * application, drawn from the same core that builds the Warehouses and Stages. `--readme` rewrites the
 * diagram in README.md.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { GRAPH_FORMATS, pipelineGraph, type GraphFormat } from "../core/review/graph";
import { loadCatalogue } from "../core/plan/loadStack";
import type { HubSettings } from "../core/input/settings";
import { planHub } from "../core/plan/stackPlan";
import { parseCommandLine, runMain, UsageError, usageLine, type Command, type CommandMain } from "./args";
import { PROJECT_ROOT, readStackSettings } from "../core/plan/stackFiles";

export const GRAPH_COMMAND = {
    name: "npm run graph --",
    summary: "Draws every application's promotion pipeline (Warehouses, Stages, auto and manual edges) with the prod stack's shards.",
    flags: {
        catalogue: { type: "string", value: "FILE", help: "draw this catalogue instead of the shipped one" },
        format: { type: "string", value: "mermaid|dot", default: "mermaid", help: "output format" },
        readme: { type: "boolean", help: "rewrite the diagram in README.md (shipped catalogue, mermaid)" },
    },
} as const satisfies Command;
export const README_START = "<!-- pipeline-graph:start (npm run graph -- --readme) -->";
export const README_END = "<!-- pipeline-graph:end -->";
const HUB_STACK = "prod";

/** The graph of a catalogue, with the pipelines the hub stack's plan builds. */
export async function graphOf(format: GraphFormat, catalogueFile?: string): Promise<string> {
    const settings = readStackSettings(HUB_STACK) as HubSettings;
    const catalogue = loadCatalogue(catalogueFile === undefined ? settings : { ...settings, catalogue: catalogueFile }, PROJECT_ROOT);
    const plan = planHub(settings, catalogue);
    return pipelineGraph(
        plan.project.pipelines.map(({ pipeline }) => pipeline),
        format,
        settings.autoPromotedEnvironments,
    );
}

/** README.md with the block between the markers replaced by `graph` in a mermaid fence. */
export function withReadmeGraph(readme: string, graph: string): string {
    const start = readme.indexOf(README_START);
    const end = readme.indexOf(README_END);
    if (start === -1 || end < start) throw new Error(`README.md has no ${README_START} … ${README_END} block`);
    return `${readme.slice(0, start + README_START.length)}\n\`\`\`mermaid\n${graph}\`\`\`\n${readme.slice(end)}`;
}

export const graphMain: CommandMain = async (argv, io) => {
    const args = parseCommandLine(GRAPH_COMMAND, argv);
    const format = args.format as GraphFormat;
    if (!GRAPH_FORMATS.includes(format))
        throw new UsageError(`--format must be one of ${GRAPH_FORMATS.join(", ")}, got "${args.format}"\nusage: ${usageLine(GRAPH_COMMAND)}`);
    if (args.readme && (format !== "mermaid" || args.catalogue))
        throw new UsageError("--readme draws the shipped catalogue in mermaid; drop --format and --catalogue");
    const catalogue = args.catalogue && path.resolve(process.env.INIT_CWD ?? process.cwd(), args.catalogue);
    const graph = await graphOf(format, catalogue);
    if (args.readme) {
        const readmePath = path.join(PROJECT_ROOT, "README.md");
        writeFileSync(readmePath, withReadmeGraph(readFileSync(readmePath, "utf8"), graph));
        io.stdout("updated the pipeline graph in README.md\n");
    } else {
        io.stdout(graph);
    }
    return 0;
};

if (require.main === module) runMain(graphMain);

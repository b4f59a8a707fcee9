/**
 * `npm run graph -- [--catalogue FILE] [--format mermaid|dot] [--docs]`: the promotion pipeline of every
 * application, drawn from the same core that builds the Warehouses and Stages. `--docs` rewrites the
 * diagram in docs/design.md.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { GRAPH_FORMATS, pipelineGraph, type GraphFormat } from "../core/review/graph";
import { loadCatalogue } from "../core/plan/loadStack";
import type { HubSettings } from "../core/input/settings";
import { planHub } from "../core/plan/stackPlan";
import { parseCommandLine, runMain, UsageError, usageLine, type Command, type CommandMain } from "./args";
import { PROJECT_ROOT, readStackSettings } from "../core/plan/stackFiles";

/** The page that shows the shipped catalogue's pipeline, between GRAPH_START and GRAPH_END. */
export const GRAPH_DOC = "docs/design.md";

export const GRAPH_COMMAND = {
    name: "npm run graph --",
    summary: "Draws every application's promotion pipeline (Warehouses, Stages, auto and manual edges) with the prod stack's shards.",
    flags: {
        catalogue: { type: "string", value: "FILE", help: "draw this catalogue instead of the shipped one" },
        format: { type: "string", value: "mermaid|dot", default: "mermaid", help: "output format" },
        docs: { type: "boolean", help: `rewrite the diagram in ${GRAPH_DOC} (shipped catalogue, mermaid)` },
    },
} as const satisfies Command;
export const GRAPH_START = "<!-- pipeline-graph:start (npm run graph -- --docs) -->";
export const GRAPH_END = "<!-- pipeline-graph:end -->";
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

/** `page` with the block between the markers replaced by `graph` in a mermaid fence, spaced as Prettier formats it. */
export function withGraph(page: string, graph: string): string {
    const start = page.indexOf(GRAPH_START);
    const end = page.indexOf(GRAPH_END);
    if (start === -1 || end < start) throw new Error(`${GRAPH_DOC} has no ${GRAPH_START} … ${GRAPH_END} block`);
    return `${page.slice(0, start + GRAPH_START.length)}\n\n\`\`\`mermaid\n${graph}\`\`\`\n\n${page.slice(end)}`;
}

export const graphMain: CommandMain = async (argv, io) => {
    const args = parseCommandLine(GRAPH_COMMAND, argv);
    const format = args.format as GraphFormat;
    if (!GRAPH_FORMATS.includes(format))
        throw new UsageError(`--format must be one of ${GRAPH_FORMATS.join(", ")}, got "${args.format}"\nusage: ${usageLine(GRAPH_COMMAND)}`);
    if (args.docs && (format !== "mermaid" || args.catalogue))
        throw new UsageError("--docs draws the shipped catalogue in mermaid; drop --format and --catalogue");
    const catalogue = args.catalogue && path.resolve(process.env.INIT_CWD ?? process.cwd(), args.catalogue);
    const graph = await graphOf(format, catalogue);
    if (args.docs) {
        const page = path.join(PROJECT_ROOT, GRAPH_DOC);
        writeFileSync(page, withGraph(readFileSync(page, "utf8"), graph));
        io.stdout(`updated the pipeline graph in ${GRAPH_DOC}\n`);
    } else {
        io.stdout(graph);
    }
    return 0;
};

if (require.main === module) runMain(graphMain);

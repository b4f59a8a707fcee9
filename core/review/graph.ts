/**
 * The promotion pipeline as a diagram, per application: Warehouses feed the first stage (and the dev stage),
 * stages promote to the next; each stage shows its shard and whether it promotes automatically. Mermaid for
 * docs/design.md, Graphviz dot for anything else.
 */
import type { AppPipeline, StagePlan, WarehousePlan } from "../project/pipeline";

export type GraphFormat = "mermaid" | "dot";
export const GRAPH_FORMATS: readonly GraphFormat[] = ["mermaid", "dot"];

interface Edge {
    readonly from: string;
    readonly to: string;
    /** Manual Freight (dev images) or a manual promotion. */
    readonly manual: boolean;
}

function edges(pipeline: AppPipeline, autoPromoted: (stage: StagePlan) => boolean): Edge[] {
    return pipeline.stages.flatMap((stage): Edge[] =>
        stage.upstream === undefined
            ? stage.origins.map((origin) => ({ from: origin, to: stage.name, manual: stage.isDev || !autoPromoted(stage) }))
            : [{ from: stage.upstream, to: stage.name, manual: !autoPromoted(stage) }],
    );
}

/** Node ids safe in both syntaxes; the prefix keeps names like `end` from reading as keywords. */
function id(name: string): string {
    return `n_${name.replace(/[^A-Za-z0-9]/g, "_")}`;
}

function stageLabel(stage: StagePlan): string {
    return `${stage.name}<br/>${stage.shard}`;
}

function mermaid(pipelines: readonly AppPipeline[], autoPromoted: (stage: StagePlan) => boolean): string {
    const lines = ["flowchart LR"];
    for (const pipeline of pipelines) {
        lines.push(`    subgraph ${id(pipeline.app.name)}["${pipeline.app.name}"]`, "        direction LR");
        for (const warehouse of pipeline.warehouses) lines.push(`        ${id(warehouse.name)}[("${warehouse.name}")]`);
        for (const stage of pipeline.stages) lines.push(`        ${id(stage.name)}("${stageLabel(stage)}")`);
        for (const edge of edges(pipeline, autoPromoted)) {
            lines.push(`        ${id(edge.from)} ${edge.manual ? "-. manual .->" : "-- auto -->"} ${id(edge.to)}`);
        }
        lines.push("    end");
    }
    return `${lines.join("\n")}\n`;
}

function dot(pipelines: readonly AppPipeline[], autoPromoted: (stage: StagePlan) => boolean): string {
    const lines = ["digraph promotion {", "    rankdir=LR;", '    node [fontname="Helvetica"];'];
    const warehouseNode = (warehouse: WarehousePlan) => `        ${id(warehouse.name)} [label="${warehouse.name}", shape=cylinder];`;
    for (const pipeline of pipelines) {
        lines.push(`    subgraph cluster_${id(pipeline.app.name)} {`, `        label="${pipeline.app.name}";`);
        lines.push(...pipeline.warehouses.map(warehouseNode));
        for (const stage of pipeline.stages) {
            lines.push(`        ${id(stage.name)} [label="${stage.name}\\n${stage.shard}", shape=box, style=rounded];`);
        }
        for (const edge of edges(pipeline, autoPromoted)) {
            lines.push(`        ${id(edge.from)} -> ${id(edge.to)} [label="${edge.manual ? "manual" : "auto"}"${edge.manual ? ", style=dashed" : ""}];`);
        }
        lines.push("    }");
    }
    lines.push("}");
    return `${lines.join("\n")}\n`;
}

/** `autoPromotedEnvironments`: environments whose stages Kargo promotes to automatically (ProjectConfig). */
export function pipelineGraph(pipelines: readonly AppPipeline[], format: GraphFormat, autoPromotedEnvironments: readonly string[]): string {
    const autoPromoted = (stage: StagePlan) => !stage.isDev && autoPromotedEnvironments.includes(stage.targetEnv);
    return format === "mermaid" ? mermaid(pipelines, autoPromoted) : dot(pipelines, autoPromoted);
}

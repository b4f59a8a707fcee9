/** The render's files: canonical key order, multi-document YAML and JSON, written all at once or not at all. */
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { compareText, rankIn } from "../core/kubernetes";
import type { RenderResult } from "./renderRuntime";

/** Keys a Kubernetes or Kargo reader expects first; everything else follows alphabetically. */
const LEADING_KEYS = [
    "apiVersion",
    "kind",
    "type",
    "name",
    "parent",
    "metadata",
    "namespace",
    "repoURL",
    "path",
    "uses",
    "task",
    "as",
    "if",
    "origin",
    "sources",
    "shard",
    "interval",
    "freightCreationPolicy",
    "freightCreationCriteria",
    "requestedFreight",
    "promotionTemplate",
    "vars",
    "steps",
    "config",
    "inputs",
    "spec",
];

/** Deep copy with object keys in canonical order, so output never depends on registration order. */
export function canonical(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(canonical);
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(
            Object.keys(value)
                .sort((a, b) => rankIn(LEADING_KEYS, a) - rankIn(LEADING_KEYS, b) || compareText(a, b))
                .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
        );
    }
    return value;
}

export function manifestsYaml(result: RenderResult): string {
    return result.manifests.map((object) => stringify(canonical(object), { lineWidth: 0, aliasDuplicateObjects: false })).join("---\n");
}

export function resourcesJson(result: RenderResult): string {
    return `${JSON.stringify(canonical(result.resources), null, 2)}\n`;
}

/** Writes `<outDir>/<stack>/{manifests.yaml,resources.json}` through a temporary directory and one rename. */
export function writeRender(result: RenderResult, outDir: string): string {
    const target = path.resolve(outDir, result.stack);
    mkdirSync(path.dirname(target), { recursive: true });
    const staging = mkdtempSync(path.join(path.dirname(target), `.${result.stack}-`));
    try {
        writeFileSync(path.join(staging, "manifests.yaml"), manifestsYaml(result));
        writeFileSync(path.join(staging, "resources.json"), resourcesJson(result));
        rmSync(target, { recursive: true, force: true });
        renameSync(staging, target);
    } catch (error) {
        rmSync(staging, { recursive: true, force: true });
        throw error;
    }
    return target;
}

/** "12 Stage, 9 Warehouse, …": objects per kind, for the terminal. */
export function kindSummary(result: RenderResult): string {
    const counts = new Map<string, number>();
    for (const object of result.manifests) counts.set(object.kind, (counts.get(object.kind) ?? 0) + 1);
    const kinds = [...counts.entries()].sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]));
    return kinds.map(([kind, count]) => `${count} ${kind}`).join(", ");
}

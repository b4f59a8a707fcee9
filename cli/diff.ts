/**
 * `npm run diff -- --stack <name> --base <git-ref|file> [--catalogue FILE]`: renders the stack with the base
 * catalogue and with the current one, and prints what `pulumi up` would create, change or delete.
 * Exit code 0: no change; 1: changes; 2: bad input.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { diffObjects, type FieldChange, type ObjectChange } from "../core/review/objectDiff";
import { parseCommandLine, runMain, UsageError } from "./args";
import { PROJECT_ROOT, readStackSettings, renderStack, type RenderResult } from "./renderRuntime";

const USAGE = "npm run diff -- --stack <prod|test|staging> --base <git-ref|file> [--catalogue FILE]";

/** Objects keyed the way an operator names them: `Kind namespace/name`, or `type name` for non-Kubernetes resources. */
function keyed(result: RenderResult): Map<string, unknown> {
    return new Map(
        result.resources.map((resource) => {
            const inputs = resource.inputs as { kind?: string; metadata?: { name?: string; namespace?: string } };
            const isObject = typeof inputs.kind === "string" && inputs.metadata?.name !== undefined && resource.type.startsWith("kubernetes:");
            const key = isObject
                ? `${inputs.kind} ${inputs.metadata?.namespace ? `${inputs.metadata.namespace}/` : ""}${inputs.metadata?.name}`
                : `${resource.type} ${resource.name}`;
            return [key, resource.inputs];
        }),
    );
}

function show(value: unknown): string {
    const text = JSON.stringify(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function describeField(change: FieldChange): string {
    switch (change.kind) {
        case "added":
            return `    + ${change.path}: ${show(change.after)}`;
        case "removed":
            return `    - ${change.path}: ${show(change.before)}`;
        case "changed":
            return `    ~ ${change.path}: ${show(change.before)} → ${show(change.after)}`;
    }
}

export function formatChanges(changes: readonly ObjectChange[]): string {
    const lines = changes.flatMap((change) => {
        switch (change.kind) {
            case "created":
                return [`+ ${change.key} (create)`];
            case "deleted":
                return [`- ${change.key} (delete)`];
            case "changed":
                return [`~ ${change.key} (update)`, ...change.fields.map(describeField)];
        }
    });
    const count = (kind: ObjectChange["kind"]) => changes.filter((change) => change.kind === kind).length;
    lines.push(`${count("created")} to create, ${count("changed")} to update, ${count("deleted")} to delete`);
    return `${lines.join("\n")}\n`;
}

/** The base catalogue: a file if one exists at that path, otherwise the stack's catalogue at a git revision. */
function baseCatalogue(base: string, stackCatalogue: string, dir: string): string {
    const asFile = path.resolve(process.env.INIT_CWD ?? process.cwd(), base);
    if (existsSync(asFile)) return asFile;
    const repoPath = path.relative(PROJECT_ROOT, path.resolve(PROJECT_ROOT, stackCatalogue)).split(path.sep).join("/");
    let text: string;
    try {
        text = execFileSync("git", ["show", `${base}:${repoPath}`], { cwd: PROJECT_ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    } catch (error) {
        const reason = ((error as { stderr?: string }).stderr ?? "").trim().split("\n")[0];
        throw new UsageError(`--base ${base}: neither a file nor a git revision holding ${repoPath} (${reason})`);
    }
    const file = path.join(dir, "base-catalogue.yaml");
    writeFileSync(file, text);
    return file;
}

/** Runs the diff for command-line `argv`; returns the exit code (0 no change, 1 changes) and the report. */
export async function diffCommand(argv: readonly string[]): Promise<{ code: number; report: string }> {
    const args = parseCommandLine(USAGE, { stack: { type: "string" }, base: { type: "string" }, catalogue: { type: "string" } }, [...argv]);
    if (!args.stack || !args.base) throw new UsageError(`--stack and --base are required\nusage: ${USAGE}`);
    const settings = readStackSettings(args.stack);
    if (settings.role !== "hub") throw new UsageError(`stack ${args.stack} is a shard: it has no catalogue to compare`);
    const dir = mkdtempSync(path.join(tmpdir(), "eodhp-kargo-diff-"));
    try {
        const before = await renderStack({ stack: args.stack, catalogue: baseCatalogue(args.base, settings.project.catalogueFile, dir) });
        const after = await renderStack({ stack: args.stack, catalogue: args.catalogue });
        const changes = diffObjects(keyed(before), keyed(after));
        return { code: changes.length === 0 ? 0 : 1, report: formatChanges(changes) };
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

if (require.main === module) {
    runMain(async () => {
        const { code, report } = await diffCommand(process.argv.slice(2));
        process.stdout.write(report);
        return code;
    }, 2);
}

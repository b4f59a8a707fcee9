/**
 * `npm run diff -- --stack <name> --base <git-ref|file> [--catalogue FILE]`: renders the stack as it was (the
 * catalogue and stack file at a git revision, or a base catalogue file) and as it is, and prints what
 * `pulumi up` would create, change or delete.
 * Exit code 0: no change; 1: changes or bad input (the error on stderr); 2: misuse.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { diffObjects, type FieldChange, type ObjectChange } from "../core/review/objectDiff";
import { InputError } from "../core/input/errors";
import { parseCommandLine, required, runMain, UsageError, type Command, type CommandMain } from "./args";
import { PROJECT_ROOT, readStackSettings } from "../core/plan/stackFiles";
import type { Renderer } from "./render";
import type { RenderResult } from "./renderRuntime";

export const DIFF_COMMAND = {
    name: "npm run diff --",
    summary:
        "Renders a hub stack as it was (its catalogue and stack file at a git revision, or a base catalogue file) and as it is, offline, and prints per object what would be created, updated (field by field) or deleted.",
    flags: {
        stack: { type: "string", value: "prod", help: "the hub stack to compare (required)", required: true },
        base: {
            type: "string",
            value: "GIT-REF|FILE",
            help: "before: a catalogue file, or a git revision whose catalogue and stack file are compared (required)",
            required: true,
        },
        catalogue: { type: "string", value: "FILE", help: "the catalogue after, instead of the stack's `catalogue` setting" },
    },
} as const satisfies Command;

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

/** What the base side is rendered from, and how its errors name the files taken from git. */
interface BaseSide {
    readonly catalogue: string;
    /** A project folder holding the stack's files at the git revision; undefined: today's. */
    readonly projectRoot?: string;
    /** Temporary file → `<ref>:<path>`, for error messages. */
    readonly names: ReadonlyMap<string, string>;
}

/** A file at a git revision, or git's first line of complaint. */
function gitShow(projectRoot: string, ref: string, repoPath: string): { text: string } | { reason: string } {
    try {
        return { text: execFileSync("git", ["show", `${ref}:${repoPath}`], { cwd: projectRoot, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }) };
    } catch (error) {
        return { reason: ((error as { stderr?: string }).stderr ?? "").trim().split("\n")[0] };
    }
}

/**
 * The base: a catalogue file (under today's stack files), or the project at a git revision: its catalogue and
 * its `Pulumi.<stack>.yaml`, so a change to the stack's config (a new environment or spoke) shows too.
 */
function baseSide(base: string, stack: string, stackCatalogue: string, dir: string, projectRoot: string): BaseSide {
    const asFile = path.resolve(process.env.INIT_CWD ?? process.cwd(), base);
    if (existsSync(asFile)) return { catalogue: asFile, names: new Map() };
    const repoPath = path.relative(projectRoot, path.resolve(projectRoot, stackCatalogue)).split(path.sep).join("/");
    const shown = gitShow(projectRoot, base, repoPath);
    if ("reason" in shown) throw new UsageError(`--base ${base}: neither a file nor a git revision holding ${repoPath} (${shown.reason})`);
    const catalogue = path.join(dir, "base-catalogue.yaml");
    writeFileSync(catalogue, shown.text);
    const names = new Map([[catalogue, `${base}:${repoPath}`]]);
    const stackFile = `Pulumi.${stack}.yaml`;
    // A revision from before the stack file existed: its catalogue under today's stack file.
    const stackShown = gitShow(projectRoot, base, stackFile);
    if ("reason" in stackShown) return { catalogue, names };
    copyFileSync(path.join(projectRoot, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    writeFileSync(path.join(dir, stackFile), stackShown.text);
    names.set(path.join(dir, stackFile), `${base}:${stackFile}`);
    return { catalogue, projectRoot: dir, names };
}

/** Renders the base; an input error in a file taken from git names `<ref>:<path>`, not the temporary copy. */
async function renderBase(stack: string, base: BaseSide, render: Renderer, projectRoot: string): Promise<RenderResult> {
    try {
        return await render({ stack, catalogue: base.catalogue, projectRoot: base.projectRoot ?? projectRoot });
    } catch (error) {
        if (!(error instanceof InputError)) throw error;
        const nameOf = (file: string) => base.names.get(path.resolve(base.projectRoot ?? projectRoot, file));
        throw new InputError(
            error.problems.map((problem) => {
                const named = nameOf(problem.location.file);
                return named === undefined ? problem : { ...problem, location: { ...problem.location, file: named } };
            }),
        );
    }
}

/**
 * Runs the diff for command-line `argv`; returns the exit code (0 no change, 1 changes) and the report.
 * `projectRoot`: the project (a git work tree) to diff, the one of this checkout unless a test gives another.
 */
export async function diffCommand(argv: readonly string[], render?: Renderer, projectRoot = PROJECT_ROOT): Promise<{ code: number; report: string }> {
    const args = parseCommandLine(DIFF_COMMAND, argv);
    const stack = required(DIFF_COMMAND, "stack", args.stack);
    const base = required(DIFF_COMMAND, "base", args.base);
    // Loaded only now, so --help and misuse answer without loading the Pulumi SDK and providers.
    const { renderStack } = await import("./renderRuntime");
    const renderSide = render ?? renderStack;
    const settings = readStackSettings(stack, projectRoot);
    if (settings.role !== "hub") throw new UsageError(`stack ${stack} is a shard: it has no catalogue to compare`);
    const dir = mkdtempSync(path.join(tmpdir(), "eodhp-kargo-diff-"));
    try {
        // A --base that names nothing fails at once, before any render.
        const baseFiles = baseSide(base, stack, settings.catalogue, dir, projectRoot);
        // The current catalogue next: a mistake in the user's own file fails before the base is rendered.
        const after = await renderSide({ stack, catalogue: args.catalogue, projectRoot });
        const before = await renderBase(stack, baseFiles, renderSide, projectRoot);
        const changes = diffObjects(keyed(before), keyed(after));
        return { code: changes.length === 0 ? 0 : 1, report: formatChanges(changes) };
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

/** The CLI's entry; `render` as for diffCommand. */
export function diffMain(render?: Renderer): CommandMain {
    return async (argv, io) => {
        const { code, report } = await diffCommand(argv, render);
        io.stdout(report);
        return code;
    };
}

if (require.main === module) runMain(diffMain());

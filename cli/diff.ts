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
import { formatChanges } from "../core/review/changeText";
import { diffObjects, type ObjectChange, type SecretDigests } from "../core/review/objectDiff";
import { InputError } from "../core/input/errors";
import { parseCommandLine, required, runMain, UsageError, type Command, type CommandMain } from "./args";
import { PROJECT_ROOT, readStackInput, readStackSettings } from "../core/plan/stackFiles";
import type { Renderer } from "./render";
import type { RenderResult } from "./renderRuntime";

export const DIFF_COMMAND = {
    name: "npm run diff --",
    summary:
        "Renders a stack as it was (its stack file, and the hub's catalogue, at a git revision; or, for the hub, a base catalogue file) and as it is, offline, and prints per object what would be created, updated (field by field) or deleted.",
    flags: {
        stack: { type: "string", value: "STACK", help: "the stack to compare, hub or spoke (required)", required: true },
        base: {
            type: "string",
            value: "GIT-REF|FILE",
            help: "before: a git revision whose stack file (and the hub's catalogue) are compared, or, for the hub, a catalogue file (required)",
            required: true,
        },
        catalogue: { type: "string", value: "FILE", help: "the hub's catalogue after, instead of its `catalogue` setting" },
    },
} as const satisfies Command;

/** A render's objects, and their secrets' digests, keyed the way an operator names them: `Kind namespace/name`, or `type name` for other resources. */
function keyed(result: RenderResult | undefined): { objects: Map<string, unknown>; secrets: SecretDigests } {
    const objects = new Map<string, unknown>();
    const secrets = new Map<string, Readonly<Record<string, string>>>();
    for (const resource of result?.resources ?? []) {
        const inputs = resource.inputs as { kind?: string; metadata?: { name?: string; namespace?: string } };
        const isObject = typeof inputs.kind === "string" && inputs.metadata?.name !== undefined && resource.type.startsWith("kubernetes:");
        const key = isObject
            ? `${inputs.kind} ${inputs.metadata?.namespace ? `${inputs.metadata.namespace}/` : ""}${inputs.metadata?.name}`
            : `${resource.type} ${resource.name}`;
        objects.set(key, resource.inputs);
        const digests = result?.secretDigests.get(`${resource.type}::${resource.name}`);
        if (digests) secrets.set(key, digests);
    }
    return { objects, secrets };
}

/** What the base side is rendered from, and how its errors name the files taken from git. */
interface BaseSide {
    /** The catalogue (hub only). */
    readonly catalogue?: string;
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

/** Writes the revision's `Pulumi.<stack>.yaml` (and today's Pulumi.yaml) into `dir`; false if it had none. */
function stackFileAt(base: string, stack: string, dir: string, projectRoot: string, names: Map<string, string>): boolean {
    const stackFile = `Pulumi.${stack}.yaml`;
    const shown = gitShow(projectRoot, base, stackFile);
    if ("reason" in shown) return false;
    copyFileSync(path.join(projectRoot, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    writeFileSync(path.join(dir, stackFile), shown.text);
    names.set(path.join(dir, stackFile), `${base}:${stackFile}`);
    return true;
}

/**
 * The hub's base: a catalogue file (under today's stack files), or the project at a git revision: its
 * catalogue and its `Pulumi.<stack>.yaml`, so a change to the stack's config (a new environment or spoke) shows too.
 */
function hubBase(base: string, stack: string, stackCatalogue: string, dir: string, projectRoot: string): BaseSide {
    const asFile = path.resolve(process.env.INIT_CWD ?? process.cwd(), base);
    if (existsSync(asFile)) return { catalogue: asFile, names: new Map() };
    const repoPath = path.relative(projectRoot, path.resolve(projectRoot, stackCatalogue)).split(path.sep).join("/");
    const shown = gitShow(projectRoot, base, repoPath);
    if ("reason" in shown) throw new UsageError(`--base ${base}: neither a file nor a git revision holding ${repoPath} (${shown.reason})`);
    const catalogue = path.join(dir, "base-catalogue.yaml");
    writeFileSync(catalogue, shown.text);
    const names = new Map([[catalogue, `${base}:${repoPath}`]]);
    // A revision from before the stack file existed: its catalogue under today's stack file.
    return stackFileAt(base, stack, dir, projectRoot, names) ? { catalogue, projectRoot: dir, names } : { catalogue, names };
}

/** A spoke's base: its stack file at the git revision; undefined when it had none (a stack new since). */
function shardBase(base: string, stack: string, dir: string, projectRoot: string): BaseSide | undefined {
    const revision = gitShow(projectRoot, base, "");
    if ("reason" in revision) throw new UsageError(`--base ${base}: not a git revision (${revision.reason})`);
    const names = new Map<string, string>();
    return stackFileAt(base, stack, dir, projectRoot, names) ? { projectRoot: dir, names } : undefined;
}

/**
 * The base does not pass this revision's checks (a rule this change adds, or a key it makes required): its
 * files cannot be compared, though the project as it is may render.
 */
export class BaseInputError extends InputError {}

/** Renders the base; an input error in a file taken from git names `<ref>:<path>`, not the temporary copy. */
async function renderBase(stack: string, base: BaseSide, render: Renderer, projectRoot: string): Promise<RenderResult> {
    try {
        return await render({ stack, catalogue: base.catalogue, projectRoot: base.projectRoot ?? projectRoot });
    } catch (error) {
        if (!(error instanceof InputError)) throw error;
        const nameOf = (file: string) => base.names.get(path.resolve(base.projectRoot ?? projectRoot, file));
        throw new BaseInputError(
            error.problems.map((problem) => {
                const named = nameOf(problem.location.file);
                return named === undefined ? problem : { ...problem, location: { ...problem.location, file: named } };
            }),
        );
    }
}

export interface CompareOptions {
    /** Renders one side: renderStack unless a test gives its cached renders. */
    readonly render: Renderer;
    /** The project (a git work tree) compared. */
    readonly projectRoot: string;
    /** The hub's catalogue after, instead of its `catalogue` setting. */
    readonly catalogue?: string;
}

/**
 * What `pulumi up` of `stack` would do to go from `base` (a git revision; for the hub also a catalogue file) to
 * the project as it is. The hub compares its catalogue and stack file, a spoke its stack file; a stack without
 * a file at the revision is new: everything is created. Throws UsageError for a `base` that names nothing,
 * InputError for the project's bad input and BaseInputError for the base's.
 */
export async function compareStack(stack: string, base: string, options: CompareOptions): Promise<ObjectChange[]> {
    const settings = readStackSettings(stack, options.projectRoot);
    const dir = mkdtempSync(path.join(tmpdir(), "eodhp-kargo-diff-"));
    try {
        // A --base that names nothing fails at once, before any render.
        const baseFiles =
            settings.role === "hub" ? hubBase(base, stack, settings.catalogue, dir, options.projectRoot) : shardBase(base, stack, dir, options.projectRoot);
        // The current side next: a mistake in the user's own file fails before the base is rendered.
        const after = keyed(await options.render({ stack, catalogue: options.catalogue, projectRoot: options.projectRoot }));
        const before = keyed(baseFiles && (await renderBase(stack, baseFiles, options.render, options.projectRoot)));
        return diffObjects(before.objects, after.objects, { before: before.secrets, after: after.secrets });
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

/** The renderer of the commands: the real one, loaded only when needed (so --help and misuse answer without the Pulumi SDK). */
export async function defaultRenderer(render?: Renderer): Promise<Renderer> {
    return render ?? (await import("./renderRuntime")).renderStack;
}

/**
 * Runs the diff for command-line `argv`; returns the exit code (0 no change, 1 changes) and the report.
 * `projectRoot`: the project (a git work tree) to diff, the one of this checkout unless a test gives another.
 */
export async function diffCommand(argv: readonly string[], render?: Renderer, projectRoot = PROJECT_ROOT): Promise<{ code: number; report: string }> {
    const args = parseCommandLine(DIFF_COMMAND, argv);
    const stack = required(DIFF_COMMAND, "stack", args.stack);
    const base = required(DIFF_COMMAND, "base", args.base);
    if (args.catalogue !== undefined && readStackSettings(stack, projectRoot).role !== "hub")
        throw new UsageError(`stack ${stack} is a spoke: it has no catalogue; leave out --catalogue`);
    // Every problem of the stack file and the hub's catalogue at once, before anything renders.
    readStackInput({ stack, catalogue: args.catalogue, projectRoot });
    const changes = await compareStack(stack, base, { render: await defaultRenderer(render), projectRoot, catalogue: args.catalogue });
    return { code: changes.length === 0 ? 0 : 1, report: formatChanges(changes) };
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

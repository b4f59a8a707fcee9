/**
 * `npm run review -- --base <git-ref> [--repo DIR] [--stack NAME[,NAME]] [--max-chars N]`: the review of a
 * change as Markdown for a pull-request comment, offline. Every stack (each `Pulumi.<stack>.yaml`) is
 * rendered at the revision and as it is (the diff's comparison); the hub's changed pipelines are drawn; with
 * `--repo`, check-repo's findings against a deployment-repository checkout are added.
 * Exit code 0: the review printed (with or without changes); 1: it printed, and a stack does not render or
 * check-repo found errors, so the pull request's check should fail; 2: misuse (nothing printed).
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { InputError } from "../core/input/errors";
import { loadCatalogue, loadStackPlan } from "../core/plan/loadStack";
import type { HubPlan } from "../core/plan/stackPlan";
import { checkProjectStacks, PROJECT_ROOT, projectStacks, readStackConfig, readStackSettings } from "../core/plan/stackFiles";
import { GITHUB_COMMENT_LIMIT } from "../core/review/commentBudget";
import { pipelineGraph } from "../core/review/graph";
import type { ObjectChange } from "../core/review/objectDiff";
import { checkRepository } from "../core/review/repoCheck";
import { diskRepo } from "../core/review/repoFiles";
import { formatReport, lazyCatalogueSite } from "../core/review/repoFindings";
import { changedPipelines, reviewMarkdown, type RepoCheckReview, type StackReview } from "../core/review/reviewMarkdown";
import { parseCommandLine, required, runMain, UsageError, usageLine, type Command, type CommandMain } from "./args";
import { BaseInputError, compareStack, defaultRenderer } from "./diff";
import type { Renderer } from "./render";

/** Room left in the comment for each stack's `pulumi preview` summary, which the pull-request workflow appends. */
const DEFAULT_MAX_CHARS = 60_000;

export const REVIEW_COMMAND = {
    name: "npm run review --",
    summary:
        "Prints the review of a change as Markdown, offline: per stack what `pulumi up` would create (with what it carries), update (field by field) or delete compared with a git revision, the hub's changed pipelines as a Mermaid diagram, and check-repo's findings. Exit code: 0 printed, 1 printed with a stack that does not render or check-repo errors, 2 usage error.",
    flags: {
        base: { type: "string", value: "GIT-REF", required: true, help: "the revision to compare with, e.g. origin/main (required)" },
        repo: { type: "string", value: "DIR", help: "a deployment-repository checkout to run check-repo against" },
        stack: { type: "string", value: "NAME[,NAME]", help: "review only these stacks (default: every Pulumi.<stack>.yaml)" },
        "max-chars": {
            type: "string",
            value: "N",
            default: String(DEFAULT_MAX_CHARS),
            help: `longest review printed; GitHub comments hold ${GITHUB_COMMENT_LIMIT}`,
        },
    },
} as const satisfies Command;

function maxChars(value: string): number {
    const limit = Number(value);
    if (!Number.isInteger(limit) || limit < 2000 || limit > GITHUB_COMMENT_LIMIT) {
        throw new UsageError(`--max-chars must be a whole number from 2000 to ${GITHUB_COMMENT_LIMIT}, got "${value}"\nusage: ${usageLine(REVIEW_COMMAND)}`);
    }
    return limit;
}

function chosenStacks(option: string | undefined, projectRoot: string): string[] {
    const known = projectStacks(projectRoot);
    if (option === undefined) return known;
    const chosen = option.split(",").map((stack) => stack.trim());
    const unknown = chosen.filter((stack) => !known.includes(stack));
    if (unknown.length > 0) throw new UsageError(`--stack ${unknown.join(",")}: no such stack; the stacks are ${known.join(", ")}`);
    return chosen;
}

/** The hub's plan as it is (for its pipelines and check-repo), read as `pulumi up` would. */
function hubPlan(stack: string, projectRoot: string): HubPlan | undefined {
    const plan = loadStackPlan(stack, readStackConfig(stack, projectRoot).config, projectRoot);
    return plan.role === "hub" ? plan : undefined;
}

/** One stack's review; bad input on either side is reported in it, not thrown. */
async function reviewStack(stack: string, base: string, render: Renderer, projectRoot: string): Promise<StackReview> {
    let changes: ObjectChange[];
    try {
        changes = await compareStack(stack, base, { render, projectRoot });
    } catch (error) {
        if (error instanceof BaseInputError) return { stack, baseError: error.message };
        if (error instanceof InputError) return { stack, error: error.message };
        throw error;
    }
    const plan = changes.length > 0 ? hubPlan(stack, projectRoot) : undefined;
    if (plan === undefined) return { stack, changes };
    const { pipelines, removedApps } = changedPipelines(
        plan.project.name,
        plan.project.pipelines.map(({ pipeline }) => pipeline),
        changes,
    );
    const mermaid = pipelines.length === 0 ? "" : pipelineGraph(pipelines, "mermaid", plan.settings.autoPromotedEnvironments);
    return { stack, changes, ...(pipelines.length + removedApps.length > 0 ? { pipelines: { mermaid, removedApps } } : {}) };
}

/** check-repo on the hub's catalogue as it is, against the checkout; undefined without a hub. */
function repoCheck(repo: string, repoDir: string, projectRoot: string): RepoCheckReview | undefined {
    const hub = projectStacks(projectRoot).find((stack) => readStackSettings(stack, projectRoot).role === "hub");
    const plan = hub === undefined ? undefined : hubPlan(hub, projectRoot);
    if (plan === undefined) return undefined;
    const catalogue = loadCatalogue(plan.settings, projectRoot);
    const findings = checkRepository({
        catalogue,
        site: lazyCatalogueSite(catalogue.file, readFileSync(path.resolve(projectRoot, catalogue.file), "utf8")),
        shards: plan.environmentShards,
        devEnvironment: plan.settings.devEnvironment,
        repo: diskRepo(repoDir),
        gitRepoURL: plan.settings.gitRepoUrl,
    });
    return { repo, report: formatReport(findings), errors: findings.filter((finding) => finding.severity === "error").length };
}

/**
 * The review for command-line `argv`: its exit code and Markdown. `projectRoot`: the project (a git work
 * tree) reviewed; `cwd`: where relative paths are taken from.
 */
export async function reviewCommand(
    argv: readonly string[],
    render?: Renderer,
    projectRoot = PROJECT_ROOT,
    cwd = process.env.INIT_CWD ?? process.cwd(),
): Promise<{ code: number; report: string }> {
    const args = parseCommandLine(REVIEW_COMMAND, argv);
    const base = required(REVIEW_COMMAND, "base", args.base);
    const limit = maxChars(args["max-chars"] ?? String(DEFAULT_MAX_CHARS));
    const repoDir = args.repo === undefined ? undefined : path.resolve(cwd, args.repo);
    if (repoDir !== undefined && !diskRepo(repoDir).isDirectory("")) throw new UsageError(`--repo ${args.repo}: no such directory`);
    const stacks = chosenStacks(args.stack, projectRoot);
    try {
        // As render does: stack files that disagree fail here, naming both.
        checkProjectStacks(projectRoot);
    } catch (error) {
        if (!(error instanceof InputError)) throw error;
        const reviews = stacks.map((stack) => ({ stack, error: error.message }));
        return { code: 1, report: reviewMarkdown({ base, stacks: reviews, limit }) };
    }
    const renderer = await defaultRenderer(render);
    const reviews: StackReview[] = [];
    for (const stack of stacks) reviews.push(await reviewStack(stack, base, renderer, projectRoot));
    const rendered = reviews.every((review) => review.error === undefined);
    // check-repo reads the hub's catalogue: when a stack does not render, the review already says why.
    const checked = repoDir === undefined || !rendered ? undefined : repoCheck(args.repo as string, repoDir, projectRoot);
    const failed = !rendered || (checked?.errors ?? 0) > 0;
    return { code: failed ? 1 : 0, report: reviewMarkdown({ base, stacks: reviews, repoCheck: checked, limit }) };
}

/** The CLI's entry; `render` as for reviewCommand. */
export function reviewMain(render?: Renderer): CommandMain {
    return async (argv, io) => {
        const { code, report } = await reviewCommand(argv, render);
        io.stdout(report);
        return code;
    };
}

if (require.main === module) runMain(reviewMain());

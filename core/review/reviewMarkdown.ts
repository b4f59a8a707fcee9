/**
 * The review of a change as Markdown for a pull-request comment: a one-line summary per stack, then per
 * stack what changes in Kargo terms (created objects with what they carry, updates field by field,
 * deletions), the pipelines that change as a Mermaid diagram, and check-repo's findings. Pure: the command
 * (cli/review.ts) renders and compares; this only words and folds, under GitHub's comment limit.
 */
import { changeCounts, changeLines, type ChangeCounts } from "./changeText";
import { fitComment, type Block, type Part } from "./commentBudget";
import { APPLICATION_LABEL } from "../kubernetes";
import type { AppPipeline } from "../project/pipeline";
import type { ObjectChange } from "./objectDiff";

export interface StackReview {
    readonly stack: string;
    /** What `pulumi up` would do; undefined when the stack did not render (see error). */
    readonly changes?: readonly ObjectChange[];
    /** The stack's own input error, as the commands print it: it does not render. */
    readonly error?: string;
    /** The base's input error under this revision's checks: the stack renders, but cannot be compared. */
    readonly baseError?: string;
    /** The hub's pipelines that change: a Mermaid diagram of them, and the applications removed. */
    readonly pipelines?: { readonly mermaid: string; readonly removedApps: readonly string[] };
}

export interface RepoCheckReview {
    /** The checkout, as the user named it. */
    readonly repo: string;
    /** check-repo's report: one line per finding, then the counts. */
    readonly report: string;
    readonly errors: number;
}

export interface ReviewInput {
    /** The git revision compared against. */
    readonly base: string;
    readonly stacks: readonly StackReview[];
    readonly repoCheck?: RepoCheckReview;
    /** At most this many characters (GitHub comments hold 65,536). */
    readonly limit: number;
}

/** A group of changes longer than this folds into `<details>`. */
const FOLD_LINES = 25;

/** Kargo's own kinds first, in the order a reader follows a pipeline; then the rest alphabetically. */
const KIND_ORDER = ["Project", "ProjectConfig", "PromotionTask", "Warehouse", "Stage"];

function countsPhrase({ created, changed, deleted }: ChangeCounts): string {
    const parts = [
        [created, "to create"],
        [changed, "to update"],
        [deleted, "to delete"],
    ] as const;
    return parts
        .filter(([count]) => count > 0)
        .map(([count, what]) => `${count} ${what}`)
        .join(", ");
}

/** `prod: 12 to create, 1 to update; test, staging: no change` (stacks that fail: "does not render"). */
export function reviewSummary(stacks: readonly StackReview[]): string {
    const unchanged = stacks.filter((stack) => stack.changes?.length === 0).map((stack) => stack.stack);
    const entries = stacks.flatMap((stack) => {
        if (stack.changes === undefined) return [`${stack.stack}: ${stack.baseError === undefined ? "does not render" : "not compared"}`];
        return stack.changes.length === 0 ? [] : [`${stack.stack}: ${countsPhrase(changeCounts(stack.changes))}`];
    });
    return [...entries, ...(unchanged.length > 0 ? [`${unchanged.join(", ")}: no change`] : [])].join("; ");
}

/** `Warehouse eodhp/a-images` → `Warehouse`; `aws:secretsmanager/secret:Secret name` → that type. */
const kindOf = (change: ObjectChange): string => change.key.split(" ")[0];

function kindRank(kind: string): number {
    const rank = KIND_ORDER.indexOf(kind);
    return rank === -1 ? KIND_ORDER.length : rank;
}

/**
 * The pipelines (of the hub as it is) one of whose Warehouses or Stages changes, and the applications whose
 * Stages are all deleted (named by the deleted Stages' application label).
 */
export function changedPipelines(
    namespace: string,
    pipelines: readonly AppPipeline[],
    changes: readonly ObjectChange[],
): { pipelines: AppPipeline[]; removedApps: string[] } {
    const keys = new Set(changes.map((change) => change.key));
    const changed = pipelines.filter((pipeline) =>
        [...pipeline.warehouses.map(({ name }) => `Warehouse ${namespace}/${name}`), ...pipeline.stages.map(({ name }) => `Stage ${namespace}/${name}`)].some(
            (key) => keys.has(key),
        ),
    );
    const apps = new Set(pipelines.map((pipeline) => pipeline.app.name));
    const removed = changes.flatMap((change) => {
        if (change.kind !== "deleted" || kindOf(change) !== "Stage") return [];
        const app = (change.before as { metadata?: { labels?: Record<string, string> } }).metadata?.labels?.[APPLICATION_LABEL];
        return app === undefined || apps.has(app) ? [] : [app];
    });
    return { pipelines: changed, removedApps: [...new Set(removed)].sort() };
}

/** One block per kind of object that changes, folded when long. */
function changeBlocks(stack: string, base: string, changes: readonly ObjectChange[]): Block[] {
    const kinds = [...new Set(changes.map(kindOf))].sort((a, b) => kindRank(a) - kindRank(b) || (a < b ? -1 : a > b ? 1 : 0));
    return kinds.map((kind) => {
        const ofKind = changes.filter((change) => kindOf(change) === kind);
        const lines = ofKind.flatMap(changeLines);
        const title = `${kind}: ${countsPhrase(changeCounts(ofKind))}`;
        const folded = lines.length > FOLD_LINES;
        return {
            title: `${stack}: ${title}`,
            head: folded ? `<details><summary><b>${title}</b> (${lines.length} lines)</summary>\n\n` : `**${title}**\n\n`,
            language: "diff",
            lines,
            tail: folded ? "\n</details>\n\n" : "\n",
            whereAll: `\`npm run diff -- --stack ${stack} --base ${base}\` prints them all`,
        };
    });
}

function stackParts(stack: StackReview, base: string): Part[] {
    if (stack.changes === undefined) {
        const heading =
            stack.baseError === undefined
                ? "**Does not render**: `pulumi preview` and `up` would stop here."
                : `**Not compared**: it renders, but its files at \`${base}\` do not pass this revision's checks, so \`pulumi preview\` is the review of this stack.`;
        return [
            `### ${stack.stack}\n\n${heading}\n\n`,
            {
                title: `${stack.stack}: errors`,
                head: "",
                language: "text",
                lines: (stack.error ?? stack.baseError ?? "").split("\n"),
                tail: "\n",
                whereAll: `\`npm run render -- --stack ${stack.stack}\` prints them all`,
            },
        ];
    }
    if (stack.changes.length === 0) return [];
    const parts: Part[] = [`### ${stack.stack}: ${countsPhrase(changeCounts(stack.changes))}\n\n`];
    if (stack.pipelines !== undefined) {
        const removed = stack.pipelines.removedApps;
        parts.push("#### Pipelines that change\n\n");
        if (stack.pipelines.mermaid !== "") {
            parts.push({
                title: `${stack.stack}: pipelines`,
                head: "",
                language: "mermaid",
                lines: stack.pipelines.mermaid.trimEnd().split("\n"),
                tail: "\n",
                whereAll: "`npm run graph` draws every pipeline",
            });
        }
        if (removed.length > 0) parts.push(`Removed: ${removed.map((app) => `\`${app}\``).join(", ")} (every Warehouse and Stage of it is deleted).\n\n`);
    }
    parts.push("#### Objects\n\n", ...changeBlocks(stack.stack, base, stack.changes));
    return parts;
}

function repoCheckParts(check: RepoCheckReview): Part[] {
    const lines = check.report.trimEnd().split("\n");
    const counts = lines[lines.length - 1];
    const findings = lines.slice(0, -1);
    return [
        `### check-repo against \`${check.repo}\`: ${counts}\n\n`,
        ...(findings.length === 0
            ? []
            : [
                  {
                      title: "check-repo findings",
                      head: findings.length > FOLD_LINES ? `<details><summary>${findings.length} findings</summary>\n\n` : "",
                      language: "text",
                      lines: findings,
                      tail: findings.length > FOLD_LINES ? "\n</details>\n\n" : "\n",
                      whereAll: `\`npm run check-repo -- --repo ${check.repo}\` prints them all`,
                  },
              ]),
    ];
}

/** The whole review, at most `limit` characters; what had to be cut is listed under the summary. */
export function reviewMarkdown(input: ReviewInput): string {
    const head = `## Kargo review against \`${input.base}\`\n\n**${reviewSummary(input.stacks)}**\n\n`;
    const parts: Part[] = [
        head,
        ...input.stacks.flatMap((stack) => stackParts(stack, input.base)),
        ...(input.repoCheck === undefined ? [] : repoCheckParts(input.repoCheck)),
    ];
    const notice = (cuts: readonly string[]) =>
        cuts.length === 0 ? "" : `> [!NOTE]\n> Cut to fit one comment (${input.limit} characters): ${cuts.join("; ")}.\n\n`;
    // One newline at the end, inside the limit.
    return `${fitComment(parts, input.limit - 1, 1, notice).trimEnd()}\n`;
}

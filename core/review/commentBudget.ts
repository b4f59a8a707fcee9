/**
 * Fitting a Markdown review into one GitHub comment (65,536 characters at most): the review is a list of
 * parts; the fixed ones (headings, summaries) always stay, and the bodies of the blocks (object changes,
 * pipeline graphs, findings) share what is left, smallest first, so that one huge stack cannot crowd out the
 * others. A block that does not fit is cut at a line and says so; a diagram is all or nothing (half a
 * Mermaid graph does not draw). Every cut is listed, so the reader knows what the comment leaves out.
 */

/** GitHub's limit on an issue or pull-request comment's body, in characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

export interface Block {
    /** What the cut list calls it, e.g. "prod: Stage changes". */
    readonly title: string;
    /** Markdown before the fenced body (a heading, `<details><summary>…`). */
    readonly head: string;
    /** The fence's language: `diff`, `mermaid`, `text`. */
    readonly language: string;
    readonly lines: readonly string[];
    /** Markdown after the fence (`</details>`). */
    readonly tail: string;
    /** Where to see everything, said when the block is cut. */
    readonly whereAll: string;
}

/** A fixed part (text) or a block whose body may be cut. */
export type Part = string | Block;

/** A fence longer than any run of backticks in the body, so no line of it can close the fence. */
function fenceFor(lines: readonly string[]): string {
    const longest = Math.max(0, ...lines.map((line) => Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length))));
    return "`".repeat(Math.max(3, longest + 1));
}

function blockText(block: Block, lines: readonly string[], note?: string): string {
    const fence = fenceFor(lines);
    const body = lines.length === 0 ? "" : `${fence}${block.language}\n${lines.join("\n")}\n${fence}\n`;
    return `${block.head}${body}${note === undefined ? "" : `\n${note}\n`}${block.tail}`;
}

/** The longest head of `lines` whose text (one newline each) fits in `room`. */
function linesFitting(lines: readonly string[], room: number): number {
    let used = 0;
    let count = 0;
    while (count < lines.length && used + lines[count].length + 1 <= room) used += lines[count++].length + 1;
    return count;
}

/** Room kept per block for the fence and a cut note. */
const BLOCK_OVERHEAD = 400;

/**
 * The parts joined, with block bodies cut to keep the whole at most `limit` characters, and the list of
 * what was cut (empty when everything fits). `cutNotice` turns that list into the text put where
 * `noticeAt` says (an index into `parts`, before that part).
 */
export function fitComment(parts: readonly Part[], limit: number, noticeAt: number, cutNotice: (cuts: readonly string[]) => string): string {
    const whole = parts.map((part) => (typeof part === "string" ? part : blockText(part, part.lines))).join("");
    if (whole.length <= limit) return whole;
    const blocks = parts.filter((part): part is Block => typeof part !== "string");
    const fixed = parts.reduce((total, part) => total + (typeof part === "string" ? part.length : part.head.length + part.tail.length + BLOCK_OVERHEAD), 0);
    // The notice lists every block at most once; keep room for it.
    let room = limit - fixed - cutNotice(blocks.map((block) => `${block.title}: ${"x".repeat(40)}`)).length;
    const kept = new Map<Block, string>();
    const cuts: string[] = [];
    const bySize = [...blocks].sort((a, b) => a.lines.join("\n").length - b.lines.join("\n").length);
    bySize.forEach((block, index) => {
        const share = Math.max(0, Math.floor(room / (bySize.length - index)));
        const size = block.lines.join("\n").length + 1;
        const count = size <= share ? block.lines.length : block.language === "mermaid" ? 0 : linesFitting(block.lines, share);
        const lines = block.lines.slice(0, count);
        room -= lines.join("\n").length + 1;
        if (count === block.lines.length) {
            kept.set(block, blockText(block, lines));
            return;
        }
        const what = block.language === "mermaid" ? "the diagram" : `${block.lines.length - count} of ${block.lines.length} lines`;
        cuts.push(`${block.title}: ${what}`);
        kept.set(block, blockText(block, lines, `*Cut here: ${what} left out to fit one comment; ${block.whereAll}.*`));
    });
    const text = parts.map((part, index) => `${index === noticeAt ? cutNotice(cuts) : ""}${typeof part === "string" ? part : kept.get(part)}`).join("");
    // Only fixed parts beyond the limit are left (thousands of stacks): the end goes, and says so.
    const ending = "\n\n*…the rest is cut: it does not fit one comment.*\n";
    return text.length <= limit ? text : `${text.slice(0, limit - ending.length)}${ending}`;
}

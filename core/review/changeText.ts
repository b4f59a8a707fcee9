/**
 * Object changes as text, one line per fact, `diff`-style (`+` create, `-` delete, `~` update): what `npm run
 * diff` prints and what the review folds into Markdown. A long value is shown where it differs, not cut at
 * its start (two regexes differing at their end would otherwise print the same); a secret only as changed.
 */
import type { FieldChange, ObjectChange } from "./objectDiff";
import { leaves, objectContent } from "./objectContent";

/** Longest value printed whole, in characters of JSON. */
const WIDTH = 120;
/** Characters kept on each side of where two long values differ. */
const CONTEXT = 30;
/** Longest line of what a created or deleted object carries (a long CEL expression or list still shows whole). */
const CONTENT_WIDTH = 400;

function json(value: unknown): string {
    return JSON.stringify(value) ?? "undefined";
}

/** A long part's head and how much was left out. */
function shortened(text: string, width = WIDTH): string {
    return text.length <= width ? text : `${text.slice(0, width)}…(${text.length - width} more chars)`;
}

const contentLines = (object: unknown): string[] => objectContent(object).map((line) => `    ${shortened(line, CONTENT_WIDTH)}`);

/** Both values as JSON; when long, each as a window around where they differ (common prefix and suffix cut). */
export function showChange(before: unknown, after: unknown): [string, string] {
    const [b, a] = [json(before), json(after)];
    if (b.length <= WIDTH && a.length <= WIDTH) return [b, a];
    let start = 0;
    while (start < b.length && start < a.length && b[start] === a[start]) start++;
    let end = 0;
    while (end < b.length - start && end < a.length - start && b[b.length - 1 - end] === a[a.length - 1 - end]) end++;
    const window = (text: string): string => {
        const from = Math.max(0, start - CONTEXT);
        const to = Math.min(text.length, text.length - end + CONTEXT);
        const differing = shortened(text.slice(start, text.length - end));
        return `${from > 0 ? "…" : ""}${text.slice(from, start)}${differing}${text.slice(text.length - end, to)}${to < text.length ? "…" : ""}`;
    };
    return [window(b), window(a)];
}

/** An added or removed value: whole when short, else field by field (each long field shortened). */
function valueLines(sign: string, path: string, value: unknown): string[] {
    const text = json(value);
    if (text.length <= WIDTH || value === null || typeof value !== "object") return [`    ${sign} ${path}: ${shortened(text)}`];
    return leaves(value, path).map((line) => `    ${sign} ${shortened(line)}`);
}

function fieldLines(change: FieldChange): string[] {
    switch (change.kind) {
        case "added":
            return valueLines("+", change.path, change.after);
        case "removed":
            return valueLines("-", change.path, change.before);
        case "changed": {
            const [before, after] = showChange(change.before, change.after);
            return [`    ~ ${change.path}: ${before} → ${after}`];
        }
        case "secret":
            return [`    ~ ${change.path}: [secret] changed (value not shown)`];
    }
}

/** One object's change: its key, then what it carries (created, deleted) or what changes (updated). */
export function changeLines(change: ObjectChange): string[] {
    switch (change.kind) {
        case "created":
            return [`+ ${change.key} (create)`, ...contentLines(change.after)];
        case "deleted":
            return [`- ${change.key} (delete)`, ...contentLines(change.before)];
        case "changed":
            return [`~ ${change.key} (update)`, ...change.fields.flatMap(fieldLines)];
    }
}

export interface ChangeCounts {
    readonly created: number;
    readonly changed: number;
    readonly deleted: number;
}

export function changeCounts(changes: readonly ObjectChange[]): ChangeCounts {
    const count = (kind: ObjectChange["kind"]) => changes.filter((change) => change.kind === kind).length;
    return { created: count("created"), changed: count("changed"), deleted: count("deleted") };
}

/** `3 to create, 1 to update, 0 to delete`. */
export function countsText({ created, changed, deleted }: ChangeCounts): string {
    return `${created} to create, ${changed} to update, ${deleted} to delete`;
}

/** What `npm run diff` prints: every change, then the counts. */
export function formatChanges(changes: readonly ObjectChange[]): string {
    return `${[...changes.flatMap(changeLines), countsText(changeCounts(changes))].join("\n")}\n`;
}

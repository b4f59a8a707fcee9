/**
 * Errors in user input (catalogue or stack config). The message always names the file, and where known the
 * line, the entry (application or config key) and the field, so that one line tells the user what to fix.
 */
export interface InputLocation {
    /** The file the bad value came from, as the user named it. */
    readonly file: string;
    /** 1-based line in that file, where the parser knows it. */
    readonly line?: number;
    /** The entry holding the value, e.g. `application "jupyter"` or `stack "prod"`. */
    readonly entry?: string;
    /** The field path inside the entry, e.g. `images[0].constraint`. */
    readonly field?: string;
}

export class InputError extends Error {
    constructor(
        readonly location: InputLocation,
        readonly reason: string,
    ) {
        super(formatLocation(location) + reason);
        this.name = "InputError";
    }
}

function formatLocation({ file, line, entry, field }: InputLocation): string {
    const where = line === undefined ? file : `${file}:${line}`;
    return [where, entry, field].filter((part) => part !== undefined && part !== "").join(": ") + ": ";
}

/** Edit distance, for "did you mean" hints on misspelt keys. */
function editDistance(a: string, b: string): number {
    const previous = Array.from({ length: b.length + 1 }, (_, index) => index);
    for (let i = 1; i <= a.length; i++) {
        let diagonal = previous[0];
        previous[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const above = previous[j];
            previous[j] = Math.min(previous[j] + 1, previous[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
            diagonal = above;
        }
    }
    return previous[b.length];
}

/** ` (did you mean "x"?)` when a known word is close to the unknown one, else "". */
export function didYouMean(unknown: string, known: readonly string[]): string {
    const lower = unknown.toLowerCase();
    const best = known
        .map((candidate) => {
            const other = candidate.toLowerCase();
            // A truncated key ("shard" for "shardName") is as likely a slip as a typo.
            const prefix = other.startsWith(lower) || lower.startsWith(other);
            return { candidate, distance: prefix ? 1 : editDistance(lower, other) };
        })
        .sort((x, y) => x.distance - y.distance || x.candidate.localeCompare(y.candidate))[0];
    return best && best.distance <= Math.max(2, Math.floor(unknown.length / 3)) ? ` (did you mean "${best.candidate}"?)` : "";
}

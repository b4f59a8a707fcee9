/**
 * Errors in user input (catalogue or stack config). Every problem names the file, and where known the line,
 * the entry (application or config key) and the field, so that one line tells the user what to fix. All
 * problems of a run travel together in one InputError, sorted by file and line.
 */
import { distance } from "fastest-levenshtein";
import { compareText } from "../kubernetes";

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

export interface InputProblem {
    readonly location: InputLocation;
    readonly reason: string;
}

export class InputError extends Error {
    /** Sorted by file, then line; never empty. */
    readonly problems: readonly InputProblem[];

    constructor(problems: readonly InputProblem[]) {
        const sorted = [...problems].sort(compareProblems);
        super(sorted.map(formatProblem).join("\n"));
        this.name = "InputError";
        this.problems = sorted;
    }

    static at(location: InputLocation, reason: string): InputError {
        return new InputError([{ location, reason }]);
    }
}

/** Throws one InputError holding every problem, if there are any. */
export function throwIfProblems(problems: readonly InputProblem[]): void {
    if (problems.length > 0) throw new InputError(problems);
}

/** Runs `parse`, turning its InputError into problems, so that several inputs can be checked in one run. */
export function collectProblems<T>(parse: () => T, problems: InputProblem[]): T | undefined {
    try {
        return parse();
    } catch (error) {
        if (!(error instanceof InputError)) throw error;
        problems.push(...error.problems);
        return undefined;
    }
}

function compareProblems(a: InputProblem, b: InputProblem): number {
    return (
        compareText(a.location.file, b.location.file) ||
        // Problems without a line (missing keys) come after those the user can jump to.
        (a.location.line ?? Infinity) - (b.location.line ?? Infinity) ||
        compareText(formatProblem(a), formatProblem(b))
    );
}

export function formatProblem({ location, reason }: InputProblem): string {
    const { file, line, entry, field } = location;
    const where = line === undefined ? file : `${file}:${line}`;
    return `${[where, entry, field].filter((part) => part !== undefined && part !== "").join(": ")}: ${reason}`;
}

/** ` (did you mean "x"?)` when a known word is close to the unknown one, else "". */
export function didYouMean(unknown: string, known: readonly string[]): string {
    const lower = unknown.toLowerCase();
    const best = known
        .map((candidate) => {
            const other = candidate.toLowerCase();
            // A truncated key ("shard" for "shardName") is as likely a slip as a typo.
            const prefix = other.startsWith(lower) || lower.startsWith(other);
            return { candidate, distance: prefix ? 1 : distance(lower, other) };
        })
        .sort((x, y) => x.distance - y.distance || compareText(x.candidate, y.candidate))[0];
    return best && best.distance <= Math.max(2, Math.floor(unknown.length / 3)) ? ` (did you mean "${best.candidate}"?)` : "";
}

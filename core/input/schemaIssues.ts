/**
 * Turns zod's issues into our problems: one sentence per issue in the project's wording ("is required",
 * "must be true or false, got string "yes""), unknown keys with a did-you-mean hint and the allowed keys,
 * each placed at its file, line, entry and field.
 */
import { z } from "zod";
import { didYouMean, type InputLocation, type InputProblem } from "./errors";
import type { YamlPath } from "./yamlSource";

export function describeValue(value: unknown): string {
    if (value === null || value === undefined) return "nothing";
    if (Array.isArray(value)) return "a list";
    if (typeof value === "object") return "a mapping";
    return `${typeof value} ${JSON.stringify(value)}`;
}

const EXPECTED: Readonly<Record<string, string>> = {
    boolean: "true or false",
    array: "a list",
    object: "a mapping",
    record: "a mapping",
    string: "a string",
    int: "a whole number",
    number: "a number",
};

/** zod's error map: the wording of every issue that its schema did not word itself. */
export function issueMessage(issue: z.core.$ZodRawIssue): string | undefined {
    switch (issue.code) {
        case "invalid_type": {
            if (issue.input === undefined) return "is required";
            const quoteHint =
                issue.expected === "string" && ["number", "boolean"].includes(typeof issue.input)
                    ? "; quote it, since YAML reads unquoted numbers and true/false as such"
                    : "";
            return `must be ${EXPECTED[issue.expected] ?? issue.expected}, got ${describeValue(issue.input)}${quoteHint}`;
        }
        case "invalid_value":
            return `must be one of ${issue.values.map(String).join(", ")}, got ${JSON.stringify(issue.input)}`;
        case "too_small":
            return issue.origin === "string"
                ? "must not be empty"
                : issue.origin === "array"
                  ? "must not be empty"
                  : `must be at least ${String(issue.minimum)}, got ${String(issue.input)}`;
        case "too_big":
            return `must be at most ${String(issue.maximum)}, got ${String(issue.input)}`;
        default:
            return undefined;
    }
}

/** Runs a predicate from validation.ts as a zod check: its reason becomes the issue's message. */
export function satisfies<T extends z.ZodType>(schema: T, problem: (value: z.output<T>) => string | undefined): T {
    return schema.check(
        z.superRefine((value: z.output<T>, context) => {
            const reason = problem(value);
            if (reason !== undefined) context.addIssue({ code: "custom", message: reason, input: value });
        }),
    ) as T;
}

/** The keys an object schema declares at `path`, for the "allowed keys" list of an unknown-key error. */
export function declaredKeys(schema: z.ZodType, path: YamlPath): string[] {
    let node: z.core.$ZodType | undefined = schema;
    for (const part of [...path, undefined]) {
        // Unwrap modifiers until an object or array is reached.
        while (node) {
            const def: { type: string; innerType?: z.core.$ZodType; in?: z.core.$ZodType } = node._zod.def as never;
            if (def.innerType) node = def.innerType;
            else if (def.type === "pipe") node = def.in;
            else break;
        }
        if (part === undefined || !node) break;
        const def = node._zod.def as { type: string; shape?: Record<string, z.core.$ZodType>; element?: z.core.$ZodType };
        node = typeof part === "number" ? def.element : def.shape?.[part];
    }
    const shape = (node?._zod.def as { shape?: Record<string, unknown> } | undefined)?.shape;
    return shape ? Object.keys(shape) : [];
}

export interface IssuePlacement {
    /** Where the value at `path` (relative to the parsed input) lives in the file. */
    readonly locate: (path: YamlPath) => InputLocation;
    /** Where the key `key` of the mapping at `path` lives, for unknown-key problems. */
    readonly locateKey: (path: YamlPath, key: string) => InputLocation;
    /** The wording of an unknown key, e.g. for keys that belong to another stack role. */
    readonly unknownKey?: (key: string, allowed: readonly string[], path: YamlPath) => string;
}

/** One problem per issue, one per unknown key. */
export function issueProblems(schema: z.ZodType, issues: readonly z.core.$ZodIssue[], placement: IssuePlacement): InputProblem[] {
    return issues.flatMap((issue): InputProblem[] => {
        const path = issue.path.map((part) => (typeof part === "symbol" ? String(part) : part));
        if (issue.code === "unrecognized_keys") {
            const allowed = declaredKeys(schema, path);
            return issue.keys.map((key) => ({
                location: placement.locateKey(path, key),
                reason: placement.unknownKey?.(key, allowed, path) ?? `unknown key "${key}"${didYouMean(key, allowed)}; allowed keys: ${allowed.join(", ")}`,
            }));
        }
        return [{ location: placement.locate(path), reason: issue.message }];
    });
}

/**
 * Rules that zod checks and the editor's JSON Schema states too, each declared once: the check the program
 * runs and the JSON Schema keywords an editor enforces come from the same declaration here, so the editor is
 * as strict as the program wherever a rule needs neither the stack nor another entry.
 */
import { z } from "zod";
import { satisfies } from "./schemaIssues";

/** JSON Schema keywords (draft 2020-12) stating a rule for editors. */
type EditorKeywords = Readonly<Record<string, unknown>>;

/** A predicate from validation.ts as a zod check, plus the keywords that say the same in JSON Schema. */
export function rule<T extends z.ZodType>(schema: T, problem: (value: z.output<T>) => string | undefined, editor: EditorKeywords): T {
    return satisfies(schema, problem).meta(editor) as T;
}

/** A list whose entries must differ: zod reports the repeated entry, JSON Schema says `uniqueItems`. */
export function uniqueItems<T extends z.ZodArray<z.ZodType<string>>>(list: T): T {
    const checked = list.check(
        z.superRefine((values: string[], context) => {
            values.forEach((value, index) => {
                if (values.indexOf(value) !== index) context.addIssue({ code: "custom", message: `"${value}" is listed twice`, path: [index], input: value });
            });
        }),
    );
    return checked.meta({ uniqueItems: true }) as T;
}

/** Matches any of `words` in any capitalisation, spelled out since JSON Schema patterns take no flags. */
export function anyCase(words: readonly string[]): RegExp {
    const letters = (word: string) =>
        [...word].map((char) => (/[a-z]/i.test(char) ? `[${char.toUpperCase()}${char.toLowerCase()}]` : escapeRegex(char))).join("");
    return new RegExp(`^(?:${words.map(letters).join("|")})$`);
}

export function escapeRegex(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

type Fields = Record<string, unknown>;
/** Runs on malformed objects too (when), so one run reports this rule beside every other problem. */
const ALWAYS = { when: () => true } as const;
const fieldsOf = (value: unknown): Fields => (typeof value === "object" && value !== null ? (value as Fields) : {});

/**
 * One of `required` (a field, or its aliases) must be present when the string `field` matches `pattern`:
 * JSON Schema's if/then. The pattern takes no flags, since JSON Schema patterns have none.
 */
export function requiredWhen<T extends z.ZodObject>(
    object: T,
    when: { readonly field: string; readonly pattern: RegExp },
    required: readonly [string, ...string[]],
    reason: string,
): T {
    if (when.pattern.flags !== "") throw new Error(`requiredWhen: /${when.pattern.source}/${when.pattern.flags} has flags JSON Schema cannot state`);
    const checked = object.check(
        z.superRefine((value: unknown, context) => {
            const fields = fieldsOf(value);
            const trigger = fields[when.field];
            if (typeof trigger === "string" && when.pattern.test(trigger) && required.every((field) => fields[field] === undefined))
                context.addIssue({ code: "custom", message: reason, path: [required[0]], input: undefined });
        }, ALWAYS),
    );
    const then = required.length === 1 ? { required } : { anyOf: required.map((field) => ({ required: [field] })) };
    return checked.meta({ if: { properties: { [when.field]: { type: "string", pattern: when.pattern.source } }, required: [when.field] }, then }) as T;
}

/** Exactly one of two fields: missing both reports `missing` at the first, both reports `both` at the second. */
export function exactlyOneOf<T extends z.ZodObject>(object: T, [first, second]: readonly [string, string], reasons: { missing: string; both: string }): T {
    const checked = object.check(
        z.superRefine((value: unknown, context) => {
            const fields = fieldsOf(value);
            const given = [first, second].filter((field) => fields[field] !== undefined);
            if (given.length === 0) context.addIssue({ code: "custom", message: reasons.missing, path: [first], input: undefined });
            if (given.length === 2) context.addIssue({ code: "custom", message: reasons.both, path: [second], input: fields[second] });
        }, ALWAYS),
    );
    return checked.meta({ oneOf: [{ required: [first] }, { required: [second] }] }) as T;
}

/** At least one of `fields` must be a non-empty string; reported at the first. */
export function atLeastOneOf<T extends z.ZodObject>(object: T, fields: readonly [string, ...string[]], reason: string): T {
    const checked = object.check(
        z.superRefine((value: unknown, context) => {
            const given = fieldsOf(value);
            if (!fields.some((field) => typeof given[field] === "string" && given[field] !== ""))
                context.addIssue({ code: "custom", message: reason, path: [fields[0]], input: given[fields[0]] });
        }, ALWAYS),
    );
    return checked.meta({ anyOf: fields.map((field) => ({ required: [field], properties: { [field]: { minLength: 1 } } })) }) as T;
}

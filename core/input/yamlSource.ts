import { isMap, isScalar, LineCounter, parseDocument, type Document, type Node } from "yaml";
import { didYouMean, InputError } from "./errors";

export type YamlPath = ReadonlyArray<string | number>;

/**
 * A parsed YAML file that remembers where each value came from, so validation errors can name the line.
 * Parsing rejects malformed YAML and duplicate keys.
 */
export class YamlSource {
    private constructor(
        readonly file: string,
        private readonly document: Document,
        private readonly lines: LineCounter,
    ) {}

    static parse(text: string, file: string): YamlSource {
        const lines = new LineCounter();
        const document = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: true });
        const [first] = document.errors;
        if (first) {
            const line = first.linePos?.[0].line;
            const reason = first.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
            throw new InputError({ file, line }, `malformed YAML: ${reason}`);
        }
        return new YamlSource(file, document, lines);
    }

    /** The plain JavaScript value of the whole document. */
    value(): unknown {
        return this.document.toJS({ maxAliasCount: 100 });
    }

    /** 1-based line of the value (or, if absent, of the closest enclosing value) at `path`. */
    line(path: YamlPath): number | undefined {
        for (let depth = path.length; depth >= 0; depth--) {
            const node = this.document.getIn(path.slice(0, depth), true) as Node | undefined;
            const offset = node?.range?.[0];
            if (offset !== undefined) return this.lines.linePos(offset).line;
        }
        return undefined;
    }

    /** 1-based line of the key `key` in the mapping at `path` (for unknown-key errors). */
    keyLine(path: YamlPath, key: string): number | undefined {
        const map = this.document.getIn(path, true);
        if (isMap(map)) {
            const pair = map.items.find((item) => isScalar(item.key) && item.key.value === key);
            const offset = isScalar(pair?.key) ? pair?.key.range?.[0] : undefined;
            if (offset !== undefined) return this.lines.linePos(offset).line;
        }
        return this.line(path);
    }

    has(path: YamlPath): boolean {
        return this.document.hasIn(path);
    }
}

/** Reads typed fields out of one entry of a YamlSource, failing with file, line, entry and field. */
export class EntryReader {
    constructor(
        private readonly source: YamlSource,
        readonly entry: string,
        private readonly root: YamlPath,
    ) {}

    fail(relative: YamlPath, reason: string, line?: number): never {
        throw new InputError(
            {
                file: this.source.file,
                line: line ?? this.source.line([...this.root, ...relative]),
                entry: this.entry,
                field: fieldName(relative),
            },
            reason,
        );
    }

    /** Rejects keys outside `allowed`, with a did-you-mean hint for misspellings. */
    checkKeys(relative: YamlPath, value: Record<string, unknown>, allowed: readonly string[]): void {
        for (const key of Object.keys(value)) {
            if (!allowed.includes(key)) {
                this.fail(
                    [...relative, key],
                    `unknown key "${key}"${didYouMean(key, allowed)}; allowed keys: ${allowed.join(", ")}`,
                    this.source.keyLine([...this.root, ...relative], key),
                );
            }
        }
    }

    map(relative: YamlPath, value: unknown): Record<string, unknown> {
        if (value === null || typeof value !== "object" || Array.isArray(value)) {
            this.fail(relative, `must be a mapping, got ${describe(value)}`);
        }
        return value as Record<string, unknown>;
    }

    list(relative: YamlPath, value: unknown): unknown[] {
        if (!Array.isArray(value)) this.fail(relative, `must be a list, got ${describe(value)}`);
        return value;
    }

    string(relative: YamlPath, value: unknown): string {
        if (typeof value !== "string") this.fail(relative, `must be a string, got ${describe(value)}`);
        if (value.trim() === "") this.fail(relative, "must not be empty");
        return value;
    }

    /** Constraints like ^2.1.0 are often written unquoted; YAML then still yields a string, but 1.2 yields a number. */
    stringOrNumber(relative: YamlPath, value: unknown): string {
        return typeof value === "number" ? String(value) : this.string(relative, value);
    }

    boolean(relative: YamlPath, value: unknown): boolean {
        if (typeof value !== "boolean") this.fail(relative, `must be true or false, got ${describe(value)}`);
        return value;
    }

    integer(relative: YamlPath, value: unknown, min: number, max: number): number {
        if (typeof value !== "number" || !Number.isInteger(value)) {
            this.fail(relative, `must be a whole number, got ${describe(value)}`);
        }
        if (value < min || value > max) this.fail(relative, `must be between ${min} and ${max}, got ${value}`);
        return value;
    }

    stringList(relative: YamlPath, value: unknown): string[] {
        return this.list(relative, value).map((item, index) => this.string([...relative, index], item));
    }

    /** Runs a predicate from validation.ts and fails with its reason. */
    check(relative: YamlPath, problem: string | undefined): void {
        if (problem !== undefined) this.fail(relative, problem);
    }
}

function describe(value: unknown): string {
    if (value === null || value === undefined) return "nothing";
    if (Array.isArray(value)) return "a list";
    if (typeof value === "object") return "a mapping";
    return `${typeof value} ${JSON.stringify(value)}`;
}

/** `["images", 0, "constraint"]` → `images[0].constraint`. */
export function fieldName(path: YamlPath): string {
    return path.reduce<string>(
        (name, part) => (typeof part === "number" ? `${name}[${part}]` : name === "" ? part : `${name}.${part}`),
        "",
    );
}

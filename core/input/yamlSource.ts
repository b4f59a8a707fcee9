import { isMap, isScalar, LineCounter, parseDocument, type Document, type Node } from "yaml";
import { InputError } from "./errors";

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
        // An unresolved tag is only a warning to the parser, but the value it leaves is not what was written.
        const [first] = [...document.errors, ...document.warnings.filter((warning) => warning.code === "TAG_RESOLVE_FAILED")];
        if (first) {
            const line = first.linePos?.[0].line;
            const reason = first.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
            throw InputError.at({ file, line }, `malformed YAML: ${reason}${quoteHint(text.split("\n")[(line ?? 0) - 1] ?? "")}`);
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

/** What YAML makes of a plain value's first character, where that is not what a value such as `>=1.0` means. */
const INDICATORS: Readonly<Record<string, string>> = {
    ">": "a folded block",
    "|": "a literal block",
    "*": "an alias",
    "&": "an anchor",
    "!": "a tag",
    "%": "a directive",
    "@": "a reserved character",
    "`": "a reserved character",
};

/** A hint when the line's value starts with an indicator: `constraint: >=1.0` must be written `">=1.0"`. */
function quoteHint(lineText: string): string {
    const value = /(?:^\s*|:\s+|-\s+)([>|*&!%@`]\S*)/.exec(lineText)?.[1];
    return value === undefined ? "" : `; quote the value ("${value}"), since YAML reads a leading ${value[0]} as ${INDICATORS[value[0]]}`;
}

/** `["images", 0, "constraint"]` → `images[0].constraint`. */
export function fieldName(path: YamlPath): string {
    return path.reduce<string>((name, part) => (typeof part === "number" ? `${name}[${part}]` : name === "" ? part : `${name}.${part}`), "");
}

/** Test support: Go RE2 patterns (the CRDs' and Kargo's) as JavaScript RegExps, for Ajv. */

/** Characters JavaScript's `u` mode allows after a backslash as a literal (plus `-` in a class). */
const JS_ESCAPABLE = new Set("^$\\.*+?()[]{}|/");

const POSIX_CLASSES: Record<string, string> = {
    alnum: "0-9A-Za-z",
    alpha: "A-Za-z",
    ascii: "\\x00-\\x7F",
    blank: "\\t ",
    cntrl: "\\x00-\\x1F\\x7F",
    digit: "0-9",
    graph: "!-~",
    lower: "a-z",
    print: " -~",
    punct: "!-\\/:-@\\[-`{-~",
    space: "\\t\\n\\v\\f\\r ",
    upper: "A-Z",
    word: "0-9A-Za-z_",
    xdigit: "0-9A-Fa-f",
};

/**
 * Translates an RE2 (Go) pattern into an equivalent JavaScript one usable with the `u` flag.
 * RE2 accepts spellings that `u`-mode RegExp rejects: escaped punctuation such as `\_` (in the
 * ExternalSecret CRD), leading flag groups `(?i)`, `(?P<name>`, `\A`/`\z`, `\pL`, `\x{..}`,
 * `\Q..\E` and `[[:alpha:]]`.
 */
export function re2ToJs(pattern: string): { source: string; flags: string } {
    let src = pattern;
    let flags = "";
    const lead = /^\(\?([imsU]+)\)/.exec(src);
    if (lead) {
        if (lead[1].includes("U")) throw new Error(`RE2 flag U has no JavaScript equivalent: ${pattern}`);
        flags = [...new Set(lead[1])].join("");
        src = src.slice(lead[0].length);
    }

    let out = "";
    let inClass = false;
    for (let i = 0; i < src.length; i++) {
        const c = src[i];
        if (c === "\\") {
            const next = src[++i];
            if (next === undefined) throw new Error(`trailing backslash in pattern: ${pattern}`);
            if (next === "Q") {
                const end = src.indexOf("\\E", i + 1);
                const literal = src.slice(i + 1, end < 0 ? undefined : end);
                out += [...literal].map((ch) => escapeLiteral(ch, inClass)).join("");
                i = end < 0 ? src.length : end + 1;
            } else if (!inClass && next === "A") {
                out += "(?<![\\s\\S])";
            } else if (!inClass && next === "z") {
                out += "(?![\\s\\S])";
            } else if ((next === "p" || next === "P") && src[i + 1] !== "{") {
                out += `\\${next}{${src[++i]}}`;
            } else if (next === "x" && src[i + 1] === "{") {
                const end = src.indexOf("}", i);
                out += `\\u${src.slice(i + 1, end + 1)}`;
                i = end;
            } else {
                // Letters and digits are classes/escapes with the same meaning in both (\d, \w, \s, \b, \n, ...);
                // RE2 takes any other escaped character literally.
                out += /[0-9A-Za-z]/.test(next) ? `\\${next}` : escapeLiteral(next, inClass);
            }
            continue;
        }
        if (inClass) {
            if (c === "[" && src[i + 1] === ":") {
                const end = src.indexOf(":]", i + 2);
                const expansion = end < 0 ? undefined : POSIX_CLASSES[src.slice(i + 2, end)];
                if (expansion === undefined) throw new Error(`unsupported POSIX class in pattern: ${pattern}`);
                out += expansion;
                i = end + 1;
                continue;
            }
            if (c === "]") inClass = false;
            out += c;
            continue;
        }
        if (c === "[") {
            inClass = true;
            out += c;
            if (src[i + 1] === "^") out += src[++i];
            if (src[i + 1] === "]") {
                out += "\\]"; // RE2 takes a leading ']' literally; JavaScript would close the class
                i++;
            }
            continue;
        }
        if (c === "(" && src.startsWith("?P<", i + 1)) {
            out += "(?<";
            i += 3;
            continue;
        }
        out += c;
    }
    return { source: out, flags };
}

function escapeLiteral(ch: string, inClass: boolean): string {
    return JS_ESCAPABLE.has(ch) || (inClass && ch === "-") ? `\\${ch}` : ch;
}

/** Ajv's hook for building pattern RegExps; `code` only matters for standalone code generation. */
export const re2RegExp = Object.assign(
    (pattern: string, u: string): RegExp => {
        const { source, flags } = re2ToJs(pattern);
        return new RegExp(source, flags + u);
    },
    { code: "re2RegExp" },
);

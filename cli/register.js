/**
 * Loads .ts files by stripping types with Sucrase (no type check; `npm run typecheck` does that). Sucrase
 * keeps every statement on its source line, so stack traces name the right .ts file and line without
 * Node's --enable-source-maps, whose mapping of every frame @pulumi/pulumi captures (a full stack trace
 * per resource, Resource.callsites in node_modules/@pulumi/pulumi/resource.js, and one per promise in
 * runtime/debuggable.js) costs about 40% of a render. No source map either: a debugger shows each file under
 * its own path with every line where it was (only columns shift, where types were removed), and building maps
 * doubled the cost of a first load. For the offline commands and tests only: `pulumi preview`/`up` run
 * index.ts with Pulumi's own ts-node (docs/real-runs.md, "What Pulumi runs").
 *
 * Each result is kept in node_modules/.cache/eodhp-kargo-ts (or $EODHP_KARGO_TS_CACHE), named by a hash of
 * this loader, Sucrase's version, the file's path and its text: every process (each test job, each command)
 * would otherwise strip the same ~100 files again. A changed file, loader or Sucrase gets a new
 * name, so nothing stale is ever read.
 */
"use strict";
require("./leanSdk");
const { createHash } = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const CACHE_DIR = process.env.EODHP_KARGO_TS_CACHE || path.join(__dirname, "..", "node_modules", ".cache", "eodhp-kargo-ts");
const LOADER = `${fs.readFileSync(__filename, "utf8")}\0${require("sucrase/package.json").version}`;

function strippedTypes(source, filename) {
    // Required on the first miss only: a warm cache never loads the compiler.
    return require("sucrase").transform(source, {
        // "imports": CommonJS with esModuleInterop semantics, as tsconfig.json declares; `await import()` becomes require.
        transforms: ["typescript", "imports"],
        // Node 20 runs ES2022 as written; only the types are stripped.
        disableESTransforms: true,
        filePath: filename,
    }).code;
}

/** Best effort: a read-only node_modules only means the next process strips the file again. */
function keep(file, code) {
    try {
        fs.mkdirSync(CACHE_DIR, { recursive: true });
        // Written aside, then renamed: a parallel process reads the whole file or none of it.
        const partial = `${file}.${process.pid}.partial`;
        fs.writeFileSync(partial, code);
        fs.renameSync(partial, file);
    } catch {
        // not cached; nothing else depends on it
    }
}

require.extensions[".ts"] = function loadTypeScript(module, filename) {
    const source = fs.readFileSync(filename, "utf8");
    const key = createHash("sha256").update(`${LOADER}\0${filename}\0${source}`).digest("hex");
    const cached = path.join(CACHE_DIR, `${key}.js`);
    let code;
    try {
        code = fs.readFileSync(cached, "utf8");
    } catch {
        code = strippedTypes(source, filename);
        keep(cached, code);
    }
    module._compile(code, filename);
};

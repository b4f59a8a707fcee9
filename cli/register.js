/**
 * Loads .ts files by stripping types with Sucrase (no type check; `npm run typecheck` does that). Sucrase
 * keeps every statement on its source line, so stack traces name the right .ts file and line without
 * Node's --enable-source-maps, whose mapping of every frame @pulumi/pulumi captures (a full stack trace
 * per resource, Resource.callsites in node_modules/@pulumi/pulumi/resource.js, and one per promise in
 * runtime/debuggable.js) costs about 40% of a render. The inline source map still serves debuggers and
 * anyone who passes --enable-source-maps for exact columns. Why not TypeScript's transpileModule or ts-node:
 * README, "What Pulumi runs and why".
 */
"use strict";
const fs = require("node:fs");
const { transform } = require("sucrase");

require.extensions[".ts"] = function loadTypeScript(module, filename) {
    const { code, sourceMap } = transform(fs.readFileSync(filename, "utf8"), {
        // "imports": CommonJS with esModuleInterop semantics, as tsconfig.json declares; `await import()` becomes require.
        transforms: ["typescript", "imports"],
        // Node 20 runs ES2022 as written; only the types are stripped.
        disableESTransforms: true,
        filePath: filename,
        sourceMapOptions: { compiledFilename: filename },
    });
    const map = Buffer.from(JSON.stringify({ ...sourceMap, sources: [filename] })).toString("base64");
    module._compile(`${code}\n//# sourceMappingURL=data:application/json;base64,${map}`, filename);
};

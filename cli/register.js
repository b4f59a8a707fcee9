/**
 * Loads .ts files by stripping types with TypeScript's transpileModule (no type check; `npm run typecheck`
 * does that), with an inline source map that Node's own --enable-source-maps applies to stack traces.
 * Used instead of ts-node because ts-node installs a JavaScript source-map-support hook, and
 * @pulumi/pulumi reads a full stack trace for every resource it registers (Resource.callsites in
 * node_modules/@pulumi/pulumi/resource.js), which that hook maps frame by frame: see README, "What Pulumi runs".
 */
"use strict";
const fs = require("node:fs");
const ts = require("typescript");

const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, inlineSourceMap: true, inlineSources: false };

require.extensions[".ts"] = function loadTypeScript(module, filename) {
    const { outputText } = ts.transpileModule(fs.readFileSync(filename, "utf8"), { compilerOptions, fileName: filename });
    module._compile(outputText, filename);
};

/**
 * Two costs of @pulumi/pulumi that buy nothing in this program, skipped for the offline commands and the tests
 * (cli/register.js loads this first), never for `pulumi preview`/`up`, which run the SDK as shipped
 * (Pulumi.yaml preloads nothing). Each leaves the SDK's behaviour as it is; test/loader.test.ts checks both
 * against the installed SDK, and that a render registers the same with and without this file.
 *
 * 1. Start-up. runtime/index.js requires its closure serializer (runtime/closure/serializeClosure.js, which
 *    loads the whole TypeScript compiler through typescript-shim.js) and runtime/closure/codePaths.js (which
 *    loads @npmcli/arborist): about 0.7 s of the SDK's 1 s start-up here, for functions that turn JavaScript
 *    callbacks into code (@pulumi/aws Lambda callbacks, dynamic providers), which this program never calls.
 *    Each module is stood in for by one whose exports are the real module's functions (the real modules
 *    assign exactly those, `exports.<name> = <function>`), loading it on the first call.
 * 2. A stack trace per promise. runtime/debuggable.js `debuggablePromise`, which the runtime wraps around
 *    several promises of every resource, formats a stack trace into the promise's `_debugStackTrace`; the
 *    SDK reads it only in `promiseDebugString`, called only when PULUMI_DEBUG_PROMISE_LEAKS is set
 *    (`leakedPromises`, the same file). Without that variable it is captured with no frames: about a third
 *    of a warm render's time and a sixth of the test run's, and memory held by every registered resource.
 *    With it set, nothing changes.
 */
"use strict";
const Module = require("node:module");

const DEFERRED = {
    "@pulumi/pulumi/runtime/closure/serializeClosure.js": ["serializeFunction", "serializeFunctionAsync"],
    "@pulumi/pulumi/runtime/closure/codePaths.js": ["computeCodePaths", "findWorkspaceRoot", "packageArchivePath"],
};
const DEBUGGABLE = "@pulumi/pulumi/runtime/debuggable.js";

/** The installed SDK's file, or undefined where there is none (then there is nothing to change). */
function sdkFile(request) {
    try {
        return require.resolve(request);
    } catch {
        return undefined;
    }
}

function defer(filename, names) {
    if (require.cache[filename]) return;
    let real;
    const load = () => {
        if (!real) {
            delete require.cache[filename];
            real = require(filename);
        }
        return real;
    };
    const standIn = new Module(filename);
    standIn.filename = filename;
    standIn.loaded = true;
    standIn.exports = { __esModule: true };
    for (const name of names) {
        standIn.exports[name] = function deferred(...args) {
            return load()[name].apply(this, args);
        };
    }
    require.cache[filename] = standIn;
}

/** The runtime calls `debuggable_1.debuggablePromise(…)` through the module's exports, so replacing it there reaches every call. */
function withoutUnreadStacks(debuggable) {
    const capture = debuggable.debuggablePromise;
    debuggable.debuggablePromise = function debuggablePromise(promise, context) {
        if (debuggable.debugPromiseLeaks) return capture(promise, context);
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
        try {
            return capture(promise, context);
        } finally {
            Error.stackTraceLimit = limit;
        }
    };
}

for (const [request, names] of Object.entries(DEFERRED)) {
    const filename = sdkFile(request);
    if (filename) defer(filename, names);
}

// Changed as it loads, not loaded here: a command that never uses the SDK (check-repo) must not pay its 0.2 s.
const debuggableFile = sdkFile(DEBUGGABLE);
if (debuggableFile && !require.cache[debuggableFile]) {
    const loadJavaScript = Module._extensions[".js"];
    const loadWatchingForDebuggable = (module, filename) => {
        loadJavaScript(module, filename);
        if (filename !== debuggableFile) return;
        // Done: hand loading back (unless another hook has wrapped this one since).
        if (Module._extensions[".js"] === loadWatchingForDebuggable) Module._extensions[".js"] = loadJavaScript;
        withoutUnreadStacks(module.exports);
    };
    Module._extensions[".js"] = loadWatchingForDebuggable;
}

module.exports = { DEFERRED, defer };

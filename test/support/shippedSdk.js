/**
 * Test support, preloaded into a child process: cli/register.js's .ts loader (and its cache of stripped files)
 * without cli/leanSdk.js, so the child runs @pulumi/pulumi exactly as shipped.
 */
"use strict";
const Module = require("node:module");

const lean = require.resolve("../../cli/leanSdk");
const skipped = new Module(lean);
skipped.filename = lean;
skipped.loaded = true;
require.cache[lean] = skipped;
require("../../cli/register");

#!/usr/bin/env node
"use strict";
// Runs the CLI: the compiled JavaScript in dist/ when the package has been built (as published),
// otherwise the TypeScript sources through a transpile-only require hook with an on-disk cache
// (bin/transpile-cache.js; no type check at run time, `npm run typecheck` does that).
const fs = require("fs");
const path = require("path");
const Module = require("module");

// V8's on-disk code cache (Node >= 22.1; in $NODE_COMPILE_CACHE or the temp directory): warm runs
// skip compiling @pulumi/pulumi, azure-native and the CLI itself, most of a plan's start-up time.
if (typeof Module.enableCompileCache === "function") {
    try {
        Module.enableCompileCache();
    } catch {
        // an unwritable cache only costs speed
    }
}

process.on("unhandledRejection", (err) => {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`error: ${message.split("\n")[0]}\n`);
    process.exit(2);
});

const compiled = path.join(__dirname, "..", "dist", "cli", "main.js");
let entry = compiled;
if (!fs.existsSync(compiled)) {
    require("./transpile-cache").register();
    entry = path.join(__dirname, "..", "cli", "main.ts");
}

require(entry)
    .main(process.argv.slice(2))
    .then((code) => {
        process.exitCode = code;
    });

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

const root = path.join(__dirname, "..");
const compiled = path.join(root, "dist", "cli", "main.js");
const fromSources = !fs.existsSync(compiled);

// Before `npm ci` (or with a broken install) the first require fails deep inside a module with a
// stack trace and exit 1, which CI would read as a policy violation: say it in one line, exit 2.
function missingInstall(detail) {
    process.stderr.write(
        `error: secure-azureml is not installed completely (${detail}); run \`npm ci\` in ${root}, or install the package with npm\n`,
    );
    process.exit(2);
}
for (const dependency of [
    "commander",
    "yaml",
    "@pulumi/pulumi",
    "@pulumi/policy",
    ...(fromSources ? ["typescript"] : []),
]) {
    try {
        require.resolve(dependency, { paths: [root] });
    } catch {
        missingInstall(`cannot find module '${dependency}'`);
    }
}

let cli;
try {
    if (fromSources) require("./transpile-cache").register();
    cli = require(fromSources ? path.join(root, "cli", "main.ts") : compiled);
} catch (err) {
    if (err && err.code === "MODULE_NOT_FOUND") missingInstall(String(err.message).split("\n")[0]);
    throw err;
}
cli.main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
});

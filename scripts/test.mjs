// `npm test`: the type-check and the test suite (mocha, .mocharc.json) side by
// side. Neither needs the other's output, and the suite's longest file (the package test: `npm pack`,
// a fresh install, four TypeScript programs) is the longest chain of the whole run, so it starts at
// once instead of after a full `tsc`. The type-check runs at a lower priority, taking the cores the
// tests leave idle. Mocha prints as it goes and ends with the line CI reads ("N passed, N failed");
// the type-check's output is printed when it ends. Exits non-zero when either fails.
// Arguments after `npm test --` go to mocha (`npm test -- --grep journeys`).
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";

const require = createRequire(import.meta.url);

function run(script, args, { capture = false, lowPriority = false } = {}) {
    const child = spawn(process.execPath, [script, ...args], {
        stdio: ["ignore", capture ? "pipe" : "inherit", capture ? "pipe" : "inherit"],
    });
    let output = "";
    if (capture) {
        child.stdout.on("data", (d) => (output += d));
        child.stderr.on("data", (d) => (output += d));
    }
    if (lowPriority) {
        try {
            os.setPriority(child.pid, 10);
        } catch {
            // Not permitted here: it then runs at the same priority as the tests.
        }
    }
    return new Promise((resolve) => {
        child.on("error", (err) => resolve({ code: 1, output: `${output}${err.message}\n` }));
        child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
    });
}

// tsgo (TypeScript's native port) when its binary is installed for this platform: the same check in a
// sixth of tsc's CPU, which is most of what npm test waits for on two cores. tsc otherwise.
const tsgo = (() => {
    try {
        const bin = path.join(path.dirname(require.resolve("@typescript/native-preview/package.json")), "bin", "tsgo");
        require.resolve(`@typescript/native-preview-${process.platform}-${process.arch}/package.json`);
        return bin;
    } catch {
        return undefined;
    }
})();
const [checker, checkArgs] = tsgo
    ? [tsgo, ["-p", "tsconfig.tsgo.json"]]
    : [require.resolve("typescript/bin/tsc"), ["-p", "tsconfig.json", "--noEmit"]];
const typecheck = run(checker, checkArgs, { capture: true, lowPriority: true }).then((result) => {
    if (result.code !== 0)
        process.stderr.write(`typecheck (${tsgo ? "tsgo" : "tsc"} ${checkArgs.join(" ")}) failed:\n${result.output}`);
    return result.code;
});
const mocha = run(require.resolve("mocha/bin/mocha.js"), process.argv.slice(2));

const [typecheckCode, mochaResult] = await Promise.all([typecheck, mocha]);
if (typecheckCode !== 0) process.stderr.write("npm test: the typecheck failed (its errors are above)\n");
process.exitCode = typecheckCode !== 0 || mochaResult.code !== 0 ? 1 : 0;

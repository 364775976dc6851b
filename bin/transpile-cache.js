"use strict";
// A `.ts` require hook for running the sources without a build: each file is transpiled with
// TypeScript's `transpileModule` (no type check; `npm run typecheck` does that) and the JavaScript
// is cached on disk, keyed by a hash of the source, the TypeScript version and the options. A warm
// run loads no compiler at all, which is most of the cost of ts-node for a CLI run.
const crypto = require("crypto");
const fs = require("fs");
const os = require("os");
const path = require("path");

const root = path.resolve(__dirname, "..");
const compilerOptions = {
    target: "ES2022",
    module: "commonjs",
    esModuleInterop: true,
    resolveJsonModule: true,
    sourceMap: false,
};

let ts;
let tsVersion;
// Where `typescript` is looked for: this package, then (for a consumer's program, see
// cli/consumer-program.ts) the directories `register` is given.
const typescriptPaths = [root];
function typescriptVersion() {
    if (tsVersion === undefined) {
        try {
            tsVersion = JSON.parse(
                fs.readFileSync(require.resolve("typescript/package.json", { paths: typescriptPaths }), "utf8"),
            ).version;
        } catch {
            tsVersion = "unknown";
        }
    }
    return tsVersion;
}

function cacheDir() {
    for (const dir of [
        path.join(root, "node_modules", ".cache", "secure-azureml-ts"),
        path.join(os.tmpdir(), `secure-azureml-ts-${os.userInfo().uid}`),
    ]) {
        try {
            fs.mkdirSync(dir, { recursive: true });
            fs.accessSync(dir, fs.constants.W_OK);
            return dir;
        } catch {
            // try the next one
        }
    }
    return undefined;
}

function transpile(source, filename, dir) {
    const key = crypto
        .createHash("sha256")
        .update(`${typescriptVersion()}\0${JSON.stringify(compilerOptions)}\0${filename}\0${source}`)
        .digest("hex");
    const cached = dir && path.join(dir, `${key}.js`);
    if (cached) {
        try {
            return fs.readFileSync(cached, "utf8");
        } catch {
            // not cached yet
        }
    }
    ts = ts || require(require.resolve("typescript", { paths: typescriptPaths }));
    const options = ts.convertCompilerOptionsFromJson(compilerOptions, root).options;
    const output = ts.transpileModule(source, {
        fileName: filename,
        compilerOptions: options,
        reportDiagnostics: false,
    }).outputText;
    if (cached) {
        const temporary = `${cached}.${process.pid}.tmp`;
        try {
            fs.writeFileSync(temporary, output);
            fs.renameSync(temporary, cached);
        } catch {
            // a read-only cache only costs speed
        }
    }
    return output;
}

function register(searchPaths = []) {
    typescriptPaths.push(...searchPaths);
    const dir = cacheDir();
    const previous = require.extensions[".ts"];
    require.extensions[".ts"] = function (module, filename) {
        if (filename.includes(`${path.sep}node_modules${path.sep}`) && previous) return previous(module, filename);
        module._compile(transpile(fs.readFileSync(filename, "utf8"), filename, dir), filename);
    };
}

module.exports = { register };

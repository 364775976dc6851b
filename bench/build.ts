import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

/**
 * Compiles the sources the benchmark runs into the layout the published package has (`dist/…` beside
 * `bin/secure-azureml.js`), under `node_modules/.cache/secure-azureml-bench/`, so every timed child runs
 * compiled JavaScript as `npx secure-azureml plan` does after `npm run build`, and none pays for
 * ts-node. The repository's own `dist/` is not touched: writing it would make `bin/secure-azureml.js`
 * switch from the sources to a snapshot for everyone working in the tree.
 *
 * Files are transpiled one by one (`ts.transpileModule`, what ts-node's transpile-only mode does), not
 * type-checked: `npm run typecheck` does that. Module resolution from the cache climbs to the
 * repository's node_modules, and `cli/main.ts` finds Pulumi.yaml and stacks/ by climbing from `dist/`.
 */

export const repoRoot = path.resolve(__dirname, "..");
export const cacheRoot = path.join(repoRoot, "node_modules", ".cache", "secure-azureml-bench");

/** What the compiled tree holds: the package's sources, the stack program and the benchmark itself. */
const sourceDirs = ["components", "policy", "cli", "stacks", "bench"];
const skip = new Set(["node_modules", "dist", "test"]);

export interface Build {
    /** The bin shim, as the published package lays it out (`bin/` beside `dist/`). */
    bin: string;
    /** `dist/` of the compiled tree. */
    dist: string;
    files: number;
    ms: number;
}

export function buildCompiledTree(): Build {
    const started = performance.now();
    const dist = path.join(cacheRoot, "dist");
    fs.rmSync(cacheRoot, { recursive: true, force: true });
    const options = compilerOptions();
    let files = 0;
    for (const dir of sourceDirs) {
        for (const file of walk(path.join(repoRoot, dir))) {
            const rel = path.relative(repoRoot, file);
            if (rel === path.join("policy", "index.ts")) continue; // `new PolicyPack` starts a gRPC server
            const out = path.join(dist, rel);
            fs.mkdirSync(path.dirname(out), { recursive: true });
            if (file.endsWith(".ts") && !file.endsWith(".d.ts")) {
                const source = fs.readFileSync(file, "utf8");
                const { outputText } = ts.transpileModule(source, { compilerOptions: options, fileName: file });
                fs.writeFileSync(out.replace(/\.ts$/, ".js"), outputText);
                files++;
            } else if (!file.endsWith(".d.ts")) {
                fs.copyFileSync(file, out); // JSON, YAML and plain JS that code may load at run time
            }
        }
    }
    const bin = path.join(cacheRoot, "bin", "secure-azureml.js");
    fs.mkdirSync(path.dirname(bin), { recursive: true });
    fs.copyFileSync(path.join(repoRoot, "bin", "secure-azureml.js"), bin);
    return { bin, dist, files, ms: performance.now() - started };
}

function compilerOptions(): ts.CompilerOptions {
    const parsed = ts.getParsedCommandLineOfConfigFile(
        path.join(repoRoot, "tsconfig.build.json"),
        {},
        {
            ...ts.sys,
            onUnRecoverableConfigFileDiagnostic: (d) => {
                throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
            },
        },
    );
    if (!parsed) throw new Error("cannot read tsconfig.build.json");
    return { ...parsed.options, sourceMap: false, inlineSourceMap: false, declaration: false, noEmit: false };
}

function* walk(dir: string): Generator<string> {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        if (skip.has(entry.name) || entry.name.startsWith(".")) continue;
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) yield* walk(full);
        else if (entry.isFile()) yield full;
    }
}

import * as fs from "fs";
import Module from "module";
import * as path from "path";
import { UsageError, oneLine } from "./errors";
import { Project, isRecord, readYamlFile } from "./project";
import { typeCheckProgram } from "./typecheck";

/**
 * `plan` in a user's own Pulumi project: the program Pulumi.yaml names, run the way Pulumi's Node.js
 * language host runs it (pulumi/pulumi sdk/nodejs/cmd/run/run.ts): `main` is a file, or a directory
 * whose package.json `main` (else `index.js`/`index.ts`) is the entry; the module's exports are the
 * stack outputs, and a module that exports a function is called and its result is the outputs.
 *
 * The program's `@pulumi/pulumi` (and every package's, azure-native's included) is resolved to the
 * copy this CLI runs the recording engine with: the SDK keeps the engine connection in module state,
 * so a second copy would try to reach a real engine.
 */

/** This package's root (cli/ from the sources, dist/cli/ once built). */
export function packageRoot(): string {
    // The nearest package.json named secure-azureml above this file: one level up from the sources
    // (cli/), two from the published build (dist/cli/), more from the benchmark's compiled copy
    // (node_modules/.cache/secure-azureml-bench/dist/cli/, which has no package.json of its own).
    for (let dir = path.resolve(__dirname, ".."); ; dir = path.dirname(dir)) {
        try {
            if (JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).name === "secure-azureml")
                return dir;
        } catch {
            // not here
        }
        if (path.dirname(dir) === dir) return path.resolve(__dirname, "..");
    }
}

/** Whether `project` is this package's own example project (Pulumi.yaml at the package root). */
export function isExampleProject(project: Project): boolean {
    return path.resolve(project.root) === packageRoot();
}

/** The file Pulumi's Node.js host would load for the project's program. */
export function programEntry(project: Project): string {
    const doc = readYamlFile(path.join(project.root, "Pulumi.yaml"));
    const runtime = isRecord(doc) ? (isRecord(doc.runtime) ? doc.runtime.name : doc.runtime) : undefined;
    if (runtime !== "nodejs") {
        throw new UsageError(
            `${path.join(project.root, "Pulumi.yaml")}: runtime ${JSON.stringify(runtime)}: an offline plan renders Node.js programs only; audit a \`pulumi preview --show-sames --json\` of it instead`,
        );
    }
    const main = isRecord(doc) && typeof doc.main === "string" ? doc.main : ".";
    const target = path.resolve(project.root, main);
    if (!fs.existsSync(target)) throw new UsageError(`${project.name}: the program's main "${main}" does not exist`);
    if (!fs.statSync(target).isDirectory()) return target;
    const pkgFile = path.join(target, "package.json");
    if (fs.existsSync(pkgFile)) {
        const pkgMain = JSON.parse(fs.readFileSync(pkgFile, "utf8")).main;
        if (typeof pkgMain === "string") {
            const candidate = resolveFile(path.resolve(target, pkgMain));
            if (candidate) return candidate;
        }
    }
    const index = resolveFile(path.join(target, "index"));
    if (!index) throw new UsageError(`${project.name}: no index.ts or index.js in ${target}`);
    return index;
}

function resolveFile(base: string): string | undefined {
    return [base, `${base}.ts`, `${base}.js`].find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
}

type Resolve = (request: string, parent: unknown, ...rest: unknown[]) => string;

/** The program as a function for the recording engine: requiring its entry runs it. */
export function consumerProgram(project: Project): () => unknown {
    const entry = programEntry(project);
    if (entry.endsWith(".ts")) typeCheckProgram(project.root, entry);
    if (entry.endsWith(".ts") && !require.extensions[".ts"]) {
        try {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            require(path.join(packageRoot(), "bin", "transpile-cache.js")).register([project.root]);
        } catch (err) {
            throw new UsageError(`${entry}: cannot load a TypeScript program: ${oneLine(err)}`);
        }
    }
    shareThisSdk();
    return () => {
        // A fresh load each render, as the host runs the program once per process.
        for (const key of Object.keys(require.cache)) {
            if (key.startsWith(project.root + path.sep) && !key.includes(`${path.sep}node_modules${path.sep}`)) {
                delete require.cache[key];
            }
        }
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const exported = require(entry);
        const fn =
            typeof exported === "function"
                ? exported
                : typeof exported?.default === "function"
                  ? exported.default
                  : undefined;
        return fn ? fn() : exported;
    };
}

let shared = false;

/**
 * Resolves every `@pulumi/pulumi` request, from any package, to the copy this CLI runs. Installed for
 * the rest of the process (a CLI run): azure-native loads its modules lazily, after the program's
 * first `await` as often as not, and each of them must see the same SDK.
 */
function shareThisSdk(): void {
    if (shared) return;
    shared = true;
    const ourPulumi = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
    const loader = Module as unknown as { _resolveFilename: Resolve };
    const original = loader._resolveFilename;
    loader._resolveFilename = function (request: string, parent: unknown, ...rest: unknown[]) {
        if (request === "@pulumi/pulumi" || request.startsWith("@pulumi/pulumi/")) {
            return original.call(this, ourPulumi + request.slice("@pulumi/pulumi".length), parent, ...rest);
        }
        return original.call(this, request, parent, ...rest);
    };
}

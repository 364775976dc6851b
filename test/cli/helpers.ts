import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../cli/main";

export const repoRoot = path.resolve(__dirname, "..", "..");
export const fixture = (name: string) => path.join(repoRoot, "test", "fixtures", name);

export interface Run {
    code: number;
    stdout: string;
    stderr: string;
}

/** Runs the CLI in process, capturing what it prints. */
export async function run(argv: string[], root?: string, stdin?: NodeJS.ReadableStream): Promise<Run> {
    let stdout = "";
    let stderr = "";
    const code = await main(argv, {
        stdout: (s) => {
            stdout += s;
        },
        stderr: (s) => {
            stderr += s;
        },
        root,
        stdin,
    });
    return { code, stdout, stderr };
}

const scratchDirs: string[] = [];

/** A scratch directory removed after the test run. */
export function scratchDir(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secure-azureml-cli-"));
    if (scratchDirs.length === 0) {
        process.once("exit", () => scratchDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
    }
    scratchDirs.push(dir);
    return dir;
}

/** A project with one stack whose config file holds `text`. */
export function projectWithStack(stack: string, text: string): string {
    const dir = scratchDir();
    fs.writeFileSync(
        path.join(dir, "Pulumi.yaml"),
        "name: secure-azureml\nruntime: nodejs\nmain: stacks/\nstackConfigDir: stacks\n",
    );
    fs.mkdirSync(path.join(dir, "stacks"));
    fs.writeFileSync(path.join(dir, "stacks", `Pulumi.${stack}.yaml`), text);
    return dir;
}

/** Runs `body` with environment variables set (undefined removes one), restoring them afterwards. */
export async function withEnv<T>(vars: Record<string, string | undefined>, body: () => Promise<T>): Promise<T> {
    const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
    const apply = (values: Record<string, string | undefined>) => {
        for (const [k, v] of Object.entries(values)) {
            if (v === undefined) delete process.env[k];
            else process.env[k] = v;
        }
    };
    apply(vars);
    try {
        return await body();
    } finally {
        apply(saved);
    }
}

/** The environment npm gives one of this package's scripts run from `dir` (`npm run plan` there). */
export const npmScriptEnv = (dir: string) => ({
    INIT_CWD: dir,
    npm_lifecycle_event: "plan",
    npm_package_name: "secure-azureml",
});

import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/**
 * The policy pack as `pulumi policy publish` packs it (policy/ through `npm pack`, which builds it),
 * unpacked once per test run and shared by the tests that need it; removed when the process exits.
 * The repository's node_modules stand in for the dependencies the service installs.
 */
let unpacked: string | undefined;

export const nodeEnv = {
    ...process.env,
    PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ""}`,
};

export function packedPolicyPack(): string {
    if (unpacked) return unpacked;
    const policyDir = path.join(__dirname, "../../policy");
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "secure-azureml-policy-"));
    process.once("exit", () => fs.rmSync(tmp, { recursive: true, force: true }));
    const out = execFileSync("npm", ["pack", "--json", "--pack-destination", tmp], {
        cwd: policyDir,
        env: nodeEnv,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
    });
    const [{ filename }] = JSON.parse(out.slice(out.indexOf("["))) as { filename: string }[];
    execFileSync("tar", ["-xzf", path.join(tmp, filename), "-C", tmp]);
    const dir = path.join(tmp, "package");
    fs.symlinkSync(path.join(__dirname, "../../node_modules"), path.join(dir, "node_modules"), "dir");
    unpacked = dir;
    return dir;
}

/**
 * Starts a policy pack's `main` as the Pulumi CLI does (`node <args>` in the pack's folder) and
 * resolves with the first line it prints, the analyzer's gRPC port; the process is killed after.
 */
export async function analyzerPortLine(cwd: string, args: string[]): Promise<string> {
    const child = spawn(process.execPath, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    try {
        return await new Promise<string>((resolve, reject) => {
            let text = "";
            let err = "";
            child.stdout.on("data", (d: Buffer) => {
                text += d.toString();
                if (text.includes("\n")) resolve(text.trim());
            });
            child.stderr.on("data", (d: Buffer) => (err += d.toString()));
            child.on("exit", (code) => reject(new Error(`exited ${code}: ${err}`)));
        });
    } finally {
        child.kill();
    }
}

import * as assert from "assert";
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/**
 * `pulumi policy publish` packs policy/ like `npm pack`. The tarball must be self-contained: the
 * compiled rules plus the catalogue files they import from ../components/catalog, and a `main` that
 * runs without the TypeScript sources.
 */
describe("policy pack packaging", function () {
    this.timeout(180000);
    const policyDir = path.join(__dirname, "../../policy");
    let tmp = "";
    let unpacked = "";
    const env = { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ""}` };

    before(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "secure-azureml-policy-"));
        const out = execFileSync("npm", ["pack", "--json", "--pack-destination", tmp], {
            cwd: policyDir,
            env,
            encoding: "utf8",
            stdio: ["ignore", "pipe", "pipe"],
        });
        const [{ filename }] = JSON.parse(out.slice(out.indexOf("["))) as { filename: string }[];
        execFileSync("tar", ["-xzf", path.join(tmp, filename), "-C", tmp]);
        unpacked = path.join(tmp, "package");
        // What `pulumi policy publish`'s server-side install provides: the dependencies, here the repository's.
        fs.symlinkSync(path.join(__dirname, "../../node_modules"), path.join(unpacked, "node_modules"), "dir");
    });

    after(() => {
        if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    it("contains the compiled pack and the catalogue, and no TypeScript sources", () => {
        const files = (dir: string): string[] =>
            fs
                .readdirSync(dir, { withFileTypes: true })
                .flatMap((e) =>
                    e.name === "node_modules"
                        ? []
                        : e.isDirectory()
                          ? files(path.join(dir, e.name))
                          : [path.relative(unpacked, path.join(dir, e.name))],
                );
        const all = files(unpacked);
        for (const f of [
            "package.json",
            "PulumiPolicy.yaml",
            "main.js",
            "README.md",
            "config/production.json",
            "dist/policy/index.js",
            "dist/policy/runner.js",
            "dist/policy/rules/index.js",
            "dist/components/catalog/service-tags.js",
            "dist/components/catalog/dns-zones.js",
            "dist/components/catalog/bastion.js",
            "dist/components/catalog/regions.js",
        ]) {
            assert.ok(all.includes(f), `${f} in ${all.join(", ")}`);
        }
        assert.deepStrictEqual(
            all.filter((f) => f.endsWith(".ts")),
            [],
        );
    });

    it("loads all 47 policies from the tarball alone", () => {
        const out = execFileSync(
            process.execPath,
            ["-e", "console.log(require('./dist/policy/rules').allPolicies.length)"],
            { cwd: unpacked, encoding: "utf8" },
        );
        assert.strictEqual(out.trim(), "47");
    });

    it("starts the analyzer from `main` (prints its gRPC port, as the Pulumi CLI expects)", async () => {
        const child = spawn(process.execPath, ["main.js"], { cwd: unpacked, stdio: ["ignore", "pipe", "pipe"] });
        try {
            const port = await new Promise<string>((resolve, reject) => {
                let text = "";
                child.stdout.on("data", (d: Buffer) => {
                    text += d.toString();
                    if (text.includes("\n")) resolve(text.trim());
                });
                let err = "";
                child.stderr.on("data", (d: Buffer) => {
                    err += d.toString();
                });
                child.on("exit", (code) => reject(new Error(`exited ${code}: ${err}`)));
            });
            assert.match(port, /^\d+$/);
        } finally {
            child.kill();
        }
    });
});

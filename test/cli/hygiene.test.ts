import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { fixture, repoRoot, run, scratchDir } from "./helpers";

describe("cli: hygiene", () => {
    it("names an unknown option instead of reporting the required one as missing", async () => {
        const result = await run(["plan", "--stak", "dev"]);
        assert.strictEqual(result.code, 2);
        assert.strictEqual(result.stderr, "error: unknown option '--stak'\n");
    });

    it("--version prints the package's version", async () => {
        const version = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")).version;
        const result = await run(["--version"]);
        assert.deepStrictEqual([result.code, result.stdout], [0, `${version}\n`]);
    });

    it("--json - writes only the plan JSON to stdout, and the report to stderr", async () => {
        const result = await run(["audit", fixture("small-plan.json"), "--json", "-"]);
        const plan = JSON.parse(result.stdout);
        assert.strictEqual(plan.schemaVersion, 1);
        assert.strictEqual(plan.resources.length, 8);
        assert.match(result.stderr, /^(PASS|FAIL): 8 resources, /m);
    });

    it("exits 2 with one line, not a stack trace and exit 1, when the package is not installed", () => {
        const dir = scratchDir();
        fs.mkdirSync(path.join(dir, "bin"));
        for (const f of ["secure-azureml.js", "transpile-cache.js"]) {
            fs.copyFileSync(path.join(repoRoot, "bin", f), path.join(dir, "bin", f));
        }
        const result = spawnSync(process.execPath, [path.join(dir, "bin", "secure-azureml.js"), "audit", "x.json"], {
            encoding: "utf8",
        });
        assert.strictEqual(result.status, 2);
        assert.strictEqual(
            result.stderr,
            `error: secure-azureml is not installed completely (cannot find module 'commander'); run \`npm ci\` in ${dir}, or install the package with npm\n`,
        );
    });
});

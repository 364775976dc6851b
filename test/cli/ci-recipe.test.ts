import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { repoRoot, run } from "./helpers";

/**
 * The README's CI recipe (the yaml block after `<!-- ci-recipe`) must run as written: every flag it
 * gives `secure-azureml` is one the CLI really has, every flag it gives `pulumi preview` is one Pulumi
 * documents, and the files it names exist.
 */

/**
 * `pulumi preview`'s long flags, as Pulumi documents them: pulumi/docs
 * content/docs/iac/cli/commands/pulumi_preview.md (commit 0260be48161458cd26369d73bc516947c32f8cc2),
 * generated from the CLI, plus the inherited flags of `pulumi`.
 */
const pulumiPreviewFlags = new Set([
    "--attach-debugger",
    "--config",
    "--config-file",
    "--config-path",
    "--debug",
    "--diff",
    "--expect-no-changes",
    "--help",
    "--import-file",
    "--json",
    "--message",
    "--parallel",
    "--policy-pack",
    "--policy-pack-config",
    "--refresh",
    "--replace",
    "--show-config",
    "--show-policy-remediations",
    "--show-reads",
    "--show-replacement-steps",
    "--show-sames",
    "--show-secrets",
    "--stack",
    "--suppress-outputs",
    "--suppress-permalink",
    "--suppress-progress",
    "--target",
    "--target-dependents",
    "--target-replace",
    "--color",
    "--cwd",
    "--disable-integrity-checking",
    "--emoji",
    "--fully-qualify-stack-names",
    "--logflow",
    "--logtostderr",
    "--non-interactive",
    "--profiling",
    "--tracing",
    "--verbose",
]);

function recipe(): { run: string[] } {
    const readme = fs.readFileSync(path.join(repoRoot, "README.md"), "utf8");
    const marker = readme.indexOf("<!-- ci-recipe");
    assert.ok(marker >= 0, "the README has a CI recipe");
    const block = /```yaml\n([\s\S]*?)\n```/.exec(readme.slice(marker));
    assert.ok(block, "a yaml block follows the marker");
    const workflow = parse(block[1]);
    const steps = Object.values(workflow.jobs as Record<string, { steps: { run?: string }[] }>).flatMap((j) => j.steps);
    return { run: steps.map((s) => s.run).filter((r): r is string => typeof r === "string") };
}

/** The words of a shell command up to a redirection, without the command words. */
const words = (line: string) => line.split(/\s+/).filter((w) => w !== "");
const untilRedirect = (ws: string[]) => (ws.includes(">") ? ws.slice(0, ws.indexOf(">")) : ws);

/** The long options the CLI's help lists for a command. */
async function cliFlags(command: string): Promise<Set<string>> {
    const help = await run([command, "--help"]);
    assert.strictEqual(help.code, 0);
    return new Set(help.stdout.match(/--[a-z][a-z-]*/g) ?? []);
}

function unknownFlags(ws: string[], known: Set<string>): string[] {
    return ws.filter((w) => w.startsWith("--") && !known.has(w));
}

describe("README: the CI recipe", () => {
    const { run: lines } = recipe();

    it("previews with --show-sames --json and the policy pack, and audits that very file", () => {
        const preview = lines.find((l) => l.startsWith("pulumi preview"));
        assert.ok(preview, lines.join("\n"));
        const ws = words(preview);
        for (const flag of ["--show-sames", "--json", "--policy-pack", "--policy-pack-config"])
            assert.ok(ws.includes(flag), flag);
        const output = ws[ws.indexOf(">") + 1];
        const audit = lines.find((l) => /\bsecure-azureml audit\b/.test(l));
        assert.ok(audit && words(audit).includes(output), `audit reads ${output}`);
    });

    it("gives `pulumi preview` only flags Pulumi documents, and a real pack and config", () => {
        for (const line of lines.filter((l) => l.startsWith("pulumi preview"))) {
            const ws = untilRedirect(words(line));
            assert.deepStrictEqual(unknownFlags(ws, pulumiPreviewFlags), [], line);
            const pack = ws[ws.indexOf("--policy-pack") + 1];
            assert.ok(fs.existsSync(path.join(repoRoot, pack, "PulumiPolicy.yaml")), `${pack} is a policy pack`);
            const config = ws[ws.indexOf("--policy-pack-config") + 1];
            assert.ok(fs.existsSync(path.join(repoRoot, config)), config);
        }
    });

    it("gives `secure-azureml` only flags its commands have", async () => {
        const uses = lines.filter((l) => /\bsecure-azureml\b/.test(l));
        assert.ok(uses.length > 0);
        for (const line of uses) {
            const ws = untilRedirect(words(line));
            const command = ws[ws.indexOf("secure-azureml") + 1];
            const known = await cliFlags(command);
            assert.deepStrictEqual(unknownFlags(ws, known), [], line);
            for (const w of ws.filter((x) => x.startsWith("policy/")))
                assert.ok(fs.existsSync(path.join(repoRoot, w)), w);
        }
    });

    it("would catch a misspelt flag (the check is not vacuous)", async () => {
        const known = await cliFlags("audit");
        assert.ok(known.has("--policy-config") && known.has("--json") && known.has("--allow-partial"));
        assert.deepStrictEqual(unknownFlags(["audit", "x", "--policy-confg", "y"], known), ["--policy-confg"]);
        assert.deepStrictEqual(unknownFlags(["--show-same"], pulumiPreviewFlags), ["--show-same"]);
    });
});

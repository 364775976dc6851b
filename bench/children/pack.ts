import * as fs from "fs";
import type { PlanJson } from "../../policy/plan";
import { runPack } from "../../policy/runner";
import { synthesize } from "../synthesize";

/**
 * One policy-evaluation measurement, in a fresh process: `pack <plan.json> <target> <out.json>`.
 * Synthesises a valid stack of about <target> resources from the plan (bench/synthesize.ts), then times
 * `runPack` over it (the pack's modules are loaded before the clock starts; JIT warm-up is included).
 */
async function main(): Promise<void> {
    const [planFile, target, outFile] = process.argv.slice(2);
    const plan = JSON.parse(fs.readFileSync(planFile, "utf8")) as PlanJson;
    const { resources, copies } = synthesize(plan.resources, Number(target));
    const started = performance.now();
    const violations = await runPack(resources);
    const ms = performance.now() - started;
    const byPolicy: Record<string, number> = {};
    for (const v of violations)
        byPolicy[`${v.policy} (${v.enforcementLevel})`] = (byPolicy[`${v.policy} (${v.enforcementLevel})`] ?? 0) + 1;
    fs.writeFileSync(
        outFile,
        JSON.stringify({
            resources: resources.length,
            copies,
            ms,
            mandatory: violations.filter((v) => v.enforcementLevel === "mandatory").length,
            advisory: violations.filter((v) => v.enforcementLevel === "advisory").length,
            byPolicy,
        }),
    );
}

main().catch((err) => {
    process.stderr.write(`pack benchmark failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
});

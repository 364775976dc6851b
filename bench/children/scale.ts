import * as fs from "fs";
import { render } from "../../cli/recording-engine";
import { runPack } from "../../policy/runner";
import { scaleProgram } from "../scale-program";

/**
 * One scale measurement, in a fresh process: `scale <k> <out.json>`. Renders bench/scale-program.ts
 * with k workspaces under the recording mock engine and runs the policy pack over the result; times
 * render and runPack (modules are loaded before the clock starts, so a constant import cost does not
 * flatter t(20)/t(1)).

 */
async function main(): Promise<void> {
    const [kArg, outFile] = process.argv.slice(2);
    const k = Number(kArg);
    const started = performance.now();
    const { resources } = await render(() => scaleProgram(k), { project: "secure-azureml-bench", stack: "scale" });
    const rendered = performance.now();
    const violations = await runPack(resources);
    const done = performance.now();
    fs.writeFileSync(
        outFile,
        JSON.stringify({
            k,
            resources: resources.length,
            renderMs: rendered - started,
            packMs: done - rendered,
            ms: done - started,
            mandatory: violations.filter((v) => v.enforcementLevel === "mandatory").length,
            advisory: violations.filter((v) => v.enforcementLevel === "advisory").length,
            mandatoryPolicies: [
                ...new Set(violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.policy)),
            ],
        }),
    );
}

main().catch((err) => {
    process.stderr.write(`scale benchmark failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
});

import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import { render } from "../../cli/recording-engine";
import { runPack } from "../../policy/runner";
import { scaleProgram } from "../scale-program";

/**
 * One scale measurement, in a fresh process: `scale <k> <out.json>`. Renders bench/scale-program.ts
 * with k workspaces under the recording mock engine and runs the policy pack over the result; times
 * render and runPack (modules are loaded before the clock starts, so a constant import cost does not
 * flatter t(20)/t(1)).
 *
 * With BENCH_WHATIF_RENDER_FIX=1 (the benchmark's what-if row, not what the CLI does) the two changes
 * proposed for cli/recording-engine.ts render() are applied around the same program:
 * - a stack transformation drops every resource's `aliases`: azure-native gives each resource one alias
 *   per past API version (60 for a NetworkSecurityGroup), which @pulumi/pulumi's Resource constructor
 *   turns into an Output each (resource.js collapseAliasToUrn). An offline plan never uses them.
 * - `Error.stackTraceLimit = 0` while rendering: @pulumi/pulumi's debuggablePromise
 *   (runtime/debuggable.js) formats `new Error().stack` for every promise it creates, only for leak
 *   reports. Resource.callsites raises the limit itself, so source positions are unaffected.
 */
async function main(): Promise<void> {
    const [kArg, outFile] = process.argv.slice(2);
    const k = Number(kArg);
    const started = performance.now();
    const whatIf = process.env.BENCH_WHATIF_RENDER_FIX === "1";
    const program = () => {
        if (whatIf) {
            pulumi.runtime.registerStackTransformation((a) => ({ props: a.props, opts: { ...a.opts, aliases: [] } }));
        }
        return scaleProgram(k);
    };
    const stackTraceLimit = Error.stackTraceLimit;
    if (whatIf) Error.stackTraceLimit = 0;
    const { resources } = await render(program, { project: "secure-azureml-bench", stack: "scale" });
    const rendered = performance.now();
    Error.stackTraceLimit = stackTraceLimit;
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

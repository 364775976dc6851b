import * as fs from "fs";
import type { PlanJson } from "../../policy/plan";
import { synthesize } from "../synthesize";

/**
 * Writes the large stack the benchmark audits: `large-stack <plan.json> <target> <out.json> <meta.json>`.
 * The dev plan cloned to about <target> resources (bench/synthesize.ts) as a plan JSON, the file
 * `secure-azureml audit` then reads; <meta.json> gets its resource count, clones and size in bytes.
 */
function main(): void {
    const [planFile, target, outFile, metaFile] = process.argv.slice(2);
    const plan = JSON.parse(fs.readFileSync(planFile, "utf8")) as PlanJson;
    const { resources, copies } = synthesize(plan.resources, Number(target));
    const text = JSON.stringify({
        schemaVersion: 1,
        project: plan.project,
        stack: plan.stack,
        resources,
        violations: [],
        summary: { resources: resources.length, mandatory: 0, advisory: 0 },
    });
    fs.writeFileSync(outFile, text);
    fs.writeFileSync(metaFile, JSON.stringify({ resources: resources.length, copies, bytes: Buffer.byteLength(text) }));
}

main();

import { PlanResource } from "../policy/plan";
import { UsageError } from "./errors";
import { isCheckpoint, isStackExport, readCheckpoint, readStackExport } from "./formats/deployment";
import { isPreview, readPreview } from "./formats/preview";
import { checkUniqueUrns, toPlanResource } from "./formats/resource";
import { parseUrn } from "./formats/urn";
import { isRecord } from "./project";

export { nameFromUrn } from "./formats/urn";

/**
 * The inputs `audit` accepts, each normalised to the plan JSON's resources. Each reader cites the
 * Pulumi source it follows:
 *
 * - plan JSON (`secure-azureml plan --json`): `{schemaVersion: 1, project, stack, resources: [...]}`.
 * - `pulumi stack export` (deployment versions 3 and 4) and local-backend checkpoints
 *   (`checkpoint.latest`): formats/deployment.ts.
 * - `pulumi preview --json` (the engine's PreviewDigest): formats/preview.ts, which also tells whether
 *   the preview holds the whole stack (`--show-sames`) and reports the preview's errors.
 *
 * In all of them secrets become their plaintext when the file has it, else "[secret]" (unknown to the
 * pack); resource references become their id (or URN); the stack resource is kept
 * (formats/property-values.ts).
 */

export type InputFormat = "plan" | "stack-export" | "checkpoint" | "preview";

export interface Normalised {
    format: InputFormat;
    project: string;
    stack: string;
    resources: PlanResource[];
    /** For a preview with a changeSummary: how many resources the stack holds after it (see formats/preview.ts). */
    total?: number;
    /** Errors the input itself reports (a preview's error diagnostics). */
    errors: string[];
    /** What was left out or is worth knowing, one line each. */
    notes: string[];
}

export function detectFormat(doc: unknown): InputFormat | undefined {
    if (!isRecord(doc)) return undefined;
    if (doc.schemaVersion !== undefined && Array.isArray(doc.resources)) return "plan";
    if (isCheckpoint(doc)) return "checkpoint";
    if (isStackExport(doc)) return "stack-export";
    if (isPreview(doc)) return "preview";
    return undefined;
}

export function normalise(doc: unknown, source: string): Normalised {
    const format = detectFormat(doc);
    const d = doc as Record<string, unknown>;
    switch (format) {
        case "plan":
            return fromPlan(d, source);
        case "stack-export":
        case "checkpoint": {
            const read = format === "checkpoint" ? readCheckpoint(d, source) : readStackExport(d, source);
            const names = projectAndStack(read.resources);
            return {
                format,
                project: names.project,
                stack: names.stack !== "unknown" ? names.stack : (read.stack ?? "unknown"),
                resources: read.resources,
                errors: [],
                notes: read.notes,
            };
        }
        case "preview": {
            const read = readPreview(d, source);
            return { format, ...projectAndStack(read.resources), ...read };
        }
        default:
            throw new UsageError(
                `${source}: not a plan JSON, a \`pulumi stack export\` (version 3 or 4), a Pulumi checkpoint or a \`pulumi preview --json\` file`,
            );
    }
}

function fromPlan(doc: Record<string, unknown>, source: string): Normalised {
    if (doc.schemaVersion !== 1)
        throw new UsageError(
            `${source}: plan JSON schemaVersion ${JSON.stringify(doc.schemaVersion)} is not supported (expected 1)`,
        );
    const resources = (doc.resources as unknown[]).map((r, i) => toPlanResource(r, `${source}: resources[${i}]`));
    checkUniqueUrns(resources, source);
    const fallback = projectAndStack(resources);
    return {
        format: "plan",
        project: typeof doc.project === "string" ? doc.project : fallback.project,
        stack: typeof doc.stack === "string" ? doc.stack : fallback.stack,
        resources,
        errors: [],
        notes: [],
    };
}

function projectAndStack(resources: PlanResource[]): { project: string; stack: string } {
    const first = resources.find((r) => r.type === "pulumi:pulumi:Stack") ?? resources[0];
    const parts = first && parseUrn(first.urn);
    return parts ? { project: parts.project, stack: parts.stack } : { project: "unknown", stack: "unknown" };
}

import type { PlanResource } from "../../policy/plan";
import { UsageError, oneLine } from "../errors";
import { isRecord } from "../project";
import { checkUniqueUrns, readNote, realId, toPlanResource } from "./resource";
import { requireUrn } from "./urn";

/**
 * `pulumi preview --json`: the engine's `PreviewDigest` (pulumi/pulumi sdk/pkg/display/json.go,
 * commit 6804a1e2), written by `ShowPreviewDigest` (pkg/backend/display/json.go, commit 00d498e3):
 * `{config?, steps: [{op, urn, provider?, oldState?, newState?, diffReasons?, replaceReasons?,
 * detailedDiff}], diagnostics?: [{urn?, prefix?, message?, severity?}], duration?, changeSummary?:
 * {<op>: count}, maybeCorrupt?}`; each state is an `apitype.ResourceV3`.
 *
 * What the engine means, and what this reader does with it:
 * - Steps are written only for what `shouldShow` lets through: a `same` step only with
 *   `--show-sames` (or when `protect` changed), and the root stack always. `changeSummary` counts
 *   every logical step (pkg/engine, `previewActions.OnResourceStepPost`: `if step.Logical() {
 *   Ops[op]++ }`), shown or not. So `changeSummary.same` greater than the `same` steps present means
 *   unchanged resources were left out: the file is a fragment of the stack.
 * - A new state never has an `id`: the engine fills it when the step is applied
 *   (sdk/pkg/resource/deploy/step.go: `NewSameStep`/`NewCreateStep` require `new.ID == ""`, and
 *   `SameStep.Apply` copies `old.ID`). For a resource that keeps its physical identity (`same`,
 *   `update`, `refresh`) the id is the old state's; after `replace` or `create` it is unknown.
 * - Steps that remove a resource (`delete`, `delete-replaced`, `discard`, `discard-replaced`,
 *   `remove-pending-replace`) are left out. A replacement is reported as one `replace` step, or with
 *   `--show-replacement-steps` also as `create-replacement` and `delete-replaced` steps of the same
 *   URN; the resource it leaves is the `replace`/`create-replacement` new state.
 * - Secrets are always masked as "[secret]" (`stateForJSONOutput` → `MassageSecrets(…, false)`),
 *   which the pack reads as unknown.
 * - `diagnostics` of severity `error` mean the preview failed part way; its steps stop where it failed.
 */

const removingOps = new Set(["delete", "delete-replaced", "discard", "discard-replaced", "remove-pending-replace"]);
const replacementOps = new Set([
    "replace",
    "create-replacement",
    "delete-replaced",
    "read-replacement",
    "import-replacement",
    "discard-replaced",
    "remove-pending-replace",
]);
/** Ops after which the resource is the same physical resource, so its id is the old state's. */
const keepsIdentity = new Set(["same", "update", "refresh"]);

export interface PreviewRead {
    resources: PlanResource[];
    /** Resources in the stack after the preview: those present plus the unchanged ones left out; undefined without a changeSummary. */
    total?: number;
    /** Messages of diagnostics of severity error. */
    errors: string[];
    notes: string[];
}

export function isPreview(doc: Record<string, unknown>): boolean {
    return Array.isArray(doc.steps) || (isRecord(doc.changeSummary) && !("resources" in doc));
}

export function readPreview(doc: Record<string, unknown>, source: string): PreviewRead {
    const steps = doc.steps ?? [];
    if (!Array.isArray(steps)) throw new UsageError(`${source}: "steps" must be an array`);
    const byUrn = new Map<string, { resource: PlanResource; op: string }>();
    const opsByUrn = new Map<string, string[]>();
    let sameSteps = 0;
    let external = 0;
    steps.forEach((step, i) => {
        const where = `${source}: steps[${i}]`;
        if (!isRecord(step) || typeof step.op !== "string") throw new UsageError(`${where} has no "op"`);
        const op = step.op;
        const { urn } = requireUrn(step.urn ?? (isRecord(step.newState) ? step.newState.urn : undefined), where);
        const ops = opsByUrn.get(urn) ?? [];
        if (ops.length > 0 && !(replacementOps.has(op) && ops.every((o) => replacementOps.has(o)))) {
            throw new UsageError(
                `${source}: the URN ${urn} has steps ${[...ops, op].map((o) => `"${o}"`).join(" and ")}; the engine gives a resource one step, or the steps of one replacement`,
            );
        }
        ops.push(op);
        opsByUrn.set(urn, ops);
        if (op === "same") sameSteps++;
        if (removingOps.has(op)) return;
        if (!isRecord(step.newState)) throw new UsageError(`${where}: a "${op}" step has no newState`);
        // Read with .get(): not managed by this stack, kept by its outputs as in an export (formats/deployment.ts).
        const read = step.newState.external === true || op === "read" || op === "read-replacement";
        if (read) external++;
        const oldId = isRecord(step.oldState) ? realId(step.oldState.id) : null;
        const newId = realId(step.newState.id);
        const id = newId ?? (keepsIdentity.has(op) || read ? oldId : null);
        const resource = toPlanResource(step.newState, `${where}.newState`, id, read);
        if (resource.urn !== urn) {
            throw new UsageError(`${where}: newState.urn ${resource.urn} is not the step's URN ${urn}`);
        }
        // For a replacement shown step by step, the `replace` step's new state is the one that stays.
        const previous = byUrn.get(urn);
        if (!previous || op === "replace" || previous.op !== "replace") byUrn.set(urn, { resource, op });
    });
    const resources = [...byUrn.values()].map((v) => v.resource);
    checkUniqueUrns(resources, source);

    const errors = diagnosticErrors(doc.diagnostics);
    const notes: string[] = [];
    let total: number | undefined;
    if (isRecord(doc.changeSummary)) {
        const summarySames = count(doc.changeSummary.same);
        const hidden = Math.max(0, summarySames - sameSteps);
        total = resources.length + hidden;
    }
    if (external)
        notes.push(`${external} external resource(s) (read with .get(), not managed by this stack) ${readNote}`);
    if (doc.maybeCorrupt === true) notes.push("the engine flagged this preview as possibly corrupt (maybeCorrupt)");
    return { resources, total, errors, notes };
}

function count(value: unknown): number {
    return typeof value === "number" && Number.isInteger(value) && value > 0 ? value : 0;
}

function diagnosticErrors(diagnostics: unknown): string[] {
    if (!Array.isArray(diagnostics)) return [];
    return diagnostics
        .filter((d) => isRecord(d) && d.severity === "error")
        .map((d) => {
            const r = d as Record<string, unknown>;
            const text = `${typeof r.prefix === "string" ? r.prefix : ""}${typeof r.message === "string" ? r.message : ""}`;
            const where = typeof r.urn === "string" && r.urn !== "" ? `${r.urn}: ` : "";
            return `${where}${oneLine(text.trim() || "(no message)")}`;
        });
}

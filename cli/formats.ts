import { PlanResource, unknownValue } from "../policy/plan";
import { UsageError } from "./errors";
import { isRecord } from "./project";

/**
 * The inputs `audit` accepts, each normalised to the plan JSON's resources:
 *
 * - plan JSON (`secure-azureml plan --json`): `{schemaVersion: 1, project, stack, resources: [...]}`.
 * - `pulumi stack export`, deployment version 3: `{version: 3, deployment: {manifest, resources: [{urn,
 *   type, id?, custom, parent?, dependencies?, propertyDependencies?, inputs?, outputs?, protect?,
 *   delete?, ...}], pending_operations?}}`. Resources marked `delete: true` (pending deletion) are left out.
 * - `pulumi preview --json` (the engine's PreviewDigest): `{config?, steps: [{op, urn, provider?,
 *   oldState?, newState?: {urn, type, id?, custom, parent?, dependencies?, propertyDependencies?,
 *   inputs?, outputs?, protect?, ...}, diffReasons?, detailedDiff?}], diagnostics?, duration?,
 *   changeSummary?}`. A step's `newState` is the resource as it will be; steps that remove a resource
 *   (`delete`, `delete-replaced`, `discard`, `discard-replaced`, `remove-pending-replace`) and steps
 *   without a `newState` are left out; when a URN has several steps (a replacement), the last wins.
 *   Values not known until deployment stay Pulumi's unknown sentinel; an unknown id becomes null.
 *
 * In all three, secrets become their plaintext when the file has it (`--show-secrets`), else
 * "[secret]"; resource references become their id (or URN); the stack resource is kept.
 */

export type InputFormat = "plan" | "stack-export" | "preview";

export interface Normalised {
    format: InputFormat;
    project: string;
    stack: string;
    resources: PlanResource[];
}

const removingOps = new Set(["delete", "delete-replaced", "discard", "discard-replaced", "remove-pending-replace"]);

/** Pulumi's signature key for special values in serialized state, and the signatures this reads. */
const sigKey = "4dabf18193072939515e22adb298388d";
const secretSig = "1b47061264138c4ac30d75fd1eb44270";
const resourceRefSig = "5cf8f73096256a8f31e491e813e4eb8e";

export function detectFormat(doc: unknown): InputFormat | undefined {
    if (!isRecord(doc)) return undefined;
    if (doc.schemaVersion !== undefined && Array.isArray(doc.resources)) return "plan";
    if (typeof doc.version === "number" && isRecord(doc.deployment)) return "stack-export";
    if (Array.isArray(doc.steps)) return "preview";
    return undefined;
}

export function normalise(doc: unknown, source: string): Normalised {
    const format = detectFormat(doc);
    const d = doc as Record<string, unknown>;
    switch (format) {
        case "plan":
            return fromPlan(d, source);
        case "stack-export":
            return fromStackExport(d, source);
        case "preview":
            return fromPreview(d, source);
        default:
            throw new UsageError(
                `${source}: not a plan JSON, a \`pulumi stack export\` (version 3) or a \`pulumi preview --json\` file`,
            );
    }
}

function fromPlan(doc: Record<string, unknown>, source: string): Normalised {
    if (doc.schemaVersion !== 1)
        throw new UsageError(
            `${source}: plan JSON schemaVersion ${JSON.stringify(doc.schemaVersion)} is not supported (expected 1)`,
        );
    const resources = (doc.resources as unknown[]).map((r, i) => resource(r, `${source}: resources[${i}]`));
    const fallback = projectAndStack(resources);
    return {
        format: "plan",
        project: typeof doc.project === "string" ? doc.project : fallback.project,
        stack: typeof doc.stack === "string" ? doc.stack : fallback.stack,
        resources,
    };
}

function fromStackExport(doc: Record<string, unknown>, source: string): Normalised {
    if (doc.version !== 3)
        throw new UsageError(
            `${source}: stack export version ${doc.version} is not supported (expected 3; re-export with a current Pulumi CLI)`,
        );
    const deployment = doc.deployment as Record<string, unknown>;
    const list = deployment.resources ?? [];
    if (!Array.isArray(list)) throw new UsageError(`${source}: deployment.resources must be an array`);
    const resources = list
        .filter((r) => !(isRecord(r) && r.delete === true))
        .map((r, i) => resource(r, `${source}: deployment.resources[${i}]`));
    return { format: "stack-export", ...projectAndStack(resources), resources };
}

function fromPreview(doc: Record<string, unknown>, source: string): Normalised {
    const byUrn = new Map<string, PlanResource>();
    (doc.steps as unknown[]).forEach((step, i) => {
        if (!isRecord(step) || typeof step.op !== "string") throw new UsageError(`${source}: steps[${i}] has no "op"`);
        if (removingOps.has(step.op) || !isRecord(step.newState)) return;
        const r = resource(step.newState, `${source}: steps[${i}].newState`);
        byUrn.delete(r.urn);
        byUrn.set(r.urn, r);
    });
    const resources = [...byUrn.values()];
    return { format: "preview", ...projectAndStack(resources), resources };
}

function resource(value: unknown, where: string): PlanResource {
    if (!isRecord(value) || typeof value.urn !== "string" || !value.urn.startsWith("urn:pulumi:")) {
        throw new UsageError(`${where}: not a resource (no "urn")`);
    }
    const urn = value.urn;
    const type = typeof value.type === "string" ? value.type : typeFromUrn(urn);
    const custom = typeof value.custom === "boolean" ? value.custom : true;
    const id = typeof value.id === "string" && value.id !== "" && value.id !== unknownValue && custom ? value.id : null;
    return {
        urn,
        type,
        name: typeof value.name === "string" ? value.name : nameFromUrn(urn),
        id,
        custom,
        parent: typeof value.parent === "string" && value.parent !== "" ? value.parent : null,
        dependencies: stringArray(value.dependencies),
        propertyDependencies: isRecord(value.propertyDependencies)
            ? Object.fromEntries(Object.entries(value.propertyDependencies).map(([k, v]) => [k, stringArray(v)]))
            : {},
        inputs: isRecord(value.inputs) ? (plain(value.inputs) as Record<string, unknown>) : {},
        protect: value.protect === true,
    };
}

/** Secrets, resource references and other signed values in serialized state, as plain JSON. */
function plain(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(plain);
    if (!isRecord(value)) return value;
    const sig = value[sigKey];
    if (sig === secretSig) {
        if (typeof value.plaintext === "string") {
            try {
                return plain(JSON.parse(value.plaintext));
            } catch {
                return value.plaintext;
            }
        }
        return plain(value.value ?? "[secret]");
    }
    if (sig === resourceRefSig) {
        return typeof value.id === "string" && value.id !== "" ? value.id : value.urn;
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
}

function stringArray(value: unknown): string[] {
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** `urn:pulumi:<stack>::<project>::<parent types$>type::<name>` */
function urnParts(urn: string): { stack: string; project: string; qualifiedType: string; name: string } {
    const parts = urn.replace(/^urn:pulumi:/, "").split("::");
    return {
        stack: parts[0] ?? "",
        project: parts[1] ?? "",
        qualifiedType: parts[2] ?? "",
        name: parts.slice(3).join("::"),
    };
}

export function nameFromUrn(urn: string): string {
    return urnParts(urn).name;
}

function typeFromUrn(urn: string): string {
    const q = urnParts(urn).qualifiedType;
    return q.slice(q.lastIndexOf("$") + 1);
}

function projectAndStack(resources: PlanResource[]): { project: string; stack: string } {
    const first = resources.find((r) => r.type === "pulumi:pulumi:Stack") ?? resources[0];
    if (!first) return { project: "unknown", stack: "unknown" };
    const { project, stack } = urnParts(first.urn);
    return { project, stack };
}

import { PlanResource, unknownValue } from "../../policy/plan";
import { UsageError } from "../errors";
import { isRecord } from "../project";
import { isEmptyMap, plainValue } from "./property-values";
import { requireUrn } from "./urn";

/**
 * One serialized resource state (`apitype.ResourceV3`, pulumi/pulumi sdk/go/common/apitype/core.go)
 * as a plan resource. `id` may be given separately (a preview's new state has none; see preview.ts).
 *
 * Outputs-only resources: a resource brought in with `pulumi import` or `pulumi refresh` of a
 * `.get()` may have empty `inputs` and only `outputs`. Its outputs then stand for its inputs, or the
 * pack would see an empty resource and, for example, read a missing `networkRuleSet` as the
 * service's permissive default. The stack resource and components keep their (empty) inputs: their
 * outputs are program outputs, not properties.
 *
 * Read resources (`read`: `.get()`, `external: true` in the state, op "read" in a preview) are judged
 * on their outputs always, the state the provider read: their inputs are at most the lookup's id.
 * They are marked `external`, so stack rules resolve references to them and resource rules skip them.
 */
export function toPlanResource(value: unknown, where: string, id?: string | null, read = false): PlanResource {
    if (!isRecord(value)) throw new UsageError(`${where}: not a resource (no "urn")`);
    const urn = requireUrn(value.urn, where);
    if (typeof value.type === "string" && value.type !== "" && value.type !== urn.type) {
        throw new UsageError(`${where}: type ${JSON.stringify(value.type)} is not its URN's type "${urn.type}"`);
    }
    const type = urn.type;
    const custom = typeof value.custom === "boolean" ? value.custom : true;
    const ownId = realId(value.id);
    const resolvedId = custom ? (id === undefined ? ownId : id) : null;
    const useOutputs =
        custom &&
        !type.startsWith("pulumi:providers:") &&
        ((read && isRecord(value.outputs)) || (isEmptyMap(value.inputs) && !isEmptyMap(value.outputs)));
    const properties = useOutputs ? value.outputs : value.inputs;
    return {
        urn: urn.urn,
        type,
        name: typeof value.name === "string" ? value.name : urn.name,
        id: resolvedId,
        custom,
        parent: typeof value.parent === "string" && value.parent !== "" ? value.parent : null,
        dependencies: stringArray(value.dependencies),
        propertyDependencies: isRecord(value.propertyDependencies) ? stringArrays(value.propertyDependencies) : {},
        inputs: isRecord(properties) ? (plainValue(properties) as Record<string, unknown>) : {},
        protect: value.protect === true,
        ...(read ? { external: true } : {}),
    };
}

/** What the audit does with resources read with `.get()`: the notes of exports and previews say it alike. */
export const readNote = "judged by their outputs where the stack refers to them, not by resource rules";

/** A provider-assigned id, or null when there is none yet (absent, empty or Pulumi's unknown sentinel). */
export function realId(value: unknown): string | null {
    return typeof value === "string" && value !== "" && value !== unknownValue ? value : null;
}

/** The strings of a list; copy on write, like plainValue: a list of strings only is returned as it is. */
function stringArray(value: unknown): string[] {
    if (!Array.isArray(value)) return [];
    return value.every((v) => typeof v === "string") ? (value as string[]) : value.filter((v) => typeof v === "string");
}

/** `propertyDependencies` with each value a list of strings; the object itself when it is one already. */
function stringArrays(deps: Record<string, unknown>): Record<string, string[]> {
    const keys = Object.keys(deps);
    const plain = keys.every((k) => stringArray(deps[k]) === deps[k]) && !Object.hasOwn(deps, "__proto__");
    return plain ? (deps as Record<string, string[]>) : Object.fromEntries(keys.map((k) => [k, stringArray(deps[k])]));
}

/** Refuses two resources with one URN: the engine keys its state by URN, so such a file was not written by it. */
export function checkUniqueUrns(resources: PlanResource[], source: string): void {
    const seen = new Set<string>();
    for (const r of resources) {
        if (seen.has(r.urn)) {
            throw new UsageError(
                `${source}: the URN ${r.urn} appears more than once; a Pulumi state or plan holds each resource once`,
            );
        }
        seen.add(r.urn);
    }
}

/**
 * The plan JSON's shapes: what `secure-azureml plan --json` writes, what `audit` normalises its inputs
 * to, and what `runPack` evaluates. Kept in the policy package so the pack needs nothing from the CLI.
 */

/** Pulumi's marker for a value that is not known until the resource exists (`pulumi preview --json`). */
export const unknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * What Pulumi writes in place of a secret it will not show: `pulumi preview --json` always, and a
 * stack export without `--show-secrets` once the ciphertext is dropped. The pack reads it as unknown,
 * never as a value.
 */
export const maskedSecret = "[secret]";

export interface PlanResource {
    urn: string;
    /** The resource type token, e.g. `azure-native:network:VirtualNetwork`. */
    type: string;
    /** The logical (Pulumi) name. */
    name: string;
    /** The ARM id, or null for components and resources whose id is not known yet. */
    id: string | null;
    /** False for component resources. */
    custom: boolean;
    parent: string | null;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    inputs: Record<string, unknown>;
    /** Whether the resource is protected from deletion (`protect: true`). */
    protect?: boolean;
    /**
     * A resource read with `.get()` (`external: true` in a stack export, op "read" in a preview): not
     * managed by this stack, so no resource rule judges it, but stack rules see it, by its outputs
     * (in `inputs`), wherever the stack's resources refer to it. Absent for the stack's own resources.
     */
    external?: boolean;
}

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

export interface PlanViolation {
    policy: string;
    enforcementLevel: EnforcementLevel;
    severity: string;
    urn: string | null;
    message: string;
}

/** One hop of a journey as walked: its catalogue id, whether it holds, and what was found. */
export interface PlanJourneyHop {
    hop: string;
    status: "pass" | "fail" | "unknown";
    detail: string;
}

/**
 * A user journey walked over one subject of the stack (components/catalog/journeys.ts): its hops up to
 * the first that does not pass, the fix for that hop, or why the journey does not apply.
 */
export interface PlanJourney {
    journey: string;
    /** What it was walked for: `workspace "mlw" via jump box "jb"`, `compute instance "ci"`. */
    subject: string;
    urn: string | null;
    status: "pass" | "fail" | "unknown" | "n/a";
    hops: PlanJourneyHop[];
    /** The broken hop's fix. */
    fix?: string;
    /** Why the journey does not apply (status n/a). */
    note?: string;
}

export interface PlanJson {
    schemaVersion: 1;
    project: string;
    stack: string;
    resources: PlanResource[];
    violations: PlanViolation[];
    summary: { resources: number; mandatory: number; advisory: number };
    /**
     * The pack's policies that did not run because the policy config sets them to "disabled", by
     * name; absent when every policy ran. Optional and additive: a silenced pack must say so.
     */
    disabledPolicies?: string[];
    /** The user journeys, walked hop by hop (optional and additive; absent when no journey policy ran). */
    journeys?: PlanJourney[];
}

/** Whether a value is, or contains at its top level, Pulumi's unknown marker. */
export function isUnknown(value: unknown): boolean {
    return value === unknownValue;
}

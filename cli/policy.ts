import type { PlanJourney, PlanJson, PlanResource } from "../policy/plan";
import { UsageError, oneLine } from "./errors";
import { isRecord } from "./project";
import { readJsonFileSync } from "./read-input";

/**
 * Runs the CrossGuard pack over a set of resources through `runPack` (policy/runner.ts), which
 * evaluates every resource and stack policy in process, never starting the pack's gRPC server.
 */

/** `--policy-config <file>`: the JSON `pulumi preview --policy-pack-config` takes (`{"all": ..., "<policy>": {...}}`). */
export function readPolicyConfig(file: string | undefined): Record<string, unknown> | undefined {
    if (file === undefined) return undefined;
    const config = readJsonFileSync(file);
    if (!isRecord(config)) throw new UsageError(`${file}: a policy config must be a JSON object keyed by policy name`);
    return config;
}

export async function evaluate(
    project: string,
    stack: string,
    resources: PlanResource[],
    policyConfig?: Record<string, unknown>,
): Promise<PlanJson> {
    const { runPack, PolicyConfigError } = await import("../policy/runner");
    let violations;
    let disabled: string[];
    let journeys: PlanJourney[];
    try {
        violations = await runPack(resources, policyConfig);
        disabled = (await import("./disabled-policies")).disabledByConfig(policyConfig);
        // A journey whose policy the config turns off is not in the report either; when every one is
        // off, none is walked.
        const { journeys: catalogue } = await import("../components/catalog/journeys");
        const { journeysOfPlan } = await import("../policy/rules/stack/journeys/plan-resources");
        journeys = catalogue.every((j) => disabled.includes(j.policy))
            ? []
            : (await journeysOfPlan(resources)).filter((j) => !disabled.includes(`journey-${j.journey}`));
    } catch (err) {
        if (err instanceof PolicyConfigError) throw new UsageError(`policy config: ${oneLine(err)}`);
        throw err;
    }
    return {
        schemaVersion: 1,
        project,
        stack,
        resources,
        violations,
        summary: {
            resources: resources.length,
            mandatory: violations.filter((v) => v.enforcementLevel === "mandatory").length,
            advisory: violations.filter((v) => v.enforcementLevel === "advisory").length,
        },
        ...(disabled.length > 0 ? { disabledPolicies: disabled } : {}),
        ...(journeys.length > 0 ? { journeys } : {}),
    };
}

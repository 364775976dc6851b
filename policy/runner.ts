import type {
    EnforcementLevel,
    Policy,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { PlanResource, PlanViolation } from "./plan";
import { allPolicies } from "./rules";
import {
    UnknownValueError,
    beginRunCaches,
    configDefaults,
    declaredTypes,
    endRunCaches,
    unknownCheckingProxy,
} from "./rules/util";

/**
 * Runs the policy pack in process, the way the Pulumi CLI's analyzer does, without `new PolicyPack`
 * (which would start the pack's gRPC server): every resource policy over each resource, every stack
 * policy once over all of them, with the pack's config reconciled like the CLI reconciles it.
 */

/** The level a policy runs at when neither it nor the config names one (PolicyPack's default). */
const packDefaultLevel: EnforcementLevel = "advisory";
const levels: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** A policy config that the CLI would reject: unknown policy, bad level, or a wrongly typed value. */
export class PolicyConfigError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PolicyConfigError";
    }
}

interface Reconciled {
    level: EnforcementLevel;
    properties: Record<string, unknown>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checkLevel(value: unknown, where: string): EnforcementLevel {
    if (typeof value !== "string" || !levels.includes(value as EnforcementLevel)) {
        throw new PolicyConfigError(
            `${where}: enforcement level must be one of ${levels.join(", ")}, got ${JSON.stringify(value)}`,
        );
    }
    return value as EnforcementLevel;
}

function checkValue(policy: Policy, key: string, value: unknown): void {
    const schema = policy.configSchema?.properties?.[key] as
        { type?: string; enum?: unknown[]; items?: { enum?: unknown[] } } | undefined;
    if (!schema) throw new PolicyConfigError(`${policy.name}: unknown config property "${key}"`);
    const ok =
        schema.type === "array"
            ? Array.isArray(value) && value.every((v) => !schema.items?.enum || schema.items.enum.includes(v))
            : schema.type === "boolean"
              ? typeof value === "boolean"
              : schema.type === "string"
                ? typeof value === "string" && (!schema.enum || schema.enum.includes(value))
                : schema.type === "number" || schema.type === "integer"
                  ? typeof value === "number"
                  : true;
    if (!ok)
        throw new PolicyConfigError(
            `${policy.name}.${key}: ${JSON.stringify(value)} does not match the policy's config schema`,
        );
}

/**
 * The CLI's reconciliation (`pulumi preview --policy-pack-config`, `pulumi policy enable --config`):
 * schema defaults, then `all` (a level, or `{enforcementLevel}`), then the policy's own entry (a level,
 * or an object of properties with an optional `enforcementLevel`).
 */
export function reconcileConfig(
    policies: readonly Policy[],
    config: Record<string, unknown> = {},
): Map<string, Reconciled> {
    if (!isRecord(config)) throw new PolicyConfigError("policy config must be a JSON object keyed by policy name");
    const names = new Set(policies.map((p) => p.name));
    for (const key of Object.keys(config)) {
        if (key !== "all" && !names.has(key)) throw new PolicyConfigError(`unknown policy "${key}" in policy config`);
    }
    let allLevel: EnforcementLevel | undefined;
    if (config.all !== undefined) {
        allLevel = isRecord(config.all)
            ? config.all.enforcementLevel === undefined
                ? undefined
                : checkLevel(config.all.enforcementLevel, "all")
            : checkLevel(config.all, "all");
    }
    const out = new Map<string, Reconciled>();
    for (const policy of policies) {
        let level = allLevel ?? policy.enforcementLevel ?? packDefaultLevel;
        const properties = configDefaults(policy);
        const entry = config[policy.name];
        if (typeof entry === "string") {
            level = checkLevel(entry, policy.name);
        } else if (isRecord(entry)) {
            for (const [key, value] of Object.entries(entry)) {
                if (key === "enforcementLevel") level = checkLevel(value, policy.name);
                else {
                    checkValue(policy, key, value);
                    properties[key] = value;
                }
            }
        } else if (entry !== undefined) {
            throw new PolicyConfigError(`${policy.name}: config must be an enforcement level or an object`);
        }
        out.set(policy.name, { level, properties });
    }
    return out;
}

const isResourcePolicy = (p: Policy): p is ResourceValidationPolicy =>
    typeof (p as ResourceValidationPolicy).validateResource === "function" ||
    Array.isArray((p as ResourceValidationPolicy).validateResource);
const isStackPolicy = (p: Policy): p is StackValidationPolicy =>
    typeof (p as StackValidationPolicy).validateStack === "function";

class NotApplicable extends Error {}
const notApplicable = (reason?: string): never => {
    throw new NotApplicable(reason);
};

function optionsOf(r: PlanResource): PolicyResourceOptions {
    return {
        protect: r.protect ?? false,
        ignoreChanges: [],
        aliases: [],
        additionalSecretOutputs: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        ...(r.parent ? { parent: r.parent } : {}),
    };
}

/** The analyzer compares against a resource class's `__pulumiType`, as the CLI's analyzer does. */
const isTypeOf = (type: string, cls: unknown) => (cls as { __pulumiType?: string } | undefined)?.__pulumiType === type;

/**
 * Runs every policy of the pack over `resources` (the plan JSON's resource shape) with `config`
 * (the JSON `--policy-pack-config` takes) reconciled over the policies' defaults; resolves to the plan
 * JSON's `violations`. A policy that reads a value unknown during preview yields one advisory
 * "can't run policy ... during preview" entry, as with the CLI. Throws PolicyConfigError on bad config.
 */
export async function runPack(resources: PlanResource[], config?: Record<string, unknown>): Promise<PlanViolation[]> {
    return runPolicies(allPolicies, resources, config);
}

/** `runPack` over any list of policies (tests use it to run one rule). */
export async function runPolicies(
    policies: readonly Policy[],
    resources: PlanResource[],
    config?: Record<string, unknown>,
): Promise<PlanViolation[]> {
    // Values the rules derive from inputs (an NSG's rule views) are shared by the run's policies.
    beginRunCaches();
    try {
        return await evaluatePolicies(policies, resources, config);
    } finally {
        endRunCaches();
    }
}

async function evaluatePolicies(
    policies: readonly Policy[],
    resources: PlanResource[],
    config?: Record<string, unknown>,
): Promise<PlanViolation[]> {
    const reconciled = reconcileConfig(policies, config);
    const violations: PlanViolation[] = [];
    const active = policies.filter((p) => reconciled.get(p.name)!.level !== "disabled");
    const levelOf = (p: Policy): EnforcementLevel => {
        const level = reconciled.get(p.name)!.level;
        return level === "remediate" ? "mandatory" : level;
    };
    const getConfigOf = new Map(active.map((p) => [p.name, <T>() => ({ ...reconciled.get(p.name)!.properties }) as T]));
    const severityOf = (p: Policy) => p.severity ?? "medium";

    const unknownViolation = (p: Policy, urn: string | null, e: Error): PlanViolation => ({
        policy: p.name,
        enforcementLevel: "advisory",
        severity: severityOf(p),
        urn,
        message: `can't run policy '${p.name}' during preview: ${e.message}`,
    });

    // Per resource: the args the analyzer builds, one object per resource, shared by every policy.
    const resourcePolicies = active.filter(isResourcePolicy);
    const policyResources: (PolicyResource & { id: string | null })[] = [];
    // The resource being validated: each policy's `report` (one per policy, not one per call) reads it.
    // Policies run one after the other (each awaited), so it is the resource whose check is running.
    let current: PlanResource = resources[0];
    interface Applicable {
        p: ResourceValidationPolicy;
        fns: ResourceValidation[];
        level: EnforcementLevel;
        getConfig: ResourceValidationArgs["getConfig"];
        report: (message: string, urn?: string) => void;
    }
    const perPolicy = new Map<ResourceValidationPolicy, Omit<Applicable, "fns">>();
    const policyEntry = (p: ResourceValidationPolicy) => {
        let entry = perPolicy.get(p);
        if (!entry) {
            const level = levelOf(p);
            const severity = severityOf(p);
            entry = {
                p,
                level,
                getConfig: getConfigOf.get(p.name)! as ResourceValidationArgs["getConfig"],
                report: (message, urn) =>
                    violations.push({
                        policy: p.name,
                        enforcementLevel: level,
                        severity,
                        urn: urn ?? current.urn,
                        message,
                    }),
            };
            perPolicy.set(p, entry);
        }
        return entry;
    };
    // Which resource policies can apply to a type: those declaring it, and those declaring none.
    const byType = new Map<string, Applicable[]>();
    const applicable = (type: string) => {
        let list = byType.get(type);
        if (!list) {
            list = [];
            for (const p of resourcePolicies) {
                const fns = (Array.isArray(p.validateResource) ? p.validateResource : [p.validateResource!]).filter(
                    (fn) => declaredTypes(fn)?.includes(type) ?? true,
                );
                if (fns.length > 0) list.push({ ...policyEntry(p), fns });
            }
            byType.set(type, list);
        }
        return list;
    };
    for (const r of resources) {
        const props = unknownCheckingProxy(r.inputs ?? {});
        const opts = optionsOf(r);
        const base = {
            type: r.type,
            props,
            urn: r.urn,
            name: r.name,
            opts,
            stackTags: new Map<string, string>(),
            isType: (cls: unknown) => isTypeOf(r.type, cls),
            asType: (cls: unknown) => (isTypeOf(r.type, cls) ? props : undefined),
            notApplicable,
        };
        policyResources.push({
            type: r.type,
            props,
            urn: r.urn,
            name: r.name,
            opts,
            id: r.id ?? null,
            dependencies: [],
            propertyDependencies: {},
            isType: base.isType as PolicyResource["isType"],
            asType: base.asType as PolicyResource["asType"],
        });
        // A resource read with .get() is not this stack's to fix: only stack rules see it (PlanResource.external).
        if (r.external === true) continue;
        const list = applicable(r.type);
        if (list.length === 0) continue;
        // One args object per resource; each policy gets its own getConfig as its turn comes.
        const args = { ...base, getConfig: list[0].getConfig } as unknown as ResourceValidationArgs;
        current = r;
        for (const { p, fns, getConfig, report } of list) {
            args.getConfig = getConfig;
            for (const fn of fns) {
                try {
                    const result = fn(args, report);
                    if (result) await result;
                } catch (e) {
                    if (e instanceof UnknownValueError) violations.push(unknownViolation(p, r.urn, e));
                    else if (!(e instanceof NotApplicable)) throw wrap(e, p, r.urn);
                }
            }
        }
    }

    // The stack: dependencies, property dependencies and parents as PolicyResource references.
    const stackPolicies = active.filter(isStackPolicy);
    if (stackPolicies.length === 0) return violations;
    const byUrn = new Map<string, PolicyResource>();
    for (const pr of policyResources) byUrn.set(pr.urn, pr);
    const resolved = (urns: readonly string[]) => {
        const out: PolicyResource[] = [];
        for (const u of urns) {
            const d = byUrn.get(u);
            if (d !== undefined) out.push(d);
        }
        return out;
    };
    for (let i = 0; i < resources.length; i++) {
        const r = resources[i];
        const pr = policyResources[i];
        if (r.parent && byUrn.has(r.parent)) pr.parent = byUrn.get(r.parent);
        pr.dependencies = r.dependencies ? resolved(r.dependencies) : [];
        const propertyDependencies = r.propertyDependencies;
        if (propertyDependencies)
            for (const key of Object.keys(propertyDependencies))
                pr.propertyDependencies[key] = resolved(propertyDependencies[key]);
    }
    stackResourcesByPlan.set(resources, policyResources);
    for (const p of stackPolicies) {
        const args: StackValidationArgs = {
            resources: policyResources,
            stackTags: new Map(),
            getConfig: getConfigOf.get(p.name)!,
            notApplicable,
        } as StackValidationArgs;
        const level = levelOf(p);
        try {
            const result = p.validateStack(args, (message, urn) =>
                violations.push({
                    policy: p.name,
                    enforcementLevel: level,
                    severity: severityOf(p),
                    urn: urn ?? null,
                    message,
                }),
            );
            if (result) await result;
        } catch (e) {
            if (e instanceof UnknownValueError) violations.push(unknownViolation(p, null, e));
            else if (!(e instanceof NotApplicable)) throw wrap(e, p, null);
        }
    }
    return violations;
}

/**
 * The stack rules' view of a plan's resources from the last run over that very array, so what the
 * stack rules derived from it (the stack index, the journeys walked, memoised on it) serves the plan
 * report too, without a second index. Undefined when no stack policy ran over it.
 */
const stackResourcesByPlan = new WeakMap<readonly PlanResource[], readonly PolicyResource[]>();

export function stackResourcesOfRun(resources: readonly PlanResource[]): readonly PolicyResource[] | undefined {
    return stackResourcesByPlan.get(resources);
}

function wrap(e: unknown, p: Policy, urn: string | null): Error {
    const err = new Error(
        `policy '${p.name}' failed${urn ? ` on ${urn}` : ""}: ${e instanceof Error ? e.message : String(e)}`,
    );
    (err as Error & { cause?: unknown }).cause = e;
    return err;
}

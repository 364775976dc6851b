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

/**
 * A plan resource as the policies see it, the analyzer's `PolicyResource`. What most policies never
 * read (options, dependencies, property dependencies) is built on first read, once: a stack of 10,000
 * resources would otherwise build some 80,000 arrays before the first stack policy runs.
 */
class RunResource {
    readonly type: string;
    readonly urn: string;
    readonly name: string;
    readonly id: string | null;
    private proxy?: Record<string, unknown>;
    private options?: PolicyResourceOptions;
    private deps?: PolicyResource[];
    private propertyDeps?: Record<string, PolicyResource[]>;
    /** Null until the stack part links resources by URN (`link`); then `parent` is looked up once. */
    private byUrn: ReadonlyMap<string, PolicyResource> | null = null;
    private parentResource?: PolicyResource | null;

    constructor(readonly plan: PlanResource) {
        this.type = plan.type;
        this.urn = plan.urn;
        this.name = plan.name;
        this.id = plan.id ?? null;
    }

    /** The inputs behind the policy SDK's unknown-checking proxy, made when first read (many never are). */
    get props(): Record<string, unknown> {
        return (this.proxy ??= unknownCheckingProxy(this.plan.inputs ?? {}));
    }

    get opts(): PolicyResourceOptions {
        return (this.options ??= optionsOf(this.plan));
    }

    link(byUrn: ReadonlyMap<string, PolicyResource>): void {
        this.byUrn = byUrn;
    }

    get parent(): PolicyResource | undefined {
        if (!this.byUrn) return undefined;
        if (this.parentResource === undefined) {
            const urn = this.plan.parent;
            this.parentResource = (urn && this.byUrn.get(urn)) || null;
        }
        return this.parentResource ?? undefined;
    }

    get dependencies(): PolicyResource[] {
        if (!this.byUrn) return [];
        return (this.deps ??= this.resolved(this.plan.dependencies ?? []));
    }

    get propertyDependencies(): Record<string, PolicyResource[]> {
        if (!this.byUrn) return {};
        if (!this.propertyDeps) {
            const record: Record<string, PolicyResource[]> = {};
            for (const key of Object.keys(this.plan.propertyDependencies ?? {}))
                record[key] = this.propertyDependency(key);
            this.propertyDeps = record;
        }
        return this.propertyDeps;
    }

    /**
     * `propertyDependencies[key]` alone (graph/ids.ts `dependenciesAt`): most rules ask one key. Resolved
     * on each ask (one to three URNs) rather than kept per resource and key, which for a 10,000-resource
     * stack was some 8,000 maps alive for the whole run; once the whole record is built, its lists.
     */
    propertyDependency(key: string): PolicyResource[] {
        if (!this.byUrn) return [];
        const all = this.plan.propertyDependencies;
        const planned = all && Object.hasOwn(all, key) ? all[key] : undefined;
        if (!Array.isArray(planned)) return [];
        if (this.propertyDeps) return this.propertyDeps[key];
        return this.resolved(planned);
    }

    isType(cls: unknown): boolean {
        return isTypeOf(this.type, cls);
    }

    asType(cls: unknown): Record<string, unknown> | undefined {
        return isTypeOf(this.type, cls) ? this.props : undefined;
    }

    private resolved(urns: readonly string[]): PolicyResource[] {
        // A resource's dependencies and its whole record are kept for the run: `map` sizes each list to
        // its one to three entries, where pushing into [] reserves seventeen.
        const byUrn = this.byUrn!;
        const out = urns.map((u) => byUrn.get(u));
        return (out.includes(undefined) ? out.filter((d) => d !== undefined) : out) as PolicyResource[];
    }
}

/**
 * What a resource policy is called with (`ResourceValidationArgs`) for one resource: its fields read
 * through to the resource, so a resource that no policy reads the inputs or options of gets neither
 * built. No stack tags: the offline run has none (the CLI passes the stack's tags).
 */
class ResourceArgs {
    readonly type: string;
    readonly urn: string;
    readonly name: string;
    readonly stackTags: ReadonlyMap<string, string> = noStackTags;
    readonly notApplicable = notApplicable;

    constructor(
        private readonly resource: RunResource,
        public getConfig: ResourceValidationArgs["getConfig"],
    ) {
        this.type = resource.type;
        this.urn = resource.urn;
        this.name = resource.name;
    }

    get props(): Record<string, unknown> {
        return this.resource.props;
    }

    get opts(): PolicyResourceOptions {
        return this.resource.opts;
    }

    isType(cls: unknown): boolean {
        return this.resource.isType(cls);
    }

    asType(cls: unknown): Record<string, unknown> | undefined {
        return this.resource.asType(cls);
    }
}
const noStackTags: ReadonlyMap<string, string> = new Map();

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
    const policyResources: RunResource[] = [];
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
    for (let k = 0; k < resources.length; k++) {
        const r = resources[k];
        const pr = new RunResource(r);
        policyResources.push(pr);
        // A resource read with .get() is not this stack's to fix: only stack rules see it (PlanResource.external).
        if (r.external === true) continue;
        const list = applicable(r.type);
        if (list.length === 0) continue;
        // One args object per resource; each policy gets its own getConfig as its turn comes.
        const args = new ResourceArgs(pr, list[0].getConfig) as unknown as ResourceValidationArgs;
        current = r;
        // Indexed loops: this body runs some 20,000 times per 10,000 resources, mostly before the JIT
        // has optimised it, where each for-of step allocates an iterator result.
        for (let i = 0; i < list.length; i++) {
            const { p, fns, getConfig, report } = list[i];
            args.getConfig = getConfig;
            for (let j = 0; j < fns.length; j++) {
                const fn = fns[j];
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
    // RunResource is the analyzer's PolicyResource in all but asType's generic signature.
    const stackResources = policyResources as unknown as PolicyResource[];
    for (let k = 0; k < policyResources.length; k++) {
        byUrn.set(policyResources[k].urn, stackResources[k]);
        policyResources[k].link(byUrn);
    }
    stackResourcesByPlan.set(resources, stackResources);
    for (const p of stackPolicies) {
        const args: StackValidationArgs = {
            resources: stackResources,
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

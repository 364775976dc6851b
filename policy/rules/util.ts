import type {
    EnforcementLevel,
    Policy,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { maskedSecret } from "../plan";

/**
 * The policy SDK's unknown-value machinery. It is internal to `@pulumi/policy` (no type declarations),
 * but it is what the Pulumi CLI's analyzer uses, so the pack and `runPack` both use the same classes.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sdkProxy = require("@pulumi/policy/proxy") as {
    UnknownValueError: new (sentinel: string, path: string[]) => Error;
    unknownCheckingProxy<T>(value: T): T;
};
export const UnknownValueError = sdkProxy.UnknownValueError;

/**
 * The SDK's unknown-checking proxy over a resource's inputs, made when first used. Every rule of the
 * pack reads the plain inputs (`raw`), so the runner's 10,000 resources would each build the SDK's
 * proxy (a handler, its closure and path) only to be unwrapped again. This proxy's one shared handler
 * answers `raw` and hands every other read to the SDK's proxy over the same inputs, built on that
 * first read: a policy that reads `props` directly sees exactly what the analyzer gives it (the SDK's
 * proxy defines no other trap, so every other operation reaches the inputs in both).
 */
export function unknownCheckingProxy<T>(value: T): T {
    if (!(value instanceof Object)) return value;
    return new Proxy(value, lazySdkProxy) as T;
}
const rawTarget = Symbol("the inputs behind unknownCheckingProxy");
const sdkProxies = new WeakMap<object, object>();
const lazySdkProxy: ProxyHandler<object> = {
    get(target, key) {
        if (key === rawTarget) return target;
        let sdk = sdkProxies.get(target);
        if (sdk === undefined) sdkProxies.set(target, (sdk = sdkProxy.unknownCheckingProxy(target)));
        return Reflect.get(sdk, key);
    },
};

/**
 * Helpers shared by every rule: reading inputs that may hold Pulumi's unknown markers, comparing
 * Azure enums case-insensitively, and the metadata every rule carries.
 */

/** Pulumi's unknown markers, one per value kind (the plan JSON only uses the string one). */
const unknownSentinels = new Set<string>([
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string (what `pulumi preview --json` writes)
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
    "030794c1-ac77-496b-92df-f27374a8bd58", // asset
    "e48ece36-62e2-4504-bad9-02848725956a", // archive
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);

/** Every sentinel is a UUID: a string of another length is none of them. */
const sentinelLength = 36;

/** What `get` returns for a value that is not known until the resource exists. */
export const UNKNOWN: unique symbol = Symbol("unknown");
export type Unknown = typeof UNKNOWN;

/** Pulumi's signature key for special values in serialized state, and the secret signature. */
const sigKey = "4dabf18193072939515e22adb298388d";
const secretSig = "1b47061264138c4ac30d75fd1eb44270";

/**
 * A value the engine hides rather than an unknown one: the masked `"[secret]"` string, or a secret
 * envelope (`{"4dabf…": "1b47…", ciphertext | value | plaintext}`) that reached the pack undecoded.
 * Neither is ever read as the value it hides.
 */
export function isHiddenValue(value: unknown): boolean {
    if (value === maskedSecret) return true;
    return (
        typeof value === "object" &&
        value !== null &&
        !Array.isArray(value) &&
        (value as Record<string, unknown>)[sigKey] === secretSig
    );
}

export function isUnknownValue(value: unknown): boolean {
    if (value === UNKNOWN) return true;
    // Asked of nearly every value read: a string is a sentinel (all 36 characters long) or the mask.
    if (typeof value === "string")
        return value.length === sentinelLength ? unknownSentinels.has(value) : value === maskedSecret;
    return isHiddenValue(value);
}

/**
 * The plain object behind the policy SDK's unknown-checking proxy. The rules read raw inputs and
 * decide themselves what an unknown means, instead of letting the proxy throw on the first one.
 */
export function raw<T = Record<string, unknown>>(props: unknown): T {
    if (!props || typeof props !== "object") return props as T;
    const target = (props as { [rawTarget]?: unknown })[rawTarget];
    if (target !== undefined) return target as T;
    if ((props as Record<string, unknown>)["__isSpecialProxy"] === true) {
        return (props as Record<string, unknown>)["__getSpecialProxyTarget"] as T;
    }
    return props as T;
}

/**
 * Where the rule running now met hidden values: the object holding each and its key. The runner runs
 * one policy at a time (synchronously), so one log serves; `withHiddenLog` scopes it to one check.
 */
export interface HiddenRead {
    container: object;
    key: string;
}
let hiddenLog: HiddenRead[] | undefined;

/** Runs `f`, returning what it returned and the hidden values it read. */
export function withHiddenLog<T>(f: () => T): { result: T; hidden: HiddenRead[] } {
    const outer = hiddenLog;
    const log: HiddenRead[] = [];
    hiddenLog = log;
    try {
        return { result: f(), hidden: log };
    } finally {
        hiddenLog = outer;
        outer?.push(...log);
    }
}

/**
 * A value computed once per key and reused: `compute`'s hidden reads are recorded with it and replayed
 * into the running check's log on every reuse, so a check that reuses a value reports exactly what it
 * would have reported computing it itself. Shared derived views (an NSG's rules) are read by several
 * policies of one run; the cache (a WeakMap the caller scopes to that run) keeps them from being rebuilt.
 */
export interface Memo<T> {
    value: T;
    hidden: readonly HiddenRead[];
}

export function memoWithHidden<K, T>(
    cache: { get(key: K): Memo<T> | undefined; set(key: K, memo: Memo<T>): unknown },
    key: K,
    compute: () => T,
): T {
    const hit = cache.get(key);
    if (hit) {
        if (hiddenLog && hit.hidden.length > 0) hiddenLog.push(...hit.hidden);
        return hit.value;
    }
    const { result, hidden } = withHiddenLog(compute);
    // Most values read nothing hidden: those memos share one empty log instead of keeping one each.
    cache.set(key, { value: result, hidden: hidden.length === 0 ? noHiddenReads : hidden });
    return result;
}
const noHiddenReads: readonly HiddenRead[] = Object.freeze([]);

/**
 * Caches that live for one `runPolicies` call (policy/runner.ts opens and closes it): inputs do not
 * change during a run, but a caller may change them between runs. Outside a run (the Pulumi CLI's
 * analyzer calls each policy on freshly deserialised inputs) `runCache` returns undefined: no reuse.
 */
let runCaches: Map<string, WeakMap<object, never>> | undefined;
/** Runs in progress (a caller may await two at once); the caches go when the last one ends. */
let openRuns = 0;

export function beginRunCaches(): void {
    if (openRuns++ === 0) runCaches = new Map();
}

export function endRunCaches(): void {
    if (--openRuns === 0) runCaches = undefined;
}

/** The run's cache named `name` (one per kind of derived value); undefined outside a run. */
export function runCache<K extends object, V>(name: string): WeakMap<K, V> | undefined {
    if (!runCaches) return undefined;
    let cache = runCaches.get(name);
    if (!cache) {
        cache = new WeakMap();
        runCaches.set(name, cache);
    }
    return cache as unknown as WeakMap<K, V>;
}

/**
 * The property of `obj` named `key`, compared case-insensitively when there is no exact match: ARM
 * treats property names case-insensitively, so `PublicNetworkAccess` is `publicNetworkAccess`.
 */
export function prop(obj: object, key: string): unknown {
    const record = obj as Record<string, unknown>;
    if (Object.prototype.hasOwnProperty.call(record, key)) return record[key];
    if (Array.isArray(obj)) return undefined;
    // A miss is mostly a key that is not there at all (an optional input): scan the keys, comparing
    // only those of the same length, rather than build a lower-case map of every object ever asked.
    const wanted = key.toLowerCase();
    for (const k in record) {
        if (k.length === wanted.length && Object.prototype.hasOwnProperty.call(record, k) && k.toLowerCase() === wanted)
            return record[k];
    }
    return undefined;
}

/** The value at a dotted path: `undefined` when missing, `UNKNOWN` when any step is unknown or hidden. */
export function get(obj: unknown, path: string): unknown {
    let cur: unknown = raw(obj);
    if (isUnknownValue(cur)) return UNKNOWN;
    const keys = pathKeys(path);
    // Indexed (as in nsg.ts's evaluate and relation, graph/lookup.ts): called tens of thousands of
    // times per large stack, mostly before the JIT optimises it, where a for-of allocates per step.
    for (let i = 0; i < keys.length; i++) {
        const key = keys[i];
        if (cur === undefined || cur === null || typeof cur !== "object") return undefined;
        const next = prop(cur, key);
        if (isHiddenValue(next)) hiddenLog?.push({ container: cur, key });
        if (isUnknownValue(next)) return UNKNOWN;
        cur = next;
    }
    return cur;
}

/**
 * `get(obj, key)` for one key of a plain object (not a proxy, not a path): what readers of many small
 * objects (every NSG rule's dozen fields) use, without the path and proxy steps of `get`. A reader
 * that found the object's own spelling of the key already passes it as `ownKey`.
 */
export function field(obj: object, key: string, ownKey?: string): unknown {
    const value = ownKey === undefined ? prop(obj, key) : (obj as Record<string, unknown>)[ownKey];
    if (value === undefined) return undefined;
    if (isHiddenValue(value)) {
        hiddenLog?.push({ container: obj, key });
        return UNKNOWN;
    }
    return isUnknownValue(value) ? UNKNOWN : value;
}

/** A dotted path's keys, split once per distinct path (rules read the same few paths of every resource). */
function pathKeys(path: string): readonly string[] {
    let keys = splitPaths.get(path);
    if (!keys) {
        keys = path.split(".");
        if (splitPaths.size < 10_000) splitPaths.set(path, keys);
    }
    return keys;
}
const splitPaths = new Map<string, readonly string[]>();

/** Whether `get(obj, path)` met a hidden (secret) value rather than a preview unknown. */
function hiddenAlong(obj: unknown, path: string): boolean {
    let cur: unknown = raw(obj);
    for (const key of path.split(".")) {
        if (isHiddenValue(cur)) return true;
        if (cur === undefined || cur === null || typeof cur !== "object") return false;
        cur = prop(cur, key);
    }
    return isHiddenValue(cur);
}

/**
 * The path of `target` (an object inside `root`) as messages name it: `securityRules[2].sourceAddressPrefix`.
 * Searched by identity, so only for the rare hidden value; `undefined` when `target` is not in `root`.
 */
export function pathTo(root: unknown, target: object, key: string): string | undefined {
    const seen = new Set<object>();
    const walk = (node: unknown, path: string): string | undefined => {
        if (node === null || typeof node !== "object" || seen.has(node)) return undefined;
        seen.add(node);
        const step = (k: string) => (Array.isArray(node) ? `${path}[${k}]` : path === "" ? k : `${path}.${k}`);
        if (node === target) return step(key);
        for (const [k, v] of Object.entries(node)) {
            const found = walk(v, step(k));
            if (found) return found;
        }
        return undefined;
    };
    return walk(raw(root), "");
}

/** An input list: `UNKNOWN` if the list itself is unknown, [] if missing; items keep their markers. */
export function list(value: unknown): unknown[] | Unknown {
    if (isUnknownValue(value)) return UNKNOWN;
    return Array.isArray(value) ? value : [];
}

/** Case-insensitive equality of strings (Azure enums are compared case-insensitively). */
export function eqi(a: unknown, b: string): boolean {
    return typeof a === "string" && a.toLowerCase() === b.toLowerCase();
}

export function lower(value: unknown): string | undefined {
    return typeof value === "string" ? value.toLowerCase() : undefined;
}

/** `"value"` for messages; `(not set)` for missing values. */
export function show(value: unknown): string {
    if (value === undefined) return "not set";
    if (value === UNKNOWN) return "unknown";
    return JSON.stringify(value);
}

/** `storage:StorageAccount "data"`: the resource as messages name it. */
export function describe(type: string, name: string): string {
    return `${type.replace(/^azure-native:/, "")} "${name}"`;
}

/**
 * Signals that the value a rule needs is not known yet (a first `pulumi preview`). It is the policy
 * SDK's own error, so the Pulumi CLI and `runPack` both turn it into an advisory
 * "can't run policy ... during preview" instead of a violation.
 */
export function cannotCheckYet(path: string): never {
    throw new UnknownValueError("04da6b54-80e4-46f7-96ec-b56ff0331ba9", path.split("."));
}

/**
 * What a rule cannot verify although the stack is not in preview: values the engine hides, relations
 * to resources outside the stack, unknown fields of a rule that may open a port. It is the policy SDK's
 * unknown-value error (the only advisory channel a mandatory policy has: the Pulumi CLI and `runPack`
 * both report it as one advisory "can't run policy …: <message>"), with a message naming each path.
 */
export class CannotVerifyError extends UnknownValueError {
    constructor(readonly reasons: string[]) {
        super("04da6b54-80e4-46f7-96ec-b56ff0331ba9", []);
        this.message = `cannot verify: ${reasons.join("; ")}`;
    }
}

/** The advisory text for a hidden value at `path`. */
export const hiddenReason = (path: string) =>
    `value at .${path} is hidden by the engine (a secret: "[secret]" or ciphertext only), so it is not read as compliant`;

/** `get` that defers the whole rule to the update when the value is unknown (or reports it hidden). */
export function known(obj: unknown, path: string): unknown {
    const value = get(obj, path);
    if (value === UNKNOWN) {
        if (hiddenAlong(obj, path)) throw new CannotVerifyError([hiddenReason(path)]);
        cannotCheckYet(path);
    }
    return value;
}

/** Where a rule comes from: Azure Policy built-in GUIDs, Checkov ids, Microsoft Learn pages. */
export interface RuleSources {
    azurePolicy?: string[];
    checkov?: string[];
    trivy?: string[];
    learn?: string;
}

export interface RuleMeta {
    name: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    severity: Severity;
    remediationSteps: string;
    sources: RuleSources;
    configSchema?: PolicyConfigSchema;
}

export const azurePolicyUrl = (guid: string) =>
    `https://portal.azure.com/#view/Microsoft_Azure_Policy/PolicyDetailBlade/definitionId/%2Fproviders%2FMicrosoft.Authorization%2FpolicyDefinitions%2F${guid}`;

const sourceDoc = "https://learn.microsoft.com/azure/machine-learning/how-to-secure-workspace-vnet";

/**
 * The metadata of a rule in the one shape every rule uses: the sources it mirrors go into `tags`
 * (`azure-policy:<guid>`, `checkov:<id>`, `trivy:<id>`, `source:<MS Learn page>`) and `url` points at
 * the first Azure Policy built-in, or at the Microsoft Learn page the rule comes from.
 */
export function metadata(meta: RuleMeta): Policy {
    const { sources } = meta;
    const tags = [
        ...(sources.azurePolicy ?? []).map((g) => `azure-policy:${g}`),
        ...(sources.checkov ?? []).map((c) => `checkov:${c}`),
        ...(sources.trivy ?? []).map((t) => `trivy:${t}`),
        ...(sources.learn ? [`source:${sources.learn}`] : []),
    ];
    return {
        name: meta.name,
        description: meta.description,
        enforcementLevel: meta.enforcementLevel,
        severity: meta.severity,
        remediationSteps: meta.remediationSteps,
        tags,
        url: sources.azurePolicy?.length ? azurePolicyUrl(sources.azurePolicy[0]) : (sources.learn ?? sourceDoc),
        ...(meta.configSchema ? { configSchema: meta.configSchema } : {}),
    };
}

/** The schema defaults of a policy's config, as the Pulumi CLI fills them in. */
export function configDefaults(policy: Policy): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
        if ((schema as { default?: unknown }).default !== undefined)
            out[key] = (schema as { default?: unknown }).default;
    }
    return out;
}

/** A resource policy's config: what `getConfig` returns, with the schema defaults under it. */
export function configOf<T extends object>(policy: Policy, args: Pick<ResourceValidationArgs, "getConfig">): T {
    return { ...configDefaults(policy), ...(args.getConfig<T>() ?? {}) } as T;
}

export const tokens = {
    vnet: "azure-native:network:VirtualNetwork",
    subnet: "azure-native:network:Subnet",
    nsg: "azure-native:network:NetworkSecurityGroup",
    securityRule: "azure-native:network:SecurityRule",
    privateEndpoint: "azure-native:network:PrivateEndpoint",
    zoneGroup: "azure-native:network:PrivateDnsZoneGroup",
    natGateway: "azure-native:network:NatGateway",
    bastion: "azure-native:network:BastionHost",
    privateZone: "azure-native:privatedns:PrivateZone",
    vnetLink: "azure-native:privatedns:VirtualNetworkLink",
    storage: "azure-native:storage:StorageAccount",
    vault: "azure-native:keyvault:Vault",
    registry: "azure-native:containerregistry:Registry",
    workspace: "azure-native:machinelearningservices:Workspace",
    compute: "azure-native:machinelearningservices:Compute",
    appInsights: "azure-native:applicationinsights:Component",
    privateLinkScope: "azure-native:monitor:PrivateLinkScope",
    containerGroup: "azure-native:containerinstance:ContainerGroup",
    resourceGroup: "azure-native:resources:ResourceGroup",
    managedCluster: "azure-native:containerservice:ManagedCluster",
} as const;

/** A rule that checks one resource type: it ignores other types and prefixes messages with the resource. */
export function resourceRule(
    meta: RuleMeta,
    types: readonly string[],
    check: (
        props: Record<string, unknown>,
        report: (message: string) => void,
        args: ResourceValidationArgs,
        advise: Advise,
    ) => void,
): ResourceValidationPolicy {
    const validate: ResourceValidation = (args, reportViolation) => {
        if (!types.includes(args.type)) return;
        const props = raw<Record<string, unknown>>(args.props) ?? {};
        const advice: string[] = [];
        const { hidden } = withHiddenLog(() =>
            check(
                props,
                (message) => reportViolation(`${describe(args.type, args.name)}: ${message}`),
                args,
                (reason) => advice.push(reason),
            ),
        );
        reportHidden(hidden, [props], undefined, advice);
    };
    // The analyzer's fast path (what validateResourceOfType sets): skip other types without a call.
    if (types.length === 1) (validate as { __pulumiType?: string }).__pulumiType = types[0];
    (validate as { __pulumiTypes?: readonly string[] }).__pulumiTypes = types;
    return { ...metadata(meta), validateResource: validate };
}

/** A rule over the whole stack; `check` gets the stack's index (built once per run). */
export function stackRule(
    meta: RuleMeta,
    check: (args: StackValidationArgs, report: ReportViolation, advise: Advise) => void,
): StackValidationPolicy {
    return {
        ...metadata(meta),
        validateStack: (args, report) => {
            const advice: string[] = [];
            const { hidden } = withHiddenLog(() => check(args, report, (reason) => advice.push(reason)));
            // The stack's roots and labels only when there is something to report: building them for
            // every stack rule was a measurable part of a 10,000-resource run.
            if (hidden.length === 0 && advice.length === 0) return;
            reportHidden(
                hidden,
                args.resources.map((r) => r.props),
                args.resources.map((r) => describe(r.type, r.name)),
                advice,
            );
        },
    };
}

/** Records something a rule cannot verify (with the path or relation and why); reported as one advisory. */
export type Advise = (reason: string) => void;

/**
 * After a check: the hidden values it read become one advisory naming each exact path (and, over a
 * stack, the resource). Never silent, never a pass, never mandatory by itself.
 */
export function reportHidden(hidden: HiddenRead[], roots: unknown[], labels?: string[], advice: string[] = []): void {
    if (hidden.length === 0 && advice.length === 0) return;
    const reasons = new Set<string>(advice);
    for (const h of hidden) {
        for (let i = 0; i < roots.length; i++) {
            const path = pathTo(roots[i], h.container, h.key);
            if (path === undefined) continue;
            reasons.add(`${labels ? `${labels[i]}: ` : ""}${hiddenReason(path)}`);
            break;
        }
    }
    if (reasons.size > 0) throw new CannotVerifyError([...reasons]);
}

/** The resource types a validation declares (resourceRule's, or the SDK's `__pulumiType`); undefined: any. */
export function declaredTypes(validate: unknown): readonly string[] | undefined {
    const v = validate as { __pulumiTypes?: readonly string[]; __pulumiType?: string } | undefined;
    if (Array.isArray(v?.__pulumiTypes)) return v!.__pulumiTypes;
    if (typeof v?.__pulumiType === "string" && v.__pulumiType !== "") return [v.__pulumiType];
    return undefined;
}

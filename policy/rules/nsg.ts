import {
    Cidr,
    cidrContains,
    cidrsOverlap,
    isPrivate,
    overlapsPrivate,
    parseCidr,
    SecurityRule,
    ServiceTagRequirement,
    TagRelation,
    serviceTagFor,
    tagRelation,
} from "./catalog";
import { Interval, portInterval, portRanges } from "./ports";
import { Memo, UNKNOWN, Unknown, field, get, isUnknownValue, list, lower, memoWithHidden, runCache } from "./util";

/**
 * NSG rules as the pack reasons about them, and Azure's evaluation of them: custom rules by priority,
 * then the default rules every NSG has. Used by the per-resource NSG rules and by the stack rules that
 * check a subnet's flows are *effectively* allowed.
 */

export interface NsgRuleView {
    /** For messages: `securityRules[2] "AllowSsh"` or `SecurityRule "ssh"`. */
    label: string;
    /** The standalone SecurityRule's URN, if it is one. */
    urn?: string;
    priority: number | Unknown;
    direction: string | Unknown;
    access: string | Unknown;
    protocol: string | Unknown;
    sources: string[] | Unknown;
    destinations: string[] | Unknown;
    sourcePorts: string[] | Unknown;
    destinationPorts: string[] | Unknown;
    /** Rules that name application security groups never match Azure ML nodes (they are not in ASGs). */
    usesAsgs: boolean;
    isDefault?: boolean;
    /** The rule's input object, for exact comparisons. */
    raw: Record<string, unknown>;
    /** Where the rule's fields are in its resource's inputs (`securityRules[2].`); "" for a standalone rule. */
    pathPrefix?: string;
    /** `destinationPorts` as number ranges, when known (derived once with the fields; `*` is every port). */
    destinationRanges?: readonly Interval[];
}

function strings(single: unknown, many: unknown): string[] | Unknown {
    if (isUnknownValue(single) || isUnknownValue(many)) return UNKNOWN;
    const one = typeof single === "string" && single !== "";
    // The common rule names one prefix or port: a literal of its size (views live for the whole run).
    if (!Array.isArray(many) || many.length === 0) return one ? [single] : [];
    const out: string[] = one ? [single] : [];
    for (const v of many) {
        if (isUnknownValue(v)) return UNKNOWN;
        if (typeof v === "string") out.push(v);
    }
    return out;
}

function known<T>(value: unknown, f: (v: unknown) => T): T | Unknown {
    return isUnknownValue(value) ? UNKNOWN : f(value);
}

/** One rule from `NetworkSecurityGroup.securityRules[]` or a standalone `SecurityRule`'s inputs. */
export function viewRule(rule: unknown, label: string, urn?: string, pathPrefix?: string): NsgRuleView {
    // The fields depend on the rule's inputs only: read once per rule object in a run, however many
    // policies (and labels: a standalone rule's resource part and the stack's effective rules) view it.
    const cache = runCache<object, Memo<RuleFields>>("nsg.viewRule");
    const fields =
        cache && rule && typeof rule === "object" && !isUnknownValue(rule)
            ? memoWithHidden(cache, rule, () => ruleFields(rule))
            : ruleFields(rule);
    return viewOf(fields, label, urn, pathPrefix);
}

/** A view: the fields under a label, as one literal (its shape the same for every view). */
function viewOf(f: RuleFields, label: string, urn: string | undefined, pathPrefix: string | undefined): NsgRuleView {
    const view: NsgRuleView = {
        label,
        urn,
        priority: f.priority,
        direction: f.direction,
        access: f.access,
        protocol: f.protocol,
        sources: f.sources,
        destinations: f.destinations,
        sourcePorts: f.sourcePorts,
        destinationPorts: f.destinationPorts,
        destinationRanges: f.destinationRanges,
        usesAsgs: f.usesAsgs,
        raw: f.raw,
    };
    if (pathPrefix !== undefined) view.pathPrefix = pathPrefix;
    return view;
}

/**
 * An NSG's inline `securityRules` as views, each with where it is in the inputs; `UNKNOWN` when the
 * list is not known yet. Read by both NSG policies and by the stack index (effective rules): built
 * once per inputs object in a run, read-only (callers copy the list before adding to it).
 */
export function inlineRuleViews(props: unknown): NsgRuleView[] | Unknown {
    const cache = runCache<object, Memo<NsgRuleView[] | Unknown>>("nsg.inlineRuleViews");
    if (!cache || !props || typeof props !== "object") return buildInlineRuleViews(props);
    return memoWithHidden(cache, props, () => buildInlineRuleViews(props));
}

function buildInlineRuleViews(props: unknown): NsgRuleView[] | Unknown {
    const items = list(get(props, "securityRules"));
    if (items === UNKNOWN) return UNKNOWN;
    // Read through `get` so a rule hidden as a whole is recorded with its path. Each inline rule is
    // viewed once per run (this list is): its fields are read here, under this list's memo.
    return items
        .map((_, i) => get(items, String(i)))
        .map((r, i) =>
            viewOf(
                ruleFields(r),
                `securityRules[${i}] "${String(get(r, "name") ?? i)}"`,
                undefined,
                `securityRules[${i}].`,
            ),
        );
}

type RuleFields = Omit<NsgRuleView, "label" | "urn" | "isDefault" | "pathPrefix">;

/** The inputs a rule view reads (ARM names them case-insensitively: `prop` in util.ts). */
const ruleInputs = [
    "priority",
    "direction",
    "access",
    "protocol",
    "sourceAddressPrefix",
    "sourceAddressPrefixes",
    "destinationAddressPrefix",
    "destinationAddressPrefixes",
    "sourcePortRange",
    "sourcePortRanges",
    "destinationPortRange",
    "destinationPortRanges",
    "sourceApplicationSecurityGroups",
    "destinationApplicationSecurityGroups",
];
const ruleInputSet = new Set(ruleInputs);
const ruleInputByLower = new Map(ruleInputs.map((k) => [k.toLowerCase(), k]));

/**
 * `(key) => field(rule, key)` for the rule inputs, with the rule's keys scanned once: a rule has a
 * dozen keys, and `field` asked of each of fourteen inputs would scan them again for every one absent.
 * The same key wins as with `prop`: the exact one, else the first that differs in case only.
 */
function ruleReader(rule: Record<string, unknown>): (key: string) => unknown {
    const actual: Record<string, string> = {};
    for (const k in rule) {
        if (!Object.prototype.hasOwnProperty.call(rule, k)) continue;
        if (ruleInputSet.has(k)) actual[k] = k;
        else {
            const input = ruleInputByLower.get(k.toLowerCase());
            if (input !== undefined && actual[input] === undefined) actual[input] = k;
        }
    }
    return (key) => {
        const k = actual[key];
        return k === undefined ? undefined : field(rule, key, k);
    };
}

function ruleFields(rule: unknown): RuleFields {
    // A rule the engine hides as a whole (`"[secret]"`, an envelope) has every field unknown.
    const r = (isUnknownValue(rule) ? rule : rule && typeof rule === "object" ? rule : {}) as Record<string, unknown>;
    // A hidden rule has no fields to read: each is unknown, as `get` would say.
    const f = isUnknownValue(r) ? () => UNKNOWN : ruleReader(r);
    const nonEmpty = (v: unknown) => Array.isArray(v) && v.length > 0;
    const destinationPorts = strings(f("destinationPortRange"), f("destinationPortRanges"));
    return {
        priority: known(f("priority"), (v) => (typeof v === "number" ? v : Number(v))),
        direction: known(f("direction"), (v) => lower(v) ?? ""),
        access: known(f("access"), (v) => lower(v) ?? ""),
        protocol: known(f("protocol"), (v) => lower(v) ?? "*"),
        sources: strings(f("sourceAddressPrefix"), f("sourceAddressPrefixes")),
        destinations: strings(f("destinationAddressPrefix"), f("destinationAddressPrefixes")),
        sourcePorts: strings(f("sourcePortRange"), f("sourcePortRanges")),
        destinationPorts,
        destinationRanges: destinationPorts === UNKNOWN ? undefined : portRanges(destinationPorts),
        usesAsgs: nonEmpty(f("sourceApplicationSecurityGroups")) || nonEmpty(f("destinationApplicationSecurityGroups")),
        raw: r,
    };
}

/** Every NSG's default rules (Microsoft Learn, "Network security groups: default security rules"). */
export const defaultRules: readonly NsgRuleView[] = [
    defaultRule("AllowVnetInBound", 65000, "Inbound", "Allow", "VirtualNetwork", "VirtualNetwork"),
    defaultRule("AllowAzureLoadBalancerInBound", 65001, "Inbound", "Allow", "AzureLoadBalancer", "*"),
    defaultRule("DenyAllInBound", 65500, "Inbound", "Deny", "*", "*"),
    defaultRule("AllowVnetOutBound", 65000, "Outbound", "Allow", "VirtualNetwork", "VirtualNetwork"),
    // Service tags name public Azure addresses, so they are inside `Internet`: this default allows them.
    defaultRule("AllowInternetOutBound", 65001, "Outbound", "Allow", "*", "Internet"),
    defaultRule("DenyAllOutBound", 65500, "Outbound", "Deny", "*", "*"),
];

function defaultRule(
    name: string,
    priority: number,
    direction: string,
    access: string,
    source: string,
    destination: string,
): NsgRuleView {
    const raw = {
        name,
        priority,
        direction,
        access,
        protocol: "*",
        sourceAddressPrefix: source,
        sourcePortRange: "*",
        destinationAddressPrefix: destination,
        destinationPortRange: "*",
    };
    return { ...viewRule(raw, `default rule ${name}`), isDefault: true };
}

/** Sources that mean "anyone on the Internet". */
const anywhere = new Set(["*", "any", "internet", "0.0.0.0", "0.0.0.0/0", "::/0", "::"]);

export function isAnywhere(prefix: string): boolean {
    return anywhere.has(prefix.trim().toLowerCase()) || /\/0$/.test(prefix.trim());
}

/** Whether a port range (`*`, `22`, `1000-2000`, as ports.ts reads it) covers a port. */
export function portCovers(range: string, port: number): boolean {
    const interval = portInterval(range);
    return interval !== undefined && port >= interval[0] && port <= interval[1];
}

export function portsCover(ranges: string[], port: number): boolean {
    return ranges.some((r) => portCovers(r, port));
}

/**
 * `portsCover(rule.destinationPorts, port)` with the ranges parsed once per rule view (views never
 * change once built; `evaluate` asks it of every rule for every required flow).
 */
export function destinationPortsCover(rule: NsgRuleView & { destinationPorts: string[] }, port: number): boolean {
    // Every view viewRule builds carries its ranges (parsed once with its fields).
    const ranges = rule.destinationRanges ?? portRanges(rule.destinationPorts);
    for (let i = 0; i < ranges.length; i++) if (port >= ranges[i][0] && port <= ranges[i][1]) return true;
    return false;
}

/** A required flow, one port at a time. The "local" end is the subnet's own addresses. */
export interface FlowAtom {
    direction: "inbound" | "outbound";
    protocol: "tcp" | "udp";
    port: number;
    /** The other end: a service tag (lower case), or `any`. */
    remote: string;
    /** For messages. */
    label: string;
}

/** What the local end (the subnet) is: its address prefixes when known. */
export interface LocalEnd {
    prefixes: Cidr[] | undefined;
}

/** none; may intersect (cannot be known offline); overlaps; covers. Ordered: `min`/`max` combine them. */
type Relation = 0 | 1 | 2 | 3;
const NONE: Relation = 0,
    MAYBE: Relation = 1,
    OVERLAPS: Relation = 2,
    COVERS: Relation = 3;

const fromTagRelation: Record<TagRelation, Relation> = {
    covers: COVERS,
    overlaps: OVERLAPS,
    unknown: MAYBE,
    disjoint: NONE,
};

function localRelation(prefix: string, local: LocalEnd): Relation {
    const p = prefix.trim().toLowerCase();
    if (anywhere.has(p) && p !== "internet") return COVERS;
    if (p === "virtualnetwork") return COVERS;
    const cidr = parseCidr(p);
    if (!cidr) return NONE;
    if (cidr[1] === 0) return COVERS;
    if (local.prefixes && local.prefixes.length > 0) {
        if (local.prefixes.every((l) => cidrContains(cidr, l))) return COVERS;
        return local.prefixes.some((l) => cidrsOverlap(cidr, l)) ? OVERLAPS : NONE;
    }
    return overlapsPrivate(cidr) ? OVERLAPS : NONE;
}

/**
 * How a rule's remote prefix relates to the flow's remote end (a service tag, `internet`, or `any`).
 * Tags through the catalogue's hierarchy (`AzureCloud` and `Internet` contain `AzureMachineLearning`);
 * a public CIDR against a service tag may or may not intersect (tag ranges change weekly): MAYBE.
 */
function remoteRelation(prefix: string, remote: string): Relation {
    const p = prefix.trim().toLowerCase();
    if (p === "*" || p === "any" || p === "0.0.0.0/0" || p === "::/0") return COVERS;
    if (remote === "any") return OVERLAPS;
    const cidr = parseCidr(p);
    if (cidr) {
        if (cidr[1] === 0) return COVERS;
        if (remote === "virtualnetwork") return overlapsPrivate(cidr) ? OVERLAPS : NONE;
        if (remote === "azureloadbalancer") return cidrContains(cidr, parseCidr("168.63.129.16")!) ? OVERLAPS : NONE;
        if (isPrivate(cidr)) return NONE;
        return remote === "internet" ? OVERLAPS : MAYBE;
    }
    return fromTagRelation[tagRelation(p, remote)];
}

/** `remoteRelation`, which depends on its two strings only, once per pair (a stack repeats a few). */
function remoteRelationOf(prefix: string, remote: string): Relation {
    let byPrefix = remoteRelations.get(remote);
    if (!byPrefix) {
        if (remoteRelations.size >= 1_000) remoteRelations.clear();
        remoteRelations.set(remote, (byPrefix = new Map()));
    }
    let out = byPrefix.get(prefix);
    if (out === undefined) {
        out = remoteRelation(prefix, remote);
        if (byPrefix.size >= 10_000) byPrefix.clear();
        byPrefix.set(prefix, out);
    }
    return out;
}
const remoteRelations = new Map<string, Map<string, Relation>>();

/**
 * `localRelation` once per prefix and subnet: `evaluate` asks it for every rule at every required
 * flow of the subnet, and the subnet's prefixes (the array, never changed once read) are the same.
 */
function localRelationOf(prefix: string, local: LocalEnd): Relation {
    if (!local.prefixes) return localRelation(prefix, local);
    let byPrefix = localRelations.get(local.prefixes);
    if (!byPrefix) localRelations.set(local.prefixes, (byPrefix = new Map()));
    let out = byPrefix.get(prefix);
    if (out === undefined) byPrefix.set(prefix, (out = localRelation(prefix, local)));
    return out;
}
const localRelations = new WeakMap<readonly Cidr[], Map<string, Relation>>();

/** How a rule relates to a flow atom, or UNKNOWN when a field it depends on is unknown. */
export function relation(rule: NsgRuleView, atom: FlowAtom, local: LocalEnd): Relation | Unknown {
    if (rule.direction === UNKNOWN) return UNKNOWN;
    if (rule.direction !== atom.direction) return NONE;
    if (rule.usesAsgs) return NONE;
    if (rule.protocol === UNKNOWN) return UNKNOWN;
    if (!(rule.protocol === "*" || rule.protocol === "any" || rule.protocol === atom.protocol)) return NONE;
    if (rule.destinationPorts === UNKNOWN) return UNKNOWN;
    if (!destinationPortsCover(rule as NsgRuleView & { destinationPorts: string[] }, atom.port)) return NONE;
    if (rule.sources === UNKNOWN || rule.destinations === UNKNOWN || rule.sourcePorts === UNKNOWN) return UNKNOWN;
    const inbound = atom.direction === "inbound";
    const localSide = inbound ? rule.destinations : rule.sources;
    const remoteSide = inbound ? rule.sources : rule.destinations;
    let l: Relation = NONE;
    for (let i = 0; i < localSide.length; i++) l = Math.max(l, localRelationOf(localSide[i], local)) as Relation;
    let r: Relation = NONE;
    for (let i = 0; i < remoteSide.length; i++)
        r = Math.max(r, remoteRelationOf(remoteSide[i], atom.remote)) as Relation;
    const sp: Relation =
        rule.sourcePorts.length === 0 || rule.sourcePorts.some((s) => s.trim() === "*") ? COVERS : OVERLAPS;
    return Math.min(l, r, sp) as Relation;
}

export type Verdict =
    | { result: "allowed"; rule: NsgRuleView; maybeDeniedBy?: NsgRuleView }
    | { result: "denied"; rule: NsgRuleView; partly: boolean }
    | { result: "unknown"; rule?: NsgRuleView };

/** Sorts custom rules by priority; rules with an unknown priority go first (they might be). */
export function sortRules(custom: NsgRuleView[]): NsgRuleView[] {
    const byPriority = (r: NsgRuleView) => (r.priority === UNKNOWN ? -1 : r.priority);
    return custom
        .slice()
        .sort((a, b) => byPriority(a) - byPriority(b))
        .concat(defaultRules);
}

/**
 * What Azure does with a flow: the first rule (by priority) that matches it decides. A rule that
 * matches only part of the flow (a narrower source port or address) decides only if it denies: then
 * part of the required traffic is dropped.
 */
export function evaluate(sortedRules: NsgRuleView[], atom: FlowAtom, local: LocalEnd): Verdict {
    // A deny whose prefix may or may not intersect the flow's tag: if the flow is allowed later, that
    // allow is uncertain (reported as advisory), never a pass and never mandatory.
    let maybeDeniedBy: NsgRuleView | undefined;
    for (let i = 0; i < sortedRules.length; i++) {
        const rule = sortedRules[i];
        const rel = relation(rule, atom, local);
        if (rel === UNKNOWN) return { result: "unknown", rule };
        if (rel === NONE) continue;
        if (rule.priority === UNKNOWN) return { result: "unknown", rule };
        if (rule.access === UNKNOWN) return { result: "unknown", rule };
        if (rel === MAYBE) {
            if (rule.access === "deny") maybeDeniedBy ??= rule;
            continue;
        }
        if (rel === COVERS) {
            return rule.access === "allow"
                ? { result: "allowed", rule, ...(maybeDeniedBy ? { maybeDeniedBy } : {}) }
                : { result: "denied", rule, partly: false };
        }
        if (rule.access === "deny") return { result: "denied", rule, partly: true };
    }
    return { result: "unknown" };
}

function expandPorts(ports: readonly string[]): number[] {
    const out: number[] = [];
    for (const p of ports) {
        const m = /^(\d+)(?:-(\d+))?$/.exec(p.trim());
        if (!m) continue;
        const lo = Number(m[1]);
        const hi = m[2] === undefined ? lo : Number(m[2]);
        for (let port = lo; port <= hi && port - lo < 64; port++) out.push(port);
    }
    return out;
}

/** The atoms of a row of the source document's tables, for one region. */
export function requirementAtoms(req: ServiceTagRequirement, location: string): FlowAtom[] {
    const direction = req.direction === "Inbound" ? "inbound" : "outbound";
    const remote = direction === "inbound" ? req.source : serviceTagFor(req, location);
    const protocol = req.protocol === "Udp" ? "udp" : "tcp";
    return expandPorts(req.ports).map((port) => ({
        direction,
        protocol,
        port,
        remote: remote.toLowerCase(),
        label: `${req.direction} ${req.protocol} ${port} ${direction === "inbound" ? `from ${remote}` : `to ${remote}`} (${req.key})`,
    }));
}

/** The atoms of one of Azure Bastion's documented rules. */
export function bastionRuleAtoms(rule: SecurityRule): FlowAtom[] {
    const direction = rule.direction === "Inbound" ? "inbound" : "outbound";
    const remotePrefix = direction === "inbound" ? rule.sourceAddressPrefix : rule.destinationAddressPrefix;
    const remote = remotePrefix === "*" ? "any" : remotePrefix.toLowerCase();
    const protocols: ("tcp" | "udp")[] =
        rule.protocol === "*" ? ["tcp", "udp"] : [rule.protocol === "Udp" ? "udp" : "tcp"];
    const ports = expandPorts(rule.destinationPortRanges ?? [rule.destinationPortRange ?? ""]);
    return protocols.flatMap((protocol) =>
        ports.map((port) => ({
            direction,
            protocol,
            port,
            remote,
            label: `${rule.direction} ${protocol === "tcp" ? "Tcp" : "Udp"} ${port} ${direction === "inbound" ? `from ${remotePrefix}` : `to ${remotePrefix}`} (Bastion ${rule.name})`,
        })),
    );
}

/** `Inbound Allow Tcp from "*" to ports 22` for messages. */
export function summarise(rule: NsgRuleView): string {
    const s = (v: string | string[] | Unknown) => (v === UNKNOWN ? "(unknown)" : Array.isArray(v) ? v.join(",") : v);
    return `${s(rule.direction)} ${s(rule.access)} ${s(rule.protocol)} from ${s(rule.sources)} to ${s(rule.destinations)} ports ${s(rule.destinationPorts)}`;
}

import { parseCidr } from "./catalog";
import type { NsgRuleView } from "./nsg";
import { Interval, portRanges } from "./ports";
import { UNKNOWN } from "./util";

/**
 * Who can reach which port through an NSG, by interval arithmetic (no enumeration of ports or
 * addresses): rules in priority order, the first rule that matches a (source address, port) decides.
 * Used for the management ports and for firewall IP rules.
 */

/** Lists of intervals (ports.ts) are kept sorted and disjoint. */
export type { Interval } from "./ports";

export function normalise(xs: readonly Interval[]): Interval[] {
    // Most lists are normal already (every function here returns normal lists): copy those as they are.
    if (isNormal(xs)) return xs.slice();
    const sorted = xs.filter(([a, b]) => a <= b).sort((x, y) => x[0] - y[0]);
    const out: [number, number][] = [];
    for (const [a, b] of sorted) {
        const last = out[out.length - 1];
        if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
        else out.push([a, b]);
    }
    return out;
}

/** Sorted, each interval non-empty, and apart from the next by at least one number. */
function isNormal(xs: readonly Interval[]): boolean {
    for (let i = 0; i < xs.length; i++) {
        if (xs[i][0] > xs[i][1]) return false;
        if (i > 0 && xs[i][0] <= xs[i - 1][1] + 1) return false;
    }
    return true;
}

export function union(a: readonly Interval[], b: readonly Interval[]): Interval[] {
    return normalise([...a, ...b]);
}

export function subtract(a: readonly Interval[], b: readonly Interval[]): Interval[] {
    const cut = normalise(b);
    const out: Interval[] = [];
    for (const [lo, hi] of normalise(a)) {
        let start = lo;
        for (const [c, d] of cut) {
            if (d < start || c > hi) continue;
            if (c > start) out.push([start, c - 1]);
            start = Math.max(start, d + 1);
            if (start > hi) break;
        }
        if (start <= hi) out.push([start, hi]);
    }
    return out;
}

export function intersect(a: readonly Interval[], b: readonly Interval[]): Interval[] {
    return subtract(a, subtract(a, b));
}

export function size(xs: readonly Interval[]): number {
    let n = 0;
    for (const [a, b] of isNormal(xs) ? xs : normalise(xs)) n += b - a + 1;
    return n;
}

export function contains(xs: readonly Interval[], n: number): boolean {
    return xs.some(([a, b]) => n >= a && n <= b);
}

// --- Ports ------------------------------------------------------------------------------------------

export function portIntervals(ranges: readonly string[]): Interval[] {
    return normalise(portRanges(ranges));
}

// --- IPv4 addresses ---------------------------------------------------------------------------------

const ipv4Max = 2 ** 32 - 1;

export function cidrInterval(value: string): Interval | undefined {
    const cidr = parseCidr(value);
    if (!cidr) return undefined;
    const [a, b, c, d] = cidr[0].toByteArray();
    const base = ((a * 256 + b) * 256 + c) * 256 + d;
    const span = 2 ** (32 - cidr[1]);
    const start = Math.floor(base / span) * span;
    return [start, start + span - 1];
}

/**
 * Addresses that are not the public Internet: RFC 1918, shared (100.64/10), "this network" (0/8),
 * loopback, link-local, and the multicast/reserved space from 224.0.0.0.
 */
const nonPublic = normalise(
    ["0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16"]
        .map((c) => cidrInterval(c)!)
        .concat([[3758096384, ipv4Max]]),
);

/** The public part of an address set. */
export function publicPart(xs: readonly Interval[]): Interval[] {
    return subtract(xs, nonPublic);
}

/**
 * More public addresses than one /8 (16,777,216) count as "the Internet": no administrator's range is
 * that broad, and an attacker can split `0.0.0.0/0` into `0.0.0.0/1` + `128.0.0.0/1` (or smaller
 * blocks) to slip past a check for the literal `*`.
 */
export const internetWideAddresses = 2 ** 24;

const everyAddress = new Set(["*", "any", "internet", "0.0.0.0", "0.0.0.0/0", "::/0", "::"]);

/** What a source prefix stands for, as IPv4 addresses: a set, or `tag` (a service tag's unknown ranges). */
export function sourceAddresses(prefix: string): Interval[] | "tag" {
    // A stack repeats a few prefixes (its service tags, its subnets' ranges) in every rule: read once each.
    let out = sourceAddressCache.get(prefix);
    if (out === undefined) {
        out = readSourceAddresses(prefix);
        if (sourceAddressCache.size >= 10_000) sourceAddressCache.clear();
        sourceAddressCache.set(prefix, out);
    }
    return out === "tag" ? out : out.slice();
}
const sourceAddressCache = new Map<string, Interval[] | "tag">();

function readSourceAddresses(prefix: string): Interval[] | "tag" {
    const p = prefix.trim().toLowerCase();
    if (everyAddress.has(p) || /\/0$/.test(p)) return [[0, ipv4Max]];
    const interval = cidrInterval(p);
    if (interval) return [interval];
    if (p.includes(":")) return []; // an IPv6 block narrower than ::/0
    if (p === "virtualnetwork" || p === "azureloadbalancer") return [];
    return "tag";
}

/** The union of the sources' addresses (service tags contribute nothing certain). */
export function addressesOf(prefixes: readonly string[]): Interval[] {
    const out: Interval[] = [];
    for (const p of prefixes) {
        const addresses = sourceAddresses(p);
        if (addresses !== "tag") out.push(...addresses);
    }
    return normalise(out);
}

/** Whether a set of prefixes admits the Internet: an every-address prefix, or more public addresses than a /8. */
export function isInternetWide(prefixes: readonly string[], threshold = internetWideAddresses): boolean {
    return size(publicPart(addressesOf(prefixes))) > threshold;
}

// --- NSG evaluation ---------------------------------------------------------------------------------

export interface Reach {
    /** The public addresses that reach the port. */
    addresses: Interval[];
    /** The rules through which they reach it. */
    rules: NsgRuleView[];
    /** Rules that might match but have unknown fields (never read as deny or allow). */
    unknownRules: NsgRuleView[];
}

/**
 * A rule's destination ports and public source addresses as intervals, computed once per rule view
 * (views are never changed once built): `inboundOpenPorts` evaluates every rule at every port segment.
 */
interface RuleIntervals {
    ports: Interval[];
    publicSources: Interval[];
}
const ruleIntervals = new WeakMap<NsgRuleView, RuleIntervals>();

function intervalsOf(rule: NsgRuleView & { destinationPorts: string[]; sources: string[] }): RuleIntervals {
    let out = ruleIntervals.get(rule);
    if (!out) {
        out = { ports: portIntervals(rule.destinationPorts), publicSources: publicPart(addressesOf(rule.sources)) };
        ruleIntervals.set(rule, out);
    }
    return out;
}

const protocolMatches = (ruleProtocol: string, protocol: "tcp" | "udp") =>
    ruleProtocol === "*" || ruleProtocol === "any" || ruleProtocol === protocol;

/**
 * The public source addresses from which inbound `protocol`/`port` reaches the NSG's subnets, with the
 * custom rules sorted by priority (Azure's default DenyAllInBound ends the list; AllowVnetInBound and
 * AllowAzureLoadBalancerInBound admit no public address). First match wins per address.
 */
export function inboundReach(sortedRules: readonly NsgRuleView[], protocol: "tcp" | "udp", port: number): Reach {
    const unknownRules: NsgRuleView[] = [];
    // The rules that decide the port, in priority order, and whether any of them is an allow with
    // public sources: without one no public address reaches the port (the usual NSG, of service tags
    // and private ranges, is done here without any interval arithmetic).
    const deciding: NsgRuleView[] = [];
    let publicAllow = false;
    for (let i = 0; i < sortedRules.length; i++) {
        const rule = sortedRules[i];
        if (rule.isDefault || rule.usesAsgs) continue;
        if (rule.direction === UNKNOWN || rule.access === UNKNOWN || rule.protocol === UNKNOWN) {
            unknownRules.push(rule);
            continue;
        }
        if (rule.direction !== "inbound" || !protocolMatches(rule.protocol, protocol)) continue;
        if (rule.destinationPorts === UNKNOWN || rule.sources === UNKNOWN || rule.priority === UNKNOWN) {
            unknownRules.push(rule);
            continue;
        }
        const { ports, publicSources } = intervalsOf(rule as Parameters<typeof intervalsOf>[0]);
        if (!contains(ports, port)) continue;
        deciding.push(rule);
        if (rule.access === "allow" && publicSources.length > 0) publicAllow = true;
    }
    let decided: Interval[] = [];
    let addresses: Interval[] = [];
    const rules: NsgRuleView[] = [];
    if (!publicAllow) return { addresses, rules, unknownRules };
    for (const rule of deciding) {
        const { publicSources } = intervalsOf(rule as Parameters<typeof intervalsOf>[0]);
        const matched = subtract(publicSources, decided);
        const allSourcePorts =
            rule.sourcePorts !== UNKNOWN &&
            (rule.sourcePorts.length === 0 || rule.sourcePorts.some((s) => s.trim() === "*"));
        if (rule.access === "allow" && matched.length > 0) {
            addresses = union(addresses, matched);
            rules.push(rule);
        }
        // A deny decides only for every source port; an allow's addresses are reachable already.
        if (rule.access === "allow" || allSourcePorts) decided = union(decided, matched);
    }
    return { addresses, rules, unknownRules };
}

/** `0.0.0.0/1`-style text of an interval list, for messages (at most three blocks). */
export function showAddresses(xs: readonly Interval[]): string {
    if (size(xs) === size(publicPart([[0, ipv4Max]]))) return "every public IPv4 address";
    const ip = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");
    const parts = xs.slice(0, 3).map(([a, b]) => (a === b ? ip(a) : `${ip(a)}-${ip(b)}`));
    return parts.join(", ") + (xs.length > 3 ? ", …" : "");
}

/** The ports at which a rule list can change its verdict: every range's start and end + 1. */
export function portSegments(rules: readonly NsgRuleView[]): Interval[] {
    const cuts = new Set<number>([0, 65536]);
    for (const r of rules) {
        if (r.destinationPorts === UNKNOWN) continue;
        for (const [a, b] of portIntervals(r.destinationPorts)) {
            cuts.add(a);
            cuts.add(b + 1);
        }
    }
    const points = [...cuts].filter((n) => n <= 65536).sort((a, b) => a - b);
    return points.slice(0, -1).map((p, i) => [p, points[i + 1] - 1] as Interval);
}

/**
 * The inbound ports (of `protocol`) that more than a /8 of public addresses reach, over every port:
 * each stretch between rule boundaries is evaluated once (at most 2 × rules + 1 stretches).
 *
 * Only inbound rules of the protocol can change a verdict between stretches, so only they cut the
 * ports; and a stretch is evaluated only when the allows covering it name more than `threshold`
 * public addresses together, since what reaches a port is a subset of those (an NSG of service-tag
 * rules, the usual case, is done without evaluating any stretch).
 */
export function inboundOpenPorts(
    sortedRules: readonly NsgRuleView[],
    protocol: "tcp" | "udp",
    threshold = internetWideAddresses,
): { ports: Interval[]; rules: NsgRuleView[] } {
    const relevant = sortedRules.filter(
        (r) =>
            !r.isDefault &&
            !r.usesAsgs &&
            (r.direction === UNKNOWN || r.direction === "inbound") &&
            (r.protocol === UNKNOWN || protocolMatches(r.protocol, protocol)),
    );
    const allows: RuleIntervals[] = [];
    for (const r of relevant) {
        if (r.access !== "allow" || r.direction !== "inbound" || r.protocol === UNKNOWN) continue;
        if (r.destinationPorts === UNKNOWN || r.sources === UNKNOWN || r.priority === UNKNOWN) continue;
        const intervals = intervalsOf(r as Parameters<typeof intervalsOf>[0]);
        if (intervals.publicSources.length > 0) allows.push(intervals);
    }
    const bound = (segment: Interval) =>
        allows.reduce((n, a) => (contains(a.ports, segment[0]) ? n + size(a.publicSources) : n), 0);
    let ports: Interval[] = [];
    const rules = new Set<NsgRuleView>();
    if (allows.length === 0) return { ports, rules: [] };
    for (const segment of portSegments(relevant)) {
        if (bound(segment) <= threshold) continue;
        const reach = inboundReach(sortedRules, protocol, segment[0]);
        if (size(reach.addresses) > threshold) {
            ports = union(ports, [segment]);
            reach.rules.forEach((r) => rules.add(r));
        }
    }
    return { ports, rules: [...rules] };
}

export const showPorts = (xs: readonly Interval[]) => xs.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(", ");

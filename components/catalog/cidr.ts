import * as ipaddr from "ipaddr.js";

/**
 * IPv4 CIDR arithmetic, on ipaddr.js, shared by the components' argument validation and the policy
 * pack's NSG and address-space rules, so both read addresses the same way.
 */

/** An IPv4 block: its address and prefix length. Host bits, if any, are kept; matching ignores them. */
export type Cidr = [ipaddr.IPv4, number];

/** Docker's default bridge network; the source document's Important box says not to use it for the VNet. */
export const dockerBridgeRange = "172.17.0.0/16";

/**
 * Parsed blocks by text. The pack reads the same few prefixes over and over (every NSG rule's for every
 * stretch of ports, every subnet's for every rule), and ipaddr.js parses a text twice (validate, then
 * parse): this was most of a 10,000-resource run. Bounded, so a huge stack cannot grow it without end.
 * The tuples are shared: callers read them, never change them.
 */
const parsed = new Map<string, Cidr | undefined>();
const parsedLimit = 50_000;

/** Parses `a.b.c.d/n`, or a bare address as a /32; undefined for anything else (service tags, `*`, IPv6). */
export function parseCidr(value: unknown): Cidr | undefined {
    if (typeof value !== "string") return undefined;
    if (parsed.has(value)) return parsed.get(value);
    const text = value.trim();
    let cidr: Cidr | undefined;
    if (ipaddr.IPv4.isValidCIDR(text)) cidr = ipaddr.IPv4.parseCIDR(text) as Cidr;
    else if (ipaddr.IPv4.isValidFourPartDecimal(text)) cidr = [ipaddr.IPv4.parse(text), 32];
    if (parsed.size >= parsedLimit) parsed.clear();
    parsed.set(value, cidr);
    return cidr;
}

export function cidrContains([outer, outerBits]: Cidr, [inner, innerBits]: Cidr): boolean {
    return outerBits <= innerBits && inner.match(outer, outerBits);
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
    // Two blocks overlap exactly when the larger one contains the smaller one.
    return a[1] <= b[1] ? cidrContains(a, b) : cidrContains(b, a);
}

const dockerBridge = parseCidr(dockerBridgeRange)!;

/** Whether a value is an IPv4 block or address overlapping Docker's bridge range (false for anything else). */
export function overlapsDockerBridge(value: unknown): boolean {
    const cidr = parseCidr(value);
    return cidr !== undefined && cidrsOverlap(cidr, dockerBridge);
}

/** RFC 1918 and shared address space: what a VNet's addresses normally come from. */
const privateRanges = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"].map((c) => parseCidr(c)!);

export function isPrivate(cidr: Cidr): boolean {
    return privateRanges.some((range) => cidrContains(range, cidr));
}

export function overlapsPrivate(cidr: Cidr): boolean {
    return privateRanges.some((range) => cidrsOverlap(range, cidr));
}

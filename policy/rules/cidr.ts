/**
 * The little IPv4 CIDR arithmetic the rules need. Kept dependency-free so the published pack needs
 * nothing beyond @pulumi/policy; test/policy/cidr.test.ts checks it against components/validate.ts
 * (which uses ipaddr.js) so the two agree.
 */

/** Docker's default bridge network; the source document says not to use it for the VNet. */
export const dockerBridgeRange = "172.17.0.0/16";

export interface Cidr {
    base: number;
    bits: number;
}

/** Parses `a.b.c.d/n` or a bare address (a /32); undefined for anything else (service tags, `*`, IPv6). */
export function parseCidr(value: unknown): Cidr | undefined {
    if (typeof value !== "string") return undefined;
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(value.trim());
    if (!m) return undefined;
    const octets = m.slice(1, 5).map(Number);
    if (octets.some((o) => o > 255)) return undefined;
    const bits = m[5] === undefined ? 32 : Number(m[5]);
    if (bits > 32) return undefined;
    const address = ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
    return { base: (address & mask(bits)) >>> 0, bits };
}

function mask(bits: number): number {
    return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}

export function cidrContains(outer: Cidr, inner: Cidr): boolean {
    return outer.bits <= inner.bits && (inner.base & mask(outer.bits)) >>> 0 === outer.base;
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
    return a.bits <= b.bits ? cidrContains(a, b) : cidrContains(b, a);
}

const dockerBridge = parseCidr(dockerBridgeRange)!;

export function overlapsDockerBridge(value: unknown): boolean {
    const cidr = parseCidr(value);
    return cidr !== undefined && cidrsOverlap(cidr, dockerBridge);
}

/** RFC 1918 and shared address space: what a VNet's addresses normally come from. */
const privateRanges = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"].map((c) => parseCidr(c)!);

export function isPrivate(cidr: Cidr): boolean {
    return privateRanges.some((r) => cidrContains(r, cidr));
}

export function overlapsPrivate(cidr: Cidr): boolean {
    return privateRanges.some((r) => cidrsOverlap(r, cidr));
}

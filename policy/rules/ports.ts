/**
 * Port ranges as NSG rules write them (`*`, `22`, `1000-2000`), read as intervals: one parser for the
 * rule views (nsg.ts) and the reachability arithmetic (reachability.ts).
 */

/** An inclusive integer interval (ports here, IPv4 addresses in reachability.ts). */
export type Interval = readonly [number, number];

const allPorts: Interval = [0, 65535];

/** `*`, `22`, `1000-2000`; undefined for text Azure would not accept. */
export function portInterval(range: string): Interval | undefined {
    const r = range.trim();
    if (r === "*" || r.toLowerCase() === "any") return allPorts;
    const m = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(r);
    if (!m) return undefined;
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    return [lo, hi];
}

/** A rule's port ranges as intervals, in its order, without the text Azure would not accept. */
export function portRanges(ranges: readonly string[]): Interval[] {
    return ranges.map(portInterval).filter((i): i is Interval => i !== undefined);
}

import * as assert from "assert";
import * as fc from "fast-check";
import { denyAllOutboundRule, requiredNsgRules } from "../../components/catalog/service-tags";
import { tagContainments, tagRelation } from "../../components/catalog/service-tag-hierarchy";
import { sortRules, viewRule } from "../../policy/rules/nsg";
import {
    Interval,
    cidrInterval,
    contains,
    inboundOpenPorts,
    inboundReach,
    internetWideAddresses,
    intersect,
    isInternetWide,
    publicPart,
    size,
    subtract,
    union,
} from "../../policy/rules/reachability";
import { openEgress } from "../../policy/rules/stack/compute-egress";
import { clone, find, location, secureStack, setInput, violations, violationsOf } from "./helpers";

/**
 * Property-based tests of the families issue 13 names: port ranges split across rules, priorities,
 * CIDR breadth. The interval arithmetic is checked against a point-by-point reference; the pack's
 * verdicts against the rule they must follow whatever the split or the numbers.
 */

const runs = { numRuns: 60 };

/** Point-wise reference of an interval list over a small domain. */
const points = (xs: readonly Interval[], max: number) => {
    const out = new Set<number>();
    for (const [a, b] of xs) for (let n = Math.max(0, a); n <= Math.min(max, b); n++) out.add(n);
    return out;
};
const interval = (max: number) =>
    fc.tuple(fc.nat(max), fc.nat(max)).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as Interval);

describe("reachability: interval arithmetic", () => {
    it("union, subtract and intersect agree with sets of points", () => {
        fc.assert(
            fc.property(
                fc.array(interval(200), { maxLength: 6 }),
                fc.array(interval(200), { maxLength: 6 }),
                (a, b) => {
                    const pa = points(a, 200);
                    const pb = points(b, 200);
                    assert.deepStrictEqual(points(union(a, b), 200), new Set([...pa, ...pb]));
                    assert.deepStrictEqual(points(subtract(a, b), 200), new Set([...pa].filter((n) => !pb.has(n))));
                    assert.deepStrictEqual(points(intersect(a, b), 200), new Set([...pa].filter((n) => pb.has(n))));
                    assert.strictEqual(size(union(a, b)), new Set([...pa, ...pb]).size);
                },
            ),
            runs,
        );
    });
});

// --- Inbound reach vs a first-match reference, address by address -----------------------------------

const sourcePool = [
    "*",
    "Internet",
    "0.0.0.0/1",
    "128.0.0.0/1",
    "20.0.0.0/8",
    "20.1.0.0/16",
    "52.0.0.0/6",
    "10.0.0.0/8",
    "VirtualNetwork",
    "AzureCloud",
    "203.0.113.7",
];
const arbRule = fc.record({
    priority: fc.integer({ min: 100, max: 4096 }),
    access: fc.constantFrom("Allow", "Deny"),
    protocol: fc.constantFrom("Tcp", "Udp", "*"),
    sources: fc.subarray(sourcePool, { minLength: 1, maxLength: 2 }),
    ports: interval(100),
});

/** What Azure does for one public address and port: the first rule (by priority) that matches decides. */
function reference(rules: ReturnType<typeof toRaw>[], addr: number, port: number, protocol: string): boolean {
    const sorted = [...rules].sort((a, b) => a.priority - b.priority);
    for (const r of sorted) {
        if (r.protocol !== "*" && r.protocol.toLowerCase() !== protocol) continue;
        const [lo, hi] = r.destinationPortRange.split("-").map(Number);
        if (port < lo || port > (hi ?? lo)) continue;
        const hit = r.sourceAddressPrefixes.some((s: string) => {
            if (["*", "internet"].includes(s.toLowerCase())) return true;
            const i = cidrInterval(s);
            return i !== undefined && addr >= i[0] && addr <= i[1];
        });
        if (hit) return r.access === "Allow";
    }
    return false; // DenyAllInBound
}

function toRaw(
    r: { priority: number; access: string; protocol: string; sources: string[]; ports: Interval },
    i: number,
) {
    return {
        name: `r${i}`,
        priority: r.priority,
        direction: "Inbound",
        access: r.access,
        protocol: r.protocol,
        sourceAddressPrefixes: r.sources,
        sourcePortRange: "*",
        destinationAddressPrefix: "*",
        destinationPortRange: `${r.ports[0]}-${r.ports[1]}`,
    };
}

describe("reachability: NSG inbound, first match wins per address", () => {
    it("inboundReach equals the first-match reference at every rule boundary and random addresses", () => {
        fc.assert(
            fc.property(
                fc.uniqueArray(arbRule, { maxLength: 6, selector: (r) => r.priority }),
                fc.nat(100),
                fc.constantFrom("tcp" as const, "udp" as const),
                fc.array(fc.nat(2 ** 32 - 1), { maxLength: 8 }),
                (rules, port, protocol, randomAddrs) => {
                    const raw = rules.map(toRaw);
                    const reach = inboundReach(sortRules(raw.map((r, i) => viewRule(r, `r${i}`))), protocol, port);
                    const probes = new Set(randomAddrs);
                    for (const s of sourcePool) {
                        const i = cidrInterval(s);
                        if (i) [i[0], i[1], i[0] - 1, i[1] + 1].forEach((n) => n >= 0 && n < 2 ** 32 && probes.add(n));
                    }
                    const isPublic = (n: number) => publicPart([[n, n]]).length > 0;
                    for (const addr of probes) {
                        if (!isPublic(addr)) continue;
                        assert.strictEqual(
                            contains(reach.addresses, addr),
                            reference(raw, addr, port, protocol),
                            `address ${addr}`,
                        );
                    }
                },
            ),
            runs,
        );
    });
});

describe("reachability: open ports over every port", () => {
    it("inboundOpenPorts holds exactly the ports whose reach is more than a /8 (per-port reference)", () => {
        fc.assert(
            fc.property(
                fc.uniqueArray(arbRule, { maxLength: 6, selector: (r) => r.priority }),
                fc.constantFrom("tcp" as const, "udp" as const),
                fc.array(fc.nat(101), { maxLength: 10 }),
                (rules, protocol, probes) => {
                    const sorted = sortRules(rules.map(toRaw).map((r, i) => viewRule(r, `r${i}`)));
                    const open = inboundOpenPorts(sorted, protocol);
                    for (const port of [...probes, 0, 100, 65535]) {
                        const wide = size(inboundReach(sorted, protocol, port).addresses) > internetWideAddresses;
                        assert.strictEqual(contains(open.ports, port), wide, `port ${port}`);
                    }
                },
            ),
            runs,
        );
    });
});

// --- The pack: port coverage split across rules, priorities, CIDR breadth ---------------------------

/** Splits [0, 65535] at random cut points into consecutive ranges. */
const arbSplit = fc.uniqueArray(fc.integer({ min: 1, max: 65535 }), { maxLength: 6 }).map((cuts) => {
    const sorted = [...cuts].sort((a, b) => a - b);
    const bounds = [0, ...sorted, 65536];
    return bounds.slice(0, -1).map((lo, i) => `${lo}-${bounds[i + 1] - 1}`);
});

function nsgWith(rules: unknown[]) {
    const s = clone(secureStack());
    const nsg = find(s, "training-nsg");
    setInput(nsg, "securityRules", rules);
    return { stack: s, nsg };
}

describe("pack properties (fast-check)", () => {
    it("SSH from the Internet is caught however the port ranges are split across allow rules, and not when a deny of 22 comes first", async () => {
        await fc.assert(
            fc.asyncProperty(
                arbSplit,
                fc.boolean(),
                fc.integer({ min: 100, max: 4000 }),
                async (ranges, denyFirst, base) => {
                    const allows = ranges.map((r, i) => ({
                        name: `open-${i}`,
                        priority: base + 1 + i,
                        direction: "Inbound",
                        access: "Allow",
                        protocol: "Tcp",
                        sourceAddressPrefix: "203.0.113.0/24",
                        sourceAddressPrefixes: [],
                        sourcePortRange: "*",
                        destinationAddressPrefix: "*",
                        destinationPortRange: r,
                    }));
                    // Half the Internet per rule would be caught by each rule alone; /9 pairs are not.
                    const wide = allows.map((a, i) => ({
                        ...a,
                        sourceAddressPrefix: undefined,
                        sourceAddressPrefixes: [`${20 + 2 * (i % 4)}.0.0.0/9`, `${20 + 2 * (i % 4)}.128.0.0/9`],
                    }));
                    // Four /8-sized rules per port are needed to pass a /8: repeat the split four times.
                    const all = [0, 1, 2, 3].flatMap((k) =>
                        wide.map((w, i) => ({
                            ...w,
                            name: `open-${k}-${i}`,
                            priority: base + 1 + k * 8 + i,
                            sourceAddressPrefixes: [`${20 + 2 * k}.0.0.0/9`, `${20 + 2 * k}.128.0.0/9`],
                        })),
                    );
                    const deny = {
                        ...allows[0],
                        name: "deny-ssh",
                        priority: base,
                        access: "Deny",
                        sourceAddressPrefix: "*",
                        destinationPortRange: "22",
                    };
                    const { nsg } = nsgWith(denyFirst ? [deny, ...all] : all);
                    const vs = await violationsOf("nsg-no-internet-management-ports", [nsg]);
                    const ssh = vs.filter((v) => v.enforcementLevel === "mandatory" && v.message.includes("22/tcp"));
                    assert.strictEqual(ssh.length > 0, !denyFirst, vs.map((v) => v.message).join("\n"));
                },
            ),
            { numRuns: 25 },
        );
    });

    it("a super-tag deny shadows the document's allows exactly when its priority number is lower", async () => {
        const { inbound, outbound } = requiredNsgRules({ location, nodePublicIp: false, hbiWorkspace: true });
        await fc.assert(
            fc.asyncProperty(
                fc.constantFrom("AzureCloud", "Internet", "*", "0.0.0.0/0", "Any"),
                fc.integer({ min: 100, max: 4000 }),
                fc.integer({ min: 100, max: 4000 }),
                async (tag, denyPriority, allowPriority) => {
                    const allows = outbound.map((r, i) => ({ ...r, priority: allowPriority + i }));
                    fc.pre(!allows.some((r) => r.priority === denyPriority));
                    const rules = [
                        ...inbound,
                        ...allows,
                        {
                            name: "deny-super",
                            priority: denyPriority,
                            direction: "Outbound",
                            access: "Deny",
                            protocol: "*",
                            sourceAddressPrefix: "*",
                            sourcePortRange: "*",
                            destinationAddressPrefix: tag,
                            destinationPortRange: "*",
                        },
                    ];
                    // Shadowed exactly when some allow comes after the deny (the last is AzureKeyVault.<region>,
                    // inside every super-tag here).
                    const shadows = allows.some((r) => r.priority > denyPriority);
                    const { stack } = nsgWith(rules);
                    const vs = (await violations(stack)).filter((v) => v.policy === "ml-compute-subnet-nsg-rules");
                    const mandatory = vs.filter((v) => v.enforcementLevel === "mandatory");
                    assert.strictEqual(mandatory.length > 0, shadows, vs.map((v) => v.message).join("\n"));
                },
            ),
            { numRuns: 25 },
        );
    });

    it("CIDR breadth: splitting a block into its halves never hides that it is the Internet", () => {
        fc.assert(
            fc.property(
                fc.array(fc.tuple(fc.nat(255), fc.integer({ min: 1, max: 12 })), { minLength: 1, maxLength: 6 }),
                (blocks) => {
                    const cidrs = blocks.map(([a, bits]) => `${a}.0.0.0/${bits}`);
                    const halves = blocks.flatMap(([a, bits]) => {
                        const [lo] = cidrInterval(`${a}.0.0.0/${bits}`)!;
                        const half = 2 ** (32 - bits - 1);
                        const ip = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");
                        return [`${ip(lo)}/${bits + 1}`, `${ip(lo + half)}/${bits + 1}`];
                    });
                    assert.strictEqual(isInternetWide(halves), isInternetWide(cidrs));
                    // Adding a block never narrows.
                    if (isInternetWide(cidrs)) assert.ok(isInternetWide([...cidrs, "203.0.113.0/24"]));
                },
            ),
            runs,
        );
    });

    it("restricted egress: an allow to a destination broader than a /8 before the deny of everything is open; narrower or after it is not", () => {
        const { inbound, outbound } = requiredNsgRules({ location, nodePublicIp: false, hbiWorkspace: true });
        fc.assert(
            fc.property(
                fc.constantFrom(
                    "*",
                    "Internet",
                    "0.0.0.0/0",
                    "0.0.0.0/1",
                    "20.0.0.0/7",
                    "20.0.0.0/8",
                    "AzureCloud",
                    "Storage",
                    "10.0.0.0/8",
                    "203.0.113.0/24",
                ),
                fc.integer({ min: 300, max: 4096 }),
                fc.integer({ min: 300, max: 4096 }),
                (destination, priority, denyPriority) => {
                    fc.pre(priority !== denyPriority);
                    const extra = viewRule(
                        {
                            name: "extra",
                            priority,
                            direction: "Outbound",
                            access: "Allow",
                            protocol: "Tcp",
                            sourceAddressPrefix: "*",
                            sourcePortRange: "*",
                            destinationAddressPrefix: destination,
                            destinationPortRange: "443",
                        },
                        "extra",
                    );
                    const deny = { ...denyAllOutboundRule, priority: denyPriority };
                    const rules = [...inbound, ...outbound, deny].map((r, i) => viewRule(r, `r${i}`));
                    const open = openEgress(sortRules([...rules, extra]), undefined, "tcp");
                    const expected = isInternetWide([destination]) && priority < denyPriority;
                    assert.strictEqual(
                        open.ports.length > 0,
                        expected,
                        `${destination} @${priority}: ${JSON.stringify(open.ports)}`,
                    );
                    if (expected) assert.deepStrictEqual(open.ports, [[443, 443]]);
                },
            ),
            runs,
        );
    });

    it("the service-tag hierarchy table is what tagRelation answers", () => {
        for (const c of tagContainments) {
            if (/^\d/.test(c.outer)) continue; // CIDRs are related by the pack's CIDR module
            assert.strictEqual(tagRelation(c.outer, c.inner), c.relation, `${c.outer} ⊇ ${c.inner}`);
        }
    });
});

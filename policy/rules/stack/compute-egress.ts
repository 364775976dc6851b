import { StackValidationPolicy } from "@pulumi/policy";
import { Cidr, cidrContains, cidrsOverlap, overlapsPrivate, parseCidr } from "../catalog";
import { indexOf } from "../graph";
import { NsgRuleView, sortRules } from "../nsg";
import {
    Interval,
    addressesOf,
    contains,
    internetWideAddresses,
    intersect,
    normalise,
    portIntervals,
    publicPart,
    showAddresses,
    showPorts,
    size,
    subtract,
    union,
} from "../reachability";
import { UNKNOWN, configOf, describe, eqi, get, stackRule, tokens } from "../util";
import { internetPathOf } from "./routes";

/**
 * Egress of compute subnets when the stack's policy config says egress is restricted: no port may
 * reach the Internet (more than a /8 of public addresses) from a compute subnet, evaluated over the
 * NSG's custom rules and Azure's defaults (AllowInternetOutBound 65001 opens everything unless a deny
 * comes first). Outbound to service tags is not the Internet here: their rows are the document's.
 *
 * Egress is judged along the route: when the subnet's route for 0.0.0.0/0 (a user-defined route
 * overrides the system route 0.0.0.0/0 → Internet) sends traffic to a virtual appliance, such as the
 * stack's Azure Firewall, or drops it (next hop None), the NSG's AllowInternetOutBound does not reach
 * the Internet directly; only the public prefixes of more specific routes with next hop Internet do
 * (the longest prefix wins): https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview
 * What the firewall lets through is judged by the firewall rules (firewall-no-wildcard-application-rule).
 */

const learn =
    "https://learn.microsoft.com/azure/machine-learning/how-to-secure-workspace-vnet#required-public-internet-access";

/** Whether a rule's sources match the compute subnet: all of it, part of it, or not. */
function localMatch(sources: string[], local: Cidr[] | undefined): "covers" | "overlaps" | "none" {
    let best: "covers" | "overlaps" | "none" = "none";
    for (const s of sources) {
        const p = s.trim().toLowerCase();
        if (["*", "any", "virtualnetwork", "0.0.0.0/0"].includes(p)) return "covers";
        const cidr = parseCidr(p);
        if (!cidr) continue;
        if (local && local.length > 0) {
            if (local.every((l) => cidrContains(cidr, l))) return "covers";
            if (local.some((l) => cidrsOverlap(cidr, l))) best = "overlaps";
        } else if (overlapsPrivate(cidr)) best = "overlaps";
    }
    return best;
}

export interface OpenEgress {
    /** Port intervals that reach the Internet. */
    ports: Interval[];
    /** The rules that let it out, and an example of the addresses. */
    rules: NsgRuleView[];
    addresses: Interval[];
}

/**
 * The ports (of `protocol`) on which the subnet reaches more than a /8 of public addresses: each
 * stretch of ports between two rule boundaries is evaluated once, addresses by interval arithmetic.
 */
export function openEgress(
    sorted: NsgRuleView[],
    local: Cidr[] | undefined,
    protocol: "tcp" | "udp",
    routedToInternet?: Interval[],
): OpenEgress {
    const outbound = sorted.filter(
        (r) =>
            r.direction === "outbound" &&
            !r.usesAsgs &&
            r.protocol !== UNKNOWN &&
            ["*", "any", protocol].includes(r.protocol) &&
            r.destinationPorts !== UNKNOWN &&
            r.destinations !== UNKNOWN &&
            r.sources !== UNKNOWN &&
            r.access !== UNKNOWN,
    );
    const cuts = new Set<number>([0, 65536]);
    for (const r of outbound) {
        for (const [a, b] of portIntervals(r.destinationPorts as string[])) {
            cuts.add(a);
            cuts.add(b + 1);
        }
    }
    const points = [...cuts].sort((a, b) => a - b);
    let ports: Interval[] = [];
    const rules = new Set<NsgRuleView>();
    let addresses: Interval[] = [];
    for (let k = 0; k + 1 < points.length; k++) {
        const port = points[k];
        let decided: Interval[] = [];
        let reach: Interval[] = [];
        const via: NsgRuleView[] = [];
        for (const r of outbound) {
            if (!contains(portIntervals(r.destinationPorts as string[]), port)) continue;
            const match = localMatch(r.sources as string[], local);
            if (match === "none") continue;
            const dest = subtract(publicPart(addressesOf(r.destinations as string[])), decided);
            if (r.access === "allow" && dest.length > 0) {
                reach = union(reach, dest);
                via.push(r);
            }
            if (r.access === "allow" || match === "covers") decided = union(decided, dest);
        }
        // Only the addresses the subnet's routes send to the Internet reach it (all, without a UDR).
        if (routedToInternet) reach = intersect(reach, routedToInternet);
        if (size(reach) > internetWideAddresses) {
            ports = union(ports, [[points[k], points[k + 1] - 1]]);
            via.forEach((r) => rules.add(r));
            if (addresses.length === 0) addresses = reach;
        }
    }
    return { ports: normalise(ports), rules: [...rules], addresses };
}

export const mlComputeEgressRestricted: StackValidationPolicy = stackRule(
    {
        name: "ml-compute-egress-restricted",
        description:
            "When the policy config says egress is restricted (restricted: true), no port of a compute cluster's or instance's subnet reaches the Internet: evaluated over the subnet NSG's rules by priority and Azure's default AllowInternetOutBound, an allow-all outbound (destination *, Internet, 0.0.0.0/0 or more than a /8 of public addresses) before the deny is a violation, unless the subnet's route for 0.0.0.0/0 sends that traffic to a virtual appliance (the Azure Firewall, whose rules the firewall policies judge) or drops it (next hop None); more specific routes with next hop Internet still count. Off by default (restricted: false).",
        enforcementLevel: "mandatory",
        severity: "high",
        remediationSteps:
            "Route the compute subnet's 0.0.0.0/0 to the Azure Firewall (MlNetwork egress: firewall), or remove or narrow the outbound allow named in the message and end the compute NSG's outbound rules with a deny of Internet (MlNetwork's lockDownEgress: true emits the document's service-tag allows and DenyAllOutbound 4096).",
        sources: { learn: `${learn}` },
        configSchema: {
            properties: {
                restricted: {
                    type: "boolean",
                    default: false,
                    description:
                        "Whether the stack's egress is restricted (e.g. MlNetwork lockDownEgress: true): then compute subnets must not reach the Internet.",
                },
            },
        },
    },
    (args, report, advise) => {
        const { restricted } = configOf<{ restricted?: boolean }>(mlComputeEgressRestricted, args);
        if (restricted !== true) return;
        const index = indexOf(args.resources);
        const seen = new Set<string>();
        for (const compute of index.ofType(tokens.compute)) {
            const type = get(compute.props, "properties.computeType");
            if (!eqi(type, "AmlCompute") && !eqi(type, "ComputeInstance")) continue;
            const subnetId = get(compute.props, "properties.properties.subnet.id");
            if (subnetId === undefined) continue;
            const subnet = index.subnetOf(compute, "properties", subnetId);
            if (!subnet || subnet === UNKNOWN) continue;
            const nsg = index.nsgOf(subnet);
            const who = `${describe(compute.type, compute.name)} (${subnet.label})`;
            if (nsg === "external") {
                advise(`${who}: its NSG is outside this stack; whether egress is restricted cannot be verified`);
                continue;
            }
            if (nsg === UNKNOWN) continue;
            if (nsg === undefined) {
                report(
                    `${who}: egress is restricted, but the subnet has no NSG, so Azure lets every port out.`,
                    compute.urn,
                );
                continue;
            }
            const key = `${nsg.urn}|${subnet.label}`;
            if (seen.has(key)) continue;
            seen.add(key);
            const path = internetPathOf(index, subnet);
            if (path === UNKNOWN) {
                advise(`${who}: its routes are not known yet; egress cannot be verified`);
                continue;
            }
            if (path.kind === "diverted" && !path.firewall)
                advise(
                    `${who}: ${path.via} sends Internet-bound traffic to a next hop that is not this stack's Azure Firewall; what it lets out is not verified here`,
                );
            const routed = path.kind === "diverted" ? path.direct : undefined;
            const rules = index.effectiveRules(nsg);
            if (rules === UNKNOWN) {
                advise(`${who}: NSG "${nsg.name}" has rules not known yet; egress cannot be verified`);
                continue;
            }
            const custom = rules.filter((r) => !r.isDefault);
            for (const protocol of ["tcp", "udp"] as const) {
                const open = openEgress(sortRules(custom), subnet.prefixes, protocol, routed);
                if (open.ports.length === 0) continue;
                const message = `${who}: egress is restricted, but NSG "${nsg.name}" lets ${protocol.toUpperCase()} ports ${showPorts(open.ports)} out to ${size(open.addresses)} public addresses (${showAddresses(open.addresses)}) through ${open.rules.map((r) => r.label).join(" + ")}, before any deny of the Internet`;
                if (path.kind === "external") {
                    advise(`${message}, unless its route table (outside this stack) sends 0.0.0.0/0 elsewhere.`);
                    continue;
                }
                const how =
                    path.kind === "diverted"
                        ? `, and the subnet's more specific routes with next hop Internet send them straight out (${path.via} diverts the rest)`
                        : path.route
                          ? `, and ${path.route} sends them to the Internet`
                          : ", and no route sends 0.0.0.0/0 elsewhere (Azure's system route: Internet)";
                report(`${message}${how}.`, compute.urn);
            }
        }
    },
);

import { Cidr, cidrContains, cidrsOverlap, parseCidr } from "../../catalog";
import { egressTokens } from "../../egress";
import { Res, StackIndex, SubnetInfo, dependenciesAt } from "../../graph";
import { NsgRuleView, destinationPortsCover, portCovers } from "../../nsg";
import { UNKNOWN, Unknown, eqi, get, list, tokens } from "../../util";
import { internetPathOf, subnetReference, routeTableOf, routesOf } from "../routes";
import { HopVerdict, fail, pass, unknown } from "./model";

/**
 * The network hops the journeys share: a private endpoint's subnet, DNS zones linked where a client
 * resolves, routes that drop traffic, NSG verdicts for a flow between two address ranges, and what a
 * subnet's way out lets through (NAT, system route, Azure Firewall rules).
 */

export const journeyTokens = {
    vm: "azure-native:compute:VirtualMachine",
    nic: "azure-native:network:NetworkInterface",
    vpnGateway: "azure-native:network:VirtualNetworkGateway",
    /** Azure DNS Private Resolver's inbound endpoint (azure-native's dnsresolver module). */
    inboundEndpoint: "azure-native:dnsresolver:InboundEndpoint",
    roleAssignment: "azure-native:authorization:RoleAssignment",
    identity: "azure-native:managedidentity:UserAssignedIdentity",
} as const;

/** The subnet of a resource's `ipConfigurations[i].subnet.id` (a NIC, a gateway, a resolver endpoint, Bastion). */
export function ipConfigSubnet(index: StackIndex, r: Res): SubnetInfo | Unknown | undefined {
    const configs = list(get(r.props, "ipConfigurations"));
    if (configs === UNKNOWN) return UNKNOWN;
    for (const c of configs) {
        const id = get(c, "subnet.id");
        if (id === undefined) continue;
        return index.subnetOf(r, "ipConfigurations", id);
    }
    return undefined;
}

/** A private endpoint's subnet. */
function peSubnet(index: StackIndex, pe: Res): SubnetInfo | Unknown | undefined {
    return index.subnetOf(pe, "subnet", get(pe.props, "subnet.id"));
}

/** The private endpoints of `target` for `groupId` whose subnet is in `vnetKey`. */
export function endpointsIn(index: StackIndex, target: Res, groupId: string, vnetKey: string): Res[] | Unknown {
    const all = index.privateEndpointsFor(target, groupId);
    if (all === UNKNOWN) return UNKNOWN;
    return all.filter((pe) => index.vnetOfPe(pe) === vnetKey);
}

/** The subnet of `target`'s first `groupId` endpoint in `vnetKey`: where a client's traffic to it goes. */
export function endpointSubnetIn(index: StackIndex, target: Res | undefined, groupId: string, vnetKey: string) {
    if (!target) return undefined;
    const pes = endpointsIn(index, target, groupId, vnetKey);
    if (pes === UNKNOWN || pes.length === 0) return undefined;
    const subnet = peSubnet(index, pes[0]);
    return subnet && subnet !== UNKNOWN ? subnet : undefined;
}

/** Whether each of `targets`' endpoints (group id) exists in `vnetKey` with a zone group. */
export function endpointsPresent(
    index: StackIndex,
    targets: { target: Res | undefined; groupId: string; what: string }[],
    vnetKey: string,
): HopVerdict {
    const names: string[] = [];
    for (const { target, groupId, what } of targets) {
        if (!target) return unknown(`${what} is not in this stack; its ${groupId} endpoint cannot be seen`);
        const pes = endpointsIn(index, target, groupId, vnetKey);
        if (pes === UNKNOWN) return unknown(`the ${groupId} private endpoints of ${what} are not known yet`);
        if (pes.length === 0) return fail(`${what} has no ${groupId} private endpoint in ${index.vnetLabel(vnetKey)}`);
        const withZones = pes.filter((pe) => {
            const zgs = index.zoneGroupsOf(pe);
            return zgs !== UNKNOWN && zgs.length > 0;
        });
        if (withZones.length === 0)
            return fail(`private endpoint "${pes[0].name}" (${groupId} of ${what}) has no DNS zone group`);
        names.push(`${withZones[0].name} (${groupId})`);
    }
    return pass(`private endpoints ${names.join(", ")} in ${index.vnetLabel(vnetKey)}, each with its DNS zone group`);
}

/**
 * The DNS hop: the zones of the endpoints that exist in `vnetKey` (whichever of `targets` have one with a
 * zone group; a missing endpoint is the private-endpoint hop's to report) are linked to `resolveIn`.
 */
export function endpointZonesLinked(
    index: StackIndex,
    targets: { target: Res | undefined; groupId: string; what: string }[],
    vnetKey: string,
    resolveIn: string,
    where: string,
): HopVerdict {
    const pes: Res[] = [];
    for (const { target, groupId } of targets) {
        if (!target) continue;
        const found = endpointsIn(index, target, groupId, vnetKey);
        if (found === UNKNOWN) return unknown(`the ${groupId} private endpoints are not known yet`);
        pes.push(...found);
    }
    if (pes.length === 0)
        return fail(
            `no private endpoint of ${targets.map((t) => t.what).join(", ")} in ${index.vnetLabel(vnetKey)} to resolve`,
        );
    return zonesLinked(index, pes, resolveIn, where);
}

/** Whether every zone the endpoints register in is linked to `vnetKey` (where the client resolves). */
export function zonesLinked(index: StackIndex, pes: Res[], vnetKey: string, where: string): HopVerdict {
    const linked: string[] = [];
    for (const pe of pes) {
        const zgs = index.zoneGroupsOf(pe);
        if (zgs === UNKNOWN) return unknown(`the DNS zone groups of "${pe.name}" are not known yet`);
        for (const zg of zgs) {
            for (const z of index.zonesOf(zg)) {
                const name = typeof z.name === "string" ? z.name : z.label;
                if (!z.zone)
                    return unknown(`zone ${name} of "${pe.name}" is outside this stack; its links cannot be seen`);
                const { vnets, uncertain } = index.linkedVnets(z.zone);
                if (vnets.has(vnetKey)) {
                    if (!linked.includes(name)) linked.push(name);
                    continue;
                }
                if (uncertain.length > 0)
                    return unknown(`whether zone ${name} is linked to ${where} cannot be told yet`);
                return fail(`zone ${name} (used by "${pe.name}") is not linked to ${where}, where the client resolves`);
            }
        }
    }
    return pass(`${linked.join(", ")} linked to ${where}`);
}

/**
 * The resources `r` depends on, directly or through other resources, as a membership test. The graph
 * is walked only as far as the questions need: a journey asks whether a compute waits for a handful
 * of resources (its private endpoints, its way out), mostly found long before the whole closure.
 */
export function transitiveDependencies(r: Res): { has(d: Res): boolean } {
    const seen = new Set<Res>();
    const stack = [...(r.dependencies ?? [])] as Res[];
    return {
        has(wanted: Res): boolean {
            if (seen.has(wanted)) return true;
            while (stack.length > 0) {
                const d = stack.pop()!;
                if (seen.has(d)) continue;
                seen.add(d);
                for (const next of (d.dependencies ?? []) as Res[]) stack.push(next);
                if (d === wanted) return true;
            }
            return false;
        },
    };
}

// --- Routes ------------------------------------------------------------------------------------------

/**
 * Whether the client subnet's routes keep traffic to `target` (addresses in the same VNet) inside the
 * VNet. Azure adds a system route VnetLocal for each of the VNet's address prefixes; a user-defined
 * route wins when its prefix is longer, or equal (it overrides the system route of the same prefix),
 * so a 0.0.0.0/0 to a firewall leaves VNet traffic alone (virtual-networks-udr-overview).
 */
export function routeToPrivate(index: StackIndex, subnet: SubnetInfo, target: Cidr[], what: string): HopVerdict {
    const table = routeTableOf(index, subnet);
    if (table === UNKNOWN) return unknown(`the route table of ${subnet.label} is not known yet`);
    if (table === "external") return unknown(`the route table of ${subnet.label} is outside this stack`);
    if (table === undefined) return pass(`${subnet.label} has no route table: the VNet's system route reaches ${what}`);
    const routes = routesOf(index, table);
    if (routes === UNKNOWN) return unknown(`the routes of route table "${table.name}" are not known yet`);
    const space = list(get(subnet.vnet?.props, "addressSpace.addressPrefixes"));
    const vnetPrefixes = space === UNKNOWN ? [] : space.map((p) => parseCidr(p)).filter((c): c is Cidr => !!c);
    for (const t of target) {
        const system = vnetPrefixes.filter((p) => cidrContains(p, t)).reduce((m, p) => Math.max(m, p[1]), -1);
        let best: { bits: number; hop: unknown; prefix: string } | undefined;
        for (const r of routes) {
            const prefix = get(r.props, "addressPrefix");
            const hop = get(r.props, "nextHopType");
            if (prefix === UNKNOWN || hop === UNKNOWN) return unknown(`a route of "${table.name}" is not known yet`);
            const cidr = parseCidr(prefix);
            if (!cidr || !cidrContains(cidr, t) || cidr[1] < system) continue;
            if (!best || cidr[1] > best.bits) best = { bits: cidr[1], hop, prefix: String(prefix) };
        }
        if (!best || eqi(best.hop, "VnetLocal")) continue;
        if (eqi(best.hop, "None"))
            return fail(`route table "${table.name}" drops ${what} (${best.prefix} → next hop None)`);
        return unknown(
            `route table "${table.name}" sends ${what} to ${String(best.hop)} (${best.prefix}); what that next hop forwards is not verified`,
        );
    }
    return pass(
        `route table "${table.name}" leaves ${what} on the VNet's system route (VnetLocal), more specific than its routes`,
    );
}

// --- NSGs --------------------------------------------------------------------------------------------

function prefixCovers(prefix: string, range: Cidr[], vnetTagCovers: boolean): "covers" | "overlaps" | "none" {
    const p = prefix.trim().toLowerCase();
    if (p === "*" || p === "any" || p === "0.0.0.0/0") return "covers";
    if (p === "virtualnetwork") return vnetTagCovers ? "covers" : "none";
    const cidr = parseCidr(p);
    if (!cidr) return "none";
    if (range.every((r) => cidrContains(cidr, r))) return "covers";
    return range.some((r) => cidrsOverlap(cidr, r)) ? "overlaps" : "none";
}

/**
 * What an NSG's effective rules (sorted, Azure's defaults last) do with TCP `port` from `sources` to
 * `destinations`, both private ranges inside the VNet (or a VPN client pool), which the VirtualNetwork
 * tag covers. The first rule that covers the flow decides; a deny that covers part of it drops that part.
 */
export function privateFlow(
    rules: NsgRuleView[],
    direction: "inbound" | "outbound",
    port: number,
    sources: Cidr[],
    destinations: Cidr[],
): { allowed: boolean; rule: NsgRuleView } | Unknown {
    // Asked of every rule of an NSG for each journey's flow: indexed, with the view's parsed ports.
    for (let i = 0; i < rules.length; i++) {
        const r = rules[i];
        if (r.direction === UNKNOWN || r.access === UNKNOWN || r.protocol === UNKNOWN) return UNKNOWN;
        if (r.direction !== direction || r.usesAsgs) continue;
        if (r.protocol !== "*" && r.protocol !== "any" && r.protocol !== "tcp") continue;
        if (r.destinationPorts === UNKNOWN || r.sources === UNKNOWN || r.destinations === UNKNOWN) return UNKNOWN;
        if (!destinationPortsCover(r as NsgRuleView & { destinationPorts: string[] }, port)) continue;
        const src = widest(r.sources, sources);
        const dst = widest(r.destinations, destinations);
        if (src === "none" || dst === "none") continue;
        if (src === "covers" && dst === "covers") return { allowed: r.access === "allow", rule: r };
        if (r.access === "deny") return { allowed: false, rule: r };
    }
    return UNKNOWN;
}

/** How the widest of a rule's prefixes relates to `range`: covers, else overlaps, else none. */
function widest(prefixes: readonly string[], range: Cidr[]): "covers" | "overlaps" | "none" {
    let out: "overlaps" | "none" = "none";
    for (let i = 0; i < prefixes.length; i++) {
        const relation = prefixCovers(prefixes[i], range, true);
        if (relation === "covers") return relation;
        if (relation === "overlaps") out = relation;
    }
    return out;
}

/** Whether the private-endpoint subnet enforces NSGs on its endpoints (privateEndpointNetworkPolicies). */
function nsgAppliesToEndpoints(subnet: SubnetInfo): boolean | Unknown {
    const v = get(subnet.props, "privateEndpointNetworkPolicies");
    if (v === UNKNOWN) return UNKNOWN;
    return typeof v === "string" && /^(enabled|networksecuritygroupenabled)$/i.test(v);
}

/**
 * TCP 443 from a client (its subnet, or a VPN pool without one) to a private-endpoint subnet: out of
 * the client subnet's NSG, into the endpoints' subnet's NSG when network policies apply there.
 */
export function nsgToEndpoints(
    index: StackIndex,
    client: { subnet?: SubnetInfo; prefixes: Cidr[]; label: string },
    target: SubnetInfo,
    port = 443,
): HopVerdict {
    const targetPrefixes = target.prefixes ?? [];
    if (targetPrefixes.length === 0) return unknown(`the prefix of ${target.label} is not known yet`);
    const said: string[] = [];
    if (client.subnet) {
        const out = nsgStep(index, client.subnet, "outbound", port, client.prefixes, targetPrefixes, target.label);
        if (out.status !== "pass") return out;
        said.push(out.detail);
    }
    const applies = nsgAppliesToEndpoints(target);
    if (applies === UNKNOWN) return unknown(`whether NSGs apply to the endpoints of ${target.label} is not known yet`);
    if (applies) {
        const into = nsgStep(index, target, "inbound", port, client.prefixes, targetPrefixes, client.label);
        if (into.status !== "pass") return into;
        said.push(into.detail);
    } else said.push(`into ${target.label} (network policies do not apply NSGs to its endpoints)`);
    return pass(`TCP ${port} ${said.join(", ")}`);
}

/** One NSG on the way, the subnet's, judged for the flow to or from `peer`; its detail names NSG and rule. */
function nsgStep(
    index: StackIndex,
    subnet: SubnetInfo,
    direction: "inbound" | "outbound",
    port: number,
    sources: Cidr[],
    destinations: Cidr[],
    peer: string,
): HopVerdict {
    const way = direction === "outbound" ? "out" : "in";
    const nsg = index.nsgOf(subnet);
    if (nsg === UNKNOWN) return unknown(`the NSG of ${subnet.label} is not known yet`);
    if (nsg === "external") return unknown(`the NSG of ${subnet.label} is outside this stack`);
    if (!nsg) return pass(`${way} of ${subnet.label} (no NSG)`);
    const rules = index.effectiveRules(nsg);
    if (rules === UNKNOWN) return unknown(`the rules of NSG "${nsg.name}" are not known yet`);
    const v = privateFlow(rules, direction, port, sources, destinations);
    if (v === UNKNOWN) return unknown(`NSG "${nsg.name}": whether TCP ${port} passes ${direction} is not known yet`);
    if (!v.allowed)
        return fail(
            `NSG "${nsg.name}" of ${subnet.label} denies TCP ${port} ${direction === "outbound" ? "out to" : "in from"} ${peer} (${v.rule.label})`,
        );
    return pass(`${way} through NSG "${nsg.name}" (${v.rule.label})`);
}

// --- The way out -------------------------------------------------------------------------------------

/** Whether a firewall FQDN pattern (`*.x.y`, `x.y`, `*`) matches a host. */
export function fqdnMatches(pattern: string, host: string): boolean {
    const p = pattern.trim().toLowerCase();
    const h = host.toLowerCase();
    if (p === "*") return true;
    if (p.startsWith("*.")) return h.endsWith(p.slice(1)) && h.length > p.length - 1;
    return p === h;
}

function sourcesCover(sources: unknown, prefixes: Cidr[]): boolean {
    const items = list(sources);
    if (items === UNKNOWN) return false;
    return items.some((s) => typeof s === "string" && prefixCovers(s, prefixes, false) === "covers");
}

/**
 * The Azure Firewall rule that lets `prefixes` reach `host` over HTTPS 443: an application rule whose
 * target FQDNs match it, or a network rule to the host's service tag. Over the firewall's rule
 * collection groups, allow collections only (a deny collection is not an allow-list).
 */
export function firewallRuleFor(
    ruleGroups: readonly Res[],
    prefixes: Cidr[],
    host: string,
    serviceTag?: string,
): string | undefined | Unknown {
    for (const rcg of ruleGroups) {
        const collections = list(get(rcg.props, "ruleCollections"));
        if (collections === UNKNOWN) return UNKNOWN;
        for (const c of collections) {
            if (!eqi(get(c, "action.type"), "Allow")) continue;
            const rules = list(get(c, "rules"));
            if (rules === UNKNOWN) return UNKNOWN;
            for (const rule of rules) {
                if (!sourcesCover(get(rule, "sourceAddresses"), prefixes)) continue;
                const name = `${String(get(c, "name"))}/${String(get(rule, "name"))}`;
                if (eqi(get(rule, "ruleType"), "ApplicationRule")) {
                    const https = list(get(rule, "protocols"));
                    if (https === UNKNOWN) return UNKNOWN;
                    const onHttps = https.some((p) => eqi(get(p, "protocolType"), "Https") && get(p, "port") === 443);
                    const fqdns = list(get(rule, "targetFqdns"));
                    if (fqdns === UNKNOWN) return UNKNOWN;
                    if (onHttps && fqdns.some((f) => typeof f === "string" && fqdnMatches(f, host))) return name;
                } else if (serviceTag && eqi(get(rule, "ruleType"), "NetworkRule")) {
                    const dests = list(get(rule, "destinationAddresses"));
                    const ports = list(get(rule, "destinationPorts"));
                    if (dests === UNKNOWN || ports === UNKNOWN) return UNKNOWN;
                    const tagged = dests.some(
                        (d) => typeof d === "string" && d.toLowerCase().split(".")[0] === serviceTag.toLowerCase(),
                    );
                    if (tagged && ports.some((p) => typeof p === "string" && portCovers(p, 443))) return name;
                }
            }
        }
    }
    return undefined;
}

/** The rule collection groups of each firewall policy of the stack, resolved once per stack. */
function ruleGroupsByPolicy(index: StackIndex): Map<Res, Res[]> {
    return index.memo("journeys:ruleGroups", () => {
        const out = new Map<Res, Res[]>();
        for (const g of index.ofType(egressTokens.ruleCollectionGroup)) {
            const policy = index.resolve(g, "firewallPolicyName", get(g.props, "firewallPolicyName"), [
                egressTokens.firewallPolicy,
            ]);
            if (!policy || policy === UNKNOWN) continue;
            const list = out.get(policy);
            if (list) list.push(g);
            else out.set(policy, [g]);
        }
        return out;
    });
}

/**
 * The firewall a 0.0.0.0/0 route sends traffic to (by the route's next-hop dependency, else the one
 * firewall whose subnet holds the next-hop address), and its policy's rule collection groups.
 */
function firewallOfRoute(index: StackIndex, route: Res | undefined): { firewall?: Res; ruleGroups: Res[] } {
    const firewalls = index.ofType(egressTokens.firewall);
    let firewall = route
        ? dependenciesAt(route, "nextHopIpAddress").find((d) => d.type === egressTokens.firewall)
        : undefined;
    if (!firewall && firewalls.length === 1) firewall = firewalls[0];
    if (!firewall) return { ruleGroups: [] };
    const policy = index.resolve(firewall, "firewallPolicy", get(firewall.props, "firewallPolicy.id"), [
        egressTokens.firewallPolicy,
    ]);
    if (!policy || policy === UNKNOWN) return { firewall, ruleGroups: [] };
    const ruleGroups = ruleGroupsByPolicy(index).get(policy) ?? [];
    return { firewall, ruleGroups };
}

/** How a subnet's traffic reaches public hosts, and the resources that path is made of (for create-time checks). */
export type WayOut =
    | { kind: "nat"; via: string; resources: Res[] }
    | { kind: "system"; via: string; resources: Res[] }
    | { kind: "firewall"; via: string; resources: Res[]; ruleGroups: Res[] }
    | { kind: "none"; via: string; resources: Res[] }
    | { kind: "unknown"; via: string; resources: Res[] };

export function wayOutOf(index: StackIndex, subnet: SubnetInfo): WayOut {
    return index.memo(`journeys:wayOut:${subnet.owner.urn}|${String(subnet.name)}`, () => computeWayOut(index, subnet));
}

function computeWayOut(index: StackIndex, subnet: SubnetInfo): WayOut {
    const path = internetPathOf(index, subnet);
    if (path === UNKNOWN)
        return { kind: "unknown", via: `the routes of ${subnet.label} are not known yet`, resources: [] };
    if (path.kind === "external")
        return { kind: "unknown", via: `the route table of ${subnet.label} is outside this stack`, resources: [] };
    if (path.kind === "diverted") {
        if (!path.firewall)
            return {
                kind: "unknown",
                via: `${path.via}: a next hop that is not this stack's Azure Firewall`,
                resources: [],
            };
        const table = routeTableOf(index, subnet);
        const routes = table && table !== UNKNOWN && table !== "external" ? routesOf(index, table) : [];
        const defaultRoute =
            routes === UNKNOWN ? undefined : routes.find((r) => get(r.props, "addressPrefix") === "0.0.0.0/0")?.res;
        const { firewall, ruleGroups } = firewallOfRoute(index, defaultRoute);
        const resources = [...(firewall ? [firewall] : []), ...ruleGroups, ...(defaultRoute ? [defaultRoute] : [])];
        return { kind: "firewall", via: path.via, resources, ruleGroups };
    }
    // The NAT gateway a subnet names, resolved as its route table is (routes.ts).
    const nat = subnetReference(index, subnet, "natGateway", tokens.natGateway);
    if (nat === UNKNOWN)
        return { kind: "unknown", via: `the NAT gateway of ${subnet.label} is not known yet`, resources: [] };
    if (nat === "external")
        return { kind: "unknown", via: `the NAT gateway of ${subnet.label} is outside this stack`, resources: [] };
    if (nat) return { kind: "nat", via: `NAT gateway "${nat.name}"`, resources: [nat] };
    const defaultOutbound = get(subnet.props, "defaultOutboundAccess");
    if (defaultOutbound === UNKNOWN)
        return {
            kind: "unknown",
            via: `the default outbound access of ${subnet.label} is not known yet`,
            resources: [],
        };
    if (defaultOutbound === false)
        return {
            kind: "none",
            via: `${subnet.label} has no default outbound access, no NAT gateway and no route to a firewall`,
            resources: [],
        };
    return {
        kind: "system",
        via: "Azure's default outbound access (system route 0.0.0.0/0 → Internet)",
        resources: [],
    };
}

/** Whether each host is reachable along a subnet's way out. */
export function hostsReachable(
    index: StackIndex,
    subnet: SubnetInfo,
    hosts: readonly { host: string; serviceTag?: string }[],
): HopVerdict {
    const out = wayOutOf(index, subnet);
    if (out.kind === "unknown") return unknown(out.via);
    if (out.kind === "none") return fail(out.via);
    if (out.kind !== "firewall") return pass(`${hosts.map((h) => h.host).join(", ")} through ${out.via}`);
    const prefixes = subnet.prefixes ?? [];
    if (prefixes.length === 0) return unknown(`the prefix of ${subnet.label} is not known yet`);
    const via: string[] = [];
    for (const h of hosts) {
        const rule = firewallRuleFor(out.ruleGroups, prefixes, h.host, h.serviceTag);
        if (rule === UNKNOWN) return unknown(`the firewall's rule collections are not known yet`);
        if (!rule)
            return fail(
                `the Azure Firewall (${out.via}) has no rule that lets ${subnet.label} reach ${h.host} over HTTPS`,
            );
        if (!via.includes(rule)) via.push(rule);
    }
    return pass(`${hosts.map((h) => h.host).join(", ")} through the Azure Firewall (rules ${via.join(", ")})`);
}

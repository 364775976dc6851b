import { cidrContains, parseCidr } from "../catalog";
import { Res, StackIndex, SubnetInfo, dependenciesAt } from "../graph";
import { egressTokens } from "../egress";
import { Interval, cidrInterval, publicPart, union } from "../reachability";
import { UNKNOWN, Unknown, eqi, get, list, tokens } from "../util";

/**
 * A subnet's user-defined routes: its route table, the table's routes (inline and standalone), and
 * where traffic to the Internet goes. Azure combines a subnet's route table with its system routes,
 * a user-defined route overriding the system route of the same prefix (0.0.0.0/0 → Internet among
 * them), and picks the route of the longest matching prefix; next hop None drops the traffic:
 * https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview
 */

/**
 * The resource of `type` a subnet names in its `input` (`{ id }`): the resource, UNKNOWN, undefined
 * (none) or "external" (a known id of nothing in the stack). A standalone Subnet resolves through its
 * own dependencies, id or name; an inline subnet by id, else through its VNet's `subnets` dependencies,
 * which hold every subnet's references together (so only one of that type there tells which).
 */
export function subnetReference(
    index: StackIndex,
    subnet: SubnetInfo,
    input: "routeTable" | "natGateway",
    type: string,
): Res | Unknown | undefined | "external" {
    if (!subnet.props) return UNKNOWN;
    const ref = get(subnet.props, input);
    if (ref === UNKNOWN) return UNKNOWN;
    if (ref === undefined || ref === null) return undefined;
    const id = get(ref, "id");
    if (subnet.owner.type === tokens.subnet) {
        const found = index.resolve(subnet.owner, input, id, [type]);
        return found === undefined ? (id ? "external" : undefined) : found;
    }
    const found = index.lookup(id, [type]);
    if (found) return found;
    if (typeof id === "string" && id !== "") return "external";
    const deps = [...new Set(dependenciesAt(subnet.owner, "subnets").filter((d) => d.type === type))];
    return deps.length === 1 ? deps[0] : UNKNOWN;
}

/** The route table a subnet names: resource, UNKNOWN, undefined (none) or "external". */
export const routeTableOf = (index: StackIndex, subnet: SubnetInfo) =>
    subnetReference(index, subnet, "routeTable", egressTokens.routeTable);

/** A route table's routes: inline `routes` and standalone Route resources in it. UNKNOWN when not known yet. */
export function routesOf(index: StackIndex, table: Res): { props: unknown; res?: Res }[] | Unknown {
    const inline = list(get(table.props, "routes"));
    if (inline === UNKNOWN) return UNKNOWN;
    const out: { props: unknown; res?: Res }[] = inline.map((props) => ({ props }));
    const { byTable, unresolved } = standaloneRoutes(index);
    if (unresolved) return UNKNOWN;
    for (const route of byTable.get(table) ?? []) out.push({ props: route.props, res: route });
    return out;
}

/** The standalone Route resources by route table, resolved once per stack; `unresolved` if some table cannot be told yet. */
function standaloneRoutes(index: StackIndex): { byTable: Map<Res, Res[]>; unresolved: boolean } {
    return index.memo("routes:standalone", () => {
        const byTable = new Map<Res, Res[]>();
        let unresolved = false;
        for (const route of index.ofType(egressTokens.route)) {
            const owner = index.resolve(route, "routeTableName", get(route.props, "routeTableName"), [
                egressTokens.routeTable,
            ]);
            if (owner === UNKNOWN) unresolved = true;
            else if (owner) {
                const list = byTable.get(owner);
                if (list) list.push(route);
                else byTable.set(owner, [route]);
            }
        }
        return { byTable, unresolved };
    });
}

/** The prefixes of every AzureFirewallSubnet in the stack (a firewall's private IP lies in one). */
function firewallSubnetPrefixes(index: StackIndex) {
    return index
        .subnets()
        .filter((s) => typeof s.name === "string" && s.name.toLowerCase() === "azurefirewallsubnet")
        .flatMap((s) => s.prefixes ?? []);
}

export type RouteVerdict = "firewall" | "unknown" | string;

/** Whether a route sends 0.0.0.0/0 to one of the stack's firewalls; else what it does instead. */
export function defaultRouteVerdict(index: StackIndex, route: { props: unknown; res?: Res }): RouteVerdict | undefined {
    const prefix = get(route.props, "addressPrefix");
    if (prefix === UNKNOWN) return "unknown";
    if (prefix !== "0.0.0.0/0") return undefined;
    const hop = get(route.props, "nextHopType");
    if (hop === UNKNOWN) return "unknown";
    if (!eqi(hop, "VirtualAppliance")) return `next hop ${String(hop)}`;
    const firewalls = index.ofType(egressTokens.firewall);
    if (route.res && dependenciesAt(route.res, "nextHopIpAddress").some((d) => firewalls.includes(d)))
        return "firewall";
    const ip = get(route.props, "nextHopIpAddress");
    if (ip === UNKNOWN) return "unknown";
    const address = parseCidr(typeof ip === "string" ? `${ip}/32` : undefined);
    if (address && firewallSubnetPrefixes(index).some((p) => cidrContains(p, address))) return "firewall";
    return `next hop ${typeof ip === "string" ? ip : "(none)"}, which is not the firewall's`;
}

/** Where a subnet's traffic to public addresses goes under its 0.0.0.0/0 route. */
export type InternetPath =
    /** Straight to the Internet: no user-defined 0.0.0.0/0 (the system route), or one with next hop Internet. */
    | { kind: "internet"; route?: string }
    /**
     * Not to the Internet directly: 0.0.0.0/0 goes to a virtual appliance (`firewall`: one of the
     * stack's Azure Firewalls) or is dropped (None, or a VPN/ExpressRoute gateway's on-premises
     * path, both outside this stack). `direct` holds the public addresses that more specific routes
     * with next hop Internet still send straight out (longest prefix wins).
     */
    | { kind: "diverted"; via: string; firewall: boolean; direct: Interval[] }
    /** The route table is outside the stack: its routes cannot be read. */
    | { kind: "external" };

/**
 * The path of a subnet's Internet-bound traffic, or UNKNOWN when its route table or routes are not
 * known yet. Routes whose prefix is a service tag (Azure's ranges, not the Internet's) count as not
 * public, as NSG rules to service tags do.
 */
export function internetPathOf(index: StackIndex, subnet: SubnetInfo): InternetPath | Unknown {
    return index.memo(`routes:internetPath:${subnet.owner.urn}|${String(subnet.name).toLowerCase()}`, () => {
        const table = routeTableOf(index, subnet);
        if (table === UNKNOWN) return UNKNOWN;
        if (table === "external") return { kind: "external" } as const;
        if (table === undefined) return { kind: "internet" } as const;
        const routes = routesOf(index, table);
        if (routes === UNKNOWN) return UNKNOWN;
        let fallback: { props: unknown; res?: Res } | undefined;
        let direct: Interval[] = [];
        for (const r of routes) {
            const prefix = get(r.props, "addressPrefix");
            const hop = get(r.props, "nextHopType");
            if (prefix === UNKNOWN || hop === UNKNOWN) return UNKNOWN;
            if (prefix === "0.0.0.0/0") fallback = r;
            else if (eqi(hop, "Internet") && typeof prefix === "string") {
                const interval = cidrInterval(prefix);
                if (interval) direct = union(direct, publicPart([interval]));
            }
        }
        const name = `route table "${table.name}"`;
        if (!fallback) return { kind: "internet" } as const;
        const hop = get(fallback.props, "nextHopType");
        if (eqi(hop, "Internet")) return { kind: "internet", route: `${name} (0.0.0.0/0 → Internet)` } as const;
        const verdict = eqi(hop, "VirtualAppliance") ? defaultRouteVerdict(index, fallback) : undefined;
        if (verdict === "unknown") return UNKNOWN;
        const ip = get(fallback.props, "nextHopIpAddress");
        const via = `${name} (0.0.0.0/0 → ${String(hop)}${typeof ip === "string" ? ` ${ip}` : ""})`;
        return { kind: "diverted", via, firewall: verdict === "firewall", direct } as const;
    });
}

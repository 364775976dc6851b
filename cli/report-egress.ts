import type { PlanResource } from "../policy/plan";
import { planIndex } from "./plan-index";
import { SubnetView, analyse, show } from "./topology";

/**
 * What may leave each compute subnet, for the plan report and the diagram: the subnet's outbound path
 * (NAT gateway, Azure Firewall through its route table, or none), the service tags and hosts allowed,
 * the storage service endpoint policy, and what is denied. A compute subnet is one holding an ML
 * compute, or one whose NSG carries the document's AzureMachineLearning outbound rule (the scoring
 * subnet, before anything runs in it).
 */

const E = {
    firewall: "azure-native:network:AzureFirewall",
    rcg: "azure-native:network:FirewallPolicyRuleCollectionGroup",
    routeTable: "azure-native:network:RouteTable",
    route: "azure-native:network:Route",
    sep: "azure-native:network:ServiceEndpointPolicy",
} as const;

export interface SubnetEgress {
    subnet: SubnetView;
    mode: "firewall" | "nat" | "none" | "no path";
    firewall?: PlanResource;
    /** The 0.0.0.0/0 next hop, when the subnet routes to an appliance. */
    nextHop?: string;
    /** Service tags (or addresses) allowed, with ports: the firewall's network rules, else the NSG's outbound allows. */
    tags: string[];
    /** Host names allowed by the firewall's application rules, by rule. */
    hosts: { rule: string; fqdns: string[] }[];
    /** The service endpoint policy's definitions, when the subnet has one. */
    storagePolicy?: { name: string; resources: string[] };
    denied: string;
}

const asList = (v: unknown): Record<string, unknown>[] =>
    Array.isArray(v) ? (v as Record<string, unknown>[]).filter((x) => x && typeof x === "object") : [];

function inlineProps(subnet: SubnetView): Record<string, unknown> | undefined {
    if (subnet.resource) return subnet.resource.inputs;
    return asList(subnet.vnet?.inputs.subnets).find((s) => s.name === subnet.name);
}

export function analyseEgress(resources: PlanResource[]): SubnetEgress[] {
    // The report's egress section and the diagram read the same stack: analysed once (as `analyse` is).
    let egress = analysedEgress.get(resources);
    if (!egress) analysedEgress.set(resources, (egress = analyseEgressOnce(resources)));
    return egress;
}

const analysedEgress = new WeakMap<PlanResource[], SubnetEgress[]>();

function analyseEgressOnce(resources: PlanResource[]): SubnetEgress[] {
    const topology = analyse(resources);
    // Each type's resources and the subnets holding a compute, gathered once: linear in the stack's size.
    const { byUrn, byId, ofType } = planIndex(resources);
    const firewalls = ofType(E.firewall);
    const withCompute = new Set(topology.computes.map((c) => c.subnet));
    const computeSubnets = topology.subnets.filter(
        (s) =>
            withCompute.has(s) ||
            s.nsgRules.some((r) => r.direction === "Outbound" && r.destination === "AzureMachineLearning"),
    );

    // Route resources by the route table URNs they depend on, in stack order (a lookup per subnet, not a scan).
    const routesByTable = new Map<string, PlanResource[]>();
    for (const r of ofType(E.route)) {
        for (const u of r.propertyDependencies.routeTableName ?? []) {
            const list = routesByTable.get(u);
            if (!list) routesByTable.set(u, [r]);
            else if (list[list.length - 1] !== r) list.push(r);
        }
    }
    const routesOf = (tableUrn: string) => routesByTable.get(tableUrn) ?? [];

    const refOf = (from: PlanResource | undefined, prop: string, id: unknown, type: string) => {
        if (typeof id === "string" && byId.has(id.toLowerCase())) return byId.get(id.toLowerCase());
        const deps = (from?.propertyDependencies[prop] ?? []).map((u) => byUrn.get(u)).filter((r) => r?.type === type);
        return deps.length === 1 ? deps[0] : undefined;
    };

    return computeSubnets.map((subnet): SubnetEgress => {
        const props = inlineProps(subnet) ?? {};
        const owner = subnet.resource ?? subnet.vnet;
        const key = subnet.resource ? "routeTable" : "subnets";
        const table = props.routeTable
            ? refOf(owner, key, (props.routeTable as { id?: unknown }).id, E.routeTable)
            : undefined;
        const defaultRoute = table
            ? routesOf(table.urn).find((r) => r.inputs.addressPrefix === "0.0.0.0/0")
            : undefined;
        const firewall =
            defaultRoute &&
            (firewalls.find((f) => (defaultRoute.propertyDependencies.nextHopIpAddress ?? []).includes(f.urn)) ??
                (firewalls.length === 1 ? firewalls[0] : undefined));
        const sepRef = asList(props.serviceEndpointPolicies)[0];
        // A standalone Subnet names the policy under its own input's dependencies, not the route table's.
        const sepKey = subnet.resource ? "serviceEndpointPolicies" : "subnets";
        const sep = sepRef ? refOf(owner, sepKey, sepRef.id, E.sep) : undefined;
        const storagePolicy = sep
            ? {
                  name: sep.name,
                  resources: asList(sep.inputs.serviceEndpointPolicyDefinitions).flatMap((d) =>
                      Array.isArray(d.serviceResources) ? d.serviceResources.map((x) => show(x)) : [],
                  ),
              }
            : undefined;
        const nsgAllows = subnet.nsgRules
            .filter((r) => r.direction === "Outbound" && r.access === "Allow")
            .map((r) => portSpec(r.destination, r.protocol, r.ports));
        const denyAll = subnet.nsgRules.some(
            (r) => r.direction === "Outbound" && r.access === "Deny" && r.destination === "*" && r.ports === "*",
        );

        if (firewall) {
            const rcgs = ofType(E.rcg).filter((g) =>
                (g.propertyDependencies.firewallPolicyName ?? []).some((u) =>
                    (firewall.propertyDependencies.firewallPolicy ?? []).includes(u),
                ),
            );
            const rules = rcgs.flatMap((g) => asList(g.inputs.ruleCollections)).flatMap((c) => asList(c.rules));
            return {
                subnet,
                mode: "firewall",
                firewall,
                nextHop: show(defaultRoute?.inputs.nextHopIpAddress, "(the firewall's private IP)"),
                tags: rules
                    .filter((r) => r.ruleType === "NetworkRule")
                    .map((r) => portSpec(show(r.destinationAddresses), show(r.ipProtocols), show(r.destinationPorts))),
                hosts: rules
                    .filter((r) => r.ruleType === "ApplicationRule")
                    .map((r) => ({
                        rule: show(r.name),
                        fqdns: Array.isArray(r.targetFqdns) ? r.targetFqdns.map((x) => show(x)) : [],
                    })),
                storagePolicy,
                denied: `every other destination (Azure Firewall "${firewall.name}" denies what no rule allows)${denyAll ? "; the NSG also ends in a deny-all" : ""}`,
            };
        }
        if (denyAll) {
            return {
                subnet,
                mode: "none",
                tags: nsgAllows,
                hosts: [],
                storagePolicy,
                denied: "everything else on the internet (the NSG ends in a deny-all outbound)",
            };
        }
        return {
            subnet,
            mode: subnet.natGateway || props.natGateway ? "nat" : "no path",
            tags: nsgAllows,
            hosts: [],
            storagePolicy,
            denied: subnet.natGateway
                ? "nothing beyond the NSG's denies: Azure's AllowInternetOutbound lets any other destination out through the NAT gateway"
                : "everything: no NAT gateway, no route to a firewall (and no default outbound access when it is off)",
        };
    });
}

/** Lines for workspaces whose computes run in a managed network (no compute subnet of ours). */
function managedNetworkLines(resources: PlanResource[]): string[] {
    const out: string[] = [];
    for (const ws of resources.filter((r) => r.type === "azure-native:machinelearningservices:Workspace")) {
        const settings = ws.inputs.managedNetwork as { isolationMode?: unknown; outboundRules?: unknown } | undefined;
        const mode = show(settings?.isolationMode);
        if (!settings || mode === "" || mode === "Disabled") continue;
        const rules = Object.entries((settings.outboundRules ?? {}) as Record<string, Record<string, unknown>>);
        const fqdns = rules.filter(([, r]) => r.type === "FQDN").map(([, r]) => show(r.destination));
        const endpoints = rules
            .filter(([, r]) => r.type === "PrivateEndpoint")
            .map(
                ([name, r]) =>
                    `${name} (${show((r.destination as Record<string, unknown> | undefined)?.subresourceTarget)})`,
            );
        out.push(`  Workspace ${ws.name}: computes run in its managed network (${mode})`);
        out.push(`    Hosts (FQDN rules): ${fqdns.join(", ") || "(none)"}`);
        out.push(`    Private endpoints: ${endpoints.join(", ") || "(none)"}`);
        out.push(
            mode === "AllowOnlyApprovedOutbound"
                ? "    Denied: every destination no outbound rule approves (Azure adds Azure Machine Learning's own required rules)"
                : "    Denied: nothing (AllowInternetOutbound)",
        );
    }
    return out;
}

/** The report's "Egress" section; [] when the stack has no compute subnet and no managed network. */
export function egressSection(resources: PlanResource[]): string[] {
    const views = analyseEgress(resources);
    const managed = managedNetworkLines(resources);
    if (views.length === 0 && managed.length === 0) return [];
    const out = ["Egress (what may leave each compute subnet)", ...managed];
    for (const v of views) {
        const path =
            v.mode === "firewall"
                ? `Azure Firewall ${v.firewall!.name} (0.0.0.0/0 → ${v.nextHop})`
                : v.mode === "nat"
                  ? `NAT gateway ${v.subnet.natGateway?.name ?? ""}`.trimEnd()
                  : v.mode === "none"
                    ? "none (deny-all)"
                    : "no outbound path";
        out.push(`  Subnet ${v.subnet.name} ${v.subnet.prefix}: ${path}`);
        out.push(`    Service tags: ${v.tags.join("; ") || "(none)"}`);
        for (const h of v.hosts) out.push(`    Hosts (${h.rule}, HTTPS): ${h.fqdns.join(", ")}`);
        out.push(
            v.storagePolicy
                ? `    Storage: service endpoint policy ${v.storagePolicy.name}: ${v.storagePolicy.resources.join(", ")}`
                : "    Storage: no service endpoint policy (Storage.<region> reaches every account in the region)",
        );
        out.push(`    Denied: ${v.denied}`);
        if (v.mode === "none") {
            out.push(
                "    Warning: image builds that install public packages (pip, conda, CRAN) or pull non-Microsoft images will fail here; use a private feed and prebuilt images, or egress: firewall.",
            );
        }
    }
    return out;
}

/**
 * One way to write "what, over which protocol, on which ports" in every section and egress mode, as
 * the NSG tables do: `AzureActiveDirectory Tcp 80,443`. The firewall's `TCP`/`UDP` and the NSG's
 * `Tcp`/`Udp` are the same protocols; ports are comma-separated without spaces.
 */
function portSpec(destination: string, protocol: string, ports: string): string {
    const proto = protocol
        .split(",")
        .map((p) => p.trim())
        .map((p) =>
            p === "*" || p.toLowerCase() === "any" ? "*" : p.charAt(0).toUpperCase() + p.slice(1).toLowerCase(),
        )
        .join(",");
    return `${destination} ${proto} ${ports.replace(/,\s+/g, ",")}`;
}

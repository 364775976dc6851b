import type { PlanResource } from "../policy/plan";
import { kindLabel } from "./kind-labels";
import { planIndex } from "./plan-index";
import { analyseEgress } from "./report-egress";
import { SubnetView, T, analyse } from "./topology";

const N = {
    firewall: "azure-native:network:AzureFirewall",
    pip: "azure-native:network:PublicIPAddress",
    sep: "azure-native:network:ServiceEndpointPolicy",
} as const;

/**
 * A Mermaid flowchart of the network: each VNet a subgraph holding its subnets, each subnet its
 * private endpoints, compute and Bastion host; NSGs and NAT gateways attached to their subnets;
 * each private endpoint pointing at the service behind it (storage, vault, registry, workspace).
 * Egress (issue 19): the Azure Firewall inside its subnet, each compute subnet's default route to it,
 * service endpoint policies on the subnets that carry them, and the exit to the Internet through the
 * firewall's or NAT gateway's public IP. Nodes are named by kind labels, never by type tokens.
 */
export function mermaidDiagram(resources: PlanResource[]): string {
    const topology = analyse(resources);
    const ids = new Map<string, string>();
    const id = (key: string, prefix: string) => {
        if (!ids.has(key)) ids.set(key, `${prefix}${ids.size}`);
        return ids.get(key)!;
    };
    const label = (text: string) => text.replace(/"/g, "#quot;");
    const lines = ["flowchart LR"];
    const edges: string[] = [];
    const declared = new Set<string>();
    const serviceShape: Record<string, [string, string]> = {
        [T.storage]: ["[(", ")]"],
        [T.vault]: ["[(", ")]"],
        [T.registry]: ["[(", ")]"],
        [T.workspace]: ["([", "])"],
    };
    const { byUrn, byId, ofType } = planIndex(resources);
    /** The resource of `type` an ARM id names, else the only one of that type `prop` depends on. */
    const refTo = (from: PlanResource | undefined, prop: string, armId: unknown, type: string) => {
        const hit = typeof armId === "string" ? byId.get(armId.toLowerCase()) : undefined;
        if (hit?.type === type) return hit;
        const deps = (from?.propertyDependencies[prop] ?? []).map((u) => byUrn.get(u)).filter((r) => r?.type === type);
        return deps.length === 1 ? deps[0] : undefined;
    };
    const idOf = (v: unknown) => (v && typeof v === "object" ? (v as { id?: unknown }).id : undefined);
    const list = (v: unknown): Record<string, unknown>[] =>
        Array.isArray(v) ? (v as Record<string, unknown>[]).filter((x) => x && typeof x === "object") : [];

    // Each firewall in the subnet its IP configuration names, not beside the VNet: a firewall is deployed
    // into its VNet's AzureFirewallSubnet and leaves through its public IP
    // (https://learn.microsoft.com/en-us/azure/firewall/tutorial-firewall-deploy-portal).
    // Its subnet: the one its IP configuration names by id, else the first AzureFirewallSubnet (in the
    // topology's order) whose VNet or own resource it depends on. Both looked up, not every subnet
    // scanned per firewall (a large stack has a firewall per spoke).
    const subnetById = new Map<string, SubnetView>();
    const firewallSubnetByUrn = new Map<string, { subnet: SubnetView; order: number }>();
    topology.subnets.forEach((s, order) => {
        const key = s.id?.toLowerCase();
        if (key !== undefined && !subnetById.has(key)) subnetById.set(key, s);
        if (s.name !== "AzureFirewallSubnet") return;
        for (const urn of [s.vnet?.urn, s.resource?.urn])
            if (urn !== undefined && !firewallSubnetByUrn.has(urn)) firewallSubnetByUrn.set(urn, { subnet: s, order });
    });
    const firewalls = ofType(N.firewall).map((fw) => {
        const config = list(fw.inputs.ipConfigurations)[0];
        const subnetId = idOf(config?.subnet);
        let subnet = typeof subnetId === "string" ? subnetById.get(subnetId.toLowerCase()) : undefined;
        if (!subnet) {
            let first: { subnet: SubnetView; order: number } | undefined;
            for (const urn of fw.propertyDependencies.ipConfigurations ?? []) {
                const candidate = firewallSubnetByUrn.get(urn);
                if (candidate && (!first || candidate.order < first.order)) first = candidate;
            }
            subnet = first?.subnet;
        }
        return { resource: fw, subnet, pip: refTo(fw, "ipConfigurations", idOf(config?.publicIPAddress), N.pip) };
    });
    // A subnet's service endpoint policies (a subnet may carry several): on the standalone subnet, else
    // on its VNet's inline entry.
    const sepsOf = (subnet: SubnetView): PlanResource[] => {
        const props = subnet.resource
            ? subnet.resource.inputs
            : list(subnet.vnet?.inputs.subnets).find((x) => x.name === subnet.name);
        const found = list(props?.serviceEndpointPolicies).map((ref) =>
            refTo(
                subnet.resource ?? subnet.vnet,
                subnet.resource ? "serviceEndpointPolicies" : "subnets",
                ref.id,
                N.sep,
            ),
        );
        return [...new Set(found.filter((r): r is PlanResource => r !== undefined))];
    };
    const exits: { from: string; pip: PlanResource | undefined }[] = [];
    const exitFrom = new Set<string>(); // the nodes with an exit already (a stack has a NAT gateway per clone)
    const egress = analyseEgress(resources);
    const deniedAll = new Set(egress.filter((v) => v.mode === "none").map((v) => v.subnet.key));

    // Each VNet's subnets and each subnet's members, grouped once (not filtered per VNet and subnet,
    // which is quadratic in a large stack), each list in the topology's order.
    const subnetsOf = groupBy(topology.subnets, (s) => s.vnet);
    const pesOf = groupBy(topology.privateEndpoints, (p) => p.subnet);
    const computesOf = groupBy(topology.computes, (c) => c.subnet);
    const bastionsOf = groupBy(topology.bastions, (b) => b.subnet);
    const firewallsOf = groupBy(firewalls, (f) => f.subnet);
    const firewallNode = (fw: PlanResource) => `${id(fw.urn, "fw")}{{"Azure Firewall ${label(fw.name)}"}}`;

    for (const vnet of topology.vnets) {
        const space =
            (vnet.inputs.addressSpace as { addressPrefixes?: string[] } | undefined)?.addressPrefixes?.join(", ") ?? "";
        lines.push(`  subgraph ${id(vnet.urn, "vnet")}["VNet ${label(vnet.name)} ${space}"]`);
        for (const subnet of subnetsOf(vnet)) {
            const sid = id(subnet.key, "snet");
            lines.push(`    subgraph ${sid}["Subnet ${label(subnet.name)} ${subnet.prefix}"]`);
            let empty = true;
            for (const pe of pesOf(subnet)) {
                lines.push(
                    `      ${id(pe.resource.urn, "pe")}["PE ${label(pe.resource.name)}<br/>${pe.groupIds.join(",")}"]`,
                );
                empty = false;
            }
            for (const c of computesOf(subnet)) {
                lines.push(`      ${id(c.resource.urn, "compute")}["Compute ${label(c.resource.name)}"]`);
                empty = false;
            }
            for (const b of bastionsOf(subnet)) {
                lines.push(`      ${id(b.resource.urn, "bastion")}["Bastion ${label(b.resource.name)}"]`);
                empty = false;
            }
            for (const f of firewallsOf(subnet)) {
                lines.push(`      ${firewallNode(f.resource)}`);
                empty = false;
            }
            if (empty) lines.push(`      ${sid}_empty[" "]:::hidden`);
            lines.push("    end");
            if (subnet.nsg) {
                const nid = id(subnet.nsg.urn, "nsg");
                if (!declared.has(nid)) {
                    edges.push(`  ${nid}{{"NSG ${label(subnet.nsg.name)}<br/>${subnet.nsgRules.length} rule(s)"}}`);
                    declared.add(nid);
                }
                edges.push(`  ${nid} -.- ${sid}`);
            }
            if (subnet.natGateway) {
                const gid = id(subnet.natGateway.urn, "nat");
                if (!declared.has(gid)) {
                    edges.push(`  ${gid}[/"NAT gateway ${label(subnet.natGateway.name)}"/]`);
                    declared.add(gid);
                }
                edges.push(`  ${sid} --> ${gid}`);
                // A subnet whose NSG denies all outbound (egress "none") does not leave through it: the NSG
                // filters before the NAT gateway translates (https://learn.microsoft.com/en-us/azure/nat-gateway/nat-overview).
                if (!deniedAll.has(subnet.key) && !exitFrom.has(gid)) {
                    exitFrom.add(gid);
                    const nat = subnet.natGateway;
                    exits.push({
                        from: gid,
                        pip: refTo(nat, "publicIpAddresses", idOf(list(nat.inputs.publicIpAddresses)[0]), N.pip),
                    });
                }
            }
            for (const sep of sepsOf(subnet)) {
                const pid = id(sep.urn, "sep");
                if (!declared.has(pid)) {
                    edges.push(`  ${pid}[/"Service endpoint policy ${label(sep.name)}"\\]`);
                    declared.add(pid);
                }
                edges.push(`  ${pid} -.- ${sid}`);
            }
        }
        lines.push("  end");
    }
    // Compute or Bastion hosts whose subnet is not known still appear, outside the VNet.
    for (const c of topology.computes.filter((x) => !x.subnet))
        lines.push(`  ${id(c.resource.urn, "compute")}["Compute ${label(c.resource.name)}"]`);
    for (const b of topology.bastions.filter((x) => !x.subnet))
        lines.push(`  ${id(b.resource.urn, "bastion")}["Bastion ${label(b.resource.name)}"]`);
    for (const f of firewalls.filter((x) => !x.subnet)) lines.push(`  ${firewallNode(f.resource)}`);

    for (const pe of topology.privateEndpoints) {
        const pid = id(pe.resource.urn, "pe");
        if (!pe.subnet) lines.push(`  ${pid}["PE ${label(pe.resource.name)}<br/>${pe.groupIds.join(",")}"]`);
        if (pe.target) {
            const tid = id(pe.target.urn, "svc");
            if (!declared.has(tid)) {
                const [open, close] = serviceShape[pe.target.type] ?? ["[", "]"];
                edges.push(`  ${tid}${open}"${kindLabel(pe.target.type)}<br/>${label(pe.target.name)}"${close}`);
                declared.add(tid);
            }
            edges.push(`  ${pid} -->|${pe.groupIds.join(",") || "private link"}| ${tid}`);
        }
    }
    // Not `lines.push(...edges)`: a large stack has more edges than a call takes arguments.
    for (const edge of edges) lines.push(edge);
    // Each compute subnet's default route to its firewall, labelled with the route itself.
    for (const v of egress) {
        if (!v.firewall) continue;
        const route = label(`0.0.0.0/0 → ${v.nextHop ?? ""}`);
        lines.push(`  ${id(v.subnet.key, "snet")} -->|"${route}"| ${id(v.firewall.urn, "fw")}`);
    }
    // The way out: firewall or NAT gateway, its public IP, the Internet (egress "none" has neither).
    for (const f of firewalls) exits.push({ from: id(f.resource.urn, "fw"), pip: f.pip });
    if (exits.length) lines.push(`  internet(("Internet"))`);
    for (const exit of exits) {
        if (!exit.pip) {
            lines.push(`  ${exit.from} --> internet`);
            continue;
        }
        // One node and one way to the Internet per public IP, however many exits share it.
        const pid = id(exit.pip.urn, "pip");
        if (!declared.has(pid)) {
            lines.push(`  ${pid}(["Public IP ${label(exit.pip.name)}"])`);
            lines.push(`  ${pid} --> internet`);
            declared.add(pid);
        }
        lines.push(`  ${exit.from} --> ${pid}`);
    }
    lines.push("  classDef hidden display:none;");
    return lines.join("\n") + "\n";
}

/** `items` grouped by `keyOf`, as a lookup that returns each group in `items`' order. */
function groupBy<V, K>(items: readonly V[], keyOf: (item: V) => K): (key: K) => readonly V[] {
    const groups = new Map<K, V[]>();
    for (const item of items) {
        const key = keyOf(item);
        const group = groups.get(key);
        if (group) group.push(item);
        else groups.set(key, [item]);
    }
    return (key) => groups.get(key) ?? [];
}

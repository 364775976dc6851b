import type { PlanResource } from "../policy/plan";
import { egressDiagramEdges } from "./report-egress";
import { T, analyse } from "./topology";

/**
 * A Mermaid flowchart of the network: each VNet a subgraph holding its subnets, each subnet its
 * private endpoints, compute and Bastion host; NSGs and NAT gateways attached to their subnets;
 * each private endpoint pointing at the service behind it (storage, vault, registry, workspace).
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
    const serviceShape: Record<string, [string, string, string]> = {
        [T.storage]: ["[(", ")]", "Storage account"],
        [T.vault]: ["[(", ")]", "Key vault"],
        [T.registry]: ["[(", ")]", "Container registry"],
        [T.workspace]: ["([", "])", "ML workspace"],
    };

    // Each VNet's subnets and each subnet's members, grouped once (not filtered per VNet and subnet,
    // which is quadratic in a large stack), each list in the topology's order.
    const subnetsOf = groupBy(topology.subnets, (s) => s.vnet);
    const pesOf = groupBy(topology.privateEndpoints, (p) => p.subnet);
    const computesOf = groupBy(topology.computes, (c) => c.subnet);
    const bastionsOf = groupBy(topology.bastions, (b) => b.subnet);

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
            }
        }
        lines.push("  end");
    }
    // Compute or Bastion hosts whose subnet is not known still appear, outside the VNet.
    for (const c of topology.computes.filter((x) => !x.subnet))
        lines.push(`  ${id(c.resource.urn, "compute")}["Compute ${label(c.resource.name)}"]`);
    for (const b of topology.bastions.filter((x) => !x.subnet))
        lines.push(`  ${id(b.resource.urn, "bastion")}["Bastion ${label(b.resource.name)}"]`);

    for (const pe of topology.privateEndpoints) {
        const pid = id(pe.resource.urn, "pe");
        if (!pe.subnet) lines.push(`  ${pid}["PE ${label(pe.resource.name)}<br/>${pe.groupIds.join(",")}"]`);
        if (pe.target) {
            const tid = id(pe.target.urn, "svc");
            if (!declared.has(tid)) {
                const [open, close, kind] = serviceShape[pe.target.type] ?? ["[", "]", pe.target.type];
                edges.push(`  ${tid}${open}"${kind}<br/>${label(pe.target.name)}"${close}`);
                declared.add(tid);
            }
            edges.push(`  ${pid} -->|${pe.groupIds.join(",") || "private link"}| ${tid}`);
        }
    }
    // Not `lines.push(...edges)`: a large stack has more edges than a call takes arguments.
    for (const edge of edges) lines.push(edge);
    for (const edge of egressDiagramEdges(resources, id, label)) lines.push(edge);
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

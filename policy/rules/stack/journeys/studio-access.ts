import type { PlanJourney } from "../../../plan";
import { Cidr, builtInRoles, createTimeRequirementsOf, parseCidr, studioBrowserHosts } from "../../catalog";
import { Res, StackIndex, SubnetInfo } from "../../graph";
import { UNKNOWN, get, list, tokens } from "../../util";
import { RoleNeed, personHolds } from "./grants";
import { HopChecks, HopVerdict, bestOf, fail, pass, unknown, walk } from "./model";
import {
    endpointsPresent,
    hostsReachable,
    ipConfigSubnet,
    journeyTokens,
    nsgToEndpoints,
    routeToPrivate,
    transitiveDependencies,
    wayOutOf,
    endpointSubnetIn,
    endpointZonesLinked,
} from "./paths";

/**
 * Journey 1: a data scientist reaches the studio and a notebook. Walked once per way into the
 * workspace's VNet (each jump box, each point-to-site VPN gateway); the journey passes when one way
 * does, else the report shows the way that got furthest.
 */

interface WayIn {
    kind: "jump box" | "VPN gateway";
    res: Res;
    /** Where the client's traffic enters the VNet: the jump box's subnet, the gateway's subnet. */
    subnet: SubnetInfo;
    /** The client's addresses: the jump box's subnet, the VPN client pool. */
    prefixes: Cidr[];
    /** The VNet the endpoints are reached in. */
    vnetKey: string;
    nic?: Res;
}

const windowsPublishers = /^(microsoftwindowsdesktop|microsoftwindowsserver|microsoft-dsvm|microsoftvisualstudio)$/i;

/** Whether a VM runs Windows (a desktop with a browser): a Windows OS profile, OS disk or image publisher. */
function isWindowsVm(vm: Res): boolean {
    if (get(vm.props, "osProfile.windowsConfiguration") !== undefined) return true;
    if (/^windows$/i.test(String(get(vm.props, "storageProfile.osDisk.osType") ?? ""))) return true;
    return windowsPublishers.test(String(get(vm.props, "storageProfile.imageReference.publisher") ?? ""));
}

function waysIn(index: StackIndex, vnets: Set<string>): WayIn[] {
    const byVnet = waysInByVnet(index);
    return [...vnets].flatMap((v) => byVnet.get(v) ?? []);
}

/** Every jump box and point-to-site VPN gateway of the stack, by the VNet it lets a person into. */
function waysInByVnet(index: StackIndex): Map<string, WayIn[]> {
    return index.memo("journeys:waysIn", () => {
        const out = new Map<string, WayIn[]>();
        for (const way of findWaysIn(index)) {
            const list = out.get(way.vnetKey);
            if (list) list.push(way);
            else out.set(way.vnetKey, [way]);
        }
        return out;
    });
}

function findWaysIn(index: StackIndex): WayIn[] {
    const out: WayIn[] = [];
    for (const vm of index.ofType(journeyTokens.vm)) {
        const nics = list(get(vm.props, "networkProfile.networkInterfaces"));
        if (nics === UNKNOWN || nics.length === 0) continue;
        const nic = index.resolve(vm, "networkProfile", get(nics[0], "id"), [journeyTokens.nic]);
        if (!nic || nic === UNKNOWN) continue;
        const subnet = ipConfigSubnet(index, nic);
        if (!subnet || subnet === UNKNOWN || typeof subnet.vnetKey !== "string") continue;
        out.push({ kind: "jump box", res: vm, subnet, prefixes: subnet.prefixes ?? [], vnetKey: subnet.vnetKey, nic });
    }
    for (const gw of index.ofType(journeyTokens.vpnGateway)) {
        const pool = list(get(gw.props, "vpnClientConfiguration.vpnClientAddressPool.addressPrefixes"));
        if (pool === UNKNOWN || pool.length === 0) continue;
        const subnet = ipConfigSubnet(index, gw);
        if (!subnet || subnet === UNKNOWN || typeof subnet.vnetKey !== "string") continue;
        const prefixes = pool.map((p) => parseCidr(p)).filter((c): c is Cidr => c !== undefined);
        out.push({ kind: "VPN gateway", res: gw, subnet, prefixes, vnetKey: subnet.vnetKey });
    }
    return out;
}

/** The Azure Bastion host of a VNet: in its AzureBastionSubnet, or (Developer SKU) naming the VNet. */
function bastionIn(index: StackIndex, vnetKey: string): Res | undefined {
    const byVnet = index.memo("journeys:bastions", () => {
        const out = new Map<string, Res>();
        for (const b of index.ofType(tokens.bastion)) {
            const subnet = ipConfigSubnet(index, b);
            const vnet =
                subnet && subnet !== UNKNOWN
                    ? subnet.vnetKey
                    : index.resolve(b, "virtualNetwork", get(b.props, "virtualNetwork.id"), [tokens.vnet]);
            const key = typeof vnet === "string" ? vnet : vnet && vnet !== UNKNOWN ? vnet.urn : undefined;
            if (key && !out.has(key)) out.set(key, b);
        }
        return out;
    });
    return byVnet.get(vnetKey);
}

/** The VNets of the stack's DNS Private Resolver inbound endpoints (where a VPN client's DNS server lives). */
function resolverVnets(index: StackIndex): string[] {
    return index.memo("journeys:resolverVnets", () => findResolverVnets(index));
}

function findResolverVnets(index: StackIndex): string[] {
    const out: string[] = [];
    for (const ep of index.ofType(journeyTokens.inboundEndpoint)) {
        const subnet = ipConfigSubnet(index, ep);
        if (subnet && subnet !== UNKNOWN && typeof subnet.vnetKey === "string") out.push(subnet.vnetKey);
    }
    return out;
}

function wayInHop(index: StackIndex, way: WayIn): HopVerdict {
    if (way.kind === "VPN gateway")
        return pass(`point-to-site VPN gateway "${way.res.name}" in ${index.vnetLabel(way.vnetKey)}`);
    if (!isWindowsVm(way.res))
        return fail(
            `jump box "${way.res.name}" runs Linux without a desktop: there is no browser on it for the studio`,
        );
    const bastion = bastionIn(index, way.vnetKey);
    if (!bastion)
        return fail(`no Azure Bastion host in ${index.vnetLabel(way.vnetKey)} reaches jump box "${way.res.name}"`);
    // Create-time (components/catalog/create-time.ts): what the jump box must wait for.
    const deps = transitiveDependencies(way.res);
    for (const requirement of createTimeRequirementsOf("vmWithEntraLogin")) {
        if (!requirement.needs.some((n) => n.kind === "egressPath")) continue;
        const missing = wayOutOf(index, way.subnet).resources.filter((r) => !deps.has(r));
        if (missing.length > 0)
            return fail(
                `jump box "${way.res.name}" does not wait for its subnet's way out (${missing.map((r) => `"${r.name}"`).join(", ")}): ${requirement.why}`,
            );
    }
    return pass(
        `Windows jump box "${way.res.name}" behind Azure Bastion "${bastion.name}" in ${index.vnetLabel(way.vnetKey)}`,
    );
}

/** What the studio and a notebook open: the workspace (api, notebooks) and the default storage's blob and file. */
const studioTargets = (ws: Res, storage: Res | undefined) => [
    { target: ws, groupId: "amlworkspace", what: `workspace "${ws.name}"` },
    { target: storage, groupId: "blob", what: "the default storage" },
    { target: storage, groupId: "file", what: "the default storage" },
];

function walkWay(index: StackIndex, ws: Res, storage: Res | undefined, way: WayIn): PlanJourney {
    const subject = `workspace "${ws.name}" via ${way.kind} "${way.res.name}"`;
    const target = endpointSubnetIn(index, ws, "amlworkspace", way.vnetKey);
    const checks: HopChecks = {
        "way-in": () => wayInHop(index, way),
        dns: () => {
            const resolveIn = way.kind === "jump box" ? [way.vnetKey] : resolverVnets(index);
            if (resolveIn.length === 0)
                return fail(
                    `VPN clients do not use the VNet's private DNS zones, and no DNS Private Resolver inbound endpoint in this stack answers for them`,
                );
            const where = resolveIn.includes(way.vnetKey) ? way.vnetKey : resolveIn[0];
            const label =
                way.kind === "jump box"
                    ? `${index.vnetLabel(where)} (Azure DNS, the jump box's resolver)`
                    : `${index.vnetLabel(where)} (the DNS Private Resolver's inbound endpoint, the VPN clients' DNS server)`;
            return endpointZonesLinked(index, studioTargets(ws, storage), way.vnetKey, where, label);
        },
        route: () => {
            if (!target) return unknown("the workspace's private-endpoint subnet is not known yet");
            return routeToPrivate(index, way.subnet, target.prefixes ?? [], `the private endpoints' ${target.label}`);
        },
        nsg: () => {
            if (!target) return unknown("the workspace's private-endpoint subnet is not known yet");
            const client =
                way.kind === "jump box"
                    ? { subnet: way.subnet, prefixes: way.prefixes, label: way.subnet.label }
                    : { prefixes: way.prefixes, label: `the VPN client pool of "${way.res.name}"` };
            return nsgToEndpoints(index, client, target);
        },
        firewall: () =>
            way.kind === "VPN gateway"
                ? pass("a VPN client reaches the studio's public hosts over its own internet connection")
                : hostsReachable(
                      index,
                      way.subnet,
                      studioBrowserHosts.map((host) => ({ host })),
                  ),
        "private-endpoint": () => endpointsPresent(index, studioTargets(ws, storage), way.vnetKey),
        rbac: () => {
            if (!storage) return unknown("the default storage is not in this stack; its roles cannot be seen");
            const needs: RoleNeed[] = [
                { roles: [builtInRoles.azureMlDataScientist], on: ws },
                { roles: [builtInRoles.storageBlobDataContributor], on: storage },
                { roles: [builtInRoles.storageFileDataPrivilegedContributor], on: storage },
            ];
            if (way.kind === "jump box") {
                needs.push({ roles: [builtInRoles.virtualMachineUserLogin], on: way.res });
                needs.push({ roles: [builtInRoles.reader], on: way.res });
                if (way.nic) needs.push({ roles: [builtInRoles.reader], on: way.nic });
                const bastion = bastionIn(index, way.vnetKey);
                if (bastion) needs.push({ roles: [builtInRoles.reader], on: bastion });
            }
            return personHolds(index, needs);
        },
    };
    return walk("studio-access", subject, ws.urn, checks);
}

export function studioAccess(index: StackIndex, ws: Res, storage: Res | undefined): PlanJourney {
    const pes = index.privateEndpointsFor(ws, "amlworkspace");
    const vnets = new Set<string>();
    if (pes !== UNKNOWN)
        for (const pe of pes) {
            const v = index.vnetOfPe(pe);
            if (typeof v === "string") vnets.add(v);
        }
    const ways = waysIn(index, vnets);
    const walked = ways.map((way) => walkWay(index, ws, storage, way));
    if (walked.length > 0) return bestOf(walked)!;
    const where =
        vnets.size > 0 ? [...vnets].map((v) => index.vnetLabel(v)).join(", ") : "no VNet (it has no private endpoint)";
    return walk("studio-access", `workspace "${ws.name}"`, ws.urn, {
        "way-in": () =>
            fail(
                `nothing in this stack lets a person into the workspace's ${where}: no jump box there and no point-to-site VPN gateway`,
            ),
    });
}

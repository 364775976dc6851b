import type { PlanJourney } from "../../../plan";
import { builtInRoles, imageBuildHostsIn } from "../../catalog";
import { Res, StackIndex, SubnetInfo, dependenciesAt } from "../../graph";
import { evaluate } from "../../nsg";
import { UNKNOWN, eqi, get } from "../../util";
import { identityHolds } from "./grants";
import { HopChecks, HopVerdict, fail, pass, unknown, walk } from "./model";
import {
    endpointSubnetIn,
    endpointsPresent,
    hostsReachable,
    fqdnMatches,
    journeyTokens,
    nsgToEndpoints,
    routeToPrivate,
    endpointZonesLinked,
} from "./paths";

/**
 * Journeys 2 and 3: a job on a compute cluster reads and writes the default datastore, and an
 * environment image builds on the workspace's image-build cluster. In a managed network the hops
 * inside Azure's own network (its private endpoints, their DNS) are Azure's: they pass with that said.
 */

/** The workspace's managed-network isolation mode, when it has one that computes run in. */
export function managedMode(ws: Res): "AllowOnlyApprovedOutbound" | "AllowInternetOutbound" | undefined {
    const mode = get(ws.props, "managedNetwork.isolationMode");
    if (eqi(mode, "AllowOnlyApprovedOutbound")) return "AllowOnlyApprovedOutbound";
    if (eqi(mode, "AllowInternetOutbound")) return "AllowInternetOutbound";
    return undefined;
}

const managedPage = "how-to-managed-network: required rules";

/** Where a compute runs: its subnet, the workspace's managed network, or UNKNOWN. */
type Placement = { kind: "subnet"; subnet: SubnetInfo } | { kind: "managed" } | { kind: "unknown"; why: string };

function placementOf(index: StackIndex, ws: Res, compute: Res): Placement {
    const subnetId = get(compute.props, "properties.properties.subnet.id");
    if (subnetId === undefined) {
        return managedMode(ws)
            ? { kind: "managed" }
            : { kind: "unknown", why: `"${compute.name}" names no subnet and the workspace has no managed network` };
    }
    const subnet = index.subnetOf(compute, "properties", subnetId);
    if (!subnet || subnet === UNKNOWN || typeof subnet.vnetKey !== "string")
        return { kind: "unknown", why: `the subnet of "${compute.name}" is not known yet or is outside this stack` };
    return { kind: "subnet", subnet };
}

/** The user-assigned identities a compute runs as, else the compute itself (system-assigned). */
function identitiesOf(compute: Res): Res[] {
    const ids = dependenciesAt(compute, "identity").filter((d) => d.type === journeyTokens.identity);
    return ids.length > 0 ? [...new Set(ids)] : [compute];
}

/** The hops from a compute subnet to a target's private endpoints: DNS, route, NSG and the endpoints. */
function privateHops(
    index: StackIndex,
    placement: Placement,
    targets: { target: Res | undefined; groupId: string; what: string }[],
): Pick<HopChecks, "dns" | "route" | "nsg" | "private-endpoint"> {
    if (placement.kind === "managed") {
        const azure = (what: string) => () =>
            pass(
                `managed network: Azure creates ${what} for ${targets.map((t) => t.groupId).join(", ")} (${managedPage})`,
            );
        return {
            dns: azure("the private endpoints' DNS records"),
            route: azure("the routes"),
            nsg: azure("the network rules"),
            "private-endpoint": azure("the private endpoints"),
        };
    }
    if (placement.kind === "unknown") {
        const u = () => unknown(placement.why);
        return { dns: u, route: u, nsg: u, "private-endpoint": u };
    }
    const { subnet } = placement;
    // Every cluster in a subnet walks the same hops to the same endpoints (the training and the
    // image-build cluster share one): each verdict is worked out once per subnet and targets.
    const key = `journeys:privateHops:${subnet.owner.urn}|${String(subnet.name)}|${targets
        .map((t) => `${t.target?.urn ?? "-"} ${t.groupId} ${t.what}`)
        .join("|")}`;
    return index.memo(key, () => {
        const vnetKey = subnet.vnetKey as string;
        const t = targets[0];
        const target = endpointSubnetIn(index, t.target, t.groupId, vnetKey);
        return {
            dns: once(() =>
                endpointZonesLinked(index, targets, vnetKey, vnetKey, `${index.vnetLabel(vnetKey)} (the compute's)`),
            ),
            route: once(() => {
                if (!target) return unknown("the private-endpoint subnet is not known yet");
                return routeToPrivate(index, subnet, target.prefixes ?? [], `the private endpoints' ${target.label}`);
            }),
            nsg: once(() => {
                if (!target) return unknown("the private-endpoint subnet is not known yet");
                return nsgToEndpoints(index, { subnet, prefixes: subnet.prefixes ?? [], label: subnet.label }, target);
            }),
            "private-endpoint": once(() => endpointsPresent(index, targets, vnetKey)),
        };
    });
}

/** A hop check that works its verdict out on the first call and hands the same verdict to the next. */
function once(check: () => HopVerdict): () => HopVerdict {
    let verdict: HopVerdict | undefined;
    return () => (verdict ??= check());
}

const isCluster = (c: Res) => eqi(get(c.props, "properties.computeType"), "AmlCompute");

export function datastoreReadWrite(
    index: StackIndex,
    ws: Res,
    storage: Res | undefined,
    computes: Res[],
): PlanJourney[] {
    const clusters = computes.filter(isCluster);
    if (clusters.length === 0) {
        return [
            walk("datastore-read-write", `workspace "${ws.name}"`, ws.urn, {
                compute: () => fail(`workspace "${ws.name}" has no compute cluster to run a job on`),
            }),
        ];
    }
    return clusters.map((cluster) => {
        const placement = placementOf(index, ws, cluster);
        const targets = [
            { target: storage, groupId: "blob", what: "the default storage" },
            { target: storage, groupId: "file", what: "the default storage" },
        ];
        return walk("datastore-read-write", `cluster "${cluster.name}" of workspace "${ws.name}"`, cluster.urn, {
            compute: () =>
                pass(
                    `cluster "${cluster.name}" in ${placement.kind === "subnet" ? placement.subnet.label : placement.kind === "managed" ? "the workspace's managed network" : "(not known yet)"}`,
                ),
            ...privateHops(index, placement, targets),
            rbac: () => {
                if (!storage) return unknown("the default storage is not in this stack; its roles cannot be seen");
                const need = { roles: [builtInRoles.storageBlobDataContributor], on: storage };
                const who = identitiesOf(cluster);
                const verdicts = who.map((i) => identityHolds(index, i, need));
                const holder = who.find((_, i) => verdicts[i] === true);
                if (holder)
                    return pass(`identity "${holder.name}" holds Storage Blob Data Contributor on "${storage.name}"`);
                if (verdicts.includes(UNKNOWN))
                    return unknown(`the roles of the assignments to "${cluster.name}"'s identity are not known yet`);
                return fail(
                    `the identity of "${cluster.name}" (${who.map((i) => `"${i.name}"`).join(", ")}) holds no Storage Blob Data Contributor on "${storage.name}"`,
                );
            },
        });
    });
}

/** The cluster the workspace names as its image-build compute. */
function imageBuildCluster(ws: Res, computes: Res[]): Res | undefined | typeof UNKNOWN {
    const name = get(ws.props, "imageBuildCompute");
    if (name === UNKNOWN) return UNKNOWN;
    if (typeof name !== "string" || name === "") return undefined;
    return computes.find((c) => isCluster(c) && get(c.props, "computeName") === name);
}

function nsgToInternet(index: StackIndex, subnet: SubnetInfo, region: string): HopVerdict {
    const nsg = index.nsgOf(subnet);
    if (nsg === UNKNOWN) return unknown(`the NSG of ${subnet.label} is not known yet`);
    if (nsg === "external") return unknown(`the NSG of ${subnet.label} is outside this stack`);
    if (!nsg) return pass(`${subnet.label} has no NSG: Azure lets TCP 443 out`);
    const rules = index.effectiveRules(nsg);
    if (rules === UNKNOWN) return unknown(`the rules of NSG "${nsg.name}" are not known yet`);
    const said: string[] = [];
    for (const remote of [`microsoftcontainerregistry.${region}`, "azurefrontdoor.firstparty", "internet"]) {
        const v = evaluate(
            rules,
            { direction: "outbound", protocol: "tcp", port: 443, remote, label: remote },
            {
                prefixes: subnet.prefixes,
            },
        );
        if (v.result === "unknown")
            return unknown(`NSG "${nsg.name}": whether TCP 443 may go to ${remote} is not known yet`);
        if (v.result === "denied") return fail(`NSG "${nsg.name}" denies TCP 443 out to ${remote} (${v.rule.label})`);
        said.push(`${remote} (${v.rule.label})`);
    }
    return pass(`NSG "${nsg.name}" lets TCP 443 out to ${said.join(", ")}`);
}

/** What a managed network's FQDN outbound rules let through, for the hosts Azure does not add itself. */
function managedEgress(ws: Res, region: string): HopVerdict {
    const imageBuildHosts = imageBuildHostsIn(region);
    const mode = managedMode(ws)!;
    if (mode === "AllowInternetOutbound") return pass("managed network AllowInternetOutbound: every host is reachable");
    const rules = get(ws.props, "managedNetwork.outboundRules");
    if (rules === UNKNOWN) return unknown("the managed network's outbound rules are not known yet");
    const fqdns = Object.values((rules ?? {}) as Record<string, unknown>)
        .filter((r) => eqi(get(r, "type"), "FQDN"))
        .map((r) => get(r, "destination"))
        .filter((d): d is string => typeof d === "string");
    // MCR is among the rules Azure adds to an AllowOnlyApprovedOutbound network itself (required rules).
    for (const h of imageBuildHosts.filter((h) => !h.serviceTag)) {
        if (!fqdns.some((f) => fqdnMatches(f, h.host)))
            return fail(
                `the managed network (AllowOnlyApprovedOutbound) has no FQDN outbound rule for ${h.host} (${h.purpose})`,
            );
    }
    return pass(
        `managed network AllowOnlyApprovedOutbound: MCR through Azure's required rules, ${imageBuildHosts
            .filter((h) => !h.serviceTag)
            .map((h) => h.host)
            .join(", ")} through FQDN outbound rules`,
    );
}

export function imageBuild(index: StackIndex, ws: Res, registry: Res | undefined, computes: Res[]): PlanJourney {
    const cluster = imageBuildCluster(ws, computes);
    const subject = `workspace "${ws.name}"${cluster && cluster !== UNKNOWN ? ` on cluster "${cluster.name}"` : ""}`;
    if (cluster === UNKNOWN)
        return walk("image-build", subject, ws.urn, { compute: () => unknown("imageBuildCompute is not known yet") });
    if (!cluster)
        return walk("image-build", subject, ws.urn, {
            compute: () =>
                fail(
                    `workspace "${ws.name}" names no compute cluster of its own as imageBuildCompute (${String(get(ws.props, "imageBuildCompute") ?? "unset")})`,
                ),
        });
    const placement = placementOf(index, ws, cluster);
    const region = String(index.locationOf(ws) ?? index.locationOf(cluster) ?? "")
        .toLowerCase()
        .replace(/\s+/g, "");
    const hops = privateHops(index, placement, [
        { target: registry, groupId: "registry", what: "the container registry" },
    ]);
    return walk("image-build", subject, cluster.urn, {
        compute: () =>
            pass(`imageBuildCompute "${String(get(ws.props, "imageBuildCompute"))}" is cluster "${cluster.name}"`),
        "private-endpoint": () => {
            const present = hops["private-endpoint"]!();
            if (present.status !== "pass" || placement.kind !== "subnet") return present;
            const dns = hops.dns!();
            return dns.status === "pass" ? pass(`${present.detail}; ${dns.detail}`) : dns;
        },
        nsg: () => {
            if (placement.kind === "managed") return pass("managed network: no NSG of the stack's applies");
            if (placement.kind === "unknown") return unknown(placement.why);
            return nsgToInternet(index, placement.subnet, region);
        },
        egress: () => {
            if (placement.kind === "managed") return managedEgress(ws, region);
            if (placement.kind === "unknown") return unknown(placement.why);
            return hostsReachable(index, placement.subnet, imageBuildHostsIn(region));
        },
    });
}

import type { PlanJourney } from "../../../plan";
import { CreateTimePrerequisite, createTimeRequirementsOf } from "../../catalog";
import { Res, StackIndex } from "../../graph";
import { UNKNOWN, eqi, get } from "../../util";
import { managedMode } from "./compute-jobs";
import { HopVerdict, fail, notApplicable, pass, unknown, walk } from "./model";
import { endpointsIn, transitiveDependencies, wayOutOf } from "./paths";

/**
 * Journey 4: a compute instance starts. Its create-time requirements (components/catalog/create-time.ts,
 * the same data the component's dependsOn comes from) must be edges of the stack's graph: the
 * instance depends on each prerequisite, so `pulumi up` creates them first.
 */

export interface DependencyTargets {
    workspace: Res;
    storage?: Res;
    vault?: Res;
    registry?: Res;
}

function targetOf(t: DependencyTargets, groupId: string): Res | undefined {
    if (groupId === "amlworkspace") return t.workspace;
    if (groupId === "vault") return t.vault;
    if (groupId === "registry") return t.registry;
    return t.storage;
}

export function computeInstanceStarts(index: StackIndex, t: DependencyTargets, computes: Res[]): PlanJourney[] {
    const instances = computes.filter((c) => eqi(get(c.props, "properties.computeType"), "ComputeInstance"));
    const ws = t.workspace;
    if (instances.length === 0)
        return [
            notApplicable(
                "compute-instance-start",
                `workspace "${ws.name}"`,
                ws.urn,
                "no compute instance in this stack",
            ),
        ];
    const needs = createTimeRequirementsOf("computeInstance").flatMap((r) => r.needs);
    const endpointNeeds = needs.filter(
        (n): n is Extract<CreateTimePrerequisite, { kind: "privateEndpoint" }> => n.kind === "privateEndpoint",
    );
    return instances.map((instance) => {
        const deps = transitiveDependencies(instance);
        const subject = `compute instance "${instance.name}" of workspace "${ws.name}"`;
        const subnetId = get(instance.props, "properties.properties.subnet.id");
        if (subnetId === undefined && managedMode(ws)) {
            const azure = () =>
                pass("managed network: Azure creates the instance's private endpoints and way out first");
            return walk("compute-instance-start", subject, instance.urn, {
                "private-endpoint": azure,
                dns: azure,
                egress: azure,
            });
        }
        const subnet = index.subnetOf(instance, "properties", subnetId);
        if (!subnet || subnet === UNKNOWN || typeof subnet.vnetKey !== "string") {
            return walk("compute-instance-start", subject, instance.urn, {
                "private-endpoint": () =>
                    unknown(`the subnet of "${instance.name}" is not known yet or is outside this stack`),
            });
        }
        const vnetKey = subnet.vnetKey;
        const endpoints = new Map<string, Res[]>();
        const endpointsOf = (groupId: string): Res[] | typeof UNKNOWN | undefined => {
            const target = targetOf(t, groupId);
            if (!target) return undefined;
            if (!endpoints.has(groupId)) {
                const found = endpointsIn(index, target, groupId, vnetKey);
                if (found === UNKNOWN) return UNKNOWN;
                endpoints.set(groupId, found);
            }
            return endpoints.get(groupId);
        };
        const peHop = (): HopVerdict => {
            const waited: string[] = [];
            for (const need of endpointNeeds) {
                const pes = endpointsOf(need.groupId);
                if (pes === UNKNOWN) return unknown(`the ${need.groupId} private endpoints are not known yet`);
                if (pes === undefined) continue; // the target is outside the stack: the caller orders it
                if (pes.length === 0)
                    return fail(
                        `there is no ${need.groupId} private endpoint in ${index.vnetLabel(vnetKey)} for "${instance.name}" to wait for`,
                    );
                const pe = pes.find((p) => deps.has(p));
                if (!pe)
                    return fail(
                        `"${instance.name}" does not depend on the ${need.groupId} private endpoint "${pes[0].name}": Azure may create it first, and it boots without the endpoint`,
                    );
                waited.push(`"${pe.name}"`);
            }
            return pass(`"${instance.name}" waits for ${waited.join(", ")}`);
        };
        const dnsHop = (): HopVerdict => {
            let count = 0;
            for (const need of endpointNeeds) {
                const pes = endpointsOf(need.groupId);
                if (!pes || pes === UNKNOWN) continue;
                const pe = pes.find((p) => deps.has(p)) ?? pes[0];
                const zgs = index.zoneGroupsOf(pe);
                if (zgs === UNKNOWN) return unknown(`the zone groups of "${pe.name}" are not known yet`);
                if (need.zoneGroup) {
                    const zg = zgs.find((z) => deps.has(z));
                    if (!zg)
                        return fail(
                            `"${instance.name}" does not depend on the DNS zone group of "${pe.name}"${zgs[0] ? ` ("${zgs[0].name}")` : ""}: its names may not resolve privately when it boots`,
                        );
                    count++;
                }
                if (!need.zoneLinks) continue;
                for (const zg of zgs) {
                    for (const z of index.zonesOf(zg)) {
                        if (!z.zone) continue;
                        const links = index.linkedVnets(z.zone).links.get(vnetKey) ?? [];
                        if (links.length === 0) continue; // private-dns-zones-linked reports a missing link
                        if (!links.some((l) => deps.has(l)))
                            return fail(
                                `"${instance.name}" does not depend on the link of zone ${typeof z.name === "string" ? z.name : z.label} to its VNet ("${links[0].name}")`,
                            );
                        count++;
                    }
                }
            }
            return pass(`"${instance.name}" waits for ${count} DNS zone groups and zone links`);
        };
        const egressHop = (): HopVerdict => {
            const out = wayOutOf(index, subnet);
            if (out.kind === "unknown") return unknown(out.via);
            if (out.resources.length === 0) return pass(`no way out of the stack's to wait for (${out.via})`);
            const missing = out.resources.filter((r) => !deps.has(r));
            if (missing.length > 0)
                return fail(
                    `"${instance.name}" does not wait for its subnet's way out (${missing.map((r) => `"${r.name}"`).join(", ")})`,
                );
            return pass(
                `"${instance.name}" waits for ${out.via} (${out.resources.map((r) => `"${r.name}"`).join(", ")})`,
            );
        };
        return walk("compute-instance-start", subject, instance.urn, {
            "private-endpoint": peHop,
            dns: dnsHop,
            egress: egressHop,
        });
    });
}

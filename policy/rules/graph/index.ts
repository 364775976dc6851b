import { NsgRuleView } from "../nsg";
import { Unknown } from "../util";
import { DnsIndex, LinkedVnets } from "./dns";
import { Res, Resolved } from "./ids";
import { ResourceLookup } from "./lookup";
import { NsgRuleIndex } from "./nsg-rules";
import { PrivateEndpointIndex } from "./private-endpoints";
import { SubnetIndex, SubnetInfo } from "./subnets";

export type { ParsedId, Res, Resolved } from "./ids";
export { dependenciesAt, idOf, lastSegment, parentIdOf, parseArmId, physicalName } from "./ids";
export type { SubnetInfo } from "./subnets";

/**
 * The stack as a graph, built once per stack run (WeakMap-cached on the resources array, so the
 * stack rules of one run share it). `ResourceLookup` (lookup.ts) resolves every relation the same
 * way; each further index is built on first use, one file per thing it indexes: subnets and their
 * NSGs (subnets.ts), NSG rules (nsg-rules.ts), private endpoints (private-endpoints.ts) and private
 * DNS zone groups and links (dns.ts).
 */
export class StackIndex extends ResourceLookup {
    private subnetIndex?: SubnetIndex;
    private nsgRuleIndex?: NsgRuleIndex;
    private peIndex?: PrivateEndpointIndex;
    private dnsIndex?: DnsIndex;

    private get subnetsIdx(): SubnetIndex {
        return (this.subnetIndex ??= new SubnetIndex(this));
    }
    private get rulesIdx(): NsgRuleIndex {
        return (this.nsgRuleIndex ??= new NsgRuleIndex(this, this.subnetsIdx));
    }
    private get pesIdx(): PrivateEndpointIndex {
        return (this.peIndex ??= new PrivateEndpointIndex(this, this.subnetsIdx));
    }
    private get dnsIdx(): DnsIndex {
        return (this.dnsIndex ??= new DnsIndex(this));
    }

    // --- Subnets (subnets.ts) ---
    /** Every subnet of the stack: standalone Subnet resources and VNets' inline `subnets`. */
    subnets(): SubnetInfo[] {
        return this.subnetsIdx.subnets();
    }
    /** The subnet an input (`subnet`, `properties`) refers to through its `subnet.id`-like value. */
    subnetOf(from: Res, key: string, idValue: unknown): SubnetInfo | Unknown | undefined {
        return this.subnetsIdx.subnetOf(from, key, idValue);
    }
    /** The NSG a subnet names: the resource, `UNKNOWN`, `undefined` (none), or `external` (outside the stack). */
    nsgOf(subnet: SubnetInfo): Res | Unknown | undefined | "external" {
        return this.subnetsIdx.nsgOf(subnet);
    }

    // --- NSG rules (nsg-rules.ts) ---
    /** An NSG's rules, inline and standalone, sorted and followed by Azure's defaults; `UNKNOWN` if incomplete. */
    effectiveRules(nsg: Res): NsgRuleView[] | Unknown {
        return this.rulesIdx.effectiveRules(nsg);
    }
    /** The standalone SecurityRule resources attached to an NSG of the stack. */
    standaloneRulesOf(nsg: Res): Res[] {
        return this.rulesIdx.standaloneRulesOf(nsg);
    }
    /** Whether some standalone SecurityRule's NSG cannot be told yet. */
    hasUnresolvedRules(): boolean {
        return this.rulesIdx.hasUnresolvedRules();
    }
    /** The NSG a standalone SecurityRule belongs to. */
    nsgOfRule(rule: Res): Resolved {
        return this.rulesIdx.nsgOfRule(rule);
    }
    /** The subnets that name an NSG. */
    subnetsUsing(nsg: Res): { subnets: SubnetInfo[]; uncertain: boolean } {
        return this.rulesIdx.subnetsUsing(nsg);
    }

    // --- Private endpoints (private-endpoints.ts) ---
    /** The private endpoints of `target` for `groupId`; `UNKNOWN` if none is known but an unresolved PE might be. */
    privateEndpointsFor(target: Res, groupId: string): readonly Res[] | Unknown {
        return this.pesIdx.privateEndpointsFor(target, groupId);
    }
    /** The PE's target resources and group ids. */
    targetsOf(pe: Res): { target: Res; groupIds: string[] }[] {
        return this.pesIdx.targetsOf(pe);
    }
    /** The VNet of a private endpoint's subnet. */
    vnetOfPe(pe: Res): string | Unknown | undefined {
        return this.pesIdx.vnetOfPe(pe);
    }

    // --- Private DNS (dns.ts) ---
    /** A PE's zone groups; `UNKNOWN` if it has none known but some zone group is unresolved. */
    zoneGroupsOf(pe: Res): Res[] | Unknown {
        return this.dnsIdx.zoneGroupsOf(pe);
    }
    /** The zones a zone group registers in, each with its name and the zone resource when it is in the stack. */
    zonesOf(zg: Res): { name: string | Unknown; zone?: Res; label: string }[] {
        return this.dnsIdx.zonesOf(zg);
    }
    /** The zone groups whose private endpoint cannot be told yet. */
    unresolvedZoneGroups(): Res[] {
        return this.dnsIdx.unresolvedZoneGroups();
    }
    /** The VNets a zone is linked to, the links to each; `uncertain`: the links that may link it elsewhere but cannot be told yet. */
    linkedVnets(zone: Res): LinkedVnets {
        return this.dnsIdx.linkedVnets(zone);
    }
}

const indexes = new WeakMap<readonly Res[], StackIndex>();

/** The index of a stack run's resources, built once per resources array. */
export function indexOf(resources: readonly Res[]): StackIndex {
    let index = indexes.get(resources);
    if (!index) {
        index = new StackIndex(resources as Res[]);
        indexes.set(resources, index);
    }
    return index;
}

import * as pulumi from "@pulumi/pulumi";
import * as privatedns from "@pulumi/azure-native/privatedns";

/**
 * Private DNS for the workspace's private endpoints: one `privatelink.*` zone per name, each linked to
 * the VNet so compute and clients in it resolve the services to their private addresses. A zone whose
 * id the caller supplies (hub-and-spoke, or on-premises forwarders: the document's "plan how name
 * resolution works") is used as is: no zone and no link is created for it, since the hub owns both.
 */

export interface PrivateDnsArgs {
    resourceGroupName: pulumi.Input<string>;
    /** The VNet the created zones are linked to. */
    vnetId: pulumi.Input<string>;
    /** Every zone name the private endpoints need, each once. */
    zoneNames: readonly string[];
    /** Ids of existing zones by zone name; these names get neither a zone nor a link. */
    existingZoneIds?: Readonly<Record<string, pulumi.Input<string>>>;
    tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export interface PrivateDns {
    /** Zone name → zone id, for every name in `zoneNames` (created or given). */
    zoneIds: Record<string, pulumi.Input<string>>;
    /** The zones this call created, by name. */
    zones: Record<string, privatedns.PrivateZone>;
    /** The VNet links this call created, by zone name. */
    links: Record<string, privatedns.VirtualNetworkLink>;
}

/** Creates (or adopts the given ids of) the private DNS zones `zoneNames`, children of `opts.parent`. */
export function createPrivateDns(name: string, args: PrivateDnsArgs, opts: pulumi.CustomResourceOptions): PrivateDns {
    const result: PrivateDns = { zoneIds: {}, zones: {}, links: {} };
    for (const zoneName of new Set(args.zoneNames)) {
        const existing = args.existingZoneIds?.[zoneName];
        if (existing !== undefined) {
            result.zoneIds[zoneName] = existing;
            continue;
        }
        const zone = new privatedns.PrivateZone(
            `${name}-${zoneName}`,
            {
                resourceGroupName: args.resourceGroupName,
                privateZoneName: zoneName,
                // Private DNS zones are global resources; any region name is rejected.
                location: "global",
                tags: args.tags,
            },
            opts,
        );
        const link = new privatedns.VirtualNetworkLink(
            `${name}-${zoneName}-link`,
            {
                resourceGroupName: args.resourceGroupName,
                privateZoneName: zone.name,
                location: "global",
                virtualNetwork: { id: args.vnetId },
                // Private endpoints register their A records through zone groups; VM auto-registration would
                // put every node's name into a privatelink zone, which is not what these zones are for.
                registrationEnabled: false,
                tags: args.tags,
            },
            opts,
        );
        result.zones[zoneName] = zone;
        result.links[zoneName] = link;
        result.zoneIds[zoneName] = zone.id;
    }
    return result;
}

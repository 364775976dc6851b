import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import { AzureCloud } from "../catalog/clouds";
import { PrivateLinkGroupId, privateDnsZoneNames } from "../catalog/dns-zones";

/**
 * One private endpoint and its DNS zone group.
 *
 * A function rather than a component: a private endpoint and its zone group are two resources that
 * belong to the service they expose, so they are registered as children of the caller's parent (the
 * workspace component) with names derived from `name`. A component per endpoint would add a URN level
 * and a type token that the policy pack, the plan report and every alias would have to know about, and
 * buy nothing: the pair has no outputs of its own beyond the endpoint's id.
 */

export interface PrivateEndpointArgs {
    resourceGroupName: pulumi.Input<string>;
    /** The VNet's region; a private endpoint must be in its subnet's region. */
    location: pulumi.Input<string>;
    /** The private-endpoint subnet. Every endpoint of the workspace goes into the same one (the document: same VNet). */
    subnetId: pulumi.Input<string>;
    /** The ARM id of the resource the endpoint exposes. */
    privateLinkServiceId: pulumi.Input<string>;
    /** The sub-resource (`blob`, `vault`, `amlworkspace`, ...). */
    groupId: PrivateLinkGroupId;
    /** Selects the zone names. Default `AzureCloud`. */
    cloud?: AzureCloud;
    /** Zone ids by zone name; must hold every zone `privateDnsZoneNames` gives for `groupId` and `cloud`. */
    privateDnsZoneIds: Readonly<Record<string, pulumi.Input<string>>>;
    tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export interface PrivateEndpointResources {
    privateEndpoint: network.PrivateEndpoint;
    zoneGroup: network.PrivateDnsZoneGroup;
}

/**
 * Creates the endpoint with one private link service connection (`groupIds: [groupId]`) and a zone group
 * that holds exactly the catalogue's zones for the group id and cloud (two for `amlworkspace`: without
 * `notebooks` the studio's notebooks do not resolve).
 */
export function createPrivateEndpoint(
    name: string,
    args: PrivateEndpointArgs,
    opts: pulumi.CustomResourceOptions,
): PrivateEndpointResources {
    const zoneNames = privateDnsZoneNames(args.groupId, args.cloud ?? "AzureCloud");
    const missing = zoneNames.filter((zone) => args.privateDnsZoneIds[zone] === undefined);
    if (missing.length > 0) {
        throw new Error(
            `createPrivateEndpoint(${name}): no zone id for ${missing.join(", ")} (group id ${args.groupId})`,
        );
    }

    const privateEndpoint = new network.PrivateEndpoint(
        name,
        {
            resourceGroupName: args.resourceGroupName,
            location: args.location,
            subnet: { id: args.subnetId },
            privateLinkServiceConnections: [
                {
                    name: args.groupId,
                    privateLinkServiceId: args.privateLinkServiceId,
                    groupIds: [args.groupId],
                },
            ],
            tags: args.tags,
        },
        opts,
    );

    const zoneGroup = new network.PrivateDnsZoneGroup(
        `${name}-dns`,
        {
            resourceGroupName: args.resourceGroupName,
            privateEndpointName: privateEndpoint.name,
            privateDnsZoneGroupName: "default",
            privateDnsZoneConfigs: zoneNames.map((zone) => ({
                // Config names allow letters, digits, hyphens and underscores only.
                name: zone.replace(/\./g, "-"),
                privateDnsZoneId: args.privateDnsZoneIds[zone],
            })),
        },
        opts,
    );

    return { privateEndpoint, zoneGroup };
}

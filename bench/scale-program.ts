import * as resources from "@pulumi/azure-native/resources";
import { privateDnsZoneNames, PrivateLinkGroupId } from "../components/catalog/dns-zones";
import { createPrivateDns } from "../components/network/dns";
import { MlNetwork } from "../components/network/network";
import { SecureMlWorkspace } from "../components/workspace/secure-workspace";
import { secureMlWorkspaceDefaults } from "../components/workspace/secure-workspace-plan";

/**
 * The benchmark's scale program: `k` SecureMlWorkspaces sharing one MlNetwork and one set of private
 * DNS zones, the hub-and-spoke reuse path. The network and the zones are created standalone (linked to
 * the shared VNet once); every workspace passes their ids as `existingVnetId`,
 * `existingTrainingSubnetId`, `existingPrivateEndpointSubnetId` and `existingPrivateDnsZoneIds`.
 */

export const scaleLocation = "westeurope";
/** Addresses one workspace's private endpoints take (MlNetwork's own estimate, with the monitor private link). */
export const addressesPerWorkspaceEndpoints = 15;
const imageBuildMaxNodes = secureMlWorkspaceDefaults.imageBuildMaxNodes;

/** The longest prefix whose subnet has `usable` addresses after Azure's five reserved ones. */
export function prefixLengthFor(usable: number, longest: number): number {
    let length = longest;
    while (length > 8 && 2 ** (32 - length) - 5 < usable) length--;
    return length;
}

/** Subnet sizes for `k` workspaces: the training subnet holds every cluster's nodes, the PE subnet every endpoint. */
export function scaleLayout(k: number) {
    const trainingLength = prefixLengthFor(k * imageBuildMaxNodes, 29);
    // MlNetwork requires a /27 or larger for the (shared) private-endpoint subnet.
    const peLength = prefixLengthFor(k * addressesPerWorkspaceEndpoints, 27);
    if (trainingLength < 20 || peLength < 20) throw new Error(`scaleLayout: k = ${k} needs more than a /20 per subnet`);
    return {
        addressSpace: "10.200.0.0/16",
        trainingSubnetPrefix: `10.200.0.0/${trainingLength}`,
        privateEndpointSubnetPrefix: `10.200.16.0/${peLength}`,
        maxComputeNodes: k * imageBuildMaxNodes,
    };
}

/** The zones a workspace with the default storage endpoints needs: exactly the keys it accepts. */
export function workspaceZoneNames(): string[] {
    const groupIds: PrivateLinkGroupId[] = [
        "amlworkspace",
        ...secureMlWorkspaceDefaults.storagePrivateEndpoints,
        "vault",
        "registry",
    ];
    return [...new Set(groupIds.flatMap((groupId) => privateDnsZoneNames(groupId)))];
}

export function scaleProgram(k: number) {
    const group = new resources.ResourceGroup("rg", {
        resourceGroupName: "rg-secure-azureml-scale",
        location: scaleLocation,
    });
    const network = new MlNetwork("shared", {
        resourceGroupName: group.name,
        location: scaleLocation,
        ...scaleLayout(k),
    });
    const dns = createPrivateDns(
        "shared-dns",
        {
            resourceGroupName: group.name,
            vnetId: network.vnetId,
            zoneNames: workspaceZoneNames(),
        },
        {},
    );
    const workspaces: SecureMlWorkspace[] = [];
    for (let i = 1; i <= k; i++) {
        const name = `mlws${String(i).padStart(2, "0")}`;
        workspaces.push(
            new SecureMlWorkspace(name, {
                resourceGroupName: group.name,
                location: scaleLocation,
                namePrefix: name,
                protectData: false,
                existingVnetId: network.vnetId,
                existingTrainingSubnetId: network.trainingSubnetId,
                existingPrivateEndpointSubnetId: network.privateEndpointSubnetId,
                existingPrivateDnsZoneIds: dns.zoneIds,
            }),
        );
    }
    return { workspaceIds: workspaces.map((w) => w.workspaceId) };
}

import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import { PartArgs } from "../common";

/**
 * A Standard, static, regional IPv4 public address: what a NAT gateway, Azure Bastion, Azure Firewall
 * and an AZ VPN gateway all require. `zones` makes it zone-redundant (the AZ gateway SKUs need that).
 */
export function createStaticPublicIp(
    name: string,
    args: PartArgs & { zones?: string[] },
    opts: pulumi.CustomResourceOptions,
): network.PublicIPAddress {
    return new network.PublicIPAddress(
        name,
        {
            resourceGroupName: args.resourceGroupName,
            location: args.location,
            tags: args.tags,
            sku: { name: network.PublicIPAddressSkuName.Standard, tier: network.PublicIPAddressSkuTier.Regional },
            publicIPAllocationMethod: network.IPAllocationMethod.Static,
            publicIPAddressVersion: network.IPVersion.IPv4,
            ...(args.zones ? { zones: args.zones } : {}),
        },
        opts,
    );
}

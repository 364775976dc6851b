import * as pulumi from "@pulumi/pulumi";
import * as dnsresolver from "@pulumi/azure-native/dnsresolver";
import { PartArgs } from "../common";

/**
 * An Azure DNS Private Resolver in the workspace's VNet with one inbound endpoint: a private IP that
 * answers DNS queries with the VNet's view, private DNS zones included. It is what a point-to-site VPN
 * client needs to resolve the workspace's private endpoints (privatelink.api.azureml.ms, ...): a VPN
 * client does not use the VNet's DNS by itself, so the Azure VPN Client profile names this IP as its
 * DNS server (`<dnsservers>`, https://learn.microsoft.com/azure/vpn-gateway/azure-vpn-client-optional-configurations),
 * and an on-premises DNS server forwards the public zones to it.
 * https://learn.microsoft.com/azure/dns/dns-private-resolver-overview (inbound endpoints, subnet restrictions:
 * a dedicated subnet, /28 to /24, delegated to Microsoft.Network/dnsResolvers).
 */

/**
 * The delegation the inbound endpoint's subnet must carry. `actions` is what Azure fills in for this
 * service; set here so that after `pulumi refresh` the next `pulumi up` shows no diff (azure-filled.ts).
 */
export const dnsResolverDelegation = {
    name: "Microsoft.Network.dnsResolvers",
    serviceName: "Microsoft.Network/dnsResolvers",
    actions: ["Microsoft.Network/virtualNetworks/subnets/join/action"],
};

export interface DnsResolverArgs extends PartArgs {
    vnetId: pulumi.Input<string>;
    subnetId: pulumi.Input<string>;
}

export interface DnsResolver {
    resolver: dnsresolver.DnsResolver;
    inbound: dnsresolver.InboundEndpoint;
    /** The inbound endpoint's private IP (Azure assigns it: Dynamic). */
    inboundIp: pulumi.Output<string | undefined>;
}

export function createDnsResolver(
    name: string,
    args: DnsResolverArgs,
    opts: pulumi.CustomResourceOptions,
): DnsResolver {
    const common = { resourceGroupName: args.resourceGroupName, location: args.location, tags: args.tags };
    const resolver = new dnsresolver.DnsResolver(
        `${name}-dns-resolver`,
        { ...common, virtualNetwork: { id: args.vnetId } },
        opts,
    );
    const inbound = new dnsresolver.InboundEndpoint(
        `${name}-dns-inbound`,
        {
            ...common,
            dnsResolverName: resolver.name,
            ipConfigurations: [
                {
                    subnet: { id: args.subnetId },
                    privateIpAllocationMethod: dnsresolver.IpAllocationMethod.Dynamic,
                },
            ],
        },
        opts,
    );
    const inboundIp = inbound.ipConfigurations.apply((configs) => configs?.[0]?.privateIpAddress);
    return { resolver, inbound, inboundIp };
}

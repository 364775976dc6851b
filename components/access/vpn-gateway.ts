import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import { PartArgs } from "../common";
import { azureVpnClientAudience } from "./network-access-plan";
import { createStaticPublicIp } from "../network/public-ip";

/**
 * A point-to-site VPN gateway in `GatewaySubnet`: people connect from their own machine with the Azure
 * VPN Client (OpenVPN) and sign in with Microsoft Entra ID, no certificates to hand out.
 * https://learn.microsoft.com/azure/vpn-gateway/point-to-site-entra-gateway
 *
 * Name resolution: a VPN client does NOT use the VNet's private DNS zones by itself. It needs a DNS
 * server inside the VNet that forwards to Azure DNS (168.63.129.16): an Azure DNS Private Resolver's
 * inbound endpoint (or a forwarder VM), set as the client's DNS server in the VPN profile
 * (`<dnsservers>` of the Azure VPN Client profile) or as a conditional forwarder on-premises for the
 * public names (api.azureml.ms, notebooks.azure.net, blob.core.windows.net, vaultcore.azure.net,
 * azurecr.io, monitor.azure.com, ...). See the README's "How people connect".
 */

export interface VpnGatewayArgs extends PartArgs {
    gatewaySubnetId: pulumi.Input<string>;
    clientAddressPool: string;
    tenantId: pulumi.Input<string>;
}

export interface VpnGateway {
    gateway: network.VirtualNetworkGateway;
    publicIp: network.PublicIPAddress;
}

export function createVpnGateway(name: string, args: VpnGatewayArgs, opts: pulumi.CustomResourceOptions): VpnGateway {
    const common = { resourceGroupName: args.resourceGroupName, location: args.location, tags: args.tags };
    // Standard, static, zone-redundant: what the AZ gateway SKUs require.
    const publicIp = createStaticPublicIp(`${name}-vpn-pip`, { ...common, zones: ["1", "2", "3"] }, opts);
    const gateway = new network.VirtualNetworkGateway(
        `${name}-vpn`,
        {
            ...common,
            gatewayType: network.VirtualNetworkGatewayType.Vpn,
            vpnType: network.VpnType.RouteBased,
            // VpnGw1AZ: the smallest SKU with OpenVPN and Entra ID authentication (Basic has neither).
            sku: {
                name: network.VirtualNetworkGatewaySkuName.VpnGw1AZ,
                tier: network.VirtualNetworkGatewaySkuTier.VpnGw1AZ,
            },
            vpnGatewayGeneration: network.VpnGatewayGeneration.Generation1,
            activeActive: false,
            enableBgp: false,
            ipConfigurations: [
                {
                    name: "vpn-ipconfig",
                    subnet: { id: args.gatewaySubnetId },
                    publicIPAddress: { id: publicIp.id },
                    privateIPAllocationMethod: network.IPAllocationMethod.Dynamic,
                },
            ],
            vpnClientConfiguration: {
                vpnClientAddressPool: { addressPrefixes: [args.clientAddressPool] },
                vpnClientProtocols: [network.VpnClientProtocol.OpenVPN],
                vpnAuthenticationTypes: [network.VpnAuthenticationType.AAD],
                aadTenant: pulumi.interpolate`https://login.microsoftonline.com/${args.tenantId}/`,
                aadAudience: azureVpnClientAudience,
                aadIssuer: pulumi.interpolate`https://sts.windows.net/${args.tenantId}/`,
            },
        },
        opts,
    );
    return { gateway, publicIp };
}

import { SecurityRule } from "./service-tags";

/**
 * The NSG rules Azure Bastion needs on `AzureBastionSubnet`, from Microsoft's "Working with NSG access
 * and Azure Bastion". An NSG on that subnet without them makes Bastion fail to deploy; the policy pack
 * accepts exactly these on a Bastion subnet's NSG (among them inbound 443 from Internet) and nothing
 * broader.
 */
export const bastionSubnetName = "AzureBastionSubnet";

/**
 * The Bastion SKUs MlNetwork creates (https://learn.microsoft.com/azure/bastion/configuration-settings#skus):
 * "Connect to VMs using Azure CLI" (the native client, `enableTunneling`) is Standard and Premium only,
 * and Microsoft Entra ID RDP to a Windows VM goes through it ("Connections via native client require
 * the Bastion Standard SKU", https://learn.microsoft.com/azure/bastion/connect-vm-native-client-windows).
 * Developer is not offered: it deploys no host into AzureBastionSubnet (a shared pool), has no native
 * client, and its region list does not include westeurope.
 */
export const BastionSku = {
    /** Browser RDP/SSH in the portal only, no native client: serves a Linux jump box. */
    Basic: "Basic",
    /** Adds the native client (tunnelling) that Entra ID RDP to the Windows jump box needs. The default. */
    Standard: "Standard",
    /** Standard plus session recording and private-only deployment. */
    Premium: "Premium",
} as const;
export type BastionSku = (typeof BastionSku)[keyof typeof BastionSku];
export const bastionSkus: readonly BastionSku[] = ["Basic", "Standard", "Premium"];
/** Whether a SKU has the native client (`az network bastion rdp|ssh|tunnel`). */
export function bastionSkuHasNativeClient(sku: BastionSku): boolean {
    return sku !== "Basic";
}

export const bastionNsgRules: readonly SecurityRule[] = [
    {
        name: "AllowHttpsInbound",
        priority: 120,
        direction: "Inbound",
        access: "Allow",
        protocol: "Tcp",
        sourceAddressPrefix: "Internet",
        sourcePortRange: "*",
        destinationAddressPrefix: "*",
        destinationPortRange: "443",
        description: "Users reach Bastion over TLS from the Internet (public ingress).",
    },
    {
        name: "AllowGatewayManagerInbound",
        priority: 130,
        direction: "Inbound",
        access: "Allow",
        protocol: "Tcp",
        sourceAddressPrefix: "GatewayManager",
        sourcePortRange: "*",
        destinationAddressPrefix: "*",
        destinationPortRange: "443",
        description: "Bastion's control plane (GatewayManager).",
    },
    {
        name: "AllowAzureLoadBalancerInbound",
        priority: 140,
        direction: "Inbound",
        access: "Allow",
        protocol: "Tcp",
        sourceAddressPrefix: "AzureLoadBalancer",
        sourcePortRange: "*",
        destinationAddressPrefix: "*",
        destinationPortRange: "443",
        description: "Azure Load Balancer health probes.",
    },
    {
        name: "AllowBastionHostCommunicationInbound",
        priority: 150,
        direction: "Inbound",
        access: "Allow",
        protocol: "*",
        sourceAddressPrefix: "VirtualNetwork",
        sourcePortRange: "*",
        destinationAddressPrefix: "VirtualNetwork",
        destinationPortRanges: ["8080", "5701"],
        description: "Bastion's data plane between its own instances.",
    },
    {
        name: "AllowSshRdpOutbound",
        priority: 100,
        direction: "Outbound",
        access: "Allow",
        protocol: "*",
        sourceAddressPrefix: "*",
        sourcePortRange: "*",
        destinationAddressPrefix: "VirtualNetwork",
        destinationPortRanges: ["22", "3389"],
        description: "SSH and RDP from Bastion to the VMs in the VNet.",
    },
    {
        name: "AllowAzureCloudOutbound",
        priority: 110,
        direction: "Outbound",
        access: "Allow",
        protocol: "Tcp",
        sourceAddressPrefix: "*",
        sourcePortRange: "*",
        destinationAddressPrefix: "AzureCloud",
        destinationPortRange: "443",
        description: "Diagnostics and metering to Azure's public endpoints.",
    },
    {
        name: "AllowBastionCommunicationOutbound",
        priority: 120,
        direction: "Outbound",
        access: "Allow",
        protocol: "*",
        sourceAddressPrefix: "VirtualNetwork",
        sourcePortRange: "*",
        destinationAddressPrefix: "VirtualNetwork",
        destinationPortRanges: ["8080", "5701"],
        description: "Bastion's data plane between its own instances.",
    },
    {
        name: "AllowHttpOutbound",
        priority: 130,
        direction: "Outbound",
        access: "Allow",
        protocol: "*",
        sourceAddressPrefix: "*",
        sourcePortRange: "*",
        destinationAddressPrefix: "Internet",
        destinationPortRange: "80",
        description: "Session and certificate validation.",
    },
];

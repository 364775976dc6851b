import * as pulumi from "@pulumi/pulumi";
import { AzureCloud } from "../catalog/clouds";
import { EgressArgs } from "../egress/egress-plan";
import type { JumpBoxOs } from "../catalog/jump-box-hosts";
import type { BastionSku } from "../catalog/bastion";

/**
 * The arguments of `MlNetwork`, apart from the component: the plan (network-plan.ts), the access plan
 * (../access/network-access-plan.ts) and the component all import them from here, so none of them
 * imports another back.
 */

/**
 * The network layout both components take: address space, subnets, Bastion and egress. One interface,
 * so `MlNetwork` and `SecureMlWorkspace` document these arguments once.
 */
export interface MlNetworkLayoutArgs extends EgressArgs {
    /** The VNet's address space. Must not overlap 172.17.0.0/16 (Docker's bridge). Default `10.0.0.0/16`. */
    addressSpace?: pulumi.Input<string>;
    /** The training compute subnet. Default: the first /24 of the address space. */
    trainingSubnetPrefix?: pulumi.Input<string>;
    /** The private endpoint subnet. Default: the second /24 of the address space. */
    privateEndpointSubnetPrefix?: pulumi.Input<string>;
    /** Whether to create a scoring (inference) subnet. Default false. */
    enableScoringSubnet?: boolean;
    /** The scoring subnet. Default: the third /24 of the address space. */
    scoringSubnetPrefix?: pulumi.Input<string>;
    /** Whether to create an `AzureBastionSubnet` and an Azure Bastion host for jump-box access. Default false. */
    enableBastion?: boolean;
    /**
     * The Bastion host's SKU: `Basic`, `Standard` or `Premium`. Default `Standard`, with native-client
     * tunnelling on (`az network bastion rdp|ssh --auth-type AAD`), which Microsoft Entra ID sign-in to a
     * Windows jump box needs; `Basic` has no native client and serves a Linux jump box only (SSH in the
     * portal). `Developer` is refused: it has no `AzureBastionSubnet` or native client.
     */
    bastionSku?: BastionSku;
    /** The `AzureBastionSubnet` (/26 or larger). Default: the first /26 of the fourth /24 of the address space. */
    bastionSubnetPrefix?: pulumi.Input<string>;
    /** Whether to give the training subnet a NAT gateway with a static public IP for outbound traffic. Default: true when nodes have no public IP. */
    natGateway?: boolean;
    /**
     * Whether to create a jump box (no public IP, Microsoft Entra ID sign-in, auto-shutdown) in its own
     * subnet, reached through Bastion; needs `enableBastion`. Default false.
     */
    enableJumpBox?: boolean;
    /**
     * The jump box's OS. `windows` (default): Windows Server 2025 Azure Edition with a desktop and Edge,
     * so the studio opens in a browser; RDP with Entra ID through Bastion. `linux`: Ubuntu without a
     * desktop, az/az ml/SDK over SSH only (no studio); needs `jumpBoxAdminSshPublicKey`.
     */
    jumpBoxOs?: JumpBoxOs;
    /**
     * Linux jump box only, and required there: the admin account's SSH public key (`ssh-rsa ...` or
     * `ssh-ed25519 ...`), break-glass only. Its private key stays with you; none is generated into state.
     */
    jumpBoxAdminSshPublicKey?: pulumi.Input<string>;
    /** The jump box's subnet (/28 is enough). Default: the /28 after the Bastion subnet (offset 832 of the address space). */
    jumpBoxSubnetPrefix?: pulumi.Input<string>;
    /** The jump box's VM size. Default `Standard_B2ms` for Windows (8 GiB: a desktop, Edge and the CLI), `Standard_B2s` for Linux. */
    jumpBoxVmSize?: string;
    /**
     * Whether to create a point-to-site VPN gateway (OpenVPN, Microsoft Entra ID sign-in) in `GatewaySubnet`.
     * VPN clients resolve the private endpoints through the DNS Private Resolver (`enableDnsResolver`,
     * on with the gateway by default). Default false.
     */
    enableVpnGateway?: boolean;
    /**
     * Whether to create an Azure DNS Private Resolver with an inbound endpoint in its own delegated
     * subnet: the DNS server VPN clients (or on-premises forwarders) use to resolve the workspace's
     * private endpoints through the VNet's private DNS zones (output `dnsResolverInboundIp`). Default:
     * `enableVpnGateway`.
     */
    enableDnsResolver?: boolean;
    /** The resolver's inbound-endpoint subnet (/28 to /24, delegated to Microsoft.Network/dnsResolvers). Default: the /28 at offset 960 of the address space. */
    dnsResolverSubnetPrefix?: pulumi.Input<string>;
    /** The `GatewaySubnet` (/27 or larger). Default: the /27 at offset 864 of the address space. */
    gatewaySubnetPrefix?: pulumi.Input<string>;
    /** The addresses VPN clients get, outside the address space (e.g. `172.30.0.0/24`). Required with `enableVpnGateway`. */
    vpnClientAddressPool?: string;
}

/** Arguments of `MlNetwork`. */
export interface MlNetworkArgs extends MlNetworkLayoutArgs {
    /** The resource group that holds the network. */
    resourceGroupName: pulumi.Input<string>;
    /** The Azure region, e.g. `westeurope`. Regional service tags (`Storage.westeurope`) are built from it. */
    location: pulumi.Input<string>;
    /** The Azure cloud. Decides the service tags that apply (no `AzureFrontDoor.FrontEnd` in Azure China). Default `AzureCloud`. */
    cloud?: AzureCloud;
    /** Whether compute nodes get public IP addresses. Default false (the document's "no public IP" variant). */
    nodePublicIp?: boolean;
    /** Whether the workspace has the hbi_workspace flag; adds the `AzureKeyVault.<region>` outbound rule. Default false. */
    hbiWorkspace?: boolean;
    /** The most compute nodes the training subnet must hold (one address each). Default 4. */
    maxComputeNodes?: number;
    /** Tags for every resource. */
    tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** The Log Analytics workspace that receives the Azure Firewall's logs (`egress: firewall`). */
    logAnalyticsWorkspaceId?: pulumi.Input<string>;
    /**
     * Storage accounts the compute subnets may reach over the Microsoft.Storage service endpoint when
     * egress is `firewall` or `none` (the service endpoint policy); Azure ML's own storage is always
     * allowed through the `/services/Azure/MachineLearning` alias. Accounts reached through private
     * endpoints need no entry.
     */
    allowedStorageAccountIds?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * Only the private-endpoint subnet (and Bastion when enabled): no training subnet, no NAT gateway. For a
     * workspace whose computes run in its managed network, where the VNet only carries the inbound
     * private endpoints. Default false.
     */
    privateEndpointsOnly?: boolean;
}

import * as pulumi from "@pulumi/pulumi";
import { AzureCloud } from "./catalog/clouds";

/** Arguments of {@link MlNetwork}. */
export interface MlNetworkArgs {
    /** The resource group that holds the network. */
    resourceGroupName: pulumi.Input<string>;
    /** The Azure region, e.g. `westeurope`. Regional service tags (`Storage.westeurope`) are built from it. */
    location: pulumi.Input<string>;
    /** The Azure cloud. Decides the service tags that apply (no `AzureFrontDoor.FrontEnd` in Azure China). Default `AzureCloud`. */
    cloud?: AzureCloud;
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
    /** The `AzureBastionSubnet` (/26 or larger). Default: the first /26 of the fourth /24 of the address space. */
    bastionSubnetPrefix?: pulumi.Input<string>;
    /** Whether compute nodes get public IP addresses. Default false (the document's "no public IP" variant). */
    nodePublicIp?: boolean;
    /** Whether to give the training subnet a NAT gateway with a static public IP for outbound traffic. Default: true when nodes have no public IP. */
    natGateway?: boolean;
    /**
     * Whether to end the training NSG's outbound rules with a deny-all, so compute can reach only the
     * documented service tags. Breaks pip/conda/CRAN installs from public feeds; use private feeds or
     * prebuilt images. Default false.
     */
    lockDownEgress?: boolean;
    /** Whether the workspace has the hbi_workspace flag; adds the `Keyvault.<region>` outbound rule. Default false. */
    hbiWorkspace?: boolean;
    /** The most compute nodes the training subnet must hold (one address each). Default 4. */
    maxComputeNodes?: number;
    /** Tags for every resource. */
    tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

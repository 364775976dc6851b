import * as pulumi from "@pulumi/pulumi";
import { AzureCloud } from "./catalog/clouds";
import { StorageGroupId } from "./catalog/dns-zones";

/** Arguments of {@link SecureMlWorkspace}. */
export interface SecureMlWorkspaceArgs {
    /** The resource group for every resource the component creates. */
    resourceGroupName: pulumi.Input<string>;
    /** The Azure region, e.g. `westeurope`. */
    location: pulumi.Input<string>;
    /** The Azure cloud; selects private DNS zone names and service tags. Default `AzureCloud`. */
    cloud?: AzureCloud;
    /** The workspace's name. Default: the component's name. */
    workspaceName?: pulumi.Input<string>;
    /**
     * Prefix for the globally unique names (storage account, key vault, container registry); a stable
     * random suffix is appended. Default: the component's name.
     */
    namePrefix?: string;

    // --- The network the component creates (ignored when existing subnet ids are given) ---
    /** The VNet's address space. Default `10.0.0.0/16`. */
    addressSpace?: pulumi.Input<string>;
    /** The training compute subnet. Default: the first /24 of the address space. */
    trainingSubnetPrefix?: pulumi.Input<string>;
    /** The private endpoint subnet. Default: the second /24 of the address space. */
    privateEndpointSubnetPrefix?: pulumi.Input<string>;
    /** Whether to create a scoring (inference) subnet. Default false. */
    enableScoringSubnet?: boolean;
    /** The scoring subnet. Default: the third /24 of the address space. */
    scoringSubnetPrefix?: pulumi.Input<string>;
    /** Whether to create an Azure Bastion host and its subnet. Default false. */
    enableBastion?: boolean;
    /** The `AzureBastionSubnet` (/26 or larger). Default: the first /26 of the fourth /24. */
    bastionSubnetPrefix?: pulumi.Input<string>;
    /** Whether to give the training subnet a NAT gateway for outbound traffic. Default: true when nodes have no public IP. */
    natGateway?: boolean;
    /** Whether to deny all outbound traffic except the documented service tags. Default false. */
    lockDownEgress?: boolean;

    // --- An existing network (the document's prerequisite: "an existing virtual network and subnet") ---
    /** The id of an existing VNet. With the two subnet ids below, the component creates no network. */
    existingVnetId?: pulumi.Input<string>;
    /** The id of an existing subnet for training compute. */
    existingTrainingSubnetId?: pulumi.Input<string>;
    /** The id of an existing subnet for private endpoints, in the same VNet. */
    existingPrivateEndpointSubnetId?: pulumi.Input<string>;
    /**
     * Ids of existing private DNS zones, keyed by zone name (e.g. `privatelink.api.azureml.ms`), for
     * hub-and-spoke or on-premises name resolution. Zones given here are not created or linked.
     */
    existingPrivateDnsZoneIds?: pulumi.Input<Record<string, pulumi.Input<string>>>;

    // --- Compute and workspace ---
    /** Whether compute nodes get public IP addresses. Default false. */
    nodePublicIp?: boolean;
    /** Whether to create the workspace with the hbi_workspace flag (less diagnostic data to Microsoft, encrypted local scratch). Default false. */
    hbiWorkspace?: boolean;
    /** The image-build cluster's name (2-16 characters). Default `image-build`. */
    imageBuildClusterName?: string;
    /** The image-build cluster's VM size; only CPU sizes can build images. Default `Standard_DS3_v2`. */
    imageBuildVmSize?: string;
    /** The image-build cluster's maximum node count; it scales to zero when idle. Default 4. */
    imageBuildMaxNodes?: number;

    // --- Dependencies ---
    /** Storage sub-resources that get a private endpoint. `blob` and `file` are required. Default `["blob", "file", "queue", "table"]`. */
    storagePrivateEndpoints?: StorageGroupId[];
    /** The storage account SKU. Default `Standard_LRS`. */
    storageSkuName?: pulumi.Input<string>;
    /** Whether storage, key vault, registry and workspace are protected from deletion. Default true. */
    protectData?: boolean;
    /** Tags for every resource. */
    tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

import * as pulumi from "@pulumi/pulumi";
import { ComputeInstanceSpec } from "../access/compute-instances";
import { WorkspacePrincipal } from "../access/people";
import { AzureCloud } from "../catalog/clouds";
import { StorageGroupId } from "../catalog/dns-zones";
import { WorkspaceIsolation } from "../catalog/egress-modes";
import { MlNetworkLayoutArgs } from "../network/network-args";

/**
 * The arguments of `SecureMlWorkspace`, apart from the component: the plan (secure-workspace-plan.ts) and
 * the component both import them from here, so neither imports the other back.
 */

/**
 * Arguments of `SecureMlWorkspace`. The network layout arguments (`MlNetworkLayoutArgs`) shape the
 * network the component creates, and are ignored when existing subnet ids are given.
 */
export interface SecureMlWorkspaceArgs extends MlNetworkLayoutArgs {
    /** The resource group for every resource the component creates. */
    resourceGroupName: pulumi.Input<string>;
    /** The Azure region, e.g. `westeurope`. */
    location: pulumi.Input<string>;
    /** The Azure cloud; selects private DNS zone names and service tags. Default `AzureCloud`. */
    cloud?: AzureCloud;
    /** The workspace's name (3-33 characters). Default: `<component name>-workspace`. */
    workspaceName?: pulumi.Input<string>;
    /**
     * Append `-<the component's random suffix>` (6 lowercase letters and digits, kept in state) to
     * `workspaceName`, so a stack destroyed and deployed again gets a new name: a deleted workspace is
     * soft-deleted and its name cannot be reused for 14 days
     * (https://learn.microsoft.com/azure/machine-learning/concept-soft-delete). The name must then leave 7
     * characters free (26 at most). Default `false`.
     */
    workspaceNameSuffix?: boolean;
    /**
     * Prefix for the globally unique names (storage account, key vault, container registry); a stable
     * random suffix is appended. Default: the component's name.
     */
    namePrefix?: string;

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
    /**
     * Where computes run. `customerVnet` (default): in this VNet's subnets, the source document's model;
     * `egress` decides their outbound path. `managed`: in the workspace's managed VNet with
     * AllowOnlyApprovedOutbound, FQDN rules for the host catalogue's `egressHostGroups` (default `python`,
     * `conda`; Azure adds Microsoft's own) and `extraEgressHosts`, and private-endpoint rules to the
     * storage, key vault and registry; this VNet then carries only the inbound private endpoints (no
     * training subnet, no NAT), and `egress` and the compute subnet arguments do not apply.
     */
    isolation?: WorkspaceIsolation;
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
    /**
     * Create a shared training cluster for the people of `dataScientists` to submit jobs to (AzureML
     * Data Scientist cannot create compute): AmlCompute in the training subnet (or the managed network),
     * no node public IP unless `nodePublicIp`, SSH off, scaling from zero, running as its own training
     * identity with the data grants every compute identity has. Default false.
     */
    enableTrainingCluster?: boolean;
    /** The training cluster's name (2-16 characters). Default `training`. */
    trainingClusterName?: string;
    /** The training cluster's VM size; GPU sizes are allowed. Default `Standard_DS3_v2`. */
    trainingClusterVmSize?: string;
    /** The training cluster's maximum node count; it scales to zero when idle. Default 4. */
    trainingClusterMaxNodes?: number;

    // --- Dependencies ---
    /** Storage sub-resources that get a private endpoint. `blob` and `file` are required. Default `["blob", "file", "queue", "table"]`. */
    storagePrivateEndpoints?: StorageGroupId[];
    /** The storage account SKU. Default `Standard_LRS`. */
    storageSkuName?: pulumi.Input<string>;
    /** Whether storage, key vault, registry and workspace are protected from deletion. Default true. */
    protectData?: boolean;
    /** Tags for every resource. */
    tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;

    // --- People and monitoring ---
    /**
     * The people (Microsoft Entra ID users or, better, groups) who work in the workspace. Each gets
     * AzureML Data Scientist on the workspace and Storage Blob Data Contributor and Storage File Data
     * Privileged Contributor on its storage account (shared key access is off, so the studio and the
     * notebooks use their own identity), and, with a jump box, Virtual Machine User Login on it and
     * Reader on it, its NIC and the Bastion host (what Entra ID sign-in through Bastion reads). Never Owner or Contributor. Default none.
     */
    dataScientists?: WorkspacePrincipal[];
    /**
     * Personal compute instances, each assigned to one user of `dataScientists`: in the training subnet,
     * no public IP, no SSH, idle shutdown, running as the instances' own identity (never a cluster's, AzureML Compute Operator on the workspace for idle shutdown). Default none.
     */
    computeInstances?: ComputeInstanceSpec[];
    /**
     * Let the people of `dataScientists` create compute themselves: AzureML Compute Operator on the
     * workspace, and Managed Identity Operator on the training identity so their clusters run with its
     * data grants. Only with `isolation: "managed"`: in a customer VNet a compute joins the training
     * subnet, which needs a network permission no narrow built-in role grants (use
     * `enableTrainingCluster` there). Default false.
     */
    allowDataScientistsToCreateCompute?: boolean;
    /**
     * Whether Log Analytics and Application Insights are reached through an Azure Monitor Private Link
     * Scope (Open access mode) with an `azuremonitor` private endpoint, and accept telemetry only through
     * it. With `isolation: "managed"` Application Insights' ingestion stays Enabled: computes and
     * deployments in the managed network cannot reach the scope, and Disabled would drop their telemetry
     * (catalog/monitor-reachability.ts). Turning it off leaves public ingestion on. Default true.
     */
    monitorPrivateLink?: boolean;
}

import * as pulumi from "@pulumi/pulumi";
import * as machinelearningservices from "@pulumi/azure-native/machinelearningservices";
import type * as azureInputs from "@pulumi/azure-native/types/input";
import { ignoredPaths, workspaceAzureFilled } from "../catalog/azure-filled";
import { EndpointPlacement, PartArgs } from "../common";
import { createPrivateEndpoint, PrivateEndpointResources } from "../network/private-endpoint";
import { amlClusterInputs } from "./aml-cluster";

export interface ImageBuildClusterArgs {
    /** The compute's name inside the workspace (2-16 characters); the workspace's `imageBuildCompute`. */
    name: string;
    /** A CPU VM size (validated by the caller: the document allows only CPU SKUs for image builds). */
    vmSize: string;
    maxNodes: number;
    /** Whether nodes get public IPs. */
    nodePublicIp: boolean;
    /** The training subnet; undefined when the cluster runs in the workspace's managed network. */
    subnetId?: pulumi.Input<string>;
    /** The compute identity (user-assigned) the cluster runs as; see compute-identity.ts. */
    identityId: pulumi.Input<string>;
    /** The compute identity's role assignments: the cluster waits for them, so its first job has them. */
    identityGrants: pulumi.Resource[];
}

export interface MlWorkspaceArgs extends PartArgs {
    workspaceName: pulumi.Input<string>;
    storageAccountId: pulumi.Input<string>;
    keyVaultId: pulumi.Input<string>;
    containerRegistryId: pulumi.Input<string>;
    applicationInsightsId: pulumi.Input<string>;
    hbiWorkspace: boolean;
    endpoints: EndpointPlacement;
    cluster: ImageBuildClusterArgs;
    /** The workspace's managed network (managed-network.ts): Disabled, or AllowOnlyApprovedOutbound with rules. */
    managedNetwork?: pulumi.Input<azureInputs.machinelearningservices.ManagedNetworkSettingsArgs>;
}

export interface MlWorkspace {
    workspace: machinelearningservices.Workspace;
    privateEndpoint: PrivateEndpointResources;
    imageBuildCluster: machinelearningservices.Compute;
}

/**
 * The Azure Machine Learning workspace, its `amlworkspace` private endpoint and the CPU compute cluster
 * that builds its Docker images ("When ACR is behind a virtual network, Azure Machine Learning can't use
 * it to directly build Docker images. Instead, the compute cluster is used to build the images.").
 */
export function createMlWorkspace(
    name: string,
    args: MlWorkspaceArgs,
    opts: pulumi.CustomResourceOptions & { protect: boolean },
): MlWorkspace {
    const { parent, protect } = opts;
    const workspace = new machinelearningservices.Workspace(
        `${name}-workspace`,
        {
            resourceGroupName: args.resourceGroupName,
            location: args.location,
            workspaceName: args.workspaceName,
            sku: { name: "Basic", tier: machinelearningservices.SkuTier.Basic },
            // The identity the storage resource-instance rule and the role assignments are for.
            identity: { type: machinelearningservices.ManagedServiceIdentityType.SystemAssigned },
            // Reachable only through the private endpoint below.
            publicNetworkAccess: machinelearningservices.PublicNetworkAccessType.Disabled,
            allowPublicAccessWhenBehindVnet: false,
            // The default datastores use the workspace's identity, not account keys (storage has shared key off).
            systemDatastoresAuthMode: machinelearningservices.SystemDatastoresAuthMode.Identity,
            hbiWorkspace: args.hbiWorkspace,
            // Stated, never left to the service's default: Disabled in the customer's VNet (the source
            // document's model), AllowOnlyApprovedOutbound with isolation: "managed" (managed-network.ts).
            managedNetwork: args.managedNetwork,
            // Step 5: build images on the cluster below. A name, so the workspace can be created first.
            imageBuildCompute: args.cluster.name,
            storageAccount: args.storageAccountId,
            keyVault: args.keyVaultId,
            containerRegistry: args.containerRegistryId,
            applicationInsights: args.applicationInsightsId,
            tags: args.tags,
        },
        // Azure-filled fields (catalog/azure-filled.ts): the managed network's required rules and status.
        { parent, protect, ignoreChanges: ignoredPaths(workspaceAzureFilled) },
    );

    // One endpoint for the workspace, registered in BOTH zones (api and notebooks).
    const privateEndpoint = createPrivateEndpoint(
        `${name}-amlworkspace-pe`,
        {
            resourceGroupName: args.resourceGroupName,
            location: args.location,
            subnetId: args.endpoints.subnetId,
            privateLinkServiceId: workspace.id,
            groupId: "amlworkspace",
            cloud: args.endpoints.cloud,
            privateDnsZoneIds: args.endpoints.privateDnsZoneIds,
            tags: args.tags,
        },
        { parent },
    );

    const cluster = args.cluster;
    const imageBuildCluster = new machinelearningservices.Compute(
        `${name}-${cluster.name}`,
        {
            resourceGroupName: args.resourceGroupName,
            location: args.location,
            workspaceName: workspace.name,
            computeName: cluster.name,
            // The clusters' compute identity: jobs read and write the workspace's storage and pull images with
            // it; see compute-identity.ts for what it is granted and why it only pulls from the registry.
            ...amlClusterInputs(cluster),
            tags: args.tags,
        },
        {
            parent,
            // A cluster without node public IPs depends on the workspace's Private Link: Azure rejects it
            // while the workspace has no private endpoint (public templates encode the same edge). That is
            // the only ordering the data does not express. The zone groups and VNet links are not waited
            // for: the cluster is created with zero nodes, and its first node boots long after this
            // deployment has created them; waiting would put them on the critical path (bench/).
            // The identity's grants come first too: the AcrPull that Azure ML would otherwise add itself
            // exists before the compute does (compute-identity.ts), and the first job can write its outputs.
            dependsOn: [...(cluster.nodePublicIp ? [] : [privateEndpoint.privateEndpoint]), ...cluster.identityGrants],
        },
    );

    return { workspace, privateEndpoint, imageBuildCluster };
}

import * as pulumi from "@pulumi/pulumi";
import * as containerregistry from "@pulumi/azure-native/containerregistry";
import { EndpointPlacement, PartArgs } from "../common";
import { createPrivateEndpoint, PrivateEndpointResources } from "../network/private-endpoint";

export interface WorkspaceRegistryArgs extends PartArgs {
    /** The registry's globally unique name (5-50 letters and digits). */
    registryName: pulumi.Input<string>;
    endpoints: EndpointPlacement;
}

export interface WorkspaceRegistry {
    registry: containerregistry.Registry;
    privateEndpoint: PrivateEndpointResources;
}

/**
 * The workspace's container registry, secured as the document's "Enable Azure Container Registry"
 * steps describe. Premium is not a choice: the document says the registry "must be Premium version",
 * and private endpoints exist only on Premium.
 */
export function createWorkspaceRegistry(
    name: string,
    args: WorkspaceRegistryArgs,
    opts: pulumi.CustomResourceOptions & { protect: boolean },
): WorkspaceRegistry {
    const { parent, protect } = opts;
    const registry = new containerregistry.Registry(
        `${name}-acr`,
        {
            resourceGroupName: args.resourceGroupName,
            location: args.location,
            registryName: args.registryName,
            sku: { name: containerregistry.SkuName.Premium },
            // Entra ID only: no shared admin password, no anonymous pulls.
            adminUserEnabled: false,
            anonymousPullEnabled: false,
            // "When ACR is behind a VNet, you can also disable public access to it."
            publicNetworkAccess: containerregistry.PublicNetworkAccess.Disabled,
            // Step 3: "Configure the ACR for the workspace to Allow access by trusted services."
            networkRuleBypassOptions: containerregistry.NetworkRuleBypassOptions.AzureServices,
            networkRuleSet: { defaultAction: containerregistry.DefaultAction.Deny },
            tags: args.tags,
        },
        { parent, protect },
    );

    // Step 2: the registry's private endpoint, in the same VNet as storage and compute.
    const privateEndpoint = createPrivateEndpoint(
        `${name}-registry-pe`,
        {
            resourceGroupName: args.resourceGroupName,
            location: args.location,
            subnetId: args.endpoints.subnetId,
            privateLinkServiceId: registry.id,
            groupId: "registry",
            cloud: args.endpoints.cloud,
            privateDnsZoneIds: args.endpoints.privateDnsZoneIds,
            tags: args.tags,
        },
        { parent },
    );
    return { registry, privateEndpoint };
}

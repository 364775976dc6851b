import * as pulumi from "@pulumi/pulumi";
import * as keyvault from "@pulumi/azure-native/keyvault";
import { EndpointPlacement, PartArgs } from "../common";
import { createPrivateEndpoint, PrivateEndpointResources } from "../network/private-endpoint";

/** Days a deleted vault (and its secrets) can be recovered; Azure's maximum. */
export const keyVaultSoftDeleteRetentionDays = 90;

export interface WorkspaceKeyVaultArgs extends PartArgs {
    /** The vault's globally unique name (3-24 characters). */
    vaultName: pulumi.Input<string>;
    tenantId: pulumi.Input<string>;
    endpoints: EndpointPlacement;
}

export interface WorkspaceKeyVault {
    vault: keyvault.Vault;
    privateEndpoint: PrivateEndpointResources;
}

/**
 * The workspace's key vault (it holds the storage connection string, registry passwords and datastore
 * secrets, per the document), reachable only through its `vault` private endpoint, which sits in the
 * same subnet as the workspace's ("the key vault must be in the same network as the private endpoint of
 * the workspace").
 */
export function createWorkspaceKeyVault(
    name: string,
    args: WorkspaceKeyVaultArgs,
    opts: pulumi.CustomResourceOptions & { protect: boolean },
): WorkspaceKeyVault {
    const { parent, protect } = opts;
    const vault = new keyvault.Vault(
        `${name}-kv`,
        {
            resourceGroupName: args.resourceGroupName,
            location: args.location,
            vaultName: args.vaultName,
            properties: {
                tenantId: args.tenantId,
                sku: { family: keyvault.SkuFamily.A, name: keyvault.SkuName.Standard },
                // Azure RBAC instead of access policies (the SDK defaults this to false); the workspace's
                // identity gets "Key Vault Secrets Officer" in roles.ts.
                enableRbacAuthorization: true,
                enableSoftDelete: true,
                softDeleteRetentionInDays: keyVaultSoftDeleteRetentionDays,
                enablePurgeProtection: true,
                // The SDK would inject lower-case "enabled".
                publicNetworkAccess: keyvault.PublicNetworkAccess.Disabled,
                networkAcls: {
                    defaultAction: keyvault.NetworkRuleAction.Deny,
                    bypass: keyvault.NetworkRuleBypassOptions.AzureServices,
                },
            },
            tags: args.tags,
        },
        { parent, protect },
    );

    const privateEndpoint = createPrivateEndpoint(
        `${name}-vault-pe`,
        {
            resourceGroupName: args.resourceGroupName,
            location: args.location,
            subnetId: args.endpoints.subnetId,
            privateLinkServiceId: vault.id,
            groupId: "vault",
            cloud: args.endpoints.cloud,
            privateDnsZoneIds: args.endpoints.privateDnsZoneIds,
            tags: args.tags,
        },
        { parent },
    );
    return { vault, privateEndpoint };
}

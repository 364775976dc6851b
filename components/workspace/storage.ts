import * as pulumi from "@pulumi/pulumi";
import * as storage from "@pulumi/azure-native/storage";
import { StorageGroupId } from "../catalog/dns-zones";
import { EndpointPlacement, PartArgs } from "../common";
import { createPrivateEndpoint, PrivateEndpointResources } from "../network/private-endpoint";

export interface WorkspaceStorageArgs extends PartArgs {
    /** The account's globally unique name (3-24 lowercase letters and digits). */
    accountName: pulumi.Input<string>;
    skuName: pulumi.Input<string>;
    tenantId: pulumi.Input<string>;
    /**
     * The ARM id the workspace WILL have. The account must exist before the workspace (the workspace
     * names it), so the workspace's `id` output cannot feed the rule; see the comment below.
     */
    workspaceResourceId: pulumi.Input<string>;
    /** Sub-resources that get a private endpoint; validated by the caller (blob and file required). */
    privateEndpoints: readonly StorageGroupId[];
    endpoints: EndpointPlacement;
}

export interface WorkspaceStorage {
    account: storage.StorageAccount;
    privateEndpoints: Partial<Record<StorageGroupId, PrivateEndpointResources>>;
}

/**
 * The workspace's default storage (`<name>-storage`, endpoints `<name>-<groupId>-pe`), secured as the source document's "Secure Azure storage accounts"
 * describes: private endpoints for blob and file (queue and table for ParallelRunStep), then "Selected
 * networks" with a resource-instance rule for Microsoft.MachineLearningServices/Workspace.
 */
export function createWorkspaceStorage(
    name: string,
    args: WorkspaceStorageArgs,
    opts: pulumi.CustomResourceOptions & { protect: boolean },
): WorkspaceStorage {
    const { parent, protect } = opts;
    const account = new storage.StorageAccount(
        `${name}-storage`,
        {
            resourceGroupName: args.resourceGroupName,
            location: args.location,
            accountName: args.accountName,
            kind: storage.Kind.StorageV2,
            sku: { name: args.skuName },
            // The document's closing tip: with private endpoints in place, public access can be switched off.
            publicNetworkAccess: storage.PublicNetworkAccess.Disabled,
            // Inert while publicNetworkAccess is Disabled: "Disabled" blocks every public-endpoint request,
            // the firewall's exceptions included, and the resource-instance rule and trusted-services
            // bypass only apply to "Enabled from selected virtual networks and IP addresses"
            // (https://learn.microsoft.com/azure/storage/common/storage-network-security#change-the-default-network-access-rule,
            // https://learn.microsoft.com/azure/storage/common/storage-network-security-resource-instances).
            // Everything reaches the account through its private endpoints. They are kept so that the
            // account stays locked down if someone switches public access to "selected networks" (then
            // only the workspace and trusted services get in, never the internet), and because the pack's
            // `storage-default-deny` asks for a deny-by-default ruleset whatever the public access setting.
            networkRuleSet: {
                // "Selected networks": deny by default (the SDK would otherwise inject "Allow").
                defaultAction: storage.DefaultAction.Deny,
                // The document's alternative tip (trusted Microsoft services); see above: inert today.
                bypass: storage.Bypass.AzureServices,
                // The document's step 4, resource instance Microsoft.MachineLearningServices/Workspace.
                // The account is created BEFORE the workspace (the workspace references it), so the rule
                // cannot take the workspace's `id` output without a cycle. ARM does not require the resource
                // to exist: the rule names a resource id (wildcards are allowed, exact ids are tighter), and
                // the workspace's id is fully determined by subscription, resource group and name, all known
                // up front. So the rule is built from those, and it matches the workspace once it exists.
                resourceAccessRules: [{ tenantId: args.tenantId, resourceId: args.workspaceResourceId }],
            },
            enableHttpsTrafficOnly: true,
            minimumTlsVersion: storage.MinimumTlsVersion.TLS1_2,
            allowBlobPublicAccess: false,
            // No account keys: the workspace uses identity-based datastores (systemDatastoresAuthMode), and
            // its identities get data-plane roles instead (see roles.ts). A workspace whose storage has shared
            // key access disabled is a preview feature, and model packaging does not work with it
            // (https://learn.microsoft.com/azure/machine-learning/how-to-disable-local-auth-storage, "Limitations").
            allowSharedKeyAccess: false,
            // The portal then also uses Entra ID, which is the only way in without keys.
            defaultToOAuthAuthentication: true,
            allowCrossTenantReplication: false,
            // A workspace's default storage must not have a hierarchical namespace.
            isHnsEnabled: false,
            tags: args.tags,
        },
        { parent, protect },
    );

    const privateEndpoints: WorkspaceStorage["privateEndpoints"] = {};
    for (const groupId of args.privateEndpoints) {
        privateEndpoints[groupId] = createPrivateEndpoint(
            `${name}-${groupId}-pe`,
            {
                resourceGroupName: args.resourceGroupName,
                location: args.location,
                subnetId: args.endpoints.subnetId,
                privateLinkServiceId: account.id,
                groupId,
                cloud: args.endpoints.cloud,
                privateDnsZoneIds: args.endpoints.privateDnsZoneIds,
                tags: args.tags,
            },
            { parent },
        );
    }
    return { account, privateEndpoints };
}

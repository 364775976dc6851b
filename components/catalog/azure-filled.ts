/**
 * Properties Azure fills in itself after a create, which the component therefore never sets and tells
 * Pulumi to ignore (`ignoreChanges`): after `pulumi refresh` they are in the state, and without this the
 * next `pulumi up` would try to remove them (a diff on every run, and an update Azure rejects or undoes).
 */
export interface AzureFilledProperty {
    /** The Pulumi property path, as `ignoreChanges` takes it. */
    path: string;
    /** What Azure writes there. */
    what: string;
    source: string;
}

/** `network:VirtualNetwork` (inline subnets). */
export const virtualNetworkAzureFilled: readonly AzureFilledProperty[] = [
    {
        path: "subnets[*].serviceEndpoints[*].locations",
        what: "the regions a service endpoint covers (Microsoft.Storage: the VNet's region and its pair), filled when the subnet names only the service",
        source: "https://learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoints-overview",
    },
];

/** `machinelearningservices:Workspace`. */
export const workspaceAzureFilled: readonly AzureFilledProperty[] = [
    {
        path: "managedNetwork.outboundRules",
        what: 'the managed network\'s "required rules" (private endpoints to the workspace and its storage, key vault and registry, and service tags) that Azure adds beside the user-defined ones; Pulumi paths cannot select them by name (Azure generates the names), so the whole map is ignored and a change to egressHostGroups or extraEgressHosts after creation is not applied by `pulumi up` (README: Managed virtual network)',
        source: "https://learn.microsoft.com/azure/machine-learning/how-to-managed-network#list-of-required-rules",
    },
    {
        path: "managedNetwork.status",
        what: "the managed network's provisioning status (Active, Inactive; sparkReady)",
        source: "https://learn.microsoft.com/azure/machine-learning/how-to-managed-network#manually-provision-a-managed-vnet",
    },
];

/** The paths of a list, for `ignoreChanges`. */
export function ignoredPaths(properties: readonly AzureFilledProperty[]): string[] {
    return properties.map((p) => p.path);
}

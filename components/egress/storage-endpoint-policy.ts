import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";

/**
 * The service endpoint policy of restricted compute subnets ("Azure Machine Learning data exfiltration
 * prevention", how-to-prevent-data-loss-exfiltration): over the subnet's Microsoft.Storage service
 * endpoint, compute reaches only the listed storage accounts and, through the
 * `/services/Azure/MachineLearning` alias, the Microsoft-managed storage its Batch nodes are
 * provisioned from. Without it, the `Storage.<region>` rule reaches every storage account in the
 * region, including an attacker's.
 *
 * Shape: one `Microsoft.Storage` definition with resource ids and one `Global` definition with the
 * alias, as microsoft/AzureTRE templates/workspace_services/azureml/terraform/network.tf deploys it
 * (the portal's "+ Add an alias"; the Azure CLI cannot add aliases, the ARM API can).
 */

/** The alias Microsoft's exfiltration page names; it covers Azure ML's Microsoft-managed storage accounts. */
export const machineLearningServiceAlias = "/services/Azure/MachineLearning";

export interface StorageEndpointPolicyArgs {
    resourceGroupName: pulumi.Input<string>;
    location: pulumi.Input<string>;
    tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** Storage accounts compute may reach over the service endpoint (e.g. the workspace's default storage). */
    storageAccountIds: pulumi.Input<pulumi.Input<string>[]>;
}

export function createStorageEndpointPolicy(
    name: string,
    args: StorageEndpointPolicyArgs,
    opts: pulumi.CustomResourceOptions,
): network.ServiceEndpointPolicy {
    const definitions = pulumi.output(args.storageAccountIds).apply((ids) => [
        ...(ids.length > 0
            ? [
                  {
                      name: "workspace-storage",
                      description: "The storage accounts of this workspace.",
                      service: "Microsoft.Storage",
                      serviceResources: ids,
                  },
              ]
            : []),
        {
            name: "azure-machine-learning",
            description: "Azure Machine Learning's Microsoft-managed storage (compute provisioning).",
            service: "Global",
            serviceResources: [machineLearningServiceAlias],
        },
    ]);
    return new network.ServiceEndpointPolicy(
        `${name}-storage-sep`,
        {
            resourceGroupName: args.resourceGroupName,
            location: args.location,
            tags: args.tags,
            serviceEndpointPolicyDefinitions: definitions,
        },
        opts,
    );
}

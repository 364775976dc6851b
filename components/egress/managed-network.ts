import * as pulumi from "@pulumi/pulumi";
import type * as azureInputs from "@pulumi/azure-native/types/input";
import { AzureCloud } from "../catalog/clouds";
import { allowedEgressHostNames, EgressHostGroup } from "../catalog/egress-hosts";
import { StorageGroupId } from "../catalog/dns-zones";
import { WorkspaceIsolation } from "../catalog/egress-modes";

/**
 * The workspace's `managedNetwork` setting. Customer VNet (the source document's model): `Disabled`,
 * computes live in the caller's subnets. Managed (Microsoft's current recommendation,
 * how-to-managed-network): `AllowOnlyApprovedOutbound`, with
 * - FQDN outbound rules for the host catalogue's selected groups (and extra hosts), so image builds reach
 *   PyPI and conda; the `microsoft` group is left out because the managed network adds the outbound
 *   rules Azure Machine Learning itself needs ("required rules") on its own;
 * - private-endpoint outbound rules only for what Azure does not create itself: the workspace's storage
 *   queue and table, when the stack gives the storage account those private endpoints (ParallelRunStep).
 *   In AllowOnlyApprovedOutbound Azure creates "required rules", private endpoints from the managed
 *   network to the workspace and its key vault, storage account and container registry, "regardless of
 *   public network access mode for those resources"
 *   (https://learn.microsoft.com/azure/machine-learning/how-to-managed-network#list-of-required-rules);
 *   user-defined rules for the same targets (storage blob/file, vault, registry) duplicate them and the
 *   workspace's creation fails, so they are not written.
 * FQDN rules make Azure deploy a managed Azure Firewall for the workspace (Standard unless
 * `firewallSku` says Basic), billed like any firewall; the README gives the cost.
 */

export interface ManagedNetworkArgs {
    isolation: WorkspaceIsolation;
    region: string;
    cloud: AzureCloud;
    groups: readonly EgressHostGroup[];
    extraHosts: readonly string[];
    storageAccountId: pulumi.Input<string>;
    /** The storage sub-resources the stack gives a private endpoint (`queue`/`table` get a user-defined rule). */
    storageEndpoints: readonly StorageGroupId[];
}

/**
 * The storage sub-resources Azure's required rules do not cover, which get a user-defined private-endpoint
 * rule when the storage account has that endpoint. The page names the storage account among the required
 * rules' targets (https://learn.microsoft.com/azure/machine-learning/how-to-managed-network#list-of-required-rules);
 * the rules Azure lists under the workspace's outbound rules for it are its blob and file sub-resources,
 * which is what computes mount and read. ParallelRunStep also keeps state in queues and tables
 * ("Parallel Run Step (PRS) | ... | Storage Table Data Contributor, Storage Queue Data Contributor",
 * https://learn.microsoft.com/azure/machine-learning/how-to-disable-local-auth-storage), so those two
 * are added by the stack when it asks for them (storagePrivateEndpoints).
 */
export const managedUserDefinedStorageTargets: readonly StorageGroupId[] = ["queue", "table"];

type Settings = azureInputs.machinelearningservices.ManagedNetworkSettingsArgs;
type Rule =
    | azureInputs.machinelearningservices.FqdnOutboundRuleArgs
    | azureInputs.machinelearningservices.PrivateEndpointOutboundRuleArgs;

/** An outbound rule's name for a host: `python-pypi-org`, `conda-any-anaconda-org`. */
export function fqdnRuleName(prefix: string, host: string): string {
    return `${prefix}-${host.replace(/^\*\./, "any-").replace(/[^a-zA-Z0-9]+/g, "-")}`.toLowerCase();
}

/** The FQDN destinations of a managed network: the selected groups' hosts (not `microsoft`) and the extra hosts. */
export function managedFqdnRules(
    groups: readonly EgressHostGroup[],
    region: string,
    cloud: AzureCloud,
    extraHosts: readonly string[],
): Record<string, string> {
    const rules: Record<string, string> = {};
    for (const group of groups.filter((g) => g !== "microsoft")) {
        for (const host of allowedEgressHostNames([group], region, cloud)) rules[fqdnRuleName(group, host)] = host;
    }
    for (const host of extraHosts) rules[fqdnRuleName("extra", host)] = host;
    return rules;
}

export function managedNetworkSettings(args: ManagedNetworkArgs): Settings {
    if (args.isolation !== "managed") return { isolationMode: "Disabled" };
    const outboundRules: Record<string, pulumi.Input<Rule>> = {};
    for (const [name, destination] of Object.entries(
        managedFqdnRules(args.groups, args.region, args.cloud, args.extraHosts),
    )) {
        outboundRules[name] = { type: "FQDN", category: "UserDefined", destination };
    }
    const privateEndpoint = (serviceResourceId: pulumi.Input<string>, subresourceTarget: string): Rule => ({
        type: "PrivateEndpoint",
        category: "UserDefined",
        destination: { serviceResourceId, subresourceTarget, sparkEnabled: false },
    });
    // Not blob, file, vault or registry: those are Azure's required rules (see above).
    for (const target of managedUserDefinedStorageTargets.filter((t) => args.storageEndpoints.includes(t))) {
        outboundRules[`storage-${target}`] = privateEndpoint(args.storageAccountId, target);
    }
    return { isolationMode: "AllowOnlyApprovedOutbound", outboundRules };
}

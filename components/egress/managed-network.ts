import * as pulumi from "@pulumi/pulumi";
import type * as azureInputs from "@pulumi/azure-native/types/input";
import { AzureCloud } from "../catalog/clouds";
import { allowedEgressHostNames, EgressHostGroup } from "../catalog/egress-hosts";
import { WorkspaceIsolation } from "../catalog/egress-modes";

/**
 * The workspace's `managedNetwork` setting. Customer VNet (the source document's model): `Disabled`,
 * computes live in the caller's subnets. Managed (Microsoft's current recommendation,
 * how-to-managed-network): `AllowOnlyApprovedOutbound`, with
 * - FQDN outbound rules for the host catalogue's selected groups (and extra hosts), so image builds reach
 *   PyPI and conda; the `microsoft` group is left out because the managed network adds the outbound
 *   rules Azure Machine Learning itself needs ("required rules") on its own;
 * - private-endpoint outbound rules to the workspace's storage (blob, file), key vault and registry.
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
    keyVaultId: pulumi.Input<string>;
    containerRegistryId: pulumi.Input<string>;
}

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
    outboundRules["storage-blob"] = privateEndpoint(args.storageAccountId, "blob");
    outboundRules["storage-file"] = privateEndpoint(args.storageAccountId, "file");
    outboundRules["key-vault"] = privateEndpoint(args.keyVaultId, "vault");
    outboundRules["container-registry"] = privateEndpoint(args.containerRegistryId, "registry");
    return { isolationMode: "AllowOnlyApprovedOutbound", outboundRules };
}

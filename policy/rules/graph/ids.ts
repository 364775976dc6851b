import type { PolicyResource } from "@pulumi/policy";
import { egressTokens } from "../egress";
import { Unknown, get, isUnknownValue, tokens } from "../util";

/** ARM ids and physical names: how the stack rules tell which resource a value names. */

/** A resource as the stack rules see it: the SDK's PolicyResource, plus the id when the runner knows it. */
export type Res = PolicyResource & { id?: string | null };

/**
 * The resources `r`'s input `key` depends on (`propertyDependencies[key]`). The runner's resources
 * (policy/runner.ts) resolve one key when it is asked for, not all of them: the stack rules ask a
 * resource for one or two of its five or so keys.
 */
export function dependenciesAt(r: Res, key: string): readonly Res[] {
    const one = (r as { propertyDependency?: (key: string) => readonly Res[] }).propertyDependency;
    return one ? one.call(r, key) : (r.propertyDependencies?.[key] ?? []);
}

/** What a relation resolves to: the resource, `UNKNOWN` (cannot be told yet), or `undefined` (outside the stack or unset). */
export type Resolved = Res | Unknown | undefined;

/** The input that holds each type's own (physical) name. */
const nameInputs: Record<string, string> = {
    [tokens.vnet]: "virtualNetworkName",
    [tokens.nsg]: "networkSecurityGroupName",
    [tokens.securityRule]: "securityRuleName",
    [tokens.privateEndpoint]: "privateEndpointName",
    [tokens.zoneGroup]: "privateDnsZoneGroupName",
    [tokens.privateZone]: "privateZoneName",
    [tokens.vnetLink]: "virtualNetworkLinkName",
    [tokens.storage]: "accountName",
    [tokens.vault]: "vaultName",
    [tokens.registry]: "registryName",
    [tokens.workspace]: "workspaceName",
    [tokens.compute]: "computeName",
    [tokens.appInsights]: "resourceName",
    [tokens.resourceGroup]: "resourceGroupName",
    [tokens.managedCluster]: "resourceName",
    [tokens.natGateway]: "natGatewayName",
    [egressTokens.routeTable]: "routeTableName",
    [egressTokens.firewall]: "azureFirewallName",
    [egressTokens.firewallPolicy]: "firewallPolicyName",
};

/**
 * ARM resource types (lower case) → token. The Pulumi CLI's analyzer hands the pack no resource ids,
 * so a relation written as an ARM id (an inline subnet's route table or NAT gateway) is resolved by
 * the id's type and name: every type the stack rules look up by id is here.
 */
const armTypes: Record<string, string> = {
    "microsoft.network/virtualnetworks": tokens.vnet,
    "microsoft.network/virtualnetworks/subnets": tokens.subnet,
    "microsoft.network/networksecuritygroups": tokens.nsg,
    "microsoft.network/privateendpoints": tokens.privateEndpoint,
    "microsoft.network/privatednszones": tokens.privateZone,
    "microsoft.storage/storageaccounts": tokens.storage,
    "microsoft.keyvault/vaults": tokens.vault,
    "microsoft.containerregistry/registries": tokens.registry,
    "microsoft.machinelearningservices/workspaces": tokens.workspace,
    "microsoft.machinelearningservices/workspaces/computes": tokens.compute,
    "microsoft.insights/components": tokens.appInsights,
    "microsoft.containerservice/managedclusters": tokens.managedCluster,
    "microsoft.network/natgateways": tokens.natGateway,
    "microsoft.network/routetables": egressTokens.routeTable,
    "microsoft.network/azurefirewalls": egressTokens.firewall,
    "microsoft.network/firewallpolicies": egressTokens.firewallPolicy,
};

export interface ParsedId {
    token?: string;
    name: string;
    names: string[];
    resourceGroup?: string;
}

/** `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s`. */
export function parseArmId(id: string): ParsedId | undefined {
    // A stack names the same few ids (its VNets, subnets, zones) from many resources: parsed once each.
    // Callers only read the result (ParsedId is never changed), so one object serves all of them.
    if (parsedIds.has(id)) return parsedIds.get(id);
    const parsed = parseArmIdOnce(id);
    if (parsedIds.size >= 50_000) parsedIds.clear();
    parsedIds.set(id, parsed);
    return parsed;
}
const parsedIds = new Map<string, ParsedId | undefined>();

function parseArmIdOnce(id: string): ParsedId | undefined {
    const parts = id.split("/").filter((p) => p !== "");
    const rgIndex = parts.findIndex((p) => p.toLowerCase() === "resourcegroups");
    const resourceGroup = rgIndex >= 0 ? parts[rgIndex + 1] : undefined;
    const providerIndex = parts.map((p) => p.toLowerCase()).lastIndexOf("providers");
    if (providerIndex < 0) {
        if (rgIndex >= 0 && parts.length === rgIndex + 2) {
            return {
                token: tokens.resourceGroup,
                name: parts[rgIndex + 1],
                names: [parts[rgIndex + 1]],
                resourceGroup,
            };
        }
        return undefined;
    }
    const rest = parts.slice(providerIndex + 1);
    if (rest.length < 3) return undefined;
    const types = [rest[0]];
    const names: string[] = [];
    for (let i = 1; i + 1 < rest.length; i += 2) {
        types.push(rest[i]);
        names.push(rest[i + 1]);
    }
    const armType = `${types[0]}/${types.slice(1).join("/")}`.toLowerCase();
    return { token: armTypes[armType], name: names[names.length - 1], names, resourceGroup };
}

/** The last segment of an ARM id (a zone id's zone name, a compute id's compute name). */
export function lastSegment(id: string): string {
    const end = id.replace(/\/+$/, "");
    return end.slice(end.lastIndexOf("/") + 1);
}

/** Inputs that name a resource's parent; outputs-only resources carry the parent in their id instead. */
export const parentNameKeys = new Set([
    "networkSecurityGroupName",
    "privateEndpointName",
    "privateZoneName",
    "workspaceName",
    "virtualNetworkName",
]);

/** The id of a child resource's parent (its id without the last type/name pair). */
export function parentIdOf(r: Res): string | undefined {
    const id = idOf(r);
    if (!id) return undefined;
    const parts = id.split("/");
    const providers = parts.map((p) => p.toLowerCase()).lastIndexOf("providers");
    // A child has at least provider/type/name/childType/childName after "providers".
    if (providers < 0 || parts.length - providers - 1 < 5) return undefined;
    return parts.slice(0, -2).join("/");
}

/** A resource's resource group: its `resourceGroupName` input, else its id's; undefined when not known. */
export function groupOf(r: Res): string | undefined {
    const input = get(r.props, "resourceGroupName");
    if (typeof input === "string" && input !== "") return input.toLowerCase();
    const id = idOf(r);
    return id ? parseArmId(id)?.resourceGroup?.toLowerCase() : undefined;
}

export function idOf(r: Res): string | undefined {
    const id = r.id ?? get(r.props, "id");
    return typeof id === "string" && id !== "" && !isUnknownValue(id) ? id : undefined;
}

export function physicalName(r: Res): string | undefined {
    const input = nameInputs[r.type];
    if (r.type === tokens.subnet) {
        const vnet = get(r.props, "virtualNetworkName");
        const subnet = get(r.props, "subnetName");
        if (typeof vnet === "string" && typeof subnet === "string") return `${vnet}/${subnet}`;
        const id = idOf(r);
        const parsed = id ? parseArmId(id) : undefined;
        return parsed?.token === tokens.subnet ? parsed.names.join("/") : undefined;
    }
    const value = input ? get(r.props, input) : undefined;
    if (typeof value === "string" && value !== "") return value;
    const id = idOf(r);
    return id ? lastSegment(id) : undefined;
}

import { createHash } from "crypto";
import * as ipaddr from "ipaddr.js";
import type { MockCallArgs, MockResourceArgs } from "@pulumi/pulumi/runtime";

/**
 * What the mock engine answers for Azure resources: ARM-shaped ids and the few computed outputs the
 * components read (principal ids, names, endpoints). Everything is derived from the resource's name
 * by hashing, so two renders of the same program give byte-identical plans.
 */

export const mockSubscriptionId = deterministicUuid("subscription");

/**
 * The plan report's second line: what in it is made up. A reader comparing the report with the portal
 * must not take the mock's ids, subscription or random suffixes (storage and registry names) for
 * what Azure or `pulumi up` will give.
 */
export const mockEngineNote = `Resource ids, the subscription (${mockSubscriptionId}) and random name suffixes below are the mock engine's stand-ins; Azure and \`pulumi up\` give others.`;
export const mockTenantId = deterministicUuid("tenant");
export const mockObjectId = deterministicUuid("deployer");

/** A UUID-shaped string derived from `seed`. */
export function deterministicUuid(seed: string): string {
    const h = createHash("sha256").update(seed).digest("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

interface ArmShape {
    /** Provider path below the resource group, with `{inputName}` placeholders. */
    path: string;
    /** The input that holds the resource's own name. */
    nameInput: string;
    /** Extension resources live under another resource's id (`scope`). */
    scopeInput?: string;
}

const armShapes: Record<string, ArmShape> = {
    "network:VirtualNetwork": {
        path: "Microsoft.Network/virtualNetworks/{virtualNetworkName}",
        nameInput: "virtualNetworkName",
    },
    "network:Subnet": {
        path: "Microsoft.Network/virtualNetworks/{virtualNetworkName}/subnets/{subnetName}",
        nameInput: "subnetName",
    },
    "network:NetworkSecurityGroup": {
        path: "Microsoft.Network/networkSecurityGroups/{networkSecurityGroupName}",
        nameInput: "networkSecurityGroupName",
    },
    "network:SecurityRule": {
        path: "Microsoft.Network/networkSecurityGroups/{networkSecurityGroupName}/securityRules/{securityRuleName}",
        nameInput: "securityRuleName",
    },
    "network:PublicIPAddress": {
        path: "Microsoft.Network/publicIPAddresses/{publicIpAddressName}",
        nameInput: "publicIpAddressName",
    },
    "network:NatGateway": { path: "Microsoft.Network/natGateways/{natGatewayName}", nameInput: "natGatewayName" },
    "network:BastionHost": { path: "Microsoft.Network/bastionHosts/{bastionHostName}", nameInput: "bastionHostName" },
    "dnsresolver:DnsResolver": {
        path: "Microsoft.Network/dnsResolvers/{dnsResolverName}",
        nameInput: "dnsResolverName",
    },
    "dnsresolver:InboundEndpoint": {
        path: "Microsoft.Network/dnsResolvers/{dnsResolverName}/inboundEndpoints/{inboundEndpointName}",
        nameInput: "inboundEndpointName",
    },
    "network:RouteTable": { path: "Microsoft.Network/routeTables/{routeTableName}", nameInput: "routeTableName" },
    "network:Route": {
        path: "Microsoft.Network/routeTables/{routeTableName}/routes/{routeName}",
        nameInput: "routeName",
    },
    "network:AzureFirewall": {
        path: "Microsoft.Network/azureFirewalls/{azureFirewallName}",
        nameInput: "azureFirewallName",
    },
    "network:FirewallPolicy": {
        path: "Microsoft.Network/firewallPolicies/{firewallPolicyName}",
        nameInput: "firewallPolicyName",
    },
    "network:FirewallPolicyRuleCollectionGroup": {
        path: "Microsoft.Network/firewallPolicies/{firewallPolicyName}/ruleCollectionGroups/{ruleCollectionGroupName}",
        nameInput: "ruleCollectionGroupName",
    },
    "network:ServiceEndpointPolicy": {
        path: "Microsoft.Network/serviceEndpointPolicies/{serviceEndpointPolicyName}",
        nameInput: "serviceEndpointPolicyName",
    },
    "network:PrivateEndpoint": {
        path: "Microsoft.Network/privateEndpoints/{privateEndpointName}",
        nameInput: "privateEndpointName",
    },
    "network:PrivateDnsZoneGroup": {
        path: "Microsoft.Network/privateEndpoints/{privateEndpointName}/privateDnsZoneGroups/{privateDnsZoneGroupName}",
        nameInput: "privateDnsZoneGroupName",
    },
    "privatedns:PrivateZone": {
        path: "Microsoft.Network/privateDnsZones/{privateZoneName}",
        nameInput: "privateZoneName",
    },
    "privatedns:VirtualNetworkLink": {
        path: "Microsoft.Network/privateDnsZones/{privateZoneName}/virtualNetworkLinks/{virtualNetworkLinkName}",
        nameInput: "virtualNetworkLinkName",
    },
    "storage:StorageAccount": { path: "Microsoft.Storage/storageAccounts/{accountName}", nameInput: "accountName" },
    "keyvault:Vault": { path: "Microsoft.KeyVault/vaults/{vaultName}", nameInput: "vaultName" },
    "containerregistry:Registry": {
        path: "Microsoft.ContainerRegistry/registries/{registryName}",
        nameInput: "registryName",
    },
    "operationalinsights:Workspace": {
        path: "Microsoft.OperationalInsights/workspaces/{workspaceName}",
        nameInput: "workspaceName",
    },
    "applicationinsights:Component": {
        path: "Microsoft.Insights/components/{resourceName}",
        nameInput: "resourceName",
    },
    "monitor:PrivateLinkScope": { path: "Microsoft.Insights/privateLinkScopes/{scopeName}", nameInput: "scopeName" },
    "monitor:PrivateLinkScopedResource": {
        path: "Microsoft.Insights/privateLinkScopes/{scopeName}/scopedResources/{name}",
        nameInput: "name",
    },
    "machinelearningservices:Workspace": {
        path: "Microsoft.MachineLearningServices/workspaces/{workspaceName}",
        nameInput: "workspaceName",
    },
    "machinelearningservices:Compute": {
        path: "Microsoft.MachineLearningServices/workspaces/{workspaceName}/computes/{computeName}",
        nameInput: "computeName",
    },
    "containerinstance:ContainerGroup": {
        path: "Microsoft.ContainerInstance/containerGroups/{containerGroupName}",
        nameInput: "containerGroupName",
    },
    "authorization:RoleAssignment": {
        path: "providers/Microsoft.Authorization/roleAssignments/{roleAssignmentName}",
        nameInput: "roleAssignmentName",
        scopeInput: "scope",
    },
    "managedidentity:UserAssignedIdentity": {
        path: "Microsoft.ManagedIdentity/userAssignedIdentities/{resourceName}",
        nameInput: "resourceName",
    },
    "network:NetworkInterface": {
        path: "Microsoft.Network/networkInterfaces/{networkInterfaceName}",
        nameInput: "networkInterfaceName",
    },
    "network:VirtualNetworkGateway": {
        path: "Microsoft.Network/virtualNetworkGateways/{virtualNetworkGatewayName}",
        nameInput: "virtualNetworkGatewayName",
    },
    "compute:VirtualMachine": { path: "Microsoft.Compute/virtualMachines/{vmName}", nameInput: "vmName" },
    "compute:VirtualMachineExtension": {
        path: "Microsoft.Compute/virtualMachines/{vmName}/extensions/{vmExtensionName}",
        nameInput: "vmExtensionName",
    },
    "devtestlab:GlobalSchedule": { path: "Microsoft.DevTestLab/schedules/{name}", nameInput: "name" },
    "monitor:DiagnosticSetting": {
        path: "providers/Microsoft.Insights/diagnosticSettings/{name}",
        nameInput: "name",
        scopeInput: "resourceUri",
    },
};

/** The physical name a resource gets: its name input, or (as Pulumi auto-naming would) its logical name. */
export function physicalName(args: Pick<MockResourceArgs, "type" | "name" | "inputs">): string {
    const shape = armShapes[moduleType(args.type)];
    const explicit = shape ? args.inputs[shape.nameInput] : undefined;
    if (typeof explicit === "string" && explicit !== "") return explicit;
    if (args.type === "azure-native:authorization:RoleAssignment") return deterministicUuid(args.name);
    if (args.type === "azure-native:resources:ResourceGroup")
        return (args.inputs.resourceGroupName as string) ?? args.name;
    return args.name;
}

/**
 * The inputs as the engine hands them to a policy pack: after the provider's `Check`, which for
 * azure-native fills in an auto-name when the name input is left out (Pulumi's auto-naming; the real
 * name has a random suffix, the offline one is the logical name, as `physicalName` gives). The pack
 * relates resources by that name when ids are not known, and the CLI's analyzer never sees an id
 * (pulumi/pulumi proto/pulumi/analyzer.proto: `AnalyzerResource` has no id), so a plan without the
 * auto-names would be judged on less than a real preview shows.
 */
export function checkedInputs(args: Pick<MockResourceArgs, "type" | "name" | "inputs">): Record<string, unknown> {
    const shape = armShapes[moduleType(args.type)];
    if (!shape || shape.nameInput === "name" || args.inputs[shape.nameInput] !== undefined) return args.inputs;
    return { ...args.inputs, [shape.nameInput]: physicalName(args) };
}

/** An id shaped like the one Azure Resource Manager would return. */
export function armId(args: Pick<MockResourceArgs, "type" | "name" | "inputs">): string {
    const name = physicalName(args);
    const subscription = `/subscriptions/${mockSubscriptionId}`;
    if (args.type === "azure-native:resources:ResourceGroup") return `${subscription}/resourceGroups/${name}`;
    const shape = armShapes[moduleType(args.type)] ?? genericShape(args.type);
    const path = shape.path.replace(/\{(\w+)\}/g, (_, key: string) =>
        key === shape.nameInput ? name : String(args.inputs[key] ?? key),
    );
    if (shape.scopeInput) {
        return `${String(args.inputs[shape.scopeInput] ?? subscription)}/${path}`;
    }
    const group = String(args.inputs.resourceGroupName ?? "rg");
    return `${subscription}/resourceGroups/${group}/providers/${path}`;
}

function moduleType(token: string): string {
    return token.replace(/^azure-native:/, "");
}

function genericShape(token: string): ArmShape {
    const [, module = "unknown", resource = "Resource"] = token.split(":");
    const plural = `${resource[0].toLowerCase()}${resource.slice(1)}s`;
    return { path: `Microsoft.${module[0].toUpperCase()}${module.slice(1)}/${plural}/{name}`, nameInput: "name" };
}

/** The mock engine's answer for one resource: an id and its state (inputs plus computed outputs). */
export function mockResource(args: MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
    if (!args.type.startsWith("azure-native:")) {
        return mockOtherResource(args);
    }
    const id = armId(args);
    const name = physicalName(args);
    const state: Record<string, unknown> = { ...args.inputs, name };
    const identityType = (args.inputs.identity as { type?: string } | undefined)?.type;
    if (identityType && /SystemAssigned/i.test(identityType)) {
        state.identity = {
            ...(args.inputs.identity as object),
            principalId: deterministicUuid(`${id}/principal`),
            tenantId: mockTenantId,
        };
    }
    switch (moduleType(args.type)) {
        case "containerregistry:Registry":
            state.loginServer = `${name.toLowerCase()}.azurecr.io`;
            break;
        case "applicationinsights:Component":
            state.instrumentationKey = deterministicUuid(`${id}/ikey`);
            state.connectionString = `InstrumentationKey=${state.instrumentationKey}`;
            break;
        case "operationalinsights:Workspace":
            state.customerId = deterministicUuid(`${id}/customer`);
            break;
        case "machinelearningservices:Workspace":
            state.workspaceId = deterministicUuid(`${id}/workspace`);
            break;
        case "network:VirtualNetwork":
            rememberSubnets(id, args.inputs.subnets);
            break;
        case "network:AzureFirewall":
            state.ipConfigurations = firewallIpConfigurations(args.inputs.ipConfigurations);
            break;
        case "dnsresolver:InboundEndpoint":
            // Dynamic allocation: the first usable address of its subnet, as for the firewall.
            state.ipConfigurations = firstAddressConfigurations(args.inputs.ipConfigurations, "privateIpAddress");
            break;
        case "managedidentity:UserAssignedIdentity":
            state.principalId = deterministicUuid(`${id}/principal`);
            state.clientId = deterministicUuid(`${id}/client`);
            state.tenantId = mockTenantId;
            break;
        case "network:NetworkInterface": {
            // The first private address after Azure's four reserved ones, like a first NIC in a subnet.
            const configs = (args.inputs.ipConfigurations as Record<string, unknown>[] | undefined) ?? [];
            state.ipConfigurations = configs.map((c, i) => ({ ...c, privateIPAddress: `10.0.0.${4 + i}` }));
            break;
        }
    }
    return { id, state };
}

/** Subnet prefixes by subnet id, from the VNets rendered so far (a firewall is registered after its VNet). */
const subnetPrefixes = new Map<string, string>();

function rememberSubnets(vnetId: string, subnets: unknown): void {
    if (!Array.isArray(subnets)) return;
    for (const s of subnets as { name?: unknown; addressPrefix?: unknown }[]) {
        if (typeof s?.name === "string" && typeof s.addressPrefix === "string") {
            subnetPrefixes.set(`${vnetId}/subnets/${s.name}`.toLowerCase(), s.addressPrefix);
        }
    }
}

/** Azure gives a firewall the first usable address of its subnet (Azure keeps .0 to .3). */
function firewallIpConfigurations(configs: unknown): unknown {
    return firstAddressConfigurations(configs, "privateIPAddress");
}

/** Each configuration with the first usable address of its subnet under `key`. */
function firstAddressConfigurations(configs: unknown, key: string): unknown {
    if (!Array.isArray(configs)) return configs;
    return configs.map((c: { subnet?: { id?: unknown } }) => {
        const prefix = typeof c?.subnet?.id === "string" ? subnetPrefixes.get(c.subnet.id.toLowerCase()) : undefined;
        if (!prefix || !ipaddr.IPv4.isValidCIDR(prefix)) return c;
        const bytes = ipaddr.IPv4.networkAddressFromCIDR(prefix).toByteArray();
        bytes[3] += 4;
        return { ...c, [key]: new ipaddr.IPv4(bytes).toString() };
    });
}

function mockOtherResource(args: MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
    if (args.type.startsWith("random:")) {
        const length = Number(args.inputs.length ?? args.inputs.byteLength ?? 8);
        const hex = createHash("sha256").update(args.name).digest("hex");
        // Lowercase letters and digits only: valid in every globally unique Azure name.
        const result = hex.replace(/[^a-f0-9]/g, "").slice(0, length);
        return {
            id: result,
            state: {
                ...args.inputs,
                result,
                hex: hex.slice(0, length * 2),
                dec: String(parseInt(hex.slice(0, 8), 16)),
            },
        };
    }
    if (args.type === "tls:index/privateKey:PrivateKey") {
        // A recognisable placeholder, never a real key: the plan must not carry key material.
        const fingerprint = createHash("sha256").update(args.name).digest("base64").slice(0, 43);
        return {
            id: `${args.name}-id`,
            state: {
                ...args.inputs,
                publicKeyOpenssh: `ssh-rsa AAAA-mock-${fingerprint} ${args.name}`,
                privateKeyPem: "[mock private key]",
                privateKeyOpenssh: "[mock private key]",
            },
        };
    }
    return { id: `${args.name}-id`, state: { ...args.inputs } };
}

/** The mock engine's answer for provider functions (invokes). */
export function mockCall(args: MockCallArgs): Record<string, unknown> {
    switch (args.token) {
        case "azure-native:authorization:getClientConfig":
            return {
                clientId: deterministicUuid("client"),
                objectId: mockObjectId,
                subscriptionId: mockSubscriptionId,
                tenantId: mockTenantId,
            };
        default:
            return { ...args.inputs };
    }
}

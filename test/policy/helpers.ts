import type { Policy } from "@pulumi/policy";
import { PlanResource, PlanViolation, unknownValue } from "../../policy/plan";
import { runPack, runPolicies } from "../../policy/runner";
import { allPolicies } from "../../policy/rules";

/**
 * Literal plan resources for the policy tests: a compliant stack built by hand (every relation both
 * as an ARM id and as a property dependency, as the recording engine records them), mutators, and a
 * "first preview" transform that makes every id unknown so only URNs relate resources.
 */

export const sub = "/subscriptions/00000000-0000-4000-a000-000000000001";
export const rgId = `${sub}/resourceGroups/rg`;
const providers = `${rgId}/providers`;

export function urnOf(type: string, name: string): string {
    return `urn:pulumi:test::proj::${type}::${name}`;
}

export interface Spec {
    type: string;
    name: string;
    id?: string | null;
    inputs: Record<string, unknown>;
    deps?: Record<string, PlanResource[]>;
    parent?: string;
}

export function resource(spec: Spec): PlanResource {
    const propertyDependencies: Record<string, string[]> = {};
    for (const [k, rs] of Object.entries(spec.deps ?? {})) propertyDependencies[k] = rs.map((r) => r.urn);
    return {
        urn: urnOf(spec.type, spec.name),
        type: spec.type,
        name: spec.name,
        id: spec.id ?? null,
        custom: true,
        parent: spec.parent ?? null,
        dependencies: [...new Set(Object.values(propertyDependencies).flat())],
        propertyDependencies,
        inputs: spec.inputs,
    };
}

export const T = {
    rg: "azure-native:resources:ResourceGroup",
    vnet: "azure-native:network:VirtualNetwork",
    subnet: "azure-native:network:Subnet",
    nsg: "azure-native:network:NetworkSecurityGroup",
    rule: "azure-native:network:SecurityRule",
    pe: "azure-native:network:PrivateEndpoint",
    zoneGroup: "azure-native:network:PrivateDnsZoneGroup",
    zone: "azure-native:privatedns:PrivateZone",
    link: "azure-native:privatedns:VirtualNetworkLink",
    storage: "azure-native:storage:StorageAccount",
    vault: "azure-native:keyvault:Vault",
    registry: "azure-native:containerregistry:Registry",
    workspace: "azure-native:machinelearningservices:Workspace",
    compute: "azure-native:machinelearningservices:Compute",
    appi: "azure-native:applicationinsights:Component",
    ampls: "azure-native:monitor:PrivateLinkScope",
    aci: "azure-native:containerinstance:ContainerGroup",
} as const;

export const ids = {
    vnet: `${providers}/Microsoft.Network/virtualNetworks/vnet`,
    trainingSubnet: `${providers}/Microsoft.Network/virtualNetworks/vnet/subnets/training`,
    peSubnet: `${providers}/Microsoft.Network/virtualNetworks/vnet/subnets/pe`,
    trainingNsg: `${providers}/Microsoft.Network/networkSecurityGroups/training-nsg`,
    peNsg: `${providers}/Microsoft.Network/networkSecurityGroups/pe-nsg`,
    storage: `${providers}/Microsoft.Storage/storageAccounts/mlstore`,
    vault: `${providers}/Microsoft.KeyVault/vaults/mlvault`,
    registry: `${providers}/Microsoft.ContainerRegistry/registries/mlacr`,
    appi: `${providers}/Microsoft.Insights/components/mlai`,
    workspace: `${providers}/Microsoft.MachineLearningServices/workspaces/mlws`,
    compute: `${providers}/Microsoft.MachineLearningServices/workspaces/mlws/computes/image-build`,
    zone: (name: string) => `${providers}/Microsoft.Network/privateDnsZones/${name}`,
    pe: (name: string) => `${providers}/Microsoft.Network/privateEndpoints/${name}`,
};

export const location = "westeurope";

/** A stack that passes every rule of the pack, mandatory and advisory. */
export function secureStack(): PlanResource[] {
    const out: PlanResource[] = [];
    const add = (spec: Spec) => {
        const r = resource(spec);
        out.push(r);
        return r;
    };
    add({ type: T.rg, name: "rg", id: rgId, inputs: { resourceGroupName: "rg", location } });
    const vnet = add({
        type: T.vnet,
        name: "vnet",
        id: ids.vnet,
        inputs: {
            virtualNetworkName: "vnet",
            resourceGroupName: "rg",
            location,
            addressSpace: { addressPrefixes: ["10.0.0.0/16"] },
        },
    });
    const trainingNsg = add({
        type: T.nsg,
        name: "training-nsg",
        id: ids.trainingNsg,
        inputs: {
            networkSecurityGroupName: "training-nsg",
            resourceGroupName: "rg",
            location,
            securityRules: [],
        },
    });
    const peNsg = add({
        type: T.nsg,
        name: "pe-nsg",
        id: ids.peNsg,
        inputs: {
            networkSecurityGroupName: "pe-nsg",
            resourceGroupName: "rg",
            location,
            securityRules: [],
        },
    });
    const training = add({
        type: T.subnet,
        name: "training",
        id: ids.trainingSubnet,
        inputs: {
            subnetName: "training",
            virtualNetworkName: "vnet",
            resourceGroupName: "rg",
            addressPrefix: "10.0.1.0/24",
            networkSecurityGroup: { id: ids.trainingNsg },
        },
        deps: { virtualNetworkName: [vnet], networkSecurityGroup: [trainingNsg] },
    });
    const peSubnet = add({
        type: T.subnet,
        name: "pe",
        id: ids.peSubnet,
        inputs: {
            subnetName: "pe",
            virtualNetworkName: "vnet",
            resourceGroupName: "rg",
            addressPrefix: "10.0.2.0/24",
            networkSecurityGroup: { id: ids.peNsg },
            privateEndpointNetworkPolicies: "Disabled",
        },
        deps: { virtualNetworkName: [vnet], networkSecurityGroup: [peNsg] },
    });
    const storage = add({
        type: T.storage,
        name: "storage",
        id: ids.storage,
        inputs: {
            accountName: "mlstore",
            resourceGroupName: "rg",
            location,
            kind: "StorageV2",
            sku: { name: "Standard_LRS" },
            networkRuleSet: {
                defaultAction: "Deny",
                bypass: "AzureServices",
                resourceAccessRules: [{ resourceId: ids.workspace, tenantId: "t" }],
            },
            publicNetworkAccess: "Disabled",
            minimumTlsVersion: "TLS1_2",
            allowBlobPublicAccess: false,
            allowSharedKeyAccess: false,
            allowCrossTenantReplication: false,
            enableHttpsTrafficOnly: true,
        },
    });
    const vault = add({
        type: T.vault,
        name: "vault",
        id: ids.vault,
        inputs: {
            vaultName: "mlvault",
            resourceGroupName: "rg",
            location,
            properties: {
                tenantId: "t",
                sku: { family: "A", name: "standard" },
                enablePurgeProtection: true,
                enableRbacAuthorization: true,
                enableSoftDelete: true,
                publicNetworkAccess: "disabled",
                networkAcls: { defaultAction: "Deny", bypass: "AzureServices" },
            },
        },
    });
    const registry = add({
        type: T.registry,
        name: "registry",
        id: ids.registry,
        inputs: {
            registryName: "mlacr",
            resourceGroupName: "rg",
            location,
            sku: { name: "Premium" },
            publicNetworkAccess: "Disabled",
            adminUserEnabled: false,
            anonymousPullEnabled: false,
            networkRuleBypassOptions: "AzureServices",
        },
    });
    const appi = add({
        type: T.appi,
        name: "appi",
        id: ids.appi,
        inputs: {
            resourceName: "mlai",
            resourceGroupName: "rg",
            location,
            kind: "web",
            applicationType: "web",
            publicNetworkAccessForIngestion: "Disabled",
            publicNetworkAccessForQuery: "Enabled",
        },
    });
    add({
        type: T.ampls,
        name: "ampls",
        inputs: {
            scopeName: "ampls",
            resourceGroupName: "rg",
            location: "global",
            accessModeSettings: { ingestionAccessMode: "Open", queryAccessMode: "Open" },
        },
    });
    const workspace = add({
        type: T.workspace,
        name: "workspace",
        id: ids.workspace,
        inputs: {
            workspaceName: "mlws",
            resourceGroupName: "rg",
            location,
            publicNetworkAccess: "Disabled",
            hbiWorkspace: true,
            systemDatastoresAuthMode: "Identity",
            imageBuildCompute: "image-build",
            identity: { type: "SystemAssigned" },
            storageAccount: ids.storage,
            keyVault: ids.vault,
            containerRegistry: ids.registry,
            applicationInsights: ids.appi,
        },
        deps: {
            storageAccount: [storage],
            keyVault: [vault],
            containerRegistry: [registry],
            applicationInsights: [appi],
        },
    });
    add({
        type: T.compute,
        name: "image-build",
        id: ids.compute,
        inputs: {
            computeName: "image-build",
            workspaceName: "mlws",
            resourceGroupName: "rg",
            location,
            properties: {
                computeType: "AmlCompute",
                disableLocalAuth: true,
                properties: {
                    enableNodePublicIp: false,
                    remoteLoginPortPublicAccess: "Disabled",
                    vmSize: "Standard_DS3_v2",
                    scaleSettings: { maxNodeCount: 4, minNodeCount: 0 },
                    subnet: { id: ids.trainingSubnet },
                },
            },
        },
        deps: { workspaceName: [workspace], properties: [training] },
    });

    const zones = new Map<string, PlanResource>();
    const zone = (zoneName: string) => {
        let z = zones.get(zoneName);
        if (!z) {
            z = add({
                type: T.zone,
                name: `zone-${zoneName}`,
                id: ids.zone(zoneName),
                inputs: { privateZoneName: zoneName, resourceGroupName: "rg", location: "global" },
            });
            zones.set(zoneName, z);
            add({
                type: T.link,
                name: `link-${zoneName}`,
                inputs: {
                    virtualNetworkLinkName: `link-${zoneName}`,
                    privateZoneName: zoneName,
                    resourceGroupName: "rg",
                    location: "global",
                    virtualNetwork: { id: ids.vnet },
                    registrationEnabled: false,
                },
                deps: { privateZoneName: [z], virtualNetwork: [vnet] },
            });
        }
        return z;
    };
    const pe = (name: string, target: PlanResource, targetId: string, groupId: string, zoneNames: string[]) => {
        const p = add({
            type: T.pe,
            name,
            id: ids.pe(name),
            inputs: {
                privateEndpointName: name,
                resourceGroupName: "rg",
                location,
                subnet: { id: ids.peSubnet },
                privateLinkServiceConnections: [{ name, privateLinkServiceId: targetId, groupIds: [groupId] }],
            },
            deps: { subnet: [peSubnet], privateLinkServiceConnections: [target] },
        });
        const zs = zoneNames.map(zone);
        add({
            type: T.zoneGroup,
            name: `${name}-dns`,
            inputs: {
                privateDnsZoneGroupName: "default",
                privateEndpointName: name,
                resourceGroupName: "rg",
                privateDnsZoneConfigs: zoneNames.map((z) => ({
                    name: z.replace(/\./g, "-"),
                    privateDnsZoneId: ids.zone(z),
                })),
            },
            deps: { privateEndpointName: [p], privateDnsZoneConfigs: zs },
        });
        return p;
    };
    pe("ws-pe", workspace, ids.workspace, "amlworkspace", [
        "privatelink.api.azureml.ms",
        "privatelink.notebooks.azure.net",
    ]);
    pe("blob-pe", storage, ids.storage, "blob", ["privatelink.blob.core.windows.net"]);
    pe("file-pe", storage, ids.storage, "file", ["privatelink.file.core.windows.net"]);
    pe("vault-pe", vault, ids.vault, "vault", ["privatelink.vaultcore.azure.net"]);
    pe("registry-pe", registry, ids.registry, "registry", ["privatelink.azurecr.io"]);
    return out;
}

/** Deep copy (tests mutate freely). */
export function clone<T>(value: T): T {
    return JSON.parse(JSON.stringify(value)) as T;
}

/** The resource with a logical name (and type). */
export function find(resources: PlanResource[], name: string, type?: string): PlanResource {
    const r = resources.find((x) => x.name === name && (!type || x.type === type));
    if (!r) throw new Error(`no resource ${name}`);
    return r;
}

/** Sets a dotted path in a resource's inputs (creating objects), or deletes it for `undefined`. */
export function setInput(r: PlanResource, path: string, value: unknown): void {
    const keys = path.split(".");
    let cur = r.inputs as Record<string, unknown>;
    for (const k of keys.slice(0, -1)) {
        if (typeof cur[k] !== "object" || cur[k] === null) cur[k] = {};
        cur = cur[k] as Record<string, unknown>;
    }
    const last = keys[keys.length - 1];
    if (value === undefined) delete cur[last];
    else cur[last] = value;
}

/**
 * A first `pulumi preview`: no resource has an id, and every input that holds an ARM id is the unknown
 * sentinel. Only URNs in `propertyDependencies` relate resources.
 */
export function firstPreview(resources: PlanResource[]): PlanResource[] {
    const replaceIds = (v: unknown): unknown => {
        if (typeof v === "string") return v.startsWith("/subscriptions/") ? unknownValue : v;
        if (Array.isArray(v)) return v.map(replaceIds);
        if (v && typeof v === "object")
            return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, replaceIds(x)]));
        return v;
    };
    return resources.map((r) => ({
        ...clone(r),
        id: null,
        inputs: replaceIds(clone(r.inputs)) as Record<string, unknown>,
    }));
}

/**
 * The hand-built stacks here are compliant (or deliberately not), not usable end to end: they have no
 * way in for a person and no data role for the cluster's identity. The journey policies, which judge
 * exactly that, are test/policy/journeys.test.ts's; the security tests read every other policy.
 */
export const withoutJourneys = (vs: PlanViolation[]) => vs.filter((v) => !v.policy.startsWith("journey-"));

export async function violations(
    resources: PlanResource[],
    config?: Record<string, unknown>,
): Promise<PlanViolation[]> {
    return withoutJourneys(await runPack(resources, config));
}

export function policy(name: string): Policy {
    const p = allPolicies.find((x) => x.name === name);
    if (!p) throw new Error(`no policy ${name}`);
    return p;
}

/** The violations of one policy only (run alone). */
export async function violationsOf(
    name: string,
    resources: PlanResource[],
    config?: Record<string, unknown>,
): Promise<PlanViolation[]> {
    return runPolicies([policy(name)], resources, config);
}

export const names = (vs: PlanViolation[]) => [...new Set(vs.map((v) => v.policy))].sort();
export const summary = (vs: PlanViolation[]) =>
    vs.map((v) => `${v.enforcementLevel} ${v.policy}: ${v.message}`).join("\n");

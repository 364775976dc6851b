import * as assert from "assert";
import { bastionNsgRules } from "../../components/catalog/bastion";
import { denyAllOutboundRule, requiredNsgRules } from "../../components/catalog/service-tags";
import { PlanResource, unknownValue } from "../../policy/plan";
import {
    T,
    clone,
    find,
    firstPreview,
    ids,
    resource,
    secureStack,
    setInput,
    summary,
    urnOf,
    violations,
} from "./helpers";
import { StackCase, itChecksStackCases } from "./stack-cases";

/**
 * The stack rules over the hand-built compliant stack and mutations of it, each run twice: with ids
 * (an update, `pulumi stack export`) and as a first preview where every id is unknown and only the
 * URNs in propertyDependencies relate resources.
 */

type Stack = PlanResource[];
const without = (stack: Stack, ...names: string[]) => stack.filter((r) => !names.includes(r.name));

const denyRule = (over: Record<string, unknown>) => ({
    name: "deny",
    priority: 200,
    direction: "Outbound",
    access: "Deny",
    protocol: "*",
    sourceAddressPrefix: "*",
    sourcePortRange: "*",
    destinationAddressPrefix: "Internet",
    destinationPortRange: "*",
    ...over,
});

function withTrainingRules(rules: unknown[], mutate?: (s: Stack) => void): Stack {
    const s = clone(secureStack());
    setInput(find(s, "training-nsg"), "securityRules", rules);
    mutate?.(s);
    return s;
}

function publicIpCompute(s: Stack) {
    setInput(find(s, "image-build"), "properties.properties.enableNodePublicIp", true);
}

/** The vault PE's zone moved to the wrong `privatelink.vault.azure.net`. */
function wrongVaultZone(): Stack {
    const s = clone(secureStack());
    const zone = find(s, "zone-privatelink.vaultcore.azure.net");
    setInput(zone, "privateZoneName", "privatelink.vault.azure.net");
    zone.id = ids.zone("privatelink.vault.azure.net");
    setInput(find(s, "vault-pe-dns"), "privateDnsZoneConfigs", [
        { name: "vault", privateDnsZoneId: ids.zone("privatelink.vault.azure.net") },
    ]);
    return s;
}

function bastionStack(rules: unknown[]): Stack {
    const s = clone(secureStack());
    const vnet = find(s, "vnet");
    const nsgId = `${ids.trainingNsg.replace("training-nsg", "bastion-nsg")}`;
    const nsg = resource({
        type: T.nsg,
        name: "bastion-nsg",
        id: nsgId,
        inputs: { networkSecurityGroupName: "bastion-nsg", resourceGroupName: "rg", securityRules: rules },
    });
    const subnet = resource({
        type: T.subnet,
        name: "bastion",
        id: `${ids.vnet}/subnets/AzureBastionSubnet`,
        inputs: {
            subnetName: "AzureBastionSubnet",
            virtualNetworkName: "vnet",
            resourceGroupName: "rg",
            addressPrefix: "10.0.3.0/26",
            networkSecurityGroup: { id: nsgId },
        },
        deps: { virtualNetworkName: [vnet], networkSecurityGroup: [nsg] },
    });
    return [...s, nsg, subnet];
}

const cases: StackCase[] = [
    { policy: "ml-workspace-private-endpoint", label: "compliant", build: secureStack, expect: [] },
    {
        policy: "ml-workspace-private-endpoint",
        label: "no workspace PE",
        build: () => without(secureStack(), "ws-pe", "ws-pe-dns"),
        expect: [['machinelearningservices:Workspace "workspace"', 'no private endpoint for "amlworkspace"']],
    },
    { policy: "storage-private-endpoints", label: "blob and file", build: secureStack, expect: [] },
    {
        policy: "storage-private-endpoints",
        label: "no file PE",
        build: () => without(secureStack(), "file-pe", "file-pe-dns"),
        expect: [['storage:StorageAccount "storage"', 'no private endpoint for "file"']],
    },
    {
        policy: "storage-private-endpoints",
        label: "queue and table required by config",
        build: secureStack,
        config: { "storage-private-endpoints": { requiredGroupIds: ["blob", "file", "queue", "table"] } },
        expect: [['storage:StorageAccount "storage"', '"queue", "table"']],
    },
    {
        policy: "keyvault-private-endpoint",
        label: "no vault PE",
        build: () => without(secureStack(), "vault-pe", "vault-pe-dns"),
        expect: [['keyvault:Vault "vault"', '"vault"']],
    },
    {
        policy: "acr-private-endpoint",
        label: "no registry PE",
        build: () => without(secureStack(), "registry-pe", "registry-pe-dns"),
        expect: [['containerregistry:Registry "registry"', '"registry"']],
    },

    { policy: "ml-image-build-compute", label: "CPU cluster of the workspace", build: secureStack, expect: [] },
    {
        policy: "ml-image-build-compute",
        label: "imageBuildCompute unset",
        build: () => {
            const s = clone(secureStack());
            setInput(find(s, "workspace"), "imageBuildCompute", undefined);
            return s;
        },
        expect: [['machinelearningservices:Workspace "workspace"', "imageBuildCompute is not set"]],
    },
    {
        policy: "ml-image-build-compute",
        label: "names a missing compute",
        build: () => {
            const s = clone(secureStack());
            setInput(find(s, "workspace"), "imageBuildCompute", "builder");
            return s;
        },
        expect: [['imageBuildCompute is "builder"', "no compute of this workspace"]],
    },
    {
        policy: "ml-image-build-compute",
        label: "GPU size",
        build: () => {
            const s = clone(secureStack());
            setInput(find(s, "image-build"), "properties.properties.vmSize", "Standard_NC6s_v3");
            return s;
        },
        expect: [['vmSize "Standard_NC6s_v3"', "GPU"]],
    },
    {
        policy: "ml-image-build-compute",
        label: "a compute instance",
        build: () => {
            const s = clone(secureStack());
            setInput(find(s, "image-build"), "properties.computeType", "ComputeInstance");
            return s;
        },
        expect: [['imageBuildCompute "image-build"', "must be a compute cluster (AmlCompute)"]],
    },
    {
        policy: "ml-image-build-compute",
        label: "unknown name (preview)",
        build: () => {
            const s = clone(secureStack());
            setInput(find(s, "workspace"), "imageBuildCompute", unknownValue);
            return s;
        },
        expect: [],
    },

    { policy: "private-endpoint-dns-zones", label: "right zones", build: secureStack, expect: [] },
    {
        policy: "private-endpoint-dns-zones",
        label: "vault PE on privatelink.vault.azure.net",
        build: wrongVaultZone,
        expect: [
            ['network:PrivateEndpoint "vault-pe"', '"privatelink.vault.azure.net"', "privatelink.vaultcore.azure.net"],
            ['network:PrivateEndpoint "vault-pe"', "lacks privatelink.vaultcore.azure.net"],
        ],
    },
    {
        policy: "private-endpoint-dns-zones",
        label: "workspace PE without the notebooks zone",
        build: () => {
            const s = clone(secureStack());
            const zg = find(s, "ws-pe-dns");
            setInput(zg, "privateDnsZoneConfigs", [
                { name: "api", privateDnsZoneId: ids.zone("privatelink.api.azureml.ms") },
            ]);
            zg.propertyDependencies.privateDnsZoneConfigs = [urnOf(T.zone, "zone-privatelink.api.azureml.ms")];
            return s;
        },
        expect: [['network:PrivateEndpoint "ws-pe"', "lacks privatelink.notebooks.azure.net"]],
    },
    {
        policy: "private-endpoint-dns-zones",
        label: "no zone group",
        build: () => without(secureStack(), "blob-pe-dns"),
        expect: [
            ['network:PrivateEndpoint "blob-pe"', "no private DNS zone group", "privatelink.blob.core.windows.net"],
        ],
    },
    {
        policy: "private-endpoint-dns-zones",
        label: "zone outside the stack, named by its id",
        build: () => {
            const s = clone(secureStack());
            const zg = find(s, "registry-pe-dns");
            setInput(zg, "privateDnsZoneConfigs", [
                {
                    name: "acr",
                    privateDnsZoneId:
                        "/subscriptions/x/resourceGroups/hub/providers/Microsoft.Network/privateDnsZones/privatelink.azurecr.cn",
                },
            ]);
            zg.propertyDependencies.privateDnsZoneConfigs = [];
            return s;
        },
        preview: "skips",
        expect: [['"privatelink.azurecr.cn"', "privatelink.azurecr.io"], ["lacks privatelink.azurecr.io"]],
    },
    {
        policy: "private-endpoint-dns-zones",
        label: "China cloud by config",
        build: () =>
            without(
                secureStack(),
                "ws-pe",
                "ws-pe-dns",
                "blob-pe",
                "blob-pe-dns",
                "file-pe",
                "file-pe-dns",
                "registry-pe",
                "registry-pe-dns",
            ),
        config: { "private-endpoint-dns-zones": { cloud: "AzureChinaCloud" } },
        expect: [
            ['"privatelink.vaultcore.azure.net"', "not a AzureChinaCloud zone", "privatelink.vaultcore.azure.cn"],
            ["lacks privatelink.vaultcore.azure.cn"],
        ],
    },

    { policy: "private-dns-zones-linked", label: "linked", build: secureStack, expect: [] },
    {
        policy: "private-dns-zones-linked",
        label: "no link for the vault zone",
        build: () => without(secureStack(), "link-privatelink.vaultcore.azure.net"),
        expect: [
            ['privatedns:PrivateZone "zone-privatelink.vaultcore.azure.net"', "no virtualNetworkLink", 'VNet "vnet"'],
        ],
    },
    {
        policy: "private-dns-zones-linked",
        label: "link to another VNet",
        build: () => {
            const s = clone(secureStack());
            const other = resource({
                type: T.vnet,
                name: "other",
                id: ids.vnet.replace(/vnet$/, "other"),
                inputs: {
                    virtualNetworkName: "other",
                    resourceGroupName: "rg",
                    addressSpace: { addressPrefixes: ["10.9.0.0/16"] },
                },
            });
            const link = find(s, "link-privatelink.azurecr.io");
            setInput(link, "virtualNetwork.id", other.id);
            link.propertyDependencies.virtualNetwork = [other.urn];
            return [...s, other];
        },
        expect: [["privatelink.azurecr.io", 'no virtualNetworkLink to its VNet "vnet"']],
    },

    {
        policy: "ml-compute-subnet-nsg-rules",
        label: "no custom rules: the defaults allow the no-public-IP flows",
        build: secureStack,
        expect: [],
    },
    {
        policy: "ml-compute-subnet-nsg-rules",
        label: "the catalogue's rules",
        build: () =>
            withTrainingRules([
                ...requiredNsgRules({ location: "westeurope", nodePublicIp: false, hbiWorkspace: true }).inbound,
                ...requiredNsgRules({ location: "westeurope", nodePublicIp: false, hbiWorkspace: true }).outbound,
            ]),
        expect: [],
    },
    {
        policy: "ml-compute-subnet-nsg-rules",
        label: "the catalogue's rules with egress locked down",
        build: () => {
            const r = requiredNsgRules({ location: "westeurope", nodePublicIp: false, hbiWorkspace: true });
            return withTrainingRules([...r.inbound, ...r.outbound, denyAllOutboundRule]);
        },
        expect: [],
    },
    {
        policy: "ml-compute-subnet-nsg-rules",
        label: "deny-all egress without the allows",
        build: () => withTrainingRules([denyAllOutboundRule]),
        expect: [
            ["Outbound Tcp 80 to AzureActiveDirectory", 'denied by securityRules[0] "DenyAllOutbound" (priority 4096)'],
            ["Outbound Tcp 443 to AzureActiveDirectory"],
            ["Outbound Tcp 443 to AzureMachineLearning"],
            ["Outbound Tcp 8787 to AzureMachineLearning"],
            ["Outbound Tcp 18881 to AzureMachineLearning"],
            ["Outbound Udp 5831 to AzureMachineLearning"],
            ["Outbound Tcp 443 to BatchNodeManagement.westeurope"],
            ["Outbound Tcp 443 to AzureResourceManager"],
            ["Outbound Tcp 443 to Storage.westeurope"],
            ["Outbound Tcp 443 to AzureFrontDoor.FrontEnd"],
            ["Outbound Tcp 443 to AzureFrontDoor.FirstParty"],
            ["Outbound Tcp 443 to MicrosoftContainerRegistry.westeurope"],
            ["Outbound Tcp 443 to AzureMonitor"],
            ["Outbound Tcp 443 to AzureKeyVault.westeurope"],
        ],
    },
    {
        policy: "ml-compute-subnet-nsg-rules",
        label: "deny-all egress: 445 to Storage is required only when config says a firewall sits before the storage endpoints",
        build: () =>
            withTrainingRules([
                ...requiredNsgRules({
                    location: "westeurope",
                    nodePublicIp: false,
                    hbiWorkspace: true,
                    storagePort445: false,
                }).outbound,
                denyAllOutboundRule,
            ]),
        config: { "ml-compute-subnet-nsg-rules": { storagePort445: true } },
        expect: [["Outbound Tcp 445 to Storage.westeurope", 'denied by securityRules[11] "DenyAllOutbound"']],
    },
    {
        policy: "ml-compute-subnet-nsg-rules",
        label: "a deny of the Storage tag shadows Storage.westeurope",
        build: () =>
            withTrainingRules([denyRule({ destinationAddressPrefix: "Storage", destinationPortRange: "443" })]),
        expect: [
            [
                'machinelearningservices:Compute "image-build"',
                "no public IP",
                'subnet "training"',
                'NSG "training-nsg"',
                'Outbound Tcp 443 to Storage.westeurope (StorageOutbound) is denied by securityRules[0] "deny" (priority 200)',
            ],
        ],
    },
    {
        policy: "ml-compute-subnet-nsg-rules",
        label: "a deny of Storage.eastus does not",
        build: () => withTrainingRules([denyRule({ destinationAddressPrefix: "Storage.eastus" })]),
        expect: [],
    },
    {
        policy: "ml-compute-subnet-nsg-rules",
        label: "a deny below an allow does not",
        build: () =>
            withTrainingRules([
                denyRule({
                    destinationAddressPrefix: "Storage",
                    destinationPortRanges: ["443", "445"],
                    destinationPortRange: undefined,
                    priority: 300,
                }),
                denyRule({
                    access: "Allow",
                    destinationAddressPrefix: "Storage.westeurope",
                    destinationPortRanges: ["443", "445"],
                    destinationPortRange: undefined,
                    protocol: "Tcp",
                    priority: 250,
                    name: "allow",
                }),
            ]),
        expect: [],
    },
    {
        policy: "ml-compute-subnet-nsg-rules",
        label: "a deny with a narrower source port partly shadows",
        build: () =>
            withTrainingRules([
                denyRule({
                    destinationAddressPrefix: "AzureMonitor",
                    sourcePortRange: "1000-2000",
                    destinationPortRange: "443",
                }),
            ]),
        expect: [["Outbound Tcp 443 to AzureMonitor", 'partly denied by securityRules[0] "deny"']],
    },
    {
        policy: "ml-compute-subnet-nsg-rules",
        label: "an inbound deny of VirtualNetwork 29876-29877",
        build: () =>
            withTrainingRules([
                denyRule({
                    direction: "Inbound",
                    sourceAddressPrefix: "VirtualNetwork",
                    destinationAddressPrefix: "*",
                    destinationPortRange: "29876-29877",
                }),
            ]),
        expect: [["Inbound Tcp 29876 from VirtualNetwork"], ["Inbound Tcp 29877 from VirtualNetwork"]],
    },
    {
        policy: "ml-compute-subnet-nsg-rules",
        label: "an inbound deny scoped to another subnet's prefix does not",
        build: () =>
            withTrainingRules([
                denyRule({
                    direction: "Inbound",
                    sourceAddressPrefix: "*",
                    destinationAddressPrefix: "10.0.2.0/24",
                    destinationPortRange: "*",
                }),
            ]),
        expect: [],
    },
    {
        policy: "ml-compute-subnet-nsg-rules",
        label: "an inbound deny of the compute subnet's prefix does",
        build: () =>
            withTrainingRules([
                denyRule({
                    direction: "Inbound",
                    sourceAddressPrefix: "AzureLoadBalancer",
                    destinationAddressPrefix: "10.0.1.0/24",
                    destinationPortRange: "44224",
                }),
            ]),
        expect: [["Inbound Tcp 44224 from AzureLoadBalancer", 'denied by securityRules[0] "deny"']],
    },
    {
        policy: "ml-compute-subnet-nsg-rules",
        label: "node public IP without inbound rules",
        build: () => withTrainingRules([], publicIpCompute),
        expect: [
            [
                "node public IP",
                "Inbound Tcp 29876 from BatchNodeManagement",
                "not allowed: no rule allows it before Azure's default rule DenyAllInBound (priority 65500)",
            ],
            ["Inbound Tcp 29877 from BatchNodeManagement"],
            ["Inbound Tcp 44224 from AzureMachineLearning"],
        ],
    },
    {
        policy: "ml-compute-subnet-nsg-rules",
        label: "node public IP with the catalogue's inbound rules",
        build: () =>
            withTrainingRules(
                requiredNsgRules({ location: "westeurope", nodePublicIp: true }).inbound,
                publicIpCompute,
            ),
        expect: [],
    },
    {
        policy: "ml-compute-subnet-nsg-rules",
        label: "missing enableNodePublicIp means public IP",
        build: () =>
            withTrainingRules([], (s) =>
                setInput(find(s, "image-build"), "properties.properties.enableNodePublicIp", undefined),
            ),
        expect: [
            ["node public IP", "29876 from BatchNodeManagement"],
            ["29877 from BatchNodeManagement"],
            ["44224 from AzureMachineLearning"],
        ],
    },
    {
        policy: "ml-compute-subnet-nsg-rules",
        label: "a standalone SecurityRule deny counts",
        build: () => {
            const s = clone(secureStack());
            const nsg = find(s, "training-nsg");
            const rule = resource({
                type: T.rule,
                name: "deny-monitor",
                inputs: {
                    securityRuleName: "deny-monitor",
                    networkSecurityGroupName: "training-nsg",
                    resourceGroupName: "rg",
                    ...denyRule({ destinationAddressPrefix: "AzureMonitor" }),
                },
                deps: { networkSecurityGroupName: [nsg] },
            });
            return [...s, rule];
        },
        expect: [["Outbound Tcp 443 to AzureMonitor", 'denied by network:SecurityRule "deny-monitor"']],
    },
    {
        policy: "ml-compute-subnet-nsg-rules",
        label: "unknown location: not checkable",
        build: () =>
            withTrainingRules([denyAllOutboundRule], (s) => {
                for (const r of s) if (r.inputs.location) setInput(r, "location", unknownValue);
            }),
        expect: [],
    },

    { policy: "ml-private-endpoints-same-vnet", label: "one VNet", build: secureStack, expect: [] },
    {
        policy: "ml-private-endpoints-same-vnet",
        label: "vault PE in another VNet",
        build: () => {
            const s = clone(secureStack());
            const other = resource({
                type: T.vnet,
                name: "other",
                id: ids.vnet.replace(/vnet$/, "other"),
                inputs: {
                    virtualNetworkName: "other",
                    resourceGroupName: "rg",
                    addressSpace: { addressPrefixes: ["10.9.0.0/16"] },
                    subnets: [{ name: "pe", addressPrefix: "10.9.0.0/24", networkSecurityGroup: { id: ids.peNsg } }],
                },
            });
            const pe = find(s, "vault-pe");
            setInput(pe, "subnet.id", `${other.id}/subnets/pe`);
            pe.propertyDependencies.subnet = [other.urn];
            return [...s, other];
        },
        expect: [['network:PrivateEndpoint "vault-pe" of keyvault:Vault "vault" is in VNet "other"', 'VNet "vnet"']],
    },

    { policy: "ml-dependencies-isolated", label: "isolated dependencies", build: secureStack, expect: [] },
    {
        policy: "ml-dependencies-isolated",
        label: "public storage",
        build: () => {
            const s = clone(secureStack());
            setInput(find(s, "storage"), "networkRuleSet", undefined);
            return s;
        },
        expect: [
            [
                'machinelearningservices:Workspace "workspace": its storageAccount fails storage-default-deny',
                "networkRuleSet.defaultAction",
            ],
        ],
    },
    {
        policy: "ml-dependencies-isolated",
        label: "HBI workspace with a public storage endpoint",
        build: () => {
            const s = clone(secureStack());
            setInput(find(s, "storage"), "publicNetworkAccess", "Enabled");
            return s;
        },
        expect: [["hbiWorkspace is true", 'publicNetworkAccess "Disabled"']],
    },
    {
        policy: "ml-dependencies-isolated",
        label: "key vault outside the stack",
        build: () => {
            const s = without(clone(secureStack()), "vault", "vault-pe", "vault-pe-dns");
            const ws = find(s, "workspace");
            setInput(
                ws,
                "keyVault",
                "/subscriptions/x/resourceGroups/other/providers/Microsoft.KeyVault/vaults/shared",
            );
            delete ws.propertyDependencies.keyVault;
            return s;
        },
        preview: "skips",
        expect: [
            [
                "keyVault /subscriptions/x/resourceGroups/other/providers/Microsoft.KeyVault/vaults/shared is not in this stack",
            ],
        ],
    },
    {
        policy: "ml-dependencies-isolated",
        label: "no container registry",
        build: () => {
            const s = without(clone(secureStack()), "registry", "registry-pe", "registry-pe-dns");
            const ws = find(s, "workspace");
            setInput(ws, "containerRegistry", undefined);
            delete ws.propertyDependencies.containerRegistry;
            return s;
        },
        expect: [["containerRegistry is not set", "public Basic registry"]],
    },

    { policy: "no-aci-with-private-workspace", label: "no container group", build: secureStack, expect: [] },
    {
        policy: "no-aci-with-private-workspace",
        label: "a container group",
        build: () => [
            ...secureStack(),
            resource({
                type: T.aci,
                name: "aci",
                inputs: { resourceGroupName: "rg", osType: "Linux", containers: [] },
            }),
        ],
        expect: [['containerinstance:ContainerGroup "aci"', 'private workspace "workspace"']],
    },
    {
        policy: "no-aci-with-private-workspace",
        label: "a container group beside a public workspace",
        build: () => {
            const s = without(clone(secureStack()), "ws-pe", "ws-pe-dns");
            setInput(find(s, "workspace"), "publicNetworkAccess", "Enabled");
            return [...s, resource({ type: T.aci, name: "aci", inputs: { resourceGroupName: "rg" } })];
        },
        expect: [],
    },

    {
        policy: "nsg-no-unrestricted-inbound",
        label: "Bastion's rules on the AzureBastionSubnet NSG",
        build: () => bastionStack([...bastionNsgRules]),
        expect: [],
    },
    {
        policy: "nsg-no-unrestricted-inbound",
        label: "Bastion's 443 rule on the training NSG",
        build: () => withTrainingRules([bastionNsgRules[0]]),
        expect: [
            [
                'network:NetworkSecurityGroup "training-nsg"',
                'securityRules[0] "AllowHttpsInbound"',
                "accepted only on the NSG of AzureBastionSubnet",
                "subnet(s) training",
            ],
        ],
    },
    {
        policy: "bastion-subnet-nsg-rules",
        label: "Bastion's rules",
        build: () => bastionStack([...bastionNsgRules]),
        expect: [],
    },
    {
        policy: "bastion-subnet-nsg-rules",
        label: "an empty Bastion NSG",
        build: () => bastionStack([]),
        expect: [
            [
                'network:Subnet "bastion": NSG "bastion-nsg": Inbound Tcp 443 from Internet (Bastion AllowHttpsInbound)',
                "DenyAllInBound",
            ],
            ["Inbound Tcp 443 from GatewayManager"],
        ],
    },
];

describe("stack rules", () => {
    itChecksStackCases(cases, { urnMayBeNull: true });

    it("the compliant stack passes the whole pack, mandatory and advisory, with ids and as a first preview", async () => {
        assert.strictEqual(summary(await violations(secureStack())), "");
        assert.strictEqual(summary(await violations(firstPreview(secureStack()))), "");
    });

    it("an unknown value never yields a mandatory violation: each input of each resource made unknown in turn", async () => {
        const base = secureStack();
        let runs = 0;
        for (let i = 0; i < base.length; i++) {
            for (const key of Object.keys(base[i].inputs)) {
                const stack = clone(base);
                stack[i].inputs[key] = unknownValue;
                const mandatory = (await violations(stack)).filter((v) => v.enforcementLevel === "mandatory");
                assert.deepStrictEqual(
                    mandatory.map((v) => v.message),
                    [],
                    `${base[i].name}.${key}`,
                );
                runs++;
            }
        }
        assert.ok(runs > 150);
    });
});

import * as assert from "assert";
import { PlanResource, unknownValue } from "../../policy/plan";
import { T, clone, find, policy, secureStack, setInput, violationsOf } from "./helpers";

/**
 * Every per-resource rule: compliant and non-compliant inputs, starting from the compliant stack's
 * resource. A violation must name the resource and the property.
 */

type Mutation = (r: PlanResource) => void;
const set =
    (path: string, value: unknown): Mutation =>
    (r) =>
        setInput(r, path, value);
const all =
    (...ms: Mutation[]): Mutation =>
    (r) =>
        ms.forEach((m) => m(r));

interface Case {
    policy: string;
    /** The logical name of the compliant stack's resource to start from. */
    base: string;
    label: string;
    mutate: Mutation;
    /** Substrings every violation message must hold; `null`: compliant. */
    expect: string[] | null;
    config?: Record<string, unknown>;
}

const rules: Case[] = [
    // ml-workspace
    {
        policy: "ml-workspace-public-network-disabled",
        base: "workspace",
        label: "Disabled",
        mutate: () => {},
        expect: null,
    },
    {
        policy: "ml-workspace-public-network-disabled",
        base: "workspace",
        label: "lower-case disabled",
        mutate: set("publicNetworkAccess", "disabled"),
        expect: null,
    },
    {
        policy: "ml-workspace-public-network-disabled",
        base: "workspace",
        label: "Enabled",
        mutate: set("publicNetworkAccess", "Enabled"),
        expect: ["publicNetworkAccess", '"Enabled"'],
    },
    {
        policy: "ml-workspace-public-network-disabled",
        base: "workspace",
        label: "missing (default Enabled)",
        mutate: set("publicNetworkAccess", undefined),
        expect: ["publicNetworkAccess", "Azure's default: Enabled"],
    },
    {
        policy: "ml-workspace-public-network-disabled",
        base: "workspace",
        label: "allowPublicAccessWhenBehindVnet",
        mutate: set("allowPublicAccessWhenBehindVnet", true),
        expect: ["allowPublicAccessWhenBehindVnet"],
    },
    {
        policy: "ml-workspace-identity-datastores",
        base: "workspace",
        label: "Identity",
        mutate: () => {},
        expect: null,
    },
    {
        policy: "ml-workspace-identity-datastores",
        base: "workspace",
        label: "AccessKey",
        mutate: set("systemDatastoresAuthMode", "AccessKey"),
        expect: ["systemDatastoresAuthMode", "AccessKey"],
    },
    {
        policy: "ml-workspace-identity-datastores",
        base: "workspace",
        label: "missing",
        mutate: set("systemDatastoresAuthMode", undefined),
        expect: ["systemDatastoresAuthMode", "default: AccessKey"],
    },
    { policy: "ml-workspace-hbi", base: "workspace", label: "true", mutate: () => {}, expect: null },
    {
        policy: "ml-workspace-hbi",
        base: "workspace",
        label: "missing",
        mutate: set("hbiWorkspace", undefined),
        expect: ["hbiWorkspace", "default false"],
    },
    // ml-compute
    { policy: "ml-compute-in-vnet", base: "image-build", label: "subnet set", mutate: () => {}, expect: null },
    {
        policy: "ml-compute-in-vnet",
        base: "image-build",
        label: "subnet id unknown (preview)",
        mutate: set("properties.properties.subnet.id", unknownValue),
        expect: null,
    },
    {
        policy: "ml-compute-in-vnet",
        base: "image-build",
        label: "no subnet",
        mutate: set("properties.properties.subnet", undefined),
        expect: ["properties.properties.subnet.id", "not set"],
    },
    {
        policy: "ml-compute-in-vnet",
        base: "image-build",
        label: "instance with empty subnet id",
        mutate: all(set("properties.computeType", "ComputeInstance"), set("properties.properties.subnet.id", "")),
        expect: ["properties.properties.subnet.id", "instance"],
    },
    {
        policy: "ml-compute-in-vnet",
        base: "image-build",
        label: "other compute type",
        mutate: all(set("properties.computeType", "Kubernetes"), set("properties.properties.subnet", undefined)),
        expect: null,
    },
    { policy: "ml-compute-no-public-ip", base: "image-build", label: "false", mutate: () => {}, expect: null },
    {
        policy: "ml-compute-no-public-ip",
        base: "image-build",
        label: "missing is true",
        mutate: set("properties.properties.enableNodePublicIp", undefined),
        expect: ["properties.properties.enableNodePublicIp", "default true"],
    },
    {
        policy: "ml-compute-no-public-ip",
        base: "image-build",
        label: "true",
        mutate: set("properties.properties.enableNodePublicIp", true),
        expect: ["enableNodePublicIp is true"],
    },
    {
        policy: "ml-compute-no-public-ip",
        base: "image-build",
        label: "true but allowed by config",
        mutate: set("properties.properties.enableNodePublicIp", true),
        expect: null,
        config: { "ml-compute-no-public-ip": { allowNodePublicIp: true } },
    },
    { policy: "ml-compute-local-auth-disabled", base: "image-build", label: "true", mutate: () => {}, expect: null },
    {
        policy: "ml-compute-local-auth-disabled",
        base: "image-build",
        label: "missing",
        mutate: set("properties.disableLocalAuth", undefined),
        expect: ["properties.disableLocalAuth", "default false"],
    },
    {
        policy: "ml-compute-local-auth-disabled",
        base: "image-build",
        label: "false",
        mutate: set("properties.disableLocalAuth", false),
        expect: ["properties.disableLocalAuth is false"],
    },
    { policy: "ml-compute-no-public-ssh", base: "image-build", label: "Disabled", mutate: () => {}, expect: null },
    {
        policy: "ml-compute-no-public-ssh",
        base: "image-build",
        label: "NotSpecified in a VNet",
        mutate: set("properties.properties.remoteLoginPortPublicAccess", "NotSpecified"),
        expect: null,
    },
    {
        policy: "ml-compute-no-public-ssh",
        base: "image-build",
        label: "Enabled",
        mutate: set("properties.properties.remoteLoginPortPublicAccess", "Enabled"),
        expect: ["remoteLoginPortPublicAccess", '"Enabled"'],
    },
    {
        policy: "ml-compute-no-public-ssh",
        base: "image-build",
        label: "NotSpecified without a subnet",
        mutate: all(
            set("properties.properties.remoteLoginPortPublicAccess", "NotSpecified"),
            set("properties.properties.subnet", undefined),
        ),
        expect: ["remoteLoginPortPublicAccess", "no subnet"],
    },
    {
        policy: "ml-compute-no-public-ssh",
        base: "image-build",
        label: "instance, default",
        mutate: set("properties.computeType", "ComputeInstance"),
        expect: null,
    },
    {
        policy: "ml-compute-no-public-ssh",
        base: "image-build",
        label: "instance, Enabled",
        mutate: all(
            set("properties.computeType", "ComputeInstance"),
            set("properties.properties.sshSettings.sshPublicAccess", "Enabled"),
        ),
        expect: ["sshSettings.sshPublicAccess", "Enabled"],
    },
    { policy: "ml-compute-scale-to-zero", base: "image-build", label: "min 0", mutate: () => {}, expect: null },
    {
        policy: "ml-compute-scale-to-zero",
        base: "image-build",
        label: "min 2",
        mutate: set("properties.properties.scaleSettings.minNodeCount", 2),
        expect: ["scaleSettings.minNodeCount", "2"],
    },
    {
        policy: "ml-compute-scale-to-zero",
        base: "image-build",
        label: "instance without idle shutdown",
        mutate: set("properties.computeType", "ComputeInstance"),
        expect: ["idleTimeBeforeShutdown"],
    },
    {
        policy: "ml-compute-scale-to-zero",
        base: "image-build",
        label: "instance with idle shutdown",
        mutate: all(
            set("properties.computeType", "ComputeInstance"),
            set("properties.properties.idleTimeBeforeShutdown", "PT60M"),
        ),
        expect: null,
    },
    // storage
    { policy: "storage-default-deny", base: "storage", label: "Deny", mutate: () => {}, expect: null },
    {
        policy: "storage-default-deny",
        base: "storage",
        label: "Allow (azure-native's default)",
        mutate: set("networkRuleSet.defaultAction", "Allow"),
        expect: ["networkRuleSet.defaultAction", '"Allow"'],
    },
    {
        policy: "storage-default-deny",
        base: "storage",
        label: "missing networkRuleSet",
        mutate: set("networkRuleSet", undefined),
        expect: ["networkRuleSet.defaultAction", "Azure's default: Allow"],
    },
    {
        policy: "storage-default-deny",
        base: "storage",
        label: "Deny with 0.0.0.0/0 IP rule",
        mutate: set("networkRuleSet.ipRules", [{ iPAddressOrRange: "0.0.0.0/0" }]),
        expect: ["networkRuleSet.ipRules[0].iPAddressOrRange"],
    },
    {
        policy: "storage-default-deny",
        base: "storage",
        label: "Deny with an office IP rule",
        mutate: set("networkRuleSet.ipRules", [{ iPAddressOrRange: "203.0.113.0/24" }]),
        expect: null,
    },
    { policy: "storage-public-network-disabled", base: "storage", label: "Disabled", mutate: () => {}, expect: null },
    {
        policy: "storage-public-network-disabled",
        base: "storage",
        label: "missing",
        mutate: set("publicNetworkAccess", undefined),
        expect: ["publicNetworkAccess", "Azure's default: Enabled"],
    },
    { policy: "storage-https-only", base: "storage", label: "true", mutate: () => {}, expect: null },
    {
        policy: "storage-https-only",
        base: "storage",
        label: "missing (default true)",
        mutate: set("enableHttpsTrafficOnly", undefined),
        expect: null,
    },
    {
        policy: "storage-https-only",
        base: "storage",
        label: "false",
        mutate: set("enableHttpsTrafficOnly", false),
        expect: ["enableHttpsTrafficOnly is false"],
    },
    { policy: "storage-min-tls", base: "storage", label: "TLS1_2", mutate: () => {}, expect: null },
    {
        policy: "storage-min-tls",
        base: "storage",
        label: "TLS1_0",
        mutate: set("minimumTlsVersion", "TLS1_0"),
        expect: ["minimumTlsVersion", "TLS1_0", "TLS1_2"],
    },
    {
        policy: "storage-min-tls",
        base: "storage",
        label: "missing (TLS1_0)",
        mutate: set("minimumTlsVersion", undefined),
        expect: ["minimumTlsVersion", "Azure's default: TLS1_0"],
    },
    {
        policy: "storage-min-tls",
        base: "storage",
        label: "TLS1_2 below a configured TLS1_3",
        mutate: () => {},
        expect: ['at least "TLS1_3"'],
        config: { "storage-min-tls": { minimumTlsVersion: "TLS1_3" } },
    },
    { policy: "storage-no-blob-public-access", base: "storage", label: "false", mutate: () => {}, expect: null },
    {
        policy: "storage-no-blob-public-access",
        base: "storage",
        label: "missing (default false)",
        mutate: set("allowBlobPublicAccess", undefined),
        expect: null,
    },
    {
        policy: "storage-no-blob-public-access",
        base: "storage",
        label: "true",
        mutate: set("allowBlobPublicAccess", true),
        expect: ["allowBlobPublicAccess is true"],
    },
    { policy: "storage-no-shared-key", base: "storage", label: "false", mutate: () => {}, expect: null },
    {
        policy: "storage-no-shared-key",
        base: "storage",
        label: "missing (true)",
        mutate: set("allowSharedKeyAccess", undefined),
        expect: ["allowSharedKeyAccess", "Azure's default: true"],
    },
    { policy: "storage-no-cross-tenant-replication", base: "storage", label: "false", mutate: () => {}, expect: null },
    {
        policy: "storage-no-cross-tenant-replication",
        base: "storage",
        label: "true",
        mutate: set("allowCrossTenantReplication", true),
        expect: ["allowCrossTenantReplication is true"],
    },
    // key vault
    { policy: "keyvault-network-restricted", base: "vault", label: "Deny + disabled", mutate: () => {}, expect: null },
    {
        policy: "keyvault-network-restricted",
        base: "vault",
        label: "public disabled, no ACLs",
        mutate: set("properties.networkAcls", undefined),
        expect: null,
    },
    {
        policy: "keyvault-network-restricted",
        base: "vault",
        label: "lower-case enabled, no ACLs",
        mutate: all(set("properties.publicNetworkAccess", "enabled"), set("properties.networkAcls", undefined)),
        expect: ["properties.networkAcls.defaultAction", 'properties.publicNetworkAccess is "enabled"'],
    },
    {
        policy: "keyvault-network-restricted",
        base: "vault",
        label: "enabled + Deny",
        mutate: set("properties.publicNetworkAccess", "enabled"),
        expect: null,
    },
    { policy: "keyvault-public-network-disabled", base: "vault", label: "disabled", mutate: () => {}, expect: null },
    {
        policy: "keyvault-public-network-disabled",
        base: "vault",
        label: "lower-case enabled (azure-native's default)",
        mutate: set("properties.publicNetworkAccess", "enabled"),
        expect: ['properties.publicNetworkAccess is "enabled"'],
    },
    {
        policy: "keyvault-public-network-disabled",
        base: "vault",
        label: "missing",
        mutate: set("properties.publicNetworkAccess", undefined),
        expect: ["properties.publicNetworkAccess", "default enabled"],
    },
    { policy: "keyvault-soft-delete", base: "vault", label: "true", mutate: () => {}, expect: null },
    {
        policy: "keyvault-soft-delete",
        base: "vault",
        label: "missing (default true)",
        mutate: set("properties.enableSoftDelete", undefined),
        expect: null,
    },
    {
        policy: "keyvault-soft-delete",
        base: "vault",
        label: "false",
        mutate: set("properties.enableSoftDelete", false),
        expect: ["properties.enableSoftDelete is false"],
    },
    { policy: "keyvault-purge-protection", base: "vault", label: "true", mutate: () => {}, expect: null },
    {
        policy: "keyvault-purge-protection",
        base: "vault",
        label: "missing",
        mutate: set("properties.enablePurgeProtection", undefined),
        expect: ["properties.enablePurgeProtection", "default off"],
    },
    { policy: "keyvault-rbac", base: "vault", label: "true", mutate: () => {}, expect: null },
    {
        policy: "keyvault-rbac",
        base: "vault",
        label: "false (azure-native's default)",
        mutate: set("properties.enableRbacAuthorization", false),
        expect: ["properties.enableRbacAuthorization is false"],
    },
    // registry
    { policy: "acr-premium-sku", base: "registry", label: "Premium", mutate: () => {}, expect: null },
    {
        policy: "acr-premium-sku",
        base: "registry",
        label: "Standard",
        mutate: set("sku.name", "Standard"),
        expect: ["sku.name", '"Standard"'],
    },
    { policy: "acr-network-restricted", base: "registry", label: "Disabled", mutate: () => {}, expect: null },
    {
        policy: "acr-network-restricted",
        base: "registry",
        label: "Enabled + Deny",
        mutate: all(set("publicNetworkAccess", "Enabled"), set("networkRuleSet.defaultAction", "Deny")),
        expect: null,
    },
    {
        policy: "acr-network-restricted",
        base: "registry",
        label: "defaults",
        mutate: set("publicNetworkAccess", undefined),
        expect: ["publicNetworkAccess", "default Enabled", "networkRuleSet.defaultAction"],
    },
    { policy: "acr-public-network-disabled", base: "registry", label: "Disabled", mutate: () => {}, expect: null },
    {
        policy: "acr-public-network-disabled",
        base: "registry",
        label: "Enabled",
        mutate: set("publicNetworkAccess", "Enabled"),
        expect: ['publicNetworkAccess is "Enabled"'],
    },
    { policy: "acr-admin-disabled", base: "registry", label: "false", mutate: () => {}, expect: null },
    {
        policy: "acr-admin-disabled",
        base: "registry",
        label: "true",
        mutate: set("adminUserEnabled", true),
        expect: ["adminUserEnabled is true"],
    },
    { policy: "acr-anonymous-pull-disabled", base: "registry", label: "false", mutate: () => {}, expect: null },
    {
        policy: "acr-anonymous-pull-disabled",
        base: "registry",
        label: "true",
        mutate: set("anonymousPullEnabled", true),
        expect: ["anonymousPullEnabled is true"],
    },
    { policy: "acr-trusted-services-bypass", base: "registry", label: "AzureServices", mutate: () => {}, expect: null },
    {
        policy: "acr-trusted-services-bypass",
        base: "registry",
        label: "missing (default AzureServices)",
        mutate: set("networkRuleBypassOptions", undefined),
        expect: null,
    },
    {
        policy: "acr-trusted-services-bypass",
        base: "registry",
        label: "None",
        mutate: set("networkRuleBypassOptions", "None"),
        expect: ['networkRuleBypassOptions is "None"'],
    },
    // network
    { policy: "subnet-has-nsg", base: "training", label: "with NSG", mutate: () => {}, expect: null },
    {
        policy: "subnet-has-nsg",
        base: "training",
        label: "NSG id unknown (preview)",
        mutate: set("networkSecurityGroup.id", unknownValue),
        expect: null,
    },
    {
        policy: "subnet-has-nsg",
        base: "training",
        label: "without NSG",
        mutate: set("networkSecurityGroup", undefined),
        expect: ['subnet "training"', "networkSecurityGroup.id"],
    },
    {
        policy: "subnet-has-nsg",
        base: "training",
        label: "GatewaySubnet exempt",
        mutate: all(set("networkSecurityGroup", undefined), set("subnetName", "GatewaySubnet")),
        expect: null,
    },
    {
        policy: "subnet-has-nsg",
        base: "vnet",
        label: "inline subnet without NSG",
        mutate: set("subnets", [{ name: "inline", addressPrefix: "10.0.9.0/24" }]),
        expect: ['subnets[0] "inline"', "networkSecurityGroup.id"],
    },
    {
        policy: "subnet-has-nsg",
        base: "vnet",
        label: "inline subnet with NSG",
        mutate: set("subnets", [{ name: "inline", addressPrefix: "10.0.9.0/24", networkSecurityGroup: { id: "x" } }]),
        expect: null,
    },
    { policy: "vnet-no-docker-bridge-range", base: "vnet", label: "10.0.0.0/16", mutate: () => {}, expect: null },
    {
        policy: "vnet-no-docker-bridge-range",
        base: "vnet",
        label: "172.17.0.0/16",
        mutate: set("addressSpace.addressPrefixes", ["172.17.0.0/16"]),
        expect: ["addressSpace.addressPrefixes[0]", "172.17.0.0/16"],
    },
    {
        policy: "vnet-no-docker-bridge-range",
        base: "vnet",
        label: "172.16.0.0/12 contains it",
        mutate: set("addressSpace.addressPrefixes", ["172.16.0.0/12"]),
        expect: ["addressSpace.addressPrefixes[0]", "172.16.0.0/12"],
    },
    {
        policy: "vnet-no-docker-bridge-range",
        base: "vnet",
        label: "172.18.0.0/16 is fine",
        mutate: set("addressSpace.addressPrefixes", ["172.18.0.0/16"]),
        expect: null,
    },
    {
        policy: "vnet-no-docker-bridge-range",
        base: "vnet",
        label: "inline subnet in it",
        mutate: set("subnets", [{ name: "s", addressPrefix: "172.17.5.0/24" }]),
        expect: ["subnets[0].addressPrefix", "172.17.5.0/24"],
    },
    {
        policy: "vnet-no-docker-bridge-range",
        base: "training",
        label: "standalone subnet in it",
        mutate: set("addressPrefix", "172.17.1.0/24"),
        expect: ["addressPrefix", "172.17.1.0/24"],
    },
    // monitor
    { policy: "appinsights-private-ingestion", base: "appi", label: "Disabled", mutate: () => {}, expect: null },
    {
        policy: "appinsights-private-ingestion",
        base: "appi",
        label: "missing",
        mutate: set("publicNetworkAccessForIngestion", undefined),
        expect: ["publicNetworkAccessForIngestion", "default Enabled"],
    },
    { policy: "monitor-private-link-open-mode", base: "ampls", label: "Open", mutate: () => {}, expect: null },
    {
        policy: "monitor-private-link-open-mode",
        base: "ampls",
        label: "PrivateOnly ingestion",
        mutate: set("accessModeSettings.ingestionAccessMode", "PrivateOnly"),
        expect: ["accessModeSettings.ingestionAccessMode", "PrivateOnly"],
    },
    {
        policy: "monitor-private-link-open-mode",
        base: "ampls",
        label: "PrivateOnly exclusion",
        mutate: set("accessModeSettings.exclusions", [
            { privateEndpointConnectionName: "x", queryAccessMode: "PrivateOnly" },
        ]),
        expect: ["accessModeSettings.exclusions[0].queryAccessMode"],
    },
];

const nsgRule = (over: Record<string, unknown>) => ({
    name: "r",
    priority: 200,
    direction: "Inbound",
    access: "Allow",
    protocol: "Tcp",
    sourceAddressPrefix: "*",
    sourcePortRange: "*",
    destinationAddressPrefix: "*",
    destinationPortRange: "22",
    ...over,
});

// Inline (NSG securityRules) and standalone (SecurityRule) forms, each with the sources that mean "Internet".
const internetSources = ["*", "0.0.0.0/0", "Internet", "internet", "Any", "ANY"];
for (const source of internetSources) {
    for (const port of ["22", "3389", "*", "20-30", "3000-4000"]) {
        rules.push({
            policy: "nsg-no-internet-management-ports",
            base: "training-nsg",
            label: `inline ${source} → ${port}`,
            mutate: set("securityRules", [
                nsgRule({ name: "open", sourceAddressPrefix: source, destinationPortRange: port }),
            ]),
            expect: ['securityRules[0] "open"', "from the Internet"],
        });
    }
    rules.push({
        policy: "nsg-no-internet-management-ports",
        base: "training-nsg",
        label: `inline ${source} → [80, 3389] list`,
        mutate: set("securityRules", [
            nsgRule({
                name: "list",
                sourceAddressPrefix: source,
                destinationPortRange: undefined,
                destinationPortRanges: ["80", "3389"],
            }),
        ]),
        expect: ['securityRules[0] "list"', "3389"],
    });
    rules.push({
        policy: "nsg-no-unrestricted-inbound",
        base: "training-nsg",
        label: `inline ${source} → 8080`,
        mutate: set("securityRules", [
            nsgRule({ name: "web", sourceAddressPrefix: source, destinationPortRange: "8080" }),
        ]),
        expect: ['securityRules[0] "web"', "from the Internet"],
    });
}
rules.push(
    {
        policy: "nsg-no-internet-management-ports",
        base: "training-nsg",
        label: "22 from a private range",
        mutate: set("securityRules", [nsgRule({ sourceAddressPrefix: "10.0.0.0/8" })]),
        expect: null,
    },
    {
        policy: "nsg-no-internet-management-ports",
        base: "training-nsg",
        label: "22 from Internet but Deny",
        mutate: set("securityRules", [nsgRule({ access: "Deny" })]),
        expect: null,
    },
    {
        policy: "nsg-no-internet-management-ports",
        base: "training-nsg",
        label: "22 from Internet outbound",
        mutate: set("securityRules", [nsgRule({ direction: "Outbound" })]),
        expect: null,
    },
    {
        policy: "nsg-no-internet-management-ports",
        base: "training-nsg",
        label: "443 from Internet",
        mutate: set("securityRules", [nsgRule({ destinationPortRange: "443" })]),
        expect: null,
    },
    {
        policy: "nsg-no-internet-management-ports",
        base: "training-nsg",
        label: "source list with Internet",
        mutate: set("securityRules", [
            nsgRule({ sourceAddressPrefix: undefined, sourceAddressPrefixes: ["10.0.0.0/8", "Internet"] }),
        ]),
        expect: ["from the Internet"],
    },
    {
        policy: "nsg-no-unrestricted-inbound",
        base: "training-nsg",
        label: "service-tag source",
        mutate: set("securityRules", [
            nsgRule({ sourceAddressPrefix: "AzureMachineLearning", destinationPortRange: "44224" }),
        ]),
        expect: null,
    },
    {
        policy: "nsg-no-unrestricted-inbound",
        base: "training-nsg",
        label: "Bastion's exact 443 from Internet on an NSG of no Bastion subnet",
        mutate: set("securityRules", [nsgRule({ destinationPortRange: "443", sourceAddressPrefix: "Internet" })]),
        expect: ["is Azure Bastion's rule, accepted only on the NSG of AzureBastionSubnet", "attached to no subnet"],
    },
    {
        policy: "nsg-no-unrestricted-inbound",
        base: "training-nsg",
        label: "broader than Bastion's: any protocol on 443",
        mutate: set("securityRules", [
            nsgRule({ protocol: "*", destinationPortRange: "443", sourceAddressPrefix: "Internet" }),
        ]),
        expect: ["from the Internet"],
    },
    {
        policy: "nsg-no-unrestricted-inbound",
        base: "training-nsg",
        label: "broader than Bastion's: 443-444",
        mutate: set("securityRules", [nsgRule({ destinationPortRange: "443-444", sourceAddressPrefix: "Internet" })]),
        expect: ["from the Internet"],
    },
);

function standalone(over: Record<string, unknown>): PlanResource {
    return {
        urn: `urn:pulumi:test::proj::${T.rule}::ssh`,
        type: T.rule,
        name: "ssh",
        id: null,
        custom: true,
        parent: null,
        dependencies: [],
        propertyDependencies: {},
        inputs: {
            securityRuleName: "ssh",
            networkSecurityGroupName: "training-nsg",
            resourceGroupName: "rg",
            ...nsgRule(over),
        },
    };
}

describe("per-resource rules", () => {
    for (const c of rules) {
        it(`${c.policy}: ${c.label} → ${c.expect ? "violation" : "compliant"}`, async () => {
            const stack = clone(secureStack());
            const r = find(stack, c.base);
            c.mutate(r);
            const vs = await violationsOf(c.policy, [r], c.config);
            if (c.expect === null) {
                assert.deepStrictEqual(
                    vs.map((v) => v.message),
                    [],
                );
                return;
            }
            assert.ok(vs.length > 0, "expected a violation");
            for (const v of vs) {
                assert.strictEqual(v.policy, c.policy);
                assert.strictEqual(v.urn, r.urn);
                assert.strictEqual(v.enforcementLevel, policy(c.policy).enforcementLevel);
                const shortType = r.type.replace(/^azure-native:/, "");
                assert.ok(v.message.includes(`${shortType} "${r.name}"`), `names the resource: ${v.message}`);
                for (const s of c.expect) assert.ok(v.message.includes(s), `"${s}" in: ${v.message}`);
            }
        });
    }

    it("nsg rules check standalone SecurityRule resources too", async () => {
        const open = standalone({ sourceAddressPrefix: "Internet", destinationPortRange: "22" });
        const mgmt = await violationsOf("nsg-no-internet-management-ports", [open]);
        assert.deepStrictEqual(
            mgmt.map((v) => v.message),
            [
                'network:SecurityRule "ssh": rule "ssh" (inbound allow tcp from Internet to * ports 22) allows 22 from the Internet.',
            ],
        );
        const any = await violationsOf("nsg-no-unrestricted-inbound", [open]);
        assert.strictEqual(any.length, 1);
        assert.match(
            any[0].message,
            /^network:SecurityRule "ssh": rule "ssh" .* allows inbound traffic from the Internet\.$/,
        );
        assert.deepStrictEqual(
            await violationsOf("nsg-no-internet-management-ports", [
                standalone({ sourceAddressPrefix: "VirtualNetwork" }),
            ]),
            [],
        );
    });

    it("an unknown value defers a rule to the update: one advisory, never mandatory", async () => {
        const stack = clone(secureStack());
        const storage = find(stack, "storage");
        setInput(storage, "networkRuleSet.defaultAction", unknownValue);
        const vs = await violationsOf("storage-default-deny", [storage]);
        assert.deepStrictEqual(
            vs.map((v) => [v.enforcementLevel, v.message]),
            [
                [
                    "advisory",
                    "can't run policy 'storage-default-deny' during preview: string value at .networkRuleSet.defaultAction can't be known during preview",
                ],
            ],
        );
    });

    it("no per-resource rule yields a mandatory violation on a resource whose every input is unknown", async () => {
        const stack = secureStack();
        const unknownInputs = stack.map((r) => ({
            ...clone(r),
            inputs: Object.fromEntries(Object.keys(r.inputs).map((k) => [k, unknownValue])),
        }));
        const { runPack } = await import("../../policy/runner");
        const vs = await runPack(unknownInputs);
        assert.deepStrictEqual(
            vs.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.message),
            [],
        );
    });
});

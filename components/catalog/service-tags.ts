import { AzureCloud } from "./clouds";
import { normaliseRegion } from "./regions";

/**
 * The source document's "Required public internet access" tables, as data.
 *
 * One row per table row. `MlNetwork` turns these rows into the training subnet's NSG rules, and the
 * policy pack's `ml-compute-subnet-nsg-rules` checks any stack's NSGs against the same rows, so the
 * component and the pack cannot disagree about what the document requires.
 */

/** An NSG security rule with azure-native's `SecurityRuleArgs` field names and plain values. */
export interface SecurityRule {
    name: string;
    priority: number;
    direction: "Inbound" | "Outbound";
    access: "Allow" | "Deny";
    protocol: "Tcp" | "Udp" | "*";
    sourceAddressPrefix: string;
    sourcePortRange: string;
    destinationAddressPrefix: string;
    destinationPortRange?: string;
    destinationPortRanges?: string[];
    description: string;
}

/** When a row applies. */
export interface RequirementContext {
    cloud: AzureCloud;
    nodePublicIp: boolean;
    hbiWorkspace: boolean;
}

/** One row of the source tables (or of the "no public IP" Important box). */
export interface ServiceTagRequirement {
    /** Stable key; also the suffix of the emitted rule's name. */
    key: string;
    direction: "Inbound" | "Outbound";
    protocol: "Tcp" | "Udp";
    /** Source for inbound rows; outbound rows always come from the VirtualNetwork. */
    source: string;
    /** The service tag. Regional tags get `.<region>` appended. */
    destination: string;
    regional: boolean;
    ports: readonly string[];
    /** What the traffic is for, from the document. */
    purpose: string;
    /**
     * Ports of `ports` needed only when a firewall sits between the VNet and the storage private
     * endpoints (the document's footnote on `Storage.region` 445); dropped when `storagePort445` is false.
     */
    storageFirewallPorts?: readonly string[];
    appliesWhen: (ctx: RequirementContext) => boolean;
}

const always = () => true;

/**
 * Inbound rows. With node public IPs the document's table applies; with "no public IP" compute its
 * Important box replaces them with VirtualNetwork and AzureLoadBalancer sources.
 */
export const inboundRequirements: readonly ServiceTagRequirement[] = [
    {
        key: "BatchNodeManagementInbound",
        direction: "Inbound",
        protocol: "Tcp",
        source: "BatchNodeManagement",
        destination: "VirtualNetwork",
        regional: false,
        ports: ["29876-29877"],
        purpose: "Create, update and delete of compute instances and clusters (nodes with public IPs).",
        appliesWhen: (ctx) => ctx.nodePublicIp,
    },
    {
        key: "AzureMachineLearningInbound",
        direction: "Inbound",
        protocol: "Tcp",
        source: "AzureMachineLearning",
        destination: "VirtualNetwork",
        regional: false,
        ports: ["44224"],
        purpose: "Create, update and delete of compute instances (nodes with public IPs).",
        appliesWhen: (ctx) => ctx.nodePublicIp,
    },
    {
        key: "VirtualNetworkBatchInbound",
        direction: "Inbound",
        protocol: "Tcp",
        source: "VirtualNetwork",
        destination: "VirtualNetwork",
        regional: false,
        ports: ["29876-29877"],
        purpose: "Batch node management for compute configured with no public IP address.",
        appliesWhen: (ctx) => !ctx.nodePublicIp,
    },
    {
        key: "AzureLoadBalancerInbound",
        direction: "Inbound",
        protocol: "Tcp",
        source: "AzureLoadBalancer",
        destination: "VirtualNetwork",
        regional: false,
        ports: ["44224"],
        purpose: "Azure Machine Learning management of compute configured with no public IP address.",
        appliesWhen: (ctx) => !ctx.nodePublicIp,
    },
];

/** Outbound rows, all from the VirtualNetwork. */
export const outboundRequirements: readonly ServiceTagRequirement[] = [
    outbound("AzureActiveDirectory", false, ["80", "443"], "Authentication using Azure AD (Microsoft Entra ID)."),
    outbound("AzureMachineLearning", false, ["443", "8787", "18881"], "Using Azure Machine Learning services."),
    {
        ...outbound(
            "AzureMachineLearning",
            false,
            ["5831"],
            "Using Azure Machine Learning services. UDP 5831 is not in the 2022 source document; current Microsoft documentation adds it.",
        ),
        key: "AzureMachineLearningUdpOutbound",
        protocol: "Udp",
    },
    outbound("BatchNodeManagement", true, ["443"], "Communication with the Azure Batch back end for computes."),
    outbound("AzureResourceManager", false, ["443"], "Creation of Azure resources with Azure Machine Learning."),
    {
        ...outbound(
            "Storage",
            true,
            ["443", "445"],
            "Access to the workspace storage account for compute clusters and instances (445 only matters with a firewall between the VNet and the storage private endpoints). This path can be used to exfiltrate data.",
        ),
        storageFirewallPorts: ["445"],
    },
    {
        ...outbound(
            "AzureFrontDoor.FrontEnd",
            false,
            ["443"],
            "Global entry point for Azure Machine Learning studio; images and environments for AutoML. Not needed in Azure China.",
        ),
        appliesWhen: (ctx) => ctx.cloud !== "AzureChinaCloud",
    },
    outbound(
        "AzureFrontDoor.FirstParty",
        false,
        ["443"],
        "Required because the MicrosoftContainerRegistry tag depends on it.",
    ),
    outbound(
        "MicrosoftContainerRegistry",
        true,
        ["443"],
        "Docker images provided by Microsoft; setup of the Azure Machine Learning router for AKS.",
    ),
    outbound(
        "AzureMonitor",
        false,
        ["443"],
        "Logging of monitoring and metrics to Application Insights and Azure Monitor.",
    ),
    {
        ...outbound(
            // The source document writes this tag "Keyvault.region"; Azure's service tag is AzureKeyVault,
            // and an NSG rule naming a tag Azure does not know fails to deploy.
            "AzureKeyVault",
            true,
            ["443"],
            "The key vault of the Azure Batch service; only needed for a workspace created with the hbi_workspace flag (the source document's Keyvault.region).",
        ),
        appliesWhen: (ctx) => ctx.hbiWorkspace,
    },
];

function outbound(tag: string, regional: boolean, ports: string[], purpose: string): ServiceTagRequirement {
    return {
        key: `${tag.replace(/\W/g, "")}Outbound`,
        direction: "Outbound",
        protocol: "Tcp",
        source: "VirtualNetwork",
        destination: tag,
        regional,
        ports,
        purpose,
        appliesWhen: always,
    };
}

export interface RequiredNsgRulesOptions {
    /** The workspace's region; regional tags are built from it (`Storage.westeurope`). */
    location: string;
    cloud?: AzureCloud;
    /** Whether compute nodes get public IP addresses; selects the inbound variant. */
    nodePublicIp: boolean;
    /** Whether the workspace is created with the hbi_workspace flag; adds `AzureKeyVault.<region>` (the document's `Keyvault.region`). */
    hbiWorkspace?: boolean;
    /**
     * Whether `Storage.<region>` includes TCP 445. The document's footnote: 445 "is only required if you
     * have a firewall between your virtual network for Azure ML and a private endpoint for your storage
     * accounts". Default true, so a caller who does not say keeps the table's full rule; `MlNetwork`
     * passes false unless told that such a firewall exists.
     */
    storagePort445?: boolean;
}

/** The rule numbers the catalogue uses; they take precedence over anything a user adds below them. */
export const firstRequiredRulePriority = 100;
export const requiredRulePriorityStep = 10;

/** The service tag a row names in a given region (`Storage` → `Storage.westeurope`). */
export function serviceTagFor(requirement: ServiceTagRequirement, location: string): string {
    return requirement.regional ? `${requirement.destination}.${normaliseRegion(location)}` : requirement.destination;
}

/** The rows that apply to a given compute configuration, inbound and outbound. */
export function applicableRequirements(opts: RequiredNsgRulesOptions): ServiceTagRequirement[] {
    const ctx: RequirementContext = {
        cloud: opts.cloud ?? "AzureCloud",
        nodePublicIp: opts.nodePublicIp,
        hbiWorkspace: opts.hbiWorkspace ?? false,
    };
    const rows = [...inboundRequirements, ...outboundRequirements].filter((r) => r.appliesWhen(ctx));
    if (opts.storagePort445 !== false) return rows;
    return rows.map((r) =>
        r.storageFirewallPorts ? { ...r, ports: r.ports.filter((p) => !r.storageFirewallPorts!.includes(p)) } : r,
    );
}

/**
 * The NSG rules the source document requires on the subnet of Azure Machine Learning compute, for one
 * region and compute variant. Priorities are unique per direction and start at 100.
 */
export function requiredNsgRules(opts: RequiredNsgRulesOptions): { inbound: SecurityRule[]; outbound: SecurityRule[] } {
    const rows = applicableRequirements(opts);
    const toRules = (direction: "Inbound" | "Outbound") =>
        rows
            .filter((r) => r.direction === direction)
            .map((r, index): SecurityRule => {
                const tag = serviceTagFor(r, opts.location);
                const ports =
                    r.ports.length === 1
                        ? { destinationPortRange: r.ports[0] }
                        : { destinationPortRanges: [...r.ports] };
                return {
                    name: `Allow${r.key}`,
                    priority: firstRequiredRulePriority + index * requiredRulePriorityStep,
                    direction,
                    access: "Allow",
                    protocol: r.protocol,
                    sourceAddressPrefix: direction === "Inbound" ? r.source : "VirtualNetwork",
                    sourcePortRange: "*",
                    destinationAddressPrefix: direction === "Inbound" ? r.destination : tag,
                    ...ports,
                    description: r.purpose,
                };
            });
    return { inbound: toRules("Inbound"), outbound: toRules("Outbound") };
}

/**
 * The last outbound rule when egress is locked down to the service tags: everything not allowed above
 * is denied. 4096 is the lowest priority a custom rule can have, so every allow rule wins over it.
 */
export const denyAllOutboundRule: SecurityRule = {
    name: "DenyAllOutbound",
    priority: 4096,
    direction: "Outbound",
    access: "Deny",
    protocol: "*",
    sourceAddressPrefix: "*",
    sourcePortRange: "*",
    destinationAddressPrefix: "*",
    destinationPortRange: "*",
    description:
        "Egress locked down to the service tags above. Package installs from public feeds (pip, conda, CRAN) and images from non-Microsoft registries fail; use private feeds or prebuilt images.",
};

/**
 * Sent with {@link denyAllOutboundRule}: the deny at 4096 also matches traffic inside the VNet, which
 * would cut compute off from the private endpoints of storage, key vault, registry and workspace (their
 * addresses are in `VirtualNetwork`, not in the `Storage.<region>` tag) and nodes off from each other.
 */
export const allowVirtualNetworkOutboundRule: SecurityRule = {
    name: "AllowVirtualNetworkOutbound",
    priority: 4000,
    direction: "Outbound",
    access: "Allow",
    protocol: "*",
    sourceAddressPrefix: "VirtualNetwork",
    sourcePortRange: "*",
    destinationAddressPrefix: "VirtualNetwork",
    destinationPortRange: "*",
    description:
        "Keeps traffic inside the VNet (private endpoints, node-to-node) allowed when egress is locked down; the deny-all below would otherwise block it.",
};

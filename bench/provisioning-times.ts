/**
 * Typical time, in minutes, from the create request to "Succeeded" for each resource type of a first
 * `pulumi up`, for the benchmark's deployment critical path. Where Microsoft's documentation states a
 * figure it is cited (`documented`); every other figure is an estimate, labelled so, with its basis.
 * They are order-of-magnitude figures for comparing two dependency graphs of the same stack, not a
 * forecast of any one deployment: the ratio the benchmark reports barely depends on them.
 */

export interface ProvisioningTime {
    minutes: number;
    kind: "documented" | "estimate" | "none";
    /** The citation, or the basis of the estimate. */
    source: string;
}

const docsRepo = "MicrosoftDocs/azure-docs";
const estimateNetwork =
    "estimate: a synchronous Microsoft.Network PUT with no data plane to build; typically succeeds within seconds";

export const provisioningTimes: Record<string, ProvisioningTime> = {
    "azure-native:network:BastionHost": {
        minutes: 10,
        kind: "documented",
        source: `"It takes about 10 minutes for the Bastion resource to create and deploy." Deploy Bastion using Azure CLI (${docsRepo} articles/bastion/create-host-cli.md, Basic SKU; the portal quickstart says the same)`,
    },
    "azure-native:machinelearningservices:Compute": {
        minutes: 5,
        kind: "documented",
        source: `"Creation of AmlCompute takes approximately 5 minutes." Azure ML training how-tos and tutorials (${docsRepo} articles/machine-learning/how-to-train-chainer.md and siblings; Azure/MachineLearningNotebooks). SDK v1 era text; a min-0-node cluster today is no slower`,
    },
    "azure-native:machinelearningservices:Workspace": {
        minutes: 2,
        kind: "estimate",
        source: "estimate: the workspace PUT validates and wires its storage, key vault, registry and Application Insights; portal deployments usually complete in one to three minutes",
    },
    "azure-native:network:PrivateEndpoint": {
        minutes: 1.5,
        kind: "estimate",
        source: "estimate: creates a NIC in the subnet and an auto-approved private link connection; one to two minutes is usual",
    },
    "azure-native:network:PrivateDnsZoneGroup": {
        minutes: 0.5,
        kind: "estimate",
        source: "estimate: writes the endpoint's A records into the linked zones; well under a minute",
    },
    "azure-native:privatedns:PrivateZone": {
        minutes: 0.75,
        kind: "estimate",
        source: "estimate: a global resource; zone creation is asynchronous and typically takes 30 to 60 seconds",
    },
    "azure-native:privatedns:VirtualNetworkLink": {
        minutes: 0.75,
        kind: "estimate",
        source: "estimate: asynchronous link operation; typically 30 to 60 seconds",
    },
    "azure-native:network:NatGateway": {
        minutes: 0.5,
        kind: "estimate",
        source: "estimate: a regional network resource bound to its public IP; under a minute",
    },
    "azure-native:network:PublicIPAddress": { minutes: 0.25, kind: "estimate", source: estimateNetwork },
    "azure-native:network:NetworkSecurityGroup": { minutes: 0.25, kind: "estimate", source: estimateNetwork },
    "azure-native:network:SecurityRule": { minutes: 0.1, kind: "estimate", source: estimateNetwork },
    "azure-native:network:VirtualNetwork": {
        minutes: 0.25,
        kind: "estimate",
        source: `${estimateNetwork} (inline subnets included)`,
    },
    "azure-native:network:Subnet": { minutes: 0.25, kind: "estimate", source: estimateNetwork },
    "azure-native:network:RouteTable": { minutes: 0.25, kind: "estimate", source: estimateNetwork },
    "azure-native:storage:StorageAccount": {
        minutes: 0.5,
        kind: "estimate",
        source: "estimate: an asynchronous account creation; 20 to 40 seconds for StorageV2 LRS/ZRS",
    },
    "azure-native:storage:BlobContainer": {
        minutes: 0.1,
        kind: "estimate",
        source: "estimate: a data-plane-backed child of an existing account; seconds",
    },
    "azure-native:keyvault:Vault": {
        minutes: 0.5,
        kind: "estimate",
        source: "estimate: vault creation is a single asynchronous operation; usually 20 to 40 seconds",
    },
    "azure-native:containerregistry:Registry": {
        minutes: 1,
        kind: "estimate",
        source: "estimate: a Premium registry (storage and data endpoints provisioned behind it); about a minute",
    },
    "azure-native:operationalinsights:Workspace": {
        minutes: 0.5,
        kind: "estimate",
        source: "estimate: a Log Analytics workspace PUT; usually 20 to 40 seconds",
    },
    "azure-native:applicationinsights:Component": {
        minutes: 0.25,
        kind: "estimate",
        source: "estimate: a workspace-based component is a metadata resource over Log Analytics; seconds",
    },
    "azure-native:monitor:PrivateLinkScope": {
        minutes: 0.25,
        kind: "estimate",
        source: "estimate: a global metadata resource; seconds",
    },
    "azure-native:monitor:PrivateLinkScopedResource": {
        minutes: 0.25,
        kind: "estimate",
        source: "estimate: a metadata association; seconds",
    },
    "azure-native:monitor:DiagnosticSetting": {
        minutes: 0.1,
        kind: "estimate",
        source: "estimate: a metadata extension resource; seconds",
    },
    "azure-native:authorization:RoleAssignment": {
        minutes: 0.1,
        kind: "estimate",
        source: "estimate: a synchronous PUT (replication to data planes may lag, but ARM reports success in seconds)",
    },
    // The ways in and the compute identity (issue 10).
    "azure-native:network:VirtualNetworkGateway": {
        minutes: 45,
        kind: "documented",
        source: `"A gateway can take 45 minutes or more to fully create and deploy." (${docsRepo} articles/vpn-gateway/tutorial-create-gateway-portal.md)`,
    },
    "azure-native:compute:VirtualMachine": {
        minutes: 2,
        kind: "estimate",
        source: "estimate: a small Linux VM from a marketplace image, boot included; one to three minutes",
    },
    "azure-native:compute:VirtualMachineExtension": {
        minutes: 2,
        kind: "estimate",
        source: "estimate: the Entra ID login extension downloads and installs packages on the VM; a minute or two",
    },
    "azure-native:network:NetworkInterface": { minutes: 0.1, kind: "estimate", source: estimateNetwork },
    "azure-native:devtestlab:GlobalSchedule": {
        minutes: 0.1,
        kind: "estimate",
        source: "estimate: a metadata resource; seconds",
    },
    "azure-native:managedidentity:UserAssignedIdentity": {
        minutes: 0.1,
        kind: "estimate",
        source: "estimate: a synchronous PUT that creates the service principal; seconds",
    },
    "azure-native:resources:ResourceGroup": {
        minutes: 0.05,
        kind: "estimate",
        source: "estimate: a synchronous ARM PUT; a few seconds",
    },
};

/** The figure for unlisted Azure types (flagged in the report so the table can be extended). */
export const unlistedAzureTime: ProvisioningTime = {
    minutes: 0.5,
    kind: "estimate",
    source: "estimate for a type not in the table: a typical ARM resource",
};

const zero = (source: string): ProvisioningTime => ({ minutes: 0, kind: "none", source });

/** The provisioning time of a resource of `type`; components, the stack, providers and local resources take none. */
export function provisioningTime(type: string, custom: boolean): ProvisioningTime {
    if (!custom) return zero("a component or the stack: registered, nothing provisioned");
    if (type.startsWith("pulumi:")) return zero("a provider or the stack: nothing provisioned");
    if (type.startsWith("random:")) return zero("computed locally by the random provider");
    if (type.startsWith("tls:")) return zero("computed locally by the tls provider");
    return provisioningTimes[type] ?? unlistedAzureTime;
}

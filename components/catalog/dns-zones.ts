import { AzureCloud } from "./clouds";

/**
 * Private DNS zone names per private-link sub-resource (group id) and cloud, from Microsoft's
 * "Azure Private Endpoint private DNS zone values" page
 * (https://learn.microsoft.com/azure/private-link/private-endpoint-dns). The component creates these zones and the
 * policy pack checks every private endpoint's zone group against them.
 */

/** The private-link sub-resources (group ids) a secure workspace uses. */
export type PrivateLinkGroupId =
    "amlworkspace" | "blob" | "file" | "queue" | "table" | "dfs" | "vault" | "registry" | "azuremonitor";

export const privateLinkGroupIds: readonly PrivateLinkGroupId[] = [
    "amlworkspace",
    "blob",
    "file",
    "queue",
    "table",
    "dfs",
    "vault",
    "registry",
    "azuremonitor",
];

/**
 * The storage sub-resources that can have a private endpoint. An `as const` object so that Pulumi's
 * schema inference turns it into an enum for other languages; the type is the union of its values.
 */
export const StorageGroupId = {
    /** Blob storage (required by the workspace). */
    blob: "blob",
    /** Azure Files (required by the workspace). */
    file: "file",
    /** Queue storage (needed by ParallelRunStep). */
    queue: "queue",
    /** Table storage (needed by ParallelRunStep). */
    table: "table",
    /** Data Lake Storage Gen2 (hierarchical namespace). */
    dfs: "dfs",
} as const;
export type StorageGroupId = (typeof StorageGroupId)[keyof typeof StorageGroupId];

export const storageGroupIds: readonly StorageGroupId[] = ["blob", "file", "queue", "table", "dfs"];

const storageSuffix: Record<AzureCloud, string> = {
    AzureCloud: "core.windows.net",
    AzureChinaCloud: "core.chinacloudapi.cn",
    AzureUSGovernment: "core.usgovcloudapi.net",
};

const zones: Record<AzureCloud, Record<PrivateLinkGroupId, readonly string[]>> = {
    AzureCloud: {
        // Both zones: without notebooks.azure.net, studio notebooks fail to resolve (a common omission).
        amlworkspace: ["privatelink.api.azureml.ms", "privatelink.notebooks.azure.net"],
        ...storageZones("AzureCloud"),
        // vaultcore, not vault.azure.net: the latter is what templates built from environment() get wrong.
        vault: ["privatelink.vaultcore.azure.net"],
        registry: ["privatelink.azurecr.io"],
        // An Azure Monitor Private Link Scope's one endpoint: ingestion, query, agents, and the blob zone for
        // agent solution packs, which is the SAME zone the storage blob endpoint uses (never a second one).
        azuremonitor: [
            "privatelink.monitor.azure.com",
            "privatelink.oms.opinsights.azure.com",
            "privatelink.ods.opinsights.azure.com",
            "privatelink.agentsvc.azure-automation.net",
            "privatelink.blob.core.windows.net",
        ],
    },
    AzureChinaCloud: {
        amlworkspace: ["privatelink.api.ml.azure.cn", "privatelink.notebooks.chinacloudapi.cn"],
        ...storageZones("AzureChinaCloud"),
        vault: ["privatelink.vaultcore.azure.cn"],
        registry: ["privatelink.azurecr.cn"],
        // Not in the stored copy of Microsoft's China table: these follow the cloud's published domains
        // (monitor.azure.cn, opinsights.azure.cn, azure-automation.cn). Check them against docs.azure.cn
        // before relying on Azure Monitor private link in Azure China, or pass monitorPrivateLink: false.
        azuremonitor: [
            "privatelink.monitor.azure.cn",
            "privatelink.oms.opinsights.azure.cn",
            "privatelink.ods.opinsights.azure.cn",
            "privatelink.agentsvc.azure-automation.cn",
            "privatelink.blob.core.chinacloudapi.cn",
        ],
    },
    AzureUSGovernment: {
        amlworkspace: ["privatelink.api.ml.azure.us", "privatelink.notebooks.usgovcloudapi.net"],
        ...storageZones("AzureUSGovernment"),
        vault: ["privatelink.vaultcore.usgovcloudapi.net"],
        registry: ["privatelink.azurecr.us"],
        // Microsoft's Government table also lists privatelink.adx.monitor.azure.us (Azure Data Explorer
        // queries), which would be a sixth zone; a DNS zone group holds at most five, and the workspace's
        // logs are queried through Log Analytics, so it is left out.
        azuremonitor: [
            "privatelink.monitor.azure.us",
            "privatelink.oms.opinsights.azure.us",
            "privatelink.ods.opinsights.azure.us",
            "privatelink.agentsvc.azure-automation.us",
            "privatelink.blob.core.usgovcloudapi.net",
        ],
    },
};

function storageZones(cloud: AzureCloud): Record<StorageGroupId, readonly string[]> {
    const suffix = storageSuffix[cloud];
    const zone = (groupId: StorageGroupId) => [`privatelink.${groupId}.${suffix}`];
    return { blob: zone("blob"), file: zone("file"), queue: zone("queue"), table: zone("table"), dfs: zone("dfs") };
}

export function isPrivateLinkGroupId(value: unknown): value is PrivateLinkGroupId {
    return typeof value === "string" && (privateLinkGroupIds as readonly string[]).includes(value);
}

/** The private DNS zone names a private endpoint of `groupId` must register in (two for `amlworkspace`). */
export function privateDnsZoneNames(groupId: PrivateLinkGroupId, cloud: AzureCloud = "AzureCloud"): string[] {
    const names = zones[cloud]?.[groupId];
    if (!names) {
        throw new Error(`privateDnsZoneNames: unknown group id "${groupId}" or cloud "${cloud}"`);
    }
    return [...names];
}

/** Every zone name of a cloud, each once, with the group id it serves. */
export function allPrivateDnsZones(
    cloud: AzureCloud = "AzureCloud",
): { groupId: PrivateLinkGroupId; zoneName: string }[] {
    return privateLinkGroupIds.flatMap((groupId) =>
        privateDnsZoneNames(groupId, cloud).map((zoneName) => ({ groupId, zoneName })),
    );
}

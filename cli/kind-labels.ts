/**
 * What a diagram calls a resource type: a person's name for the kind ("Azure Monitor Private Link
 * Scope"), never the provider's type token ("azure-native:monitor:PrivateLinkScope").
 */
const KIND_LABELS: Record<string, string> = {
    "azure-native:storage:StorageAccount": "Storage account",
    "azure-native:keyvault:Vault": "Key vault",
    "azure-native:containerregistry:Registry": "Container registry",
    "azure-native:machinelearningservices:Workspace": "ML workspace",
    "azure-native:monitor:PrivateLinkScope": "Azure Monitor Private Link Scope",
    "azure-native:insights:Component": "Application Insights",
    "azure-native:operationalinsights:Workspace": "Log Analytics workspace",
    "azure-native:cognitiveservices:Account": "Azure AI services account",
    "azure-native:search:Service": "Azure AI Search service",
    "azure-native:documentdb:DatabaseAccount": "Cosmos DB account",
};

/** The kind label of `type`; an uncatalogued type's last segment in words ("PrivateLinkScope" → "Private link scope"). */
export function kindLabel(type: string): string {
    const known = KIND_LABELS[type];
    if (known) return known;
    const words = (type.slice(type.lastIndexOf(":") + 1) || type)
        .replace(/[^A-Za-z0-9]+/g, " ")
        .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
        .trim()
        .toLowerCase();
    return words ? words.charAt(0).toUpperCase() + words.slice(1) : "Resource";
}

import { AzureCloud } from "./clouds";

/**
 * Azure region names (the `name` column of `az account list-locations`), per cloud.
 * Regional service tags such as `Storage.<region>` are built from these names, so a typo here would
 * produce an NSG rule that matches nothing; that is why an unknown location is rejected up front.
 */
export const azureRegions: Readonly<Record<AzureCloud, readonly string[]>> = {
    AzureCloud: [
        "australiacentral",
        "australiacentral2",
        "australiaeast",
        "australiasoutheast",
        "austriaeast",
        "belgiumcentral",
        "brazilsouth",
        "brazilsoutheast",
        "canadacentral",
        "canadaeast",
        "centralindia",
        "centralus",
        "centraluseuap",
        "chilecentral",
        "denmarkeast",
        "eastasia",
        "eastus",
        "eastus2",
        "eastus2euap",
        "francecentral",
        "francesouth",
        "germanynorth",
        "germanywestcentral",
        "indonesiacentral",
        "israelcentral",
        "italynorth",
        "japaneast",
        "japanwest",
        "jioindiacentral",
        "jioindiawest",
        "koreacentral",
        "koreasouth",
        "malaysiawest",
        "mexicocentral",
        "newzealandnorth",
        "northcentralus",
        "northeurope",
        "norwayeast",
        "norwaywest",
        "polandcentral",
        "qatarcentral",
        "southafricanorth",
        "southafricawest",
        "southcentralus",
        "southeastasia",
        "southindia",
        "spaincentral",
        "swedencentral",
        "swedensouth",
        "switzerlandnorth",
        "switzerlandwest",
        "uaecentral",
        "uaenorth",
        "uksouth",
        "ukwest",
        "westcentralus",
        "westeurope",
        "westindia",
        "westus",
        "westus2",
        "westus3",
    ],
    AzureChinaCloud: ["chinaeast", "chinaeast2", "chinaeast3", "chinanorth", "chinanorth2", "chinanorth3"],
    AzureUSGovernment: ["usdodcentral", "usdodeast", "usgovarizona", "usgovtexas", "usgovvirginia"],
};

/** The cloud a region belongs to, or undefined for a name no cloud has. */
export function cloudOfRegion(location: string): AzureCloud | undefined {
    const name = normaliseRegion(location);
    return (Object.keys(azureRegions) as AzureCloud[]).find((cloud) => azureRegions[cloud].includes(name));
}

/** "West Europe" and "westeurope" name the same region; service tags use the second form. */
export function normaliseRegion(location: string): string {
    return location.replace(/\s+/g, "").toLowerCase();
}

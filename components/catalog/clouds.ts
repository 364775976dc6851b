/** The Azure clouds this package knows. Zone names and some service tags differ between them. */
export type AzureCloud = "AzureCloud" | "AzureChinaCloud" | "AzureUSGovernment";

export const azureClouds: readonly AzureCloud[] = ["AzureCloud", "AzureChinaCloud", "AzureUSGovernment"];

export function isAzureCloud(value: unknown): value is AzureCloud {
    return typeof value === "string" && (azureClouds as readonly string[]).includes(value);
}

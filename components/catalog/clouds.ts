/**
 * The Azure clouds this package knows. Zone names and some service tags differ between them.
 * Declared as an `as const` object (not a bare union) so that Pulumi's schema inference turns it into
 * an enum for other languages; the type is the same union of string literals.
 */
export const AzureCloud = {
    /** Azure public cloud. */
    AzureCloud: "AzureCloud",
    /** Azure operated by 21Vianet (China). */
    AzureChinaCloud: "AzureChinaCloud",
    /** Azure Government (US). */
    AzureUSGovernment: "AzureUSGovernment",
} as const;
export type AzureCloud = (typeof AzureCloud)[keyof typeof AzureCloud];

export const azureClouds: readonly AzureCloud[] = ["AzureCloud", "AzureChinaCloud", "AzureUSGovernment"];

export function isAzureCloud(value: unknown): value is AzureCloud {
    return typeof value === "string" && (azureClouds as readonly string[]).includes(value);
}

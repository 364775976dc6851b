import { ResourceValidationPolicy } from "@pulumi/policy";
import { broadIpRules } from "./firewall";
import { eqi, known, resourceRule, show, tokens } from "./util";

/** Key vaults (`azure-native:keyvault:Vault`); every setting is under `properties`. */

const learn = "https://learn.microsoft.com/azure/machine-learning/how-to-secure-workspace-vnet#secure-azure-key-vault";

/** Default: "enabled" (azure-native injects it in lower case; Azure's default is Enabled too). */
function publicAccess(props: Record<string, unknown>): unknown {
    return known(props, "properties.publicNetworkAccess");
}

export const keyvaultNetworkRestricted: ResourceValidationPolicy = resourceRule(
    {
        name: "keyvault-network-restricted",
        description:
            "The vault's firewall denies by default (properties.networkAcls.defaultAction Deny) and its IP rules (properties.networkAcls.ipRules) do not together admit the Internet (0.0.0.0/0, or more than a /8 of public addresses), or its public endpoint is disabled (properties.publicNetworkAccess Disabled).",
        enforcementLevel: "mandatory",
        severity: "high",
        remediationSteps:
            'Set properties.networkAcls: { defaultAction: "Deny", bypass: "AzureServices" } (and/or properties.publicNetworkAccess: "Disabled"), keep ipRules to your own narrow public ranges, and reach the vault through its private endpoint. Missing networkAcls means Allow.',
        sources: { azurePolicy: ["55615ac9-af46-4a59-874e-391cc3dfb490"], checkov: ["CKV_AZURE_109"], learn },
    },
    [tokens.vault],
    (props, report, _args, advise) => {
        const access = publicAccess(props);
        if (eqi(access, "Disabled")) return;
        // A default Deny with an IP rule for (most of) the Internet is open by the back door.
        const broad = broadIpRules(props, "properties.networkAcls.ipRules", "value", advise);
        if (broad) report(broad);
        // Default: Allow.
        const action = known(props, "properties.networkAcls.defaultAction");
        if (!eqi(action, "Deny")) {
            report(
                `properties.networkAcls.defaultAction is ${show(action)}${action === undefined ? " (Azure's default: Allow)" : ""} and properties.publicNetworkAccess is ${show(access)}${access === undefined ? " (default enabled)" : ""}; deny by default or disable public network access.`,
            );
        }
    },
);

export const keyvaultPublicNetworkDisabled: ResourceValidationPolicy = resourceRule(
    {
        name: "keyvault-public-network-disabled",
        description:
            "The vault's public endpoint is disabled (properties.publicNetworkAccess Disabled, compared case-insensitively; azure-native's injected default is \"enabled\").",
        enforcementLevel: "advisory",
        severity: "medium",
        remediationSteps:
            'Set properties.publicNetworkAccess: "Disabled" once every client reaches the vault through its private endpoint.',
        sources: { azurePolicy: ["405c5871-3e91-4644-8a63-58e19d68ff5b"], checkov: ["CKV_AZURE_189"], learn },
    },
    [tokens.vault],
    (props, report) => {
        const access = publicAccess(props);
        if (!eqi(access, "Disabled")) {
            report(
                `properties.publicNetworkAccess is ${show(access)}${access === undefined ? " (default enabled)" : ""}; set it to "Disabled".`,
            );
        }
    },
);

export const keyvaultSoftDelete: ResourceValidationPolicy = resourceRule(
    {
        name: "keyvault-soft-delete",
        description:
            "Deleted secrets and keys stay recoverable (properties.enableSoftDelete is not false; the default is true).",
        enforcementLevel: "mandatory",
        severity: "medium",
        remediationSteps: "Remove properties.enableSoftDelete: false (or set it to true).",
        sources: {
            azurePolicy: ["1e66c121-a66a-4b1f-9b83-0fd99bf0fc2d"],
            checkov: ["CKV_AZURE_111", "CKV_AZURE_42"],
            learn,
        },
    },
    [tokens.vault],
    (props, report) => {
        if (known(props, "properties.enableSoftDelete") === false) {
            report("properties.enableSoftDelete is false; soft delete must stay on.");
        }
    },
);

export const keyvaultPurgeProtection: ResourceValidationPolicy = resourceRule(
    {
        name: "keyvault-purge-protection",
        description:
            "Soft-deleted secrets and keys cannot be purged before the retention period ends (properties.enablePurgeProtection: true; missing means off).",
        enforcementLevel: "mandatory",
        severity: "medium",
        remediationSteps: "Set properties.enablePurgeProtection: true (it cannot be turned off again).",
        sources: {
            azurePolicy: ["0b60c0b2-2dc2-4e1c-b5c9-abbed971de53"],
            checkov: ["CKV_AZURE_110", "CKV_AZURE_42"],
            learn,
        },
    },
    [tokens.vault],
    (props, report) => {
        const value = known(props, "properties.enablePurgeProtection");
        if (value !== true) {
            report(
                `properties.enablePurgeProtection is ${show(value)}${value === undefined ? " (default off)" : ""}; set it to true.`,
            );
        }
    },
);

export const keyvaultRbac: ResourceValidationPolicy = resourceRule(
    {
        name: "keyvault-rbac",
        description:
            "Access to the vault's data is granted with Azure RBAC, not access policies (properties.enableRbacAuthorization: true; azure-native's default is false).",
        enforcementLevel: "advisory",
        severity: "medium",
        remediationSteps:
            "Set properties.enableRbacAuthorization: true and grant the workspace identity Key Vault Administrator (or narrower) roles instead of access policies.",
        sources: { azurePolicy: ["12d4fa5e-1f9f-4c21-97a9-b99b3c6611b5"], learn },
    },
    [tokens.vault],
    (props, report) => {
        const value = known(props, "properties.enableRbacAuthorization");
        if (value !== true) {
            report(
                `properties.enableRbacAuthorization is ${show(value)}${value === undefined ? " (default false)" : ""}; set it to true.`,
            );
        }
    },
);

export const keyVaultPolicies = [
    keyvaultNetworkRestricted,
    keyvaultPublicNetworkDisabled,
    keyvaultSoftDelete,
    keyvaultPurgeProtection,
    keyvaultRbac,
];

import { ResourceValidationPolicy } from "@pulumi/policy";
import { isAnywhere } from "./nsg";
import { broadIpRules } from "./firewall";
import { UNKNOWN, configOf, eqi, get, known, list, resourceRule, show, tokens } from "./util";

/** Storage accounts (`azure-native:storage:StorageAccount`). */

const learn =
    "https://learn.microsoft.com/azure/machine-learning/how-to-secure-workspace-vnet#secure-azure-storage-accounts";

export const storageDefaultDeny: ResourceValidationPolicy = resourceRule(
    {
        name: "storage-default-deny",
        description:
            'The storage firewall denies by default ("Selected networks": networkRuleSet.defaultAction Deny) and its IP rules do not, alone or together, open it to the Internet (0.0.0.0/0, or more than a /8 of public addresses); the workspace gets in through a resource instance rule or the trusted-services bypass.',
        enforcementLevel: "mandatory",
        severity: "high",
        remediationSteps:
            'Set networkRuleSet: { defaultAction: "Deny", bypass: "AzureServices", resourceAccessRules: [{ resourceId: <workspace id>, tenantId }] } and reach the account through its blob and file private endpoints. Missing networkRuleSet means Allow.',
        sources: {
            azurePolicy: ["34c877ad-507e-4c82-993e-3452a6e0ad3c", "2a1a9cdf-e04d-429a-8416-3bfb72a1b26f"],
            checkov: ["CKV_AZURE_35"],
            learn,
        },
    },
    [tokens.storage],
    (props, report, _args, advise) => {
        // Default: Allow (no networkRuleSet, or azure-native's injected defaultAction "Allow").
        const action = known(props, "networkRuleSet.defaultAction");
        if (!eqi(action, "Deny")) {
            report(
                `networkRuleSet.defaultAction is ${show(action)}${action === undefined ? " (Azure's default: Allow)" : ""}; it must be "Deny".`,
            );
        }
        const rules = list(get(props, "networkRuleSet.ipRules"));
        if (rules !== UNKNOWN) {
            rules.forEach((rule, i) => {
                const range = get(rule, "iPAddressOrRange");
                if (typeof range === "string" && isAnywhere(range)) {
                    report(
                        `networkRuleSet.ipRules[${i}].iPAddressOrRange is ${show(range)}, which admits the whole Internet.`,
                    );
                }
            });
            // Several ranges that are each narrower than the Internet but together are most of it.
            const anywhere = rules.some((r) => {
                const range = get(r, "iPAddressOrRange");
                return typeof range === "string" && isAnywhere(range);
            });
            if (anywhere) return;
        }
        const broad = broadIpRules(props, "networkRuleSet.ipRules", "iPAddressOrRange", advise);
        if (broad) report(broad);
    },
);

export const storagePublicNetworkDisabled: ResourceValidationPolicy = resourceRule(
    {
        name: "storage-public-network-disabled",
        description:
            "The storage account's public endpoint is disabled altogether (publicNetworkAccess Disabled). Advisory: the source document's baseline is Selected networks plus private endpoints.",
        enforcementLevel: "advisory",
        severity: "medium",
        remediationSteps:
            'Set publicNetworkAccess: "Disabled" once every client (studio, compute, pipelines) reaches the account through private endpoints.',
        sources: { azurePolicy: ["b2982f36-99f2-4db5-8eff-283140c09693"], checkov: ["CKV_AZURE_59"], learn },
    },
    [tokens.storage],
    (props, report) => {
        // Default: Enabled.
        const access = known(props, "publicNetworkAccess");
        if (!eqi(access, "Disabled")) {
            report(
                `publicNetworkAccess is ${show(access)}${access === undefined ? " (Azure's default: Enabled)" : ""}; set it to "Disabled".`,
            );
        }
    },
);

export const storageHttpsOnly: ResourceValidationPolicy = resourceRule(
    {
        name: "storage-https-only",
        description:
            "The storage account accepts HTTPS only (enableHttpsTrafficOnly is not false; Azure's default is true).",
        enforcementLevel: "mandatory",
        severity: "high",
        remediationSteps: "Remove enableHttpsTrafficOnly: false (or set it to true).",
        sources: { azurePolicy: ["404c3081-a854-4457-ae30-26a93ef643f9"], checkov: ["CKV_AZURE_3"], learn },
    },
    [tokens.storage],
    (props, report) => {
        if (known(props, "enableHttpsTrafficOnly") === false) {
            report("enableHttpsTrafficOnly is false; the account must accept HTTPS only.");
        }
    },
);

const tlsOrder = ["TLS1_0", "TLS1_1", "TLS1_2", "TLS1_3"];

export const storageMinTls: ResourceValidationPolicy = resourceRule(
    {
        name: "storage-min-tls",
        description:
            "The storage account refuses TLS older than the configured minimum (minimumTlsVersion, default TLS1_2). Missing means TLS1_0, Azure's default interpretation.",
        enforcementLevel: "mandatory",
        severity: "medium",
        remediationSteps: 'Set minimumTlsVersion: "TLS1_2" (or the configured minimum).',
        sources: { azurePolicy: ["fe83a0eb-a853-422d-aac2-1bffd182c5d0"], checkov: ["CKV_AZURE_44"], learn },
        configSchema: {
            properties: {
                minimumTlsVersion: {
                    type: "string",
                    enum: ["TLS1_0", "TLS1_1", "TLS1_2", "TLS1_3"],
                    default: "TLS1_2",
                    description: "The lowest TLS version accepted.",
                },
            },
        },
    },
    [tokens.storage],
    (props, report, args) => {
        const min = configOf<{ minimumTlsVersion?: string }>(storageMinTls, args).minimumTlsVersion ?? "TLS1_2";
        const value = known(props, "minimumTlsVersion");
        // Default: TLS1_0 ("The default interpretation is TLS 1.0 for this property").
        const effective = typeof value === "string" ? value.toUpperCase() : "TLS1_0";
        if (tlsOrder.indexOf(effective) < tlsOrder.indexOf(min.toUpperCase())) {
            report(
                `minimumTlsVersion is ${show(value)}${value === undefined ? " (Azure's default: TLS1_0)" : ""}; it must be at least "${min}".`,
            );
        }
    },
);

export const storageNoBlobPublicAccess: ResourceValidationPolicy = resourceRule(
    {
        name: "storage-no-blob-public-access",
        description:
            "No container of the account can be made public (allowBlobPublicAccess not true; Azure's default interpretation is false).",
        enforcementLevel: "mandatory",
        severity: "high",
        remediationSteps: "Set allowBlobPublicAccess: false.",
        sources: {
            azurePolicy: ["4fa4b6c0-31ca-4c0d-b10d-24b96f62a751"],
            checkov: ["CKV_AZURE_190", "CKV2_AZURE_47"],
            learn,
        },
    },
    [tokens.storage],
    (props, report) => {
        // Default: false ("The default interpretation is false for this property", API 2024-01-01).
        const value = known(props, "allowBlobPublicAccess");
        if (value === true) {
            report("allowBlobPublicAccess is true; set it to false so no container can be made public.");
        }
    },
);

export const storageNoSharedKey: ResourceValidationPolicy = resourceRule(
    {
        name: "storage-no-shared-key",
        description:
            "Requests must be authorised with Microsoft Entra ID, not the account key (allowSharedKeyAccess: false; missing means true).",
        enforcementLevel: "advisory",
        severity: "medium",
        remediationSteps:
            "Set allowSharedKeyAccess: false after switching the workspace to identity-based datastores (systemDatastoresAuthMode: Identity).",
        sources: { azurePolicy: ["8c6a50c6-9ffd-4ae7-986f-5fa6111f9a54"], checkov: ["CKV2_AZURE_40"], learn },
    },
    [tokens.storage],
    (props, report) => {
        // Default: null, which Azure treats as true.
        const value = known(props, "allowSharedKeyAccess");
        if (value !== false) {
            report(
                `allowSharedKeyAccess is ${show(value)}${value === undefined ? " (Azure's default: true)" : ""}; set it to false.`,
            );
        }
    },
);

export const storageNoCrossTenantReplication: ResourceValidationPolicy = resourceRule(
    {
        name: "storage-no-cross-tenant-replication",
        description:
            "Object replication to other Microsoft Entra tenants is off (allowCrossTenantReplication not true; Azure's default for new accounts is false).",
        enforcementLevel: "advisory",
        severity: "medium",
        remediationSteps: "Set allowCrossTenantReplication: false.",
        sources: { azurePolicy: ["92a89a79-6c52-4a7e-a03f-61306fc49312"], learn },
    },
    [tokens.storage],
    (props, report) => {
        // Default: false for new accounts ("The default interpretation is false for new accounts").
        const value = known(props, "allowCrossTenantReplication");
        if (value === true) {
            report("allowCrossTenantReplication is true; set it to false.");
        }
    },
);

export const storagePolicies = [
    storageDefaultDeny,
    storagePublicNetworkDisabled,
    storageHttpsOnly,
    storageMinTls,
    storageNoBlobPublicAccess,
    storageNoSharedKey,
    storageNoCrossTenantReplication,
];

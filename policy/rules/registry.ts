import { ResourceValidationPolicy } from "@pulumi/policy";
import { broadIpRules } from "./firewall";
import { eqi, known, resourceRule, show, tokens } from "./util";

/** Container registries (`azure-native:containerregistry:Registry`). */

const learn =
    "https://learn.microsoft.com/azure/machine-learning/how-to-secure-workspace-vnet#enable-azure-container-registry-acr";

export const acrPremiumSku: ResourceValidationPolicy = resourceRule(
    {
        name: "acr-premium-sku",
        description:
            "The registry is Premium: the source document requires it, and only Premium supports private endpoints.",
        enforcementLevel: "mandatory",
        severity: "high",
        remediationSteps: 'Set sku: { name: "Premium" } (an in-place SKU change).',
        sources: { azurePolicy: ["bd560fc0-3c69-498a-ae9f-aa8eb7de0e13"], learn },
    },
    [tokens.registry],
    (props, report) => {
        const sku = known(props, "sku.name");
        if (!eqi(sku, "Premium")) report(`sku.name is ${show(sku)}; it must be "Premium".`);
    },
);

export const acrNetworkRestricted: ResourceValidationPolicy = resourceRule(
    {
        name: "acr-network-restricted",
        description:
            "The registry is not open to every network: networkRuleSet.defaultAction is Deny and networkRuleSet.ipRules do not together admit the Internet (0.0.0.0/0, or more than a /8 of public addresses), or publicNetworkAccess is Disabled (defaults: Allow and Enabled).",
        enforcementLevel: "mandatory",
        severity: "high",
        remediationSteps:
            'Set publicNetworkAccess: "Disabled" (or networkRuleSet: { defaultAction: "Deny" }) and reach the registry through its private endpoint.',
        sources: { azurePolicy: ["d0793b48-0edc-4296-a390-4c75d1bdfd71"], learn },
    },
    [tokens.registry],
    (props, report, _args, advise) => {
        const access = known(props, "publicNetworkAccess");
        if (eqi(access, "Disabled")) return;
        const broad = broadIpRules(props, "networkRuleSet.ipRules", "iPAddressOrRange", advise);
        if (broad) report(broad);
        const action = known(props, "networkRuleSet.defaultAction");
        if (!eqi(action, "Deny")) {
            report(
                `publicNetworkAccess is ${show(access)}${access === undefined ? " (default Enabled)" : ""} and networkRuleSet.defaultAction is ${show(action)}${action === undefined ? " (default Allow)" : ""}; disable public network access or deny by default.`,
            );
        }
    },
);

export const acrPublicNetworkDisabled: ResourceValidationPolicy = resourceRule(
    {
        name: "acr-public-network-disabled",
        description:
            "The registry's public endpoint is disabled (publicNetworkAccess Disabled; the default is Enabled). Then images are built on the workspace's compute cluster.",
        enforcementLevel: "advisory",
        severity: "medium",
        remediationSteps:
            'Set publicNetworkAccess: "Disabled" and set the workspace\'s imageBuildCompute to a CPU compute cluster.',
        sources: { azurePolicy: ["0fdf0491-d080-4575-b627-ad0e843cba0f"], checkov: ["CKV_AZURE_139"], learn },
    },
    [tokens.registry],
    (props, report) => {
        const access = known(props, "publicNetworkAccess");
        if (!eqi(access, "Disabled")) {
            report(
                `publicNetworkAccess is ${show(access)}${access === undefined ? " (default Enabled)" : ""}; set it to "Disabled".`,
            );
        }
    },
);

export const acrAdminDisabled: ResourceValidationPolicy = resourceRule(
    {
        name: "acr-admin-disabled",
        description: "The registry's admin user is off (adminUserEnabled not true; the default is false).",
        enforcementLevel: "mandatory",
        severity: "high",
        remediationSteps:
            "Set adminUserEnabled: false and use the workspace's managed identity (AcrPull/AcrPush roles).",
        sources: { azurePolicy: ["dc921057-6b28-4fbe-9b83-f7bec05db6c2"], checkov: ["CKV_AZURE_137"], learn },
    },
    [tokens.registry],
    (props, report) => {
        if (known(props, "adminUserEnabled") === true) report("adminUserEnabled is true; set it to false.");
    },
);

export const acrAnonymousPullDisabled: ResourceValidationPolicy = resourceRule(
    {
        name: "acr-anonymous-pull-disabled",
        description: "Anonymous (unauthenticated) pulls are off (anonymousPullEnabled not true; the default is false).",
        enforcementLevel: "mandatory",
        severity: "high",
        remediationSteps: "Set anonymousPullEnabled: false.",
        sources: { azurePolicy: ["9f2dea28-e834-476c-99c5-3507b4728395"], checkov: ["CKV_AZURE_138"], learn },
    },
    [tokens.registry],
    (props, report) => {
        if (known(props, "anonymousPullEnabled") === true) report("anonymousPullEnabled is true; set it to false.");
    },
);

export const acrTrustedServicesBypass: ResourceValidationPolicy = resourceRule(
    {
        name: "acr-trusted-services-bypass",
        description:
            "Trusted Azure services may bypass the registry's network rules (networkRuleBypassOptions AzureServices, the default), as the source document's step \"Allow access by trusted services\" requires.",
        enforcementLevel: "mandatory",
        severity: "medium",
        remediationSteps: 'Set networkRuleBypassOptions: "AzureServices" (or leave it unset).',
        sources: { learn },
    },
    [tokens.registry],
    (props, report) => {
        // Default: AzureServices.
        const bypass = known(props, "networkRuleBypassOptions");
        if (bypass !== undefined && !eqi(bypass, "AzureServices")) {
            report(
                `networkRuleBypassOptions is ${show(bypass)}; it must be "AzureServices" so Azure Machine Learning can reach the registry.`,
            );
        }
    },
);

export const registryPolicies = [
    acrPremiumSku,
    acrNetworkRestricted,
    acrPublicNetworkDisabled,
    acrAdminDisabled,
    acrAnonymousPullDisabled,
    acrTrustedServicesBypass,
];

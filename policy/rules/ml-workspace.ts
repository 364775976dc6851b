import { ResourceValidationPolicy } from "@pulumi/policy";
import { eqi, known, resourceRule, show, tokens } from "./util";

/** Azure Machine Learning workspace (`azure-native:machinelearningservices:Workspace`). */

const learn = "https://learn.microsoft.com/azure/machine-learning/how-to-secure-workspace-vnet";

export const mlWorkspacePublicNetworkDisabled: ResourceValidationPolicy = resourceRule(
    {
        name: "ml-workspace-public-network-disabled",
        description:
            "The workspace is reachable only through its private endpoint: publicNetworkAccess is Disabled and allowPublicAccessWhenBehindVnet is not true.",
        enforcementLevel: "mandatory",
        severity: "high",
        remediationSteps:
            'Set publicNetworkAccess: "Disabled" on the workspace (Azure\'s default is Enabled) and leave allowPublicAccessWhenBehindVnet unset or false; reach the workspace through its private endpoint (VPN, ExpressRoute or Bastion).',
        sources: {
            azurePolicy: ["438c38d2-3772-465a-a9cc-7a6666a275ce"],
            checkov: ["CKV_AZURE_144", "CKV2_AZURE_49"],
            learn,
        },
    },
    [tokens.workspace],
    (props, report) => {
        // Default: Azure creates a workspace with public network access Enabled.
        const access = known(props, "publicNetworkAccess");
        if (!eqi(access, "Disabled")) {
            report(
                `publicNetworkAccess is ${show(access)}${access === undefined ? " (Azure's default: Enabled)" : ""}; it must be "Disabled".`,
            );
        }
        if (known(props, "allowPublicAccessWhenBehindVnet") === true) {
            report(
                "allowPublicAccessWhenBehindVnet is true; it opens the workspace behind a VNet to the Internet. Remove it or set it to false.",
            );
        }
    },
);

export const mlWorkspaceIdentityDatastores: ResourceValidationPolicy = resourceRule(
    {
        name: "ml-workspace-identity-datastores",
        description:
            "The workspace's system datastores authenticate with the workspace identity, not the storage account key (systemDatastoresAuthMode: Identity), so storage can disable shared keys.",
        enforcementLevel: "advisory",
        severity: "medium",
        remediationSteps:
            'Set systemDatastoresAuthMode: "Identity" on the workspace and give its identity Storage Blob Data Contributor and Storage File Data Privileged Contributor on the storage account; then set allowSharedKeyAccess: false on the storage account.',
        sources: {
            azurePolicy: ["8c6a50c6-9ffd-4ae7-986f-5fa6111f9a54"],
            checkov: ["CKV2_AZURE_40"],
            learn: "https://learn.microsoft.com/azure/machine-learning/how-to-identity-based-service-authentication",
        },
    },
    [tokens.workspace],
    (props, report) => {
        // Default: AccessKey (the storage account key is kept in the workspace's key vault).
        const mode = known(props, "systemDatastoresAuthMode");
        if (!eqi(mode, "Identity")) {
            report(
                `systemDatastoresAuthMode is ${show(mode)}${mode === undefined ? " (Azure's default: AccessKey)" : ""}; set it to "Identity".`,
            );
        }
    },
);

export const mlWorkspaceHbi: ResourceValidationPolicy = resourceRule(
    {
        name: "ml-workspace-hbi",
        description:
            "The workspace is created with the hbi_workspace flag (hbiWorkspace: true): less diagnostic data is collected by Microsoft and compute local scratch disks are encrypted. It cannot be changed after creation.",
        enforcementLevel: "advisory",
        severity: "low",
        remediationSteps:
            "Set hbiWorkspace: true when creating the workspace (it forces a new workspace later), and add the AzureKeyVault.<region> outbound NSG rule the source document requires for HBI workspaces.",
        sources: { checkov: ["CKV2_AZURE_50"], learn },
    },
    [tokens.workspace],
    (props, report) => {
        const hbi = known(props, "hbiWorkspace");
        // Default: false.
        if (hbi !== true)
            report(
                `hbiWorkspace is ${show(hbi)}${hbi === undefined ? " (default false)" : ""}; set it to true for high-business-impact data.`,
            );
    },
);

export const mlWorkspacePolicies = [mlWorkspacePublicNetworkDisabled, mlWorkspaceIdentityDatastores, mlWorkspaceHbi];

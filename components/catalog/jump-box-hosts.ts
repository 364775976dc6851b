import { AzureCloud } from "./clouds";

/**
 * What a person on the jump box reaches through the firewall (`egress: firewall`) besides the Entra ID
 * sign-in hosts of vm-login-hosts.ts and the studio's (the host catalogue's `microsoft` group): the
 * Azure CLI, its `ml` extension, the Python SDK and the operating system's updates. Without these rows
 * `az login`, `az ml ...`, `pip install azure-ai-ml` and the OS's updates failed on the jump box (issue 18).
 * Plain data with a source per row, so the component's firewall rules and the tests read one list.
 */

/** The jump box's operating system. Windows has a desktop and Edge (the studio); Linux has no desktop. */
export const JumpBoxOs = {
    /** Windows Server 2025 Azure Edition with a desktop and Edge: the studio in a browser. The default. */
    windows: "windows",
    /** Ubuntu 22.04 without a desktop: the CLI and the SDK over SSH, no studio. */
    linux: "linux",
} as const;
export type JumpBoxOs = (typeof JumpBoxOs)[keyof typeof JumpBoxOs];
export const jumpBoxOses: readonly JumpBoxOs[] = ["windows", "linux"];

/** "Azure CLI endpoints for proxy bypass": ARM, Entra ID, Graph, and pypi.org/files.pythonhosted.org. */
export const azureCliEndpointsSource = "https://learn.microsoft.com/cli/azure/azure-cli-endpoints";
/** The extension index `az extension add` reads (aka.ms/azure-cli-extension-index-v1) and its wheels' host. */
export const azureCliExtensionIndexSource = "https://github.com/Azure/azure-cli-extensions#extension-index";
/** "Allow the Azure portal URLs on your firewall or proxy server", its sign-in hosts (the browser's Entra ID sign-in page). */
export const portalSignInSource = "https://learn.microsoft.com/azure/azure-portal/azure-portal-safelist-urls";
/** Azure Firewall's FQDN tags: `WindowsUpdate` stands for Microsoft Update's hosts. */
export const firewallFqdnTagsSource = "https://learn.microsoft.com/azure/firewall/fqdn-tags";
/** Ubuntu's Azure mirror, what Canonical's Azure images have in sources.list (main and security). */
export const ubuntuAzureMirrorSource = "https://documentation.ubuntu.com/azure/";

/** Python's Windows installers (python.org's own download page). */
export const pythonWindowsSource = "https://www.python.org/downloads/windows/";

export interface JumpBoxHost {
    host: string;
    purpose: string;
    /** TCP 443 (TLS) unless `http`: apt fetches Ubuntu's archive over plain HTTP (signed packages). */
    protocol: "Https" | "Http";
    source: string;
}

const https = (host: string, purpose: string, source: string): JumpBoxHost => ({
    host,
    purpose,
    protocol: "Https",
    source,
});

/** Azure Resource Manager, Entra ID and Microsoft Graph per cloud (azure-cli-endpoints' tables). */
const cloudEndpoints: Readonly<Record<AzureCloud, { arm: string; login: string; graph: string }>> = {
    AzureCloud: {
        arm: "management.azure.com",
        login: "login.microsoftonline.com",
        graph: "graph.microsoft.com",
    },
    AzureUSGovernment: {
        arm: "management.usgovcloudapi.net",
        login: "login.microsoftonline.us",
        graph: "graph.microsoft.us",
    },
    AzureChinaCloud: {
        arm: "management.chinacloudapi.cn",
        login: "login.chinacloudapi.cn",
        graph: "microsoftgraph.chinacloudapi.cn",
    },
};

/** The hosts the Azure CLI, its `ml` extension and the Python SDK need, any OS. */
export function jumpBoxToolHosts(os: JumpBoxOs, cloud: AzureCloud): JumpBoxHost[] {
    const endpoints = cloudEndpoints[cloud];
    const rows: JumpBoxHost[] = [
        https(endpoints.arm, "Azure Resource Manager (az, az ml, the SDK's MLClient)", azureCliEndpointsSource),
        https(endpoints.login, "Microsoft Entra ID (az login, the SDK's credentials)", azureCliEndpointsSource),
        https(endpoints.graph, "Microsoft Graph (az ad, az role assignment --assignee)", azureCliEndpointsSource),
        https("pypi.org", "pip install azure-ai-ml and the CLI's own packages", azureCliEndpointsSource),
        https("files.pythonhosted.org", "the package files behind pypi.org", azureCliEndpointsSource),
        https(
            "azcliextensionsync.blob.core.windows.net",
            "the CLI extension index (az extension add --name ml)",
            azureCliExtensionIndexSource,
        ),
        https(
            "azcliprod.blob.core.windows.net",
            "the ml extension's wheel, the index's downloadUrl",
            azureCliExtensionIndexSource,
        ),
    ];
    if (cloud === "AzureCloud") {
        // The Entra ID sign-in page a browser loads (the studio, the portal, az login's browser flow).
        rows.push(
            https("*.msauth.net", "the Entra ID sign-in page's scripts and images", portalSignInSource),
            https("*.msftauth.net", "the Entra ID sign-in page's scripts and images", portalSignInSource),
        );
    }
    if (os === "windows") {
        // Windows Server has no Python: the SDK needs one (the Azure CLI's MSI bundles its own).
        rows.push(
            https("www.python.org", "the Python installer for Windows (pip install azure-ai-ml)", pythonWindowsSource),
        );
    }
    if (os === "linux") {
        rows.push(
            { ...https("azure.archive.ubuntu.com", "Ubuntu's packages and security updates", ubuntuAzureMirrorSource) },
            {
                host: "azure.archive.ubuntu.com",
                purpose: "apt's default transport (signed packages over HTTP 80)",
                protocol: "Http",
                source: ubuntuAzureMirrorSource,
            },
        );
    }
    return rows;
}

/** Azure Firewall FQDN tags the jump box's OS needs (application rules `fqdnTags`). */
export function jumpBoxFqdnTags(os: JumpBoxOs): string[] {
    // Windows Update and Microsoft Defender's signature updates; the tag follows Microsoft's hosts.
    return os === "windows" ? ["WindowsUpdate"] : [];
}

/**
 * Windows activation: Azure's KMS (azkms.core.windows.net, TCP 1688), which a Windows VM behind a
 * 0.0.0.0/0 route to a firewall reaches only if the firewall allows it; the activation must come from an
 * Azure public IP, which the firewall's SNAT address is. By IP address because the firewall's network
 * rules name no FQDNs without its DNS proxy, which this component does not turn on. Addresses from
 * "Windows activation fails in forced tunneling scenario"
 * (https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/custom-routes-enable-kms-activation);
 * the host and port from https://learn.microsoft.com/azure/virtual-desktop/required-fqdn-endpoint.
 */
export const windowsActivationSource =
    "https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/custom-routes-enable-kms-activation";
export const windowsActivationKms = {
    host: "azkms.core.windows.net",
    addresses: ["20.118.99.224", "40.83.235.53"],
    port: "1688",
} as const;

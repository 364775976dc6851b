import { AzureCloud } from "./clouds";
import { normaliseRegion } from "./regions";

/**
 * The hosts compute may need to reach outside Azure's service tags, as data: the source document's
 * package-repository table ("You may also need to allow outbound traffic to Visual Studio Code and
 * non-Microsoft sites...") and the Microsoft hosts of "Configure inbound and outbound network traffic".
 *
 * `MlNetwork` turns the selected groups into Azure Firewall application rules, the managed-network
 * mode into FQDN outbound rules, and the policy pack (through policy/rules/catalog.ts) checks managed
 * FQDN rules against the same rows, so the three cannot drift apart.
 */

/** The source document (how-to-secure-workspace-vnet, 09/30/2022), its package-repository table. */
const sourceDocument = "https://learn.microsoft.com/azure/machine-learning/how-to-secure-workspace-vnet";
/** Microsoft's current host list (read from MicrosoftDocs/azure-ai-docs, articles/machine-learning/how-to-access-azureml-behind-firewall.md, ms.date 03/19/2026). */
const firewallPage = "https://learn.microsoft.com/azure/machine-learning/how-to-access-azureml-behind-firewall";
/** includes/recommended-network-outbound.md of the same page (Python package hosts). */
const recommendedOutbound = `${firewallPage}#recommended-configuration-for-training-and-deploying-models`;
const vsCodeSection = `${firewallPage}#scenario-visual-studio-code`;
const rStudioSection = `${firewallPage}#scenario-install-rstudio-on-compute-instance`;
const microsoftHosts = `${firewallPage}#microsoft-hosts`;
/** how-to-prevent-data-loss-exfiltration: FQDNs instead of the AzureFrontDoor.FrontEnd tag. */
const exfiltrationPage = "https://learn.microsoft.com/azure/machine-learning/how-to-prevent-data-loss-exfiltration";

/** Which scenario a host serves; callers select groups. Enum object for the schema analyser. */
export const EgressHostGroup = {
    /** PyPI and the framework hosts pip installs from. */
    python: "python",
    /** Anaconda's channels (conda environments, the default of curated images). */
    conda: "conda",
    /** CRAN and the RStudio image. */
    r: "r",
    /** Visual Studio Code desktop, server bits and extensions (remote connection to compute instances). */
    vscode: "vscode",
    /** Microsoft's own hosts Azure Machine Learning needs (studio, APIs, container registry, batch, monitoring). */
    microsoft: "microsoft",
} as const;
export type EgressHostGroup = (typeof EgressHostGroup)[keyof typeof EgressHostGroup];

export const egressHostGroups: readonly EgressHostGroup[] = ["python", "conda", "r", "vscode", "microsoft"];

export function isEgressHostGroup(value: unknown): value is EgressHostGroup {
    return typeof value === "string" && (egressHostGroups as readonly string[]).includes(value);
}

/**
 * The groups the firewall allows when the caller names none: what an image build needs (Microsoft's
 * hosts, pip and conda; the document's Important box), nothing for R or VS Code.
 */
export const defaultEgressHostGroups: readonly EgressHostGroup[] = ["microsoft", "python", "conda"];

/**
 * How a host is reached when egress is controlled:
 * - `applicationRule`: by name, as an Azure Firewall application rule (HTTP/S) or a managed-network FQDN rule;
 * - `serviceTag`: through the service-tag rule named in `serviceTag` (the NSG's and the firewall's
 *   network rules); an FQDN rule would add nothing, or (for storage) open every account in Azure;
 * - `privateEndpoint`: the workspace's own resource, reached through its private endpoint in the VNet.
 */
export type EgressHostPath = "applicationRule" | "serviceTag" | "privateEndpoint";

export interface EgressHost {
    /** The host name; `<region>` is replaced by the workspace's region, `<storage>` names the workspace's storage account. */
    host: string;
    purpose: string;
    group: EgressHostGroup;
    /** Whether Azure Machine Learning itself needs it (true), or only some workloads do (false: package feeds, VS Code, AutoML). */
    required: boolean;
    protocol: "Https" | "Http" | "Tcp" | "Udp" | "Any";
    ports: readonly number[];
    path: EgressHostPath;
    /** The service tag (without region) that carries it, for `path: "serviceTag"`. */
    serviceTag?: string;
    /** Where the row comes from. */
    source: string;
    /** Why the row deviates from its source, if it does. */
    note?: string;
}

const https = (
    host: string,
    group: EgressHostGroup,
    required: boolean,
    purpose: string,
    source: string,
    extra: Partial<EgressHost> = {},
): EgressHost => ({
    host,
    purpose,
    group,
    required,
    protocol: "Https",
    ports: [443],
    path: "applicationRule",
    source,
    ...extra,
});

const viaTag = (
    host: string,
    serviceTag: string,
    purpose: string,
    protocol: EgressHost["protocol"] = "Tcp",
    ports: readonly number[] = [443],
): EgressHost => ({
    host,
    purpose,
    group: "microsoft",
    required: true,
    protocol,
    ports,
    path: "serviceTag",
    serviceTag,
    source: microsoftHosts,
});

/** Public-cloud rows. The US Government and China clouds use other Microsoft host names (see {@link egressHostsFor}). */
export const egressHosts: readonly EgressHost[] = [
    // --- The source document's package repositories ---
    https("anaconda.com", "conda", false, "Used to install default packages.", sourceDocument),
    https("*.anaconda.com", "conda", false, "Used to install default packages.", sourceDocument),
    https("*.anaconda.org", "conda", false, "Used to get repo data.", sourceDocument),
    https(
        "pypi.org",
        "python",
        false,
        "Used to list dependencies from the default index, if any, and the index isn't overwritten by user settings.",
        sourceDocument,
    ),
    https(
        "*.pythonhosted.org",
        "python",
        false,
        "Package files behind pypi.org (files.pythonhosted.org); the document requires it when the index is overwritten.",
        sourceDocument,
    ),
    https("pytorch.org", "python", false, "Used by some examples based on PyTorch.", recommendedOutbound, {
        note: "The 2022 document writes *pytorch.org, which would also match any domain ending in 'pytorch.org' (evilpytorch.org); Microsoft's current list splits it into pytorch.org and *.pytorch.org.",
    }),
    https("*.pytorch.org", "python", false, "Used by some examples based on PyTorch.", recommendedOutbound),
    https("*.tensorflow.org", "python", false, "Used by some examples based on TensorFlow.", sourceDocument),
    https("cloud.r-project.org", "r", false, "Used when installing CRAN packages for R development.", sourceDocument),
    https("ghcr.io", "r", false, "The RStudio image installed on a compute instance.", rStudioSection),
    https("pkg-containers.githubusercontent.com", "r", false, "The RStudio image's layers.", rStudioSection),
    https(
        "code.visualstudio.com",
        "vscode",
        false,
        "Required to download and install VS Code desktop. This is not required for VS Code Web.",
        sourceDocument,
    ),
    https(
        "update.code.visualstudio.com",
        "vscode",
        false,
        "Used to retrieve VS Code server bits that are installed on the compute instance through a setup script.",
        sourceDocument,
    ),
    https(
        "*.vo.msecnd.net",
        "vscode",
        false,
        "Used to retrieve VS Code server bits that are installed on the compute instance through a setup script.",
        sourceDocument,
    ),
    https(
        "marketplace.visualstudio.com",
        "vscode",
        false,
        "Required to download and install VS Code extensions (the Azure ML extension's remote connection).",
        sourceDocument,
    ),
    https(
        "vscode.blob.core.windows.net",
        "vscode",
        false,
        "Required to download and install VS Code extensions (the Azure ML extension's remote connection).",
        sourceDocument,
    ),
    https(
        "*.gallerycdn.vsassets.io",
        "vscode",
        false,
        "Required to download and install VS Code extensions (the Azure ML extension's remote connection).",
        sourceDocument,
    ),
    https(
        "raw.githubusercontent.com",
        "vscode",
        false,
        "Websocket server bits installed on the compute instance (the document names raw.githubusercontent.com/microsoft/vscode-tools-for-ai/master/azureml_remote_websocket_server/*).",
        sourceDocument,
        {
            note: "An application rule matches host names only (SNI); limiting it to the document's path needs TLS inspection, an Azure Firewall Premium feature. The rule therefore allows the whole host.",
        },
    ),
    https("vscode.download.prss.microsoft.com", "vscode", false, "Visual Studio Code download CDN.", vsCodeSection),

    // --- Microsoft hosts (how-to-access-azureml-behind-firewall, "Microsoft hosts", Azure public) ---
    viaTag("login.microsoftonline.com", "AzureActiveDirectory", "Microsoft Entra ID.", "Tcp", [80, 443]),
    viaTag("management.azure.com", "AzureResourceManager", "Azure portal and Azure Resource Manager."),
    https("ml.azure.com", "microsoft", true, "Azure Machine Learning studio.", exfiltrationPage, {
        note: "Allowed by name instead of the AzureFrontDoor.FrontEnd tag, which the exfiltration page says to replace with FQDNs.",
    }),
    https("*.azureml.ms", "microsoft", true, "Azure Machine Learning APIs.", microsoftHosts),
    https("*.azureml.net", "microsoft", true, "Azure Machine Learning APIs.", microsoftHosts),
    https("*.modelmanagement.azureml.net", "microsoft", true, "Model management.", microsoftHosts),
    https("*.notebooks.azure.net", "microsoft", false, "Integrated notebook.", microsoftHosts),
    https("graph.microsoft.com", "microsoft", false, "Integrated notebook.", microsoftHosts),
    https("*.aznbcontent.net", "microsoft", false, "Integrated notebook.", microsoftHosts),
    {
        ...https("<storage>.file.core.windows.net", "microsoft", true, "The workspace's file share.", microsoftHosts),
        protocol: "Tcp",
        ports: [443, 445],
        path: "privateEndpoint",
    },
    {
        ...https("<storage>.blob.core.windows.net", "microsoft", true, "The workspace's blobs.", microsoftHosts),
        path: "privateEndpoint",
    },
    {
        ...https("<storage>.dfs.core.windows.net", "microsoft", false, "Integrated notebook.", microsoftHosts),
        path: "privateEndpoint",
    },
    https("automlresources-prod.azureedge.net", "microsoft", false, "AutoML NLP, Vision.", microsoftHosts),
    https(
        "automlresources-prod-d0eaehh7g8andvav.b02.azurefd.net",
        "microsoft",
        false,
        "AutoML (the exfiltration page's replacement for the AzureFrontDoor.FrontEnd tag).",
        exfiltrationPage,
    ),
    https("aka.ms", "microsoft", false, "AutoML NLP, Vision.", microsoftHosts),
    https("graph.windows.net", "microsoft", true, "Compute cluster/instance.", microsoftHosts),
    https("*.instances.azureml.net", "microsoft", true, "Compute instance.", microsoftHosts),
    https("*.instances.azureml.ms", "microsoft", true, "Compute instance.", microsoftHosts, {
        note: "Ports 8787 and 18881 of the same hosts are carried by the AzureMachineLearning network rule.",
    }),
    viaTag("<region>.tundra.azureml.ms", "AzureMachineLearning", "Compute instance.", "Udp", [5831]),
    viaTag("*.tundra.<region>.api.azureml.ms", "AzureMachineLearning", "Compute instance.", "Udp", [5831]),
    viaTag("*.<region>.batch.azure.com", "BatchNodeManagement", "Compute instance (Azure Batch).", "Any"),
    viaTag("*.<region>.service.batch.azure.com", "BatchNodeManagement", "Compute instance (Azure Batch).", "Any"),
    viaTag(
        "*.blob.core.windows.net",
        "Storage",
        "Microsoft storage access (Azure Batch). As an FQDN rule this would reach every storage account in Azure, the exfiltration path; the regional Storage tag over the service endpoint, filtered by the service endpoint policy, carries it instead.",
    ),
    viaTag("*.table.core.windows.net", "Storage", "Microsoft storage access (Azure Batch)."),
    viaTag("*.queue.core.windows.net", "Storage", "Microsoft storage access (Azure Batch)."),
    {
        ...viaTag("*.vault.azure.net", "AzureKeyVault", "Azure Key Vault of the Batch service (hbi_workspace only)."),
        required: false,
    },
    https(
        "mcr.microsoft.com",
        "microsoft",
        true,
        "Docker images maintained by Azure Machine Learning.",
        microsoftHosts,
    ),
    https(
        "*.data.mcr.microsoft.com",
        "microsoft",
        true,
        "Docker images maintained by Azure Machine Learning.",
        microsoftHosts,
    ),
    viaTag("dc.applicationinsights.azure.com", "AzureMonitor", "Monitoring, metrics and diagnostics."),
    viaTag("dc.applicationinsights.microsoft.com", "AzureMonitor", "Monitoring, metrics and diagnostics."),
    viaTag("dc.services.visualstudio.com", "AzureMonitor", "Monitoring, metrics and diagnostics."),
    viaTag("*.in.applicationinsights.azure.com", "AzureMonitor", "Monitoring, metrics and diagnostics."),
];

/**
 * Why a host name cannot be an allow-list entry, or undefined when it can. A wildcard is allowed only
 * as a leading `*.` over at least two labels (`*.pythonhosted.org`): `*`, `*.com` or `*foo.org` would
 * reach far more than one service. Placeholders (`<region>`) must be replaced first.
 */
export function allowListHostViolation(host: unknown): string | undefined {
    if (typeof host !== "string" || host.trim() === "") return "must be a non-empty host name";
    const h = host.trim().toLowerCase();
    if (h === "*" || /^\*\.?$/.test(h)) return "is a bare wildcard: it would allow the whole internet";
    if (/[/:]/.test(h)) return "must be a host name only, without scheme, port or path";
    const labels = h.split(".");
    const wildcard = labels[0] === "*";
    if (labels.slice(wildcard ? 1 : 0).some((l) => l.includes("*"))) {
        return "may contain a wildcard only as a leading '*.' (e.g. *.pythonhosted.org)";
    }
    const rest = wildcard ? labels.slice(1) : labels;
    if (wildcard && rest.length < 2) return `is a wildcard over a whole top-level domain (*.${rest.join(".")})`;
    if (!rest.every((l) => /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(l)) || rest.length < 2) {
        return "must be a DNS name such as pypi.org or *.anaconda.org";
    }
    return undefined;
}

/** True when a host (as it appears in a rule) allows everything: `*` or a bare wildcard. */
export function isWildcardAll(host: unknown): boolean {
    return typeof host === "string" && /^\s*\*\.?\s*$/.test(host);
}

/** The rows of the given groups for one cloud. Microsoft's rows are the public cloud's; other clouds get none of them. */
export function egressHostsFor(groups: readonly EgressHostGroup[], cloud: AzureCloud = "AzureCloud"): EgressHost[] {
    return egressHosts.filter((h) => groups.includes(h.group) && (h.group !== "microsoft" || cloud === "AzureCloud"));
}

/** A row's host in a region (`*.<region>.batch.azure.com` → `*.westeurope.batch.azure.com`). */
export function hostIn(row: EgressHost, region: string): string {
    return row.host.replace(/<region>/g, normaliseRegion(region));
}

/**
 * The host names an egress allow-list (firewall application rules, managed-network FQDN rules) gets
 * for the selected groups: the rows reached by name, with `<region>` filled in, plus `extraHosts`,
 * each once, in catalogue order.
 */
export function allowedEgressHostNames(
    groups: readonly EgressHostGroup[],
    region: string,
    cloud: AzureCloud = "AzureCloud",
    extraHosts: readonly string[] = [],
): string[] {
    const names = egressHostsFor(groups, cloud)
        .filter((h) => h.path === "applicationRule")
        .map((h) => hostIn(h, region));
    return [...new Set([...names, ...extraHosts.map((h) => h.trim().toLowerCase())])];
}

import * as assert from "assert";
import {
    jumpBoxApplicationRules,
    jumpBoxNetworkRules,
    FirewallRuleOptions,
} from "../../components/egress/egress-rules";
import { jumpBoxFqdnTags, jumpBoxToolHosts } from "../../components/catalog/jump-box-hosts";

/** The jump box's own firewall rules (issue 18: az, az ml, the SDK and the OS failed behind the firewall). */

const options = (over: Partial<FirewallRuleOptions>): FirewallRuleOptions => ({
    region: "usgovvirginia",
    cloud: "AzureUSGovernment",
    nodePublicIp: false,
    hbiWorkspace: false,
    sourceAddresses: ["10.0.0.0/24"],
    groups: ["microsoft", "python"],
    extraHosts: [],
    ...over,
});

describe("the jump box's firewall rules", () => {
    it("Windows in Azure Government: the Gov sign-in hosts, Gov ARM/Entra/Graph, PyPI, the CLI's hosts, Windows Update", () => {
        // No `microsoft` group rows outside the public cloud (egress-hosts.ts), so the list is exact.
        assert.deepStrictEqual(jumpBoxApplicationRules(options({ jumpBoxOs: "windows" }), "10.0.3.64/28"), [
            {
                ruleType: "ApplicationRule",
                name: "Allow-jump-box",
                description:
                    "The jump box (windows): Microsoft Entra ID sign-in (https://learn.microsoft.com/entra/identity/devices/howto-vm-sign-in-azure-ad-windows#network-requirements), the studio, and the Azure CLI, its ml extension and the SDK (components/catalog/jump-box-hosts.ts).",
                sourceAddresses: ["10.0.3.64/28"],
                protocols: [{ protocolType: "Https", port: 443 }],
                targetFqdns: [
                    "enterpriseregistration.microsoftonline.us",
                    "login.microsoftonline.us",
                    "pasff.usgovcloudapi.net",
                    "management.usgovcloudapi.net",
                    "graph.microsoft.us",
                    "pypi.org",
                    "files.pythonhosted.org",
                    "azcliextensionsync.blob.core.windows.net",
                    "azcliprod.blob.core.windows.net",
                    "www.python.org",
                ],
            },
            {
                ruleType: "ApplicationRule",
                name: "Allow-jump-box-os-updates",
                description:
                    "The jump box's OS updates through Azure Firewall FQDN tags (https://learn.microsoft.com/azure/firewall/fqdn-tags).",
                sourceAddresses: ["10.0.3.64/28"],
                protocols: [
                    { protocolType: "Http", port: 80 },
                    { protocolType: "Https", port: 443 },
                ],
                fqdnTags: ["WindowsUpdate"],
            },
        ]);
    });

    it("Linux in Azure China: the Linux extension's hosts, China ARM/Entra/Graph, Ubuntu's mirror over 443 and 80, no FQDN tag", () => {
        const rules = jumpBoxApplicationRules(
            options({ cloud: "AzureChinaCloud", region: "chinanorth3", jumpBoxOs: "linux" }),
            "10.0.3.64/28",
        );
        assert.deepStrictEqual(
            rules.map((r) => [r.name, r.protocols, r.targetFqdns, r.fqdnTags]),
            [
                [
                    "Allow-jump-box",
                    [{ protocolType: "Https", port: 443 }],
                    [
                        "packages.microsoft.com",
                        "login.chinacloudapi.cn",
                        "pas.chinacloudapi.cn",
                        "management.chinacloudapi.cn",
                        "microsoftgraph.chinacloudapi.cn",
                        "pypi.org",
                        "files.pythonhosted.org",
                        "azcliextensionsync.blob.core.windows.net",
                        "azcliprod.blob.core.windows.net",
                        "azure.archive.ubuntu.com",
                    ],
                    undefined,
                ],
                [
                    "Allow-jump-box-os-http",
                    [{ protocolType: "Http", port: 80 }],
                    ["azure.archive.ubuntu.com"],
                    undefined,
                ],
            ],
        );
    });

    it("a Windows jump box in the public cloud activates against Azure's KMS: one network rule, TCP 1688, its two addresses", () => {
        const public_ = { cloud: "AzureCloud" as const, region: "westeurope", jumpBoxSource: "10.0.3.64/28" };
        assert.deepStrictEqual(jumpBoxNetworkRules(options(public_)), [
            {
                ruleType: "NetworkRule",
                name: "Allow-jump-box-windows-activation",
                description:
                    "Windows activation of the jump box: azkms.core.windows.net TCP 1688 (https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/custom-routes-enable-kms-activation).",
                ipProtocols: ["TCP"],
                sourceAddresses: ["10.0.3.64/28"],
                destinationAddresses: ["20.118.99.224", "40.83.235.53"],
                destinationPorts: ["1688"],
            },
        ]);
        // Linux needs none; other clouds have other KMS addresses, which the catalogue does not carry.
        assert.deepStrictEqual(jumpBoxNetworkRules(options({ ...public_, jumpBoxOs: "linux" })), []);
        assert.deepStrictEqual(jumpBoxNetworkRules(options({ jumpBoxSource: "10.0.3.64/28" })), []);
        assert.deepStrictEqual(jumpBoxNetworkRules(options({ cloud: "AzureCloud", region: "westeurope" })), []);
    });

    it("the public cloud adds the Entra ID sign-in page's CDN hosts; every row names its source", () => {
        const hosts = jumpBoxToolHosts("windows", "AzureCloud");
        assert.deepStrictEqual(
            hosts.filter((h) => h.host.startsWith("*.")).map((h) => h.host),
            ["*.msauth.net", "*.msftauth.net"],
        );
        for (const h of [...hosts, ...jumpBoxToolHosts("linux", "AzureCloud")])
            assert.match(h.source, /^https:\/\//, h.host);
        assert.deepStrictEqual(jumpBoxFqdnTags("linux"), []);
    });
});

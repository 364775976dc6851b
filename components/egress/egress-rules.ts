import {
    vmLoginHosts,
    vmLoginHostsSource,
    windowsVmLoginHosts,
    windowsVmLoginHostsSource,
} from "../catalog/vm-login-hosts";
import {
    firewallFqdnTagsSource,
    JumpBoxOs,
    jumpBoxFqdnTags,
    jumpBoxToolHosts,
    windowsActivationKms,
    windowsActivationSource,
} from "../catalog/jump-box-hosts";
import { AzureCloud } from "../catalog/clouds";
import { allowedEgressHostNames, EgressHostGroup, egressHostsFor, hostIn } from "../catalog/egress-hosts";
import { normaliseRegion } from "../catalog/regions";
import { requiredNsgRules } from "../catalog/service-tags";

/**
 * The Azure Firewall's rules for `egress: firewall`, as plain data built from the two catalogues: the
 * service tags of the document's outbound table (the same rows as the NSG's, through
 * `requiredNsgRules`) become network rules, and the selected host groups become application rules.
 */

/** An azure-native `NetworkRuleArgs` with plain values. */
export interface FirewallNetworkRule {
    ruleType: "NetworkRule";
    name: string;
    description: string;
    ipProtocols: ("TCP" | "UDP")[];
    sourceAddresses: string[];
    destinationAddresses: string[];
    destinationPorts: string[];
}

/** An azure-native `ApplicationRuleArgs` with plain values. */
export interface FirewallApplicationRule {
    ruleType: "ApplicationRule";
    name: string;
    description: string;
    sourceAddresses: string[];
    protocols: { protocolType: "Https" | "Http"; port: number }[];
    /** Host names; absent on a rule that names an FQDN tag instead. */
    targetFqdns?: string[];
    /** Azure Firewall FQDN tags (`WindowsUpdate`): Microsoft keeps their hosts (https://learn.microsoft.com/azure/firewall/fqdn-tags). */
    fqdnTags?: string[];
}

/**
 * Outbound service tags the firewall does NOT get a network rule for, and why.
 * - `AzureFrontDoor.FrontEnd`: the exfiltration page (how-to-prevent-data-loss-exfiltration) says to
 *   replace it with the FQDNs ml.azure.com and the AutoML host, which the `microsoft` group carries.
 * - `Storage`: the compute subnets have the Microsoft.Storage service endpoint, whose route is more
 *   specific than 0.0.0.0/0, so storage traffic never reaches the firewall; the service endpoint
 *   policy limits it to the workspace's accounts and Azure ML's. A firewall rule would only widen it.
 */
export const firewallOmittedServiceTags: Readonly<Record<string, string>> = {
    "AzureFrontDoor.FrontEnd":
        "replaced by the FQDNs ml.azure.com and the AutoML host (how-to-prevent-data-loss-exfiltration)",
    Storage:
        "carried by the Microsoft.Storage service endpoint and limited by the service endpoint policy, not by the firewall",
};

export interface FirewallRuleOptions {
    region: string;
    cloud: AzureCloud;
    nodePublicIp: boolean;
    hbiWorkspace: boolean;
    /** The compute subnets' prefixes (the rules' sources). */
    sourceAddresses: string[];
    groups: readonly EgressHostGroup[];
    extraHosts: readonly string[];
    /** The jump box's subnet, when it egresses through the firewall too (its own rules below). */
    jumpBoxSource?: string;
    /** The jump box's OS (its sign-in extension's hosts and OS updates differ). Default windows. */
    jumpBoxOs?: JumpBoxOs;
}

/** Network rules: one per outbound row of the document's table, minus {@link firewallOmittedServiceTags}. */
export function firewallNetworkRules(opts: FirewallRuleOptions): FirewallNetworkRule[] {
    const { outbound } = requiredNsgRules({
        location: opts.region,
        cloud: opts.cloud,
        nodePublicIp: opts.nodePublicIp,
        hbiWorkspace: opts.hbiWorkspace,
    });
    const tagRules: FirewallNetworkRule[] = outbound
        .filter((r) => firewallOmissionReason(r.destinationAddressPrefix) === undefined)
        .map((r) => ({
            ruleType: "NetworkRule",
            name: r.name,
            description: r.description,
            ipProtocols: [r.protocol === "Udp" ? "UDP" : "TCP"],
            sourceAddresses: [...opts.sourceAddresses],
            destinationAddresses: [r.destinationAddressPrefix],
            destinationPorts: r.destinationPortRanges ? [...r.destinationPortRanges] : [r.destinationPortRange!],
        }));
    return [...tagRules, ...jumpBoxNetworkRules(opts)];
}

/**
 * The jump box's network rule: a Windows jump box activates against Azure's KMS over TCP 1688, which no
 * application rule can carry (catalog/jump-box-hosts.ts). Public cloud only: the addresses are its KMS's.
 */
export function jumpBoxNetworkRules(opts: FirewallRuleOptions): FirewallNetworkRule[] {
    if (opts.jumpBoxSource === undefined || (opts.jumpBoxOs ?? "windows") !== "windows") return [];
    if (opts.cloud !== "AzureCloud") return [];
    return [
        {
            ruleType: "NetworkRule",
            name: "Allow-jump-box-windows-activation",
            description: `Windows activation of the jump box: ${windowsActivationKms.host} TCP ${windowsActivationKms.port} (${windowsActivationSource}).`,
            ipProtocols: ["TCP"],
            sourceAddresses: [opts.jumpBoxSource],
            destinationAddresses: [...windowsActivationKms.addresses],
            destinationPorts: [windowsActivationKms.port],
        },
    ];
}

/** Why a service tag (`Storage.westeurope`, `AzureFrontDoor.FrontEnd`) has no firewall network rule, if it has none. */
export function firewallOmissionReason(tag: string): string | undefined {
    return firewallOmittedServiceTags[tag] ?? firewallOmittedServiceTags[tag.split(".")[0]];
}

/** Application rules: one per selected group (hosts reached by name), and one for the caller's extra hosts. */
export function firewallApplicationRules(opts: FirewallRuleOptions): FirewallApplicationRule[] {
    const rules: FirewallApplicationRule[] = [];
    for (const group of opts.groups) {
        const hosts = allowedEgressHostNames([group], opts.region, opts.cloud);
        if (hosts.length === 0) continue;
        rules.push({
            ruleType: "ApplicationRule",
            name: `Allow-${group}`,
            description: `Host catalogue group "${group}" (components/catalog/egress-hosts.ts).`,
            sourceAddresses: [...opts.sourceAddresses],
            protocols: [{ protocolType: "Https", port: 443 }],
            targetFqdns: hosts,
        });
    }
    if (opts.jumpBoxSource !== undefined) rules.push(...jumpBoxApplicationRules(opts, opts.jumpBoxSource));
    if (opts.extraHosts.length > 0) {
        rules.push({
            ruleType: "ApplicationRule",
            name: "Allow-extra",
            description: "Hosts the caller added (extraEgressHosts).",
            sourceAddresses: [...opts.sourceAddresses],
            protocols: [{ protocolType: "Https", port: 443 }],
            targetFqdns: [...opts.extraHosts],
        });
    }
    return rules;
}

/**
 * The jump box's own rules (its subnet is their only source; the compute rules keep theirs): Entra ID
 * sign-in to the VM (its login extension's documented hosts), the studio and APIs in a browser (the
 * `microsoft` group), and what az, az ml, the SDK and the OS need (catalog/jump-box-hosts.ts). Without
 * the last, `az login`, `az extension add --name ml` and `pip install azure-ai-ml` failed there.
 */
export function jumpBoxApplicationRules(opts: FirewallRuleOptions, source: string): FirewallApplicationRule[] {
    const os = opts.jumpBoxOs ?? "windows";
    const login = os === "windows" ? windowsVmLoginHosts : vmLoginHosts;
    const loginSource = os === "windows" ? windowsVmLoginHostsSource : vmLoginHostsSource;
    const tools = jumpBoxToolHosts(os, opts.cloud);
    const httpsHosts = [
        ...login[opts.cloud].map((h) => h.host),
        ...allowedEgressHostNames(["microsoft"], opts.region, opts.cloud),
        ...tools.filter((h) => h.protocol === "Https").map((h) => h.host),
    ];
    const rules: FirewallApplicationRule[] = [
        {
            ruleType: "ApplicationRule",
            name: "Allow-jump-box",
            description: `The jump box (${os}): Microsoft Entra ID sign-in (${loginSource}), the studio, and the Azure CLI, its ml extension and the SDK (components/catalog/jump-box-hosts.ts).`,
            sourceAddresses: [source],
            protocols: [{ protocolType: "Https", port: 443 }],
            targetFqdns: [...new Set(httpsHosts)],
        },
    ];
    const httpHosts = [...new Set(tools.filter((h) => h.protocol === "Http").map((h) => h.host))];
    if (httpHosts.length > 0) {
        rules.push({
            ruleType: "ApplicationRule",
            name: "Allow-jump-box-os-http",
            description: "The jump box's OS package mirror over HTTP (apt's default; the packages are signed).",
            sourceAddresses: [source],
            protocols: [{ protocolType: "Http", port: 80 }],
            targetFqdns: httpHosts,
        });
    }
    const tags = jumpBoxFqdnTags(os);
    if (tags.length > 0) {
        rules.push({
            ruleType: "ApplicationRule",
            name: "Allow-jump-box-os-updates",
            description: `The jump box's OS updates through Azure Firewall FQDN tags (${firewallFqdnTagsSource}).`,
            sourceAddresses: [source],
            protocols: [
                { protocolType: "Http", port: 80 },
                { protocolType: "Https", port: 443 },
            ],
            fqdnTags: tags,
        });
    }
    return rules;
}

/** A route of the compute subnets' route table besides 0.0.0.0/0 → firewall, to a service tag. */
export interface ComputeRoute {
    name: string;
    /** The service tag the route's address prefix names (`.<region>` appended when `regional`). */
    serviceTag: string;
    regional: boolean;
    nextHopType: "Internet";
    /** Why the route exists. */
    reason: string;
}

/**
 * Nodes with public IPs receive Azure Machine Learning's and Batch's inbound management traffic on
 * those IPs, and the replies must not go through the firewall (asymmetric routing):
 * how-to-access-azureml-behind-firewall, "Scenario: Using compute cluster or compute instance with a
 * public IP", asks for user-defined routes with next hop Internet for `AzureMachineLearning` (and the
 * `BatchNodeManagement` addresses). Nodes without public IPs receive no such traffic ("doesn't require
 * this inbound communication"), so the default, no public IP, gets no such routes.
 */
export function internetRoutes(nodePublicIp: boolean): ComputeRoute[] {
    if (!nodePublicIp) return [];
    const reason = "inbound management traffic to node public IPs must return directly, not through the firewall";
    return [
        {
            name: "AzureMachineLearning",
            serviceTag: "AzureMachineLearning",
            regional: false,
            nextHopType: "Internet",
            reason,
        },
        {
            name: "BatchNodeManagement",
            serviceTag: "BatchNodeManagement",
            regional: true,
            nextHopType: "Internet",
            reason,
        },
    ];
}

/** A route's address prefix in a region (`BatchNodeManagement.westeurope`). */
export function routePrefix(route: ComputeRoute, region: string): string {
    return route.regional ? `${route.serviceTag}.${normaliseRegion(region)}` : route.serviceTag;
}

/** Every catalogue row of the selected groups as the egress report shows it (host, how it is reached). */
export function egressHostSummary(
    groups: readonly EgressHostGroup[],
    region: string,
    cloud: AzureCloud,
): { host: string; group: EgressHostGroup; path: string }[] {
    return egressHostsFor(groups, cloud).map((h) => ({
        host: hostIn(h, region),
        group: h.group,
        path: h.path === "serviceTag" ? `service tag ${h.serviceTag}` : h.path,
    }));
}

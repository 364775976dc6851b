import { ResourceValidationPolicy } from "@pulumi/policy";
import { allowedEgressHostNames, egressHostGroups, isWildcardAll } from "./catalog";
import { UNKNOWN, configOf, eqi, get, known, list, resourceRule, show, tokens } from "./util";

/**
 * Egress controls: Azure Firewall application rules and the workspace's managed network. The stack
 * rules that relate compute subnets to the firewall and the service endpoint policy are in
 * stack/egress.ts.
 */

export const egressTokens = {
    firewall: "azure-native:network:AzureFirewall",
    firewallPolicy: "azure-native:network:FirewallPolicy",
    ruleCollectionGroup: "azure-native:network:FirewallPolicyRuleCollectionGroup",
    routeTable: "azure-native:network:RouteTable",
    route: "azure-native:network:Route",
    serviceEndpointPolicy: "azure-native:network:ServiceEndpointPolicy",
} as const;

const firewallPage = "https://learn.microsoft.com/azure/machine-learning/how-to-access-azureml-behind-firewall";
const managedNetworkPage = "https://learn.microsoft.com/azure/machine-learning/how-to-managed-network";

/** The application rules' target FQDNs that allow everything, with where they are. */
function wildcardTargets(props: Record<string, unknown>, type: string): string[] {
    const found: string[] = [];
    const check = (rules: unknown, where: string) => {
        const items = list(rules);
        if (items === UNKNOWN) return;
        items.forEach((rule, i) => {
            const ruleType = get(rule, "ruleType");
            // Classic firewall rules have no ruleType; policy rules say "ApplicationRule".
            if (ruleType !== undefined && ruleType !== UNKNOWN && !eqi(ruleType, "ApplicationRule")) return;
            const fqdns = list(get(rule, "targetFqdns"));
            if (fqdns === UNKNOWN) return;
            for (const fqdn of fqdns) {
                if (isWildcardAll(fqdn))
                    found.push(`${where}.rules[${i}] "${String(get(rule, "name") ?? i)}" targets ${show(fqdn)}`);
            }
        });
    };
    const key = type === egressTokens.firewall ? "applicationRuleCollections" : "ruleCollections";
    const collections = list(get(props, key));
    if (collections === UNKNOWN) return found;
    collections.forEach((c, i) => {
        const name = String(get(c, "name") ?? i);
        check(get(c, type === egressTokens.firewall ? "properties.rules" : "rules"), `${key}[${i}] "${name}"`);
        if (type === egressTokens.firewall) check(get(c, "rules"), `${key}[${i}] "${name}"`);
    });
    return found;
}

export const firewallNoWildcardApplicationRule: ResourceValidationPolicy = resourceRule(
    {
        name: "firewall-no-wildcard-application-rule",
        description:
            "No Azure Firewall application rule (firewall policy rule collection group, or a classic firewall's application rule collection) targets the FQDN `*` or a bare wildcard: that turns the egress allow-list into open egress.",
        enforcementLevel: "mandatory",
        severity: "high",
        remediationSteps:
            "List the hosts compute needs (the host catalogue's groups: egressHostGroups, plus extraEgressHosts) instead of `*`; a wildcard belongs only in front of a domain (`*.pythonhosted.org`).",
        sources: { learn: firewallPage },
    },
    [egressTokens.ruleCollectionGroup, egressTokens.firewall],
    (props, report, args) => {
        for (const where of wildcardTargets(props, args.type)) {
            report(`${where}: an application rule that allows every host; name the hosts instead.`);
        }
    },
);

export const mlManagedNetworkApprovedOutbound: ResourceValidationPolicy = resourceRule(
    {
        name: "ml-managed-network-approved-outbound",
        description:
            "With config requireApprovedOutbound: true, a workspace whose managed network allows all internet outbound (isolationMode AllowInternetOutbound) is a violation; AllowOnlyApprovedOutbound is required. Workspaces without a managed network (Disabled: computes in the customer VNet) are out of scope. Off by default.",
        enforcementLevel: "mandatory",
        severity: "high",
        remediationSteps:
            'Set managedNetwork.isolationMode: "AllowOnlyApprovedOutbound" and add outbound rules (FQDN, private endpoint, service tag) for what computes need (SecureMlWorkspace: isolation: "managed").',
        sources: { azurePolicy: ["6ddb1705-c8cf-450e-aa4b-19ad6703c440"], learn: managedNetworkPage },
        configSchema: {
            properties: {
                requireApprovedOutbound: {
                    type: "boolean",
                    default: false,
                    description: "Report workspaces whose managed network is AllowInternetOutbound.",
                },
            },
        },
    },
    [tokens.workspace],
    (props, report, args) => {
        const config = configOf<{ requireApprovedOutbound?: boolean }>(mlManagedNetworkApprovedOutbound, args);
        if (config.requireApprovedOutbound !== true) return;
        const mode = known(props, "managedNetwork.isolationMode");
        if (eqi(mode, "AllowInternetOutbound")) {
            report(
                'managedNetwork.isolationMode is "AllowInternetOutbound": computes in the managed network can reach any internet host; use "AllowOnlyApprovedOutbound".',
            );
        }
    },
);

export const mlManagedNetworkFqdnAllowed: ResourceValidationPolicy = resourceRule(
    {
        name: "ml-managed-network-fqdn-allowed",
        description:
            "Every FQDN outbound rule of a workspace's managed network targets a host of the allow-list (config allowedFqdns; default: the host catalogue's hosts, every group), and none is `*`.",
        enforcementLevel: "mandatory",
        severity: "medium",
        remediationSteps:
            "Remove the FQDN outbound rule, or add the host to the policy config's allowedFqdns after review (exact names; a leading `*.` wildcard matches only the same wildcard).",
        sources: { learn: `${managedNetworkPage}#scenario-enable-access-to-python-packages` },
        configSchema: {
            properties: {
                allowedFqdns: {
                    type: "array",
                    items: { type: "string" },
                    description:
                        "FQDNs managed-network outbound rules may target. Unset: the host catalogue's hosts of every group (components/catalog/egress-hosts.ts), with <region> filled from the workspace's location.",
                },
            },
        },
    },
    [tokens.workspace],
    (props, report, args) => {
        const rules = get(props, "managedNetwork.outboundRules");
        if (rules === UNKNOWN || rules === undefined || rules === null || typeof rules !== "object") return;
        const config = configOf<{ allowedFqdns?: string[] }>(mlManagedNetworkFqdnAllowed, args);
        const location = get(props, "location");
        const allowed = new Set(
            (
                config.allowedFqdns ??
                allowedEgressHostNames(egressHostGroups, typeof location === "string" ? location : "")
            ).map((h) => h.toLowerCase()),
        );
        for (const [name, rule] of Object.entries(rules as Record<string, unknown>)) {
            if (!eqi(get(rule, "type"), "FQDN")) continue;
            const destination = get(rule, "destination");
            if (destination === UNKNOWN || typeof destination !== "string") continue;
            if (isWildcardAll(destination)) {
                report(`managedNetwork.outboundRules["${name}"] targets ${show(destination)}: every host.`);
            } else if (!allowed.has(destination.toLowerCase())) {
                report(
                    `managedNetwork.outboundRules["${name}"] targets ${show(destination)}, which is not in the allowed FQDN list.`,
                );
            }
        }
    },
);

export const egressPolicies = [
    firewallNoWildcardApplicationRule,
    mlManagedNetworkApprovedOutbound,
    mlManagedNetworkFqdnAllowed,
];

import * as pulumi from "@pulumi/pulumi";
import * as monitor from "@pulumi/azure-native/monitor";
import * as network from "@pulumi/azure-native/network";
import { ComputeRoute, FirewallApplicationRule, FirewallNetworkRule, routePrefix } from "./egress-rules";
import { createStaticPublicIp } from "../network/public-ip";

/**
 * The Azure Firewall of `egress: firewall`: its public IP, a firewall policy with the catalogue's rules,
 * the firewall in `AzureFirewallSubnet`, the compute subnets' routes to it, and its diagnostics.
 *
 * Standard SKU: application rules filter HTTP/S by host name (SNI) and network rules by service tag,
 * which is all an allow-list of package hosts needs. Premium adds TLS inspection (URL paths, e.g. the
 * document's raw.githubusercontent.com/.../azureml_remote_websocket_server/*), IDPS and web categories
 * at a higher fixed price, and TLS inspection needs an intermediate CA in a key vault that every
 * image build would have to trust; not worth it for this allow-list.
 */

export interface EgressFirewallArgs {
    resourceGroupName: pulumi.Input<string>;
    location: pulumi.Input<string>;
    tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** `AzureFirewallSubnet`'s id. */
    subnetId: pulumi.Input<string>;
    /** The route table the compute subnets use (created before the VNet, routes added here). */
    routeTableName: pulumi.Input<string>;
    /** The region's name, for regional service tags in routes. */
    region: pulumi.Input<string>;
    networkRules: pulumi.Input<FirewallNetworkRule[]>;
    applicationRules: pulumi.Input<FirewallApplicationRule[]>;
    /** Routes besides 0.0.0.0/0 → firewall (next hop Internet for nodes with public IPs). */
    extraRoutes: ComputeRoute[];
    /** The Log Analytics workspace that receives the firewall's logs; no diagnostic setting without one. */
    logAnalyticsWorkspaceId?: pulumi.Input<string>;
}

export interface EgressFirewall {
    firewall: network.AzureFirewall;
    policy: network.FirewallPolicy;
    /** The policy's rule collections (network and application rules). */
    ruleCollectionGroup: network.FirewallPolicyRuleCollectionGroup;
    publicIp: network.PublicIPAddress;
    /** The firewall's private IP, the compute subnets' next hop. */
    privateIp: pulumi.Output<string>;
    defaultRoute: network.Route;
}

/** Rule collection priorities: network rules are evaluated before application rules anyway. */
const networkCollectionPriority = 100;
const applicationCollectionPriority = 200;

export function createEgressFirewall(
    name: string,
    args: EgressFirewallArgs,
    opts: pulumi.CustomResourceOptions,
): EgressFirewall {
    const common = { resourceGroupName: args.resourceGroupName, location: args.location, tags: args.tags };
    const publicIp = createStaticPublicIp(`${name}-fw-pip`, common, opts);

    const policy = new network.FirewallPolicy(
        `${name}-fw-policy`,
        {
            ...common,
            sku: { tier: network.FirewallPolicySkuTier.Standard },
            // Known-malicious destinations are dropped, not only logged (the default is Alert).
            threatIntelMode: network.AzureFirewallThreatIntelMode.Deny,
        },
        opts,
    );

    // Anything no rule allows is denied: Azure Firewall's default action.
    const ruleCollectionGroup = new network.FirewallPolicyRuleCollectionGroup(
        `${name}-fw-rules`,
        {
            resourceGroupName: args.resourceGroupName,
            firewallPolicyName: policy.name,
            priority: 200,
            ruleCollections: pulumi
                .all([args.networkRules, args.applicationRules])
                .apply(([networkRules, applicationRules]) => [
                    {
                        ruleCollectionType: "FirewallPolicyFilterRuleCollection" as const,
                        name: "ml-service-tags",
                        priority: networkCollectionPriority,
                        action: { type: network.FirewallPolicyFilterRuleCollectionActionType.Allow },
                        rules: networkRules,
                    },
                    ...(applicationRules.length > 0
                        ? [
                              {
                                  ruleCollectionType: "FirewallPolicyFilterRuleCollection" as const,
                                  name: "ml-hosts",
                                  priority: applicationCollectionPriority,
                                  action: { type: network.FirewallPolicyFilterRuleCollectionActionType.Allow },
                                  rules: applicationRules,
                              },
                          ]
                        : []),
                ]),
        },
        opts,
    );

    const firewall = new network.AzureFirewall(
        `${name}-fw`,
        {
            ...common,
            sku: { name: network.AzureFirewallSkuName.AZFW_VNet, tier: network.AzureFirewallSkuTier.Standard },
            firewallPolicy: { id: policy.id },
            ipConfigurations: [
                { name: "fw-ipconfig", subnet: { id: args.subnetId }, publicIPAddress: { id: publicIp.id } },
            ],
        },
        // The policy's rules must exist before traffic is routed through the firewall.
        { ...opts, dependsOn: [ruleCollectionGroup] },
    );
    const privateIp = firewall.ipConfigurations.apply((c) => c?.[0]?.privateIPAddress as string);

    // Standalone routes in a route table without inline routes: azure-native keeps sub-resources a
    // resource does not set (pulumi/pulumi-azure-native#2950, #4178), and the route needs the firewall's
    // IP, which needs the VNet, which needs the route table: inline routes would be a cycle.
    const route = (routeName: string, props: Omit<network.RouteArgs, "resourceGroupName" | "routeTableName">) =>
        new network.Route(
            `${name}-route-${routeName.toLowerCase()}`,
            { resourceGroupName: args.resourceGroupName, routeTableName: args.routeTableName, routeName, ...props },
            opts,
        );
    const defaultRoute = route("default-to-firewall", {
        addressPrefix: "0.0.0.0/0",
        nextHopType: network.RouteNextHopType.VirtualAppliance,
        nextHopIpAddress: privateIp,
    });
    for (const r of args.extraRoutes) {
        route(r.name, {
            addressPrefix: pulumi.output(args.region).apply((region) => routePrefix(r, region)),
            nextHopType: network.RouteNextHopType.Internet,
        });
    }

    if (args.logAnalyticsWorkspaceId !== undefined) {
        // Every rule hit (allowed and denied) lands in the workspace's Log Analytics, resource-specific tables.
        new monitor.DiagnosticSetting(
            `${name}-fw-diagnostics`,
            {
                name: "to-log-analytics",
                resourceUri: firewall.id,
                workspaceId: args.logAnalyticsWorkspaceId,
                logAnalyticsDestinationType: "Dedicated",
                logs: [{ categoryGroup: "allLogs", enabled: true }],
                metrics: [{ category: "AllMetrics", enabled: true }],
            },
            opts,
        );
    }

    return { firewall, policy, ruleCollectionGroup, publicIp, privateIp, defaultRoute };
}

import * as pulumi from "@pulumi/pulumi";
import * as monitor from "@pulumi/azure-native/monitor";
import { EndpointPlacement, PartArgs } from "../common";
import { createPrivateEndpoint, PrivateEndpointResources } from "../network/private-endpoint";

/**
 * An Azure Monitor Private Link Scope (AMPLS) for the workspace's Log Analytics workspace and
 * Application Insights, with its one private endpoint (`azuremonitor`) in the workspace's
 * private-endpoint subnet.
 *
 * Access modes are Open for ingestion and for query, as the source document's warning requires: an
 * AMPLS takes over the Azure Monitor DNS names for the whole VNet, and in PrivateOnly mode every other
 * Azure Monitor resource (another team's workspace, a diagnostic setting's destination) becomes
 * unreachable from it. Open lets those keep working over their public endpoints while the resources in
 * the scope are reached privately. The ingestion and query restrictions of the workspace's own two
 * resources are set on the resources themselves (monitoring.ts), not by the scope's mode.
 * https://learn.microsoft.com/azure/azure-monitor/logs/private-link-design#control-how-private-links-apply-to-your-networks
 */

export interface MonitorPrivateLinkArgs extends PartArgs {
    logAnalyticsWorkspaceId: pulumi.Input<string>;
    applicationInsightsId: pulumi.Input<string>;
    endpoints: EndpointPlacement;
}

export interface MonitorPrivateLink {
    scope: monitor.PrivateLinkScope;
    scopedResources: monitor.PrivateLinkScopedResource[];
    privateEndpoint: PrivateEndpointResources;
}

export function createMonitorPrivateLink(
    name: string,
    args: MonitorPrivateLinkArgs,
    opts: pulumi.CustomResourceOptions,
): MonitorPrivateLink {
    const scope = new monitor.PrivateLinkScope(
        `${name}-ampls`,
        {
            resourceGroupName: args.resourceGroupName,
            // A private link scope is a global resource.
            location: "global",
            accessModeSettings: {
                ingestionAccessMode: monitor.AccessMode.Open,
                queryAccessMode: monitor.AccessMode.Open,
                exclusions: [],
            },
            tags: args.tags,
        },
        opts,
    );
    const scoped = (suffix: string, linkedResourceId: pulumi.Input<string>) =>
        new monitor.PrivateLinkScopedResource(
            `${name}-ampls-${suffix}`,
            {
                resourceGroupName: args.resourceGroupName,
                scopeName: scope.name,
                name: suffix,
                kind: monitor.ScopedResourceKind.Resource,
                linkedResourceId,
            },
            opts,
        );
    const scopedResources = [scoped("logs", args.logAnalyticsWorkspaceId), scoped("appi", args.applicationInsightsId)];

    // After the scoped resources: the endpoint's DNS records include per-resource names (the Log
    // Analytics workspace's own ingestion endpoints), which the zone group writes when it is created.
    const privateEndpoint = createPrivateEndpoint(
        `${name}-azuremonitor-pe`,
        {
            resourceGroupName: args.resourceGroupName,
            location: args.location,
            subnetId: args.endpoints.subnetId,
            privateLinkServiceId: scope.id,
            groupId: "azuremonitor",
            cloud: args.endpoints.cloud,
            privateDnsZoneIds: args.endpoints.privateDnsZoneIds,
            tags: args.tags,
        },
        { ...opts, dependsOn: scopedResources },
    );
    return { scope, scopedResources, privateEndpoint };
}

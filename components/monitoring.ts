import * as pulumi from "@pulumi/pulumi";
import * as applicationinsights from "@pulumi/azure-native/applicationinsights";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import { PartArgs } from "./common";

/** Days Log Analytics keeps the workspace's logs (the price tier's included retention). */
export const logRetentionDays = 30;

export interface WorkspaceMonitoring {
    logAnalytics: operationalinsights.Workspace;
    applicationInsights: applicationinsights.Component;
}

/**
 * A Log Analytics workspace and a workspace-based Application Insights component (classic, stand-alone
 * Application Insights is retired).
 *
 * Public ingestion and query stay Enabled, deliberately. Disabling public ingestion only works with an
 * Azure Monitor Private Link Scope (AMPLS) and its private endpoint: without one, telemetry from compute
 * in the VNet and from online endpoints goes to the public ingestion endpoint and would be dropped, and
 * disabling public query would lock the portal and the studio's monitoring views out. An AMPLS is a
 * DNS-wide decision (it takes over the monitor zones for the whole VNet, and the document requires its
 * Open access mode so other Azure Monitor resources stay reachable), so it is left to the platform
 * team; the advisory policy `appinsights-private-ingestion` reports this choice on purpose.
 */
export function createWorkspaceMonitoring(
    name: string,
    args: PartArgs,
    opts: pulumi.CustomResourceOptions,
): WorkspaceMonitoring {
    const logAnalytics = new operationalinsights.Workspace(
        `${name}-logs`,
        {
            resourceGroupName: args.resourceGroupName,
            location: args.location,
            sku: { name: operationalinsights.WorkspaceSkuNameEnum.PerGB2018 },
            retentionInDays: logRetentionDays,
            publicNetworkAccessForIngestion: operationalinsights.PublicNetworkAccessType.Enabled,
            publicNetworkAccessForQuery: operationalinsights.PublicNetworkAccessType.Enabled,
            tags: args.tags,
        },
        opts,
    );

    const applicationInsights = new applicationinsights.Component(
        `${name}-appi`,
        {
            resourceGroupName: args.resourceGroupName,
            location: args.location,
            kind: "web",
            applicationType: applicationinsights.ApplicationType.Web,
            workspaceResourceId: logAnalytics.id,
            ingestionMode: applicationinsights.IngestionMode.LogAnalytics,
            publicNetworkAccessForIngestion: applicationinsights.PublicNetworkAccessType.Enabled,
            publicNetworkAccessForQuery: applicationinsights.PublicNetworkAccessType.Enabled,
            tags: args.tags,
        },
        opts,
    );

    return { logAnalytics, applicationInsights };
}

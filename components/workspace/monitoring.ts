import * as pulumi from "@pulumi/pulumi";
import * as applicationinsights from "@pulumi/azure-native/applicationinsights";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import { PartArgs } from "../common";
import { WorkspaceIsolation } from "../catalog/egress-modes";
import { monitorReachability } from "../catalog/monitor-reachability";

/** Days Log Analytics keeps the workspace's logs (the price tier's included retention). */
export const logRetentionDays = 30;

export interface WorkspaceMonitoring {
    logAnalytics: operationalinsights.Workspace;
    applicationInsights: applicationinsights.Component;
}

export interface WorkspaceMonitoringArgs extends PartArgs {
    /**
     * Whether telemetry arrives only over Azure Monitor private link (the caller creates the private link
     * scope, monitor-private-link.ts). Without a scope, disabling public ingestion would drop it.
     */
    privateIngestion: boolean;
    /** Where computes run: decides whether they can reach the scope (catalog/monitor-reachability.ts). */
    isolation: WorkspaceIsolation;
}

/**
 * A Log Analytics workspace and a workspace-based Application Insights component (classic, stand-alone
 * Application Insights is retired).
 *
 * With `privateIngestion` (the default of SecureMlWorkspace, which then scopes both into an Azure
 * Monitor Private Link Scope) public ingestion is Disabled: telemetry from compute in the VNet and from
 * endpoints arrives only through the private endpoint, as the document's warning about Azure Monitor
 * asks. Public QUERY stays Enabled on purpose: the Azure portal, the studio's monitoring views and
 * workbooks query from the person's browser, which is usually not in the VNet; Microsoft Entra ID and
 * Azure RBAC still decide who may read. Query can be locked down too once every reader works through
 * the VNet (jump box or VPN).
 *
 * Without it, both stay Enabled (no private path exists), and the advisory `appinsights-private-ingestion`
 * reports it.
 *
 * With `isolation: "managed"` Application Insights' ingestion stays Enabled even with the scope: the
 * computes and managed online deployments in the workspace's managed VNet cannot reach it (no private
 * endpoint from a managed VNet to an Azure Monitor Private Link Scope is supported; they send over the
 * AzureMonitor service tag), and Disabled would drop their telemetry without an error
 * (catalog/monitor-reachability.ts has the pages). Log Analytics keeps Disabled: nothing in the managed
 * VNet writes to it directly; Application Insights stores into it on Azure's side.
 */
export function createWorkspaceMonitoring(
    name: string,
    args: WorkspaceMonitoringArgs,
    opts: pulumi.CustomResourceOptions,
): WorkspaceMonitoring {
    const ingestion = args.privateIngestion ? "Disabled" : "Enabled";
    const telemetryIngestion = args.privateIngestion
        ? monitorReachability[args.isolation].applicationInsightsIngestion
        : "Enabled";
    const logAnalytics = new operationalinsights.Workspace(
        `${name}-logs`,
        {
            resourceGroupName: args.resourceGroupName,
            location: args.location,
            sku: { name: operationalinsights.WorkspaceSkuNameEnum.PerGB2018 },
            retentionInDays: logRetentionDays,
            publicNetworkAccessForIngestion: operationalinsights.PublicNetworkAccessType[ingestion],
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
            publicNetworkAccessForIngestion: applicationinsights.PublicNetworkAccessType[telemetryIngestion],
            publicNetworkAccessForQuery: applicationinsights.PublicNetworkAccessType.Enabled,
            tags: args.tags,
        },
        opts,
    );

    return { logAnalytics, applicationInsights };
}

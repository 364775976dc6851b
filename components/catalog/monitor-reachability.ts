import { WorkspaceIsolation } from "./egress-modes";

/**
 * Whether the workspace's computes and managed online deployments can reach its Application Insights
 * through the Azure Monitor Private Link Scope (AMPLS), per isolation mode, and so which ingestion
 * setting keeps their telemetry. With public ingestion Disabled, "clients (such as machines and SDKs)
 * outside the connected scopes can't upload data or send logs to this resource"
 * (https://learn.microsoft.com/azure/azure-monitor/logs/private-link-configure): Azure does not fail the
 * job or the deployment, the telemetry is dropped. Data, used by the component (monitoring.ts) and
 * quoted by the README.
 */
export interface TelemetryPath {
    /** Who sends the telemetry. */
    sender: string;
    /** Whether the sender reaches the AMPLS's private endpoint (the private DNS zones resolve for it). */
    reachesPrivateLinkScope: boolean;
    /** How its telemetry reaches Azure Monitor. */
    path: string;
    /** The Microsoft page that says so. */
    source: string;
}

export interface MonitorReachability {
    isolation: WorkspaceIsolation;
    paths: readonly TelemetryPath[];
    /**
     * The Application Insights component's `publicNetworkAccessForIngestion` the component sets (with
     * `monitorPrivateLink` on): Disabled only when every sender reaches the scope.
     */
    applicationInsightsIngestion: "Enabled" | "Disabled";
    /** Why, in a sentence. */
    why: string;
}

const managedNetworkPage = "https://learn.microsoft.com/azure/machine-learning/how-to-managed-network";
const legacyEndpointPage =
    "https://learn.microsoft.com/azure/machine-learning/concept-secure-online-endpoint#secure-outbound-access-with-legacy-network-isolation-method";

export const monitorReachability: Readonly<Record<WorkspaceIsolation, MonitorReachability>> = {
    customerVnet: {
        isolation: "customerVnet",
        paths: [
            {
                sender: "compute clusters and compute instances in the training subnet",
                reachesPrivateLinkScope: true,
                path: "the AMPLS's azuremonitor private endpoint in this VNet, its zones linked to the VNet",
                source: "https://learn.microsoft.com/azure/azure-monitor/logs/private-link-security",
            },
            {
                sender: "managed online deployments (legacy isolation: egress_public_network_access)",
                reachesPrivateLinkScope: false,
                path: "none private: a deployment with egress disabled gets private endpoints to the workspace, its blob storage and its registry only, and Azure ML does not peer its network with this VNet; with egress enabled it reaches only public endpoints",
                source: legacyEndpointPage,
            },
        ],
        applicationInsightsIngestion: "Disabled",
        why: "the computes that run here reach the scope privately; managed online deployments in this mode cannot, so a deployment with app_insights_enabled loses its telemetry (the online-endpoint catalogue says so and points to isolation: managed)",
    },
    managed: {
        isolation: "managed",
        paths: [
            {
                sender: "compute clusters, compute instances, serverless compute and managed online deployments in the workspace's managed VNet",
                reachesPrivateLinkScope: false,
                path: "the managed VNet's required AzureMonitor service-tag outbound rule, to Azure Monitor's public ingestion endpoint: a managed VNet's private endpoints are supported for a fixed list of services that has no Azure Monitor Private Link Scope, and it cannot reach the private endpoint in this VNet",
                source: `${managedNetworkPage}#private-endpoints`,
            },
        ],
        applicationInsightsIngestion: "Enabled",
        why: "nothing in the managed VNet can reach the scope, so Disabled would silently drop every job's and deployment's Application Insights telemetry; ingestion stays Enabled (writing still needs the component's connection string), query stays as before, and clients in this VNet still use the private endpoint",
    },
};

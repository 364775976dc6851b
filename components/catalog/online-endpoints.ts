import { WorkspaceIsolation } from "./egress-modes";

/**
 * Managed online endpoints behind this package's workspace: what works in each isolation mode, the
 * endpoint and deployment flags to set, and the roles a deployment needs, as data with Microsoft's
 * pages. Read by the README and by the policy pack's "online endpoint deploys" journey; the component
 * creates no endpoint (endpoints and deployments are the data scientists', created in the studio, the
 * CLI or the SDK).
 *
 * The two ways Microsoft isolates a managed online deployment's OUTBOUND traffic:
 * - legacy: each deployment gets a managed VNet of its own, with private endpoints to the workspace,
 *   its blob storage and its registry, when the deployment is created with
 *   `egress_public_network_access: disabled`. The only way with `isolation: "customerVnet"` (the
 *   workspace has no managed network). Microsoft "strongly recommend[s]" the workspace managed VNet instead.
 * - the workspace managed VNet (`isolation: "managed"`): deployments share the workspace's managed VNet
 *   and its private endpoints; `egress_public_network_access` "no longer applies".
 * INBOUND is the same in both: the endpoint's `public_network_access: disabled` makes it reachable only
 * through the workspace's private endpoint, which this package creates in every mode.
 */

const concept = "https://learn.microsoft.com/azure/machine-learning/concept-secure-online-endpoint";
const legacy = `${concept}#secure-outbound-access-with-legacy-network-isolation-method`;
const managedOutbound = `${concept}#secure-outbound-access-with-workspace-managed-virtual-network`;
const inbound = `${concept}#secure-inbound-scoring-requests`;
const howTo = "https://learn.microsoft.com/azure/machine-learning/how-to-secure-online-endpoint";
const troubleshoot = "https://learn.microsoft.com/azure/machine-learning/how-to-troubleshoot-online-endpoints";
const auth = "https://learn.microsoft.com/azure/machine-learning/concept-endpoints-online-auth";

/** One thing a deployment may need, and whether it works in the mode. */
export interface OnlineEndpointCapability {
    what: string;
    works: boolean;
    /** How, or why not, in a sentence. */
    note: string;
    source: string;
}

/** A flag of the endpoint (`az ml online-endpoint`) or the deployment (`az ml online-deployment`). */
export interface OnlineEndpointFlag {
    on: "endpoint" | "deployment";
    /** The CLI/SDK name (the ARM property in parentheses where it differs). */
    flag: string;
    /** The value to set, or `"leave unset"`. */
    value: "disabled" | "enabled" | "leave unset";
    why: string;
    source: string;
}

export interface OnlineEndpointIsolation {
    isolation: WorkspaceIsolation;
    /** How deployments' outbound traffic is isolated in this mode. */
    outbound: "legacy per-deployment managed VNet" | "workspace managed VNet";
    /** Microsoft's recommendation for new endpoints. */
    recommended: boolean;
    flags: readonly OnlineEndpointFlag[];
    capabilities: readonly OnlineEndpointCapability[];
    /** What to do instead when something needed does not work here. */
    instead?: string;
}

const inboundFlag: OnlineEndpointFlag = {
    on: "endpoint",
    flag: "public_network_access (publicNetworkAccess)",
    value: "disabled",
    why: "scoring requests then arrive only through the workspace's private endpoint (this VNet); the endpoint cannot be reached from public networks",
    source: inbound,
};

const inboundWorks: OnlineEndpointCapability = {
    what: "score from this VNet (or a peered one) through the workspace's private endpoint",
    works: true,
    note: "the workspace's amlworkspace private endpoint and its zones are created in every mode",
    source: inbound,
};

const controlPlane: OnlineEndpointCapability = {
    what: "create, update and delete endpoints and deployments from outside the VNet",
    works: true,
    note: "control-plane operations go to Azure Resource Manager over the public network; network isolation covers scoring (data plane) only",
    source: `${howTo}#limitations`,
};

export const onlineEndpointIsolation: Readonly<Record<WorkspaceIsolation, OnlineEndpointIsolation>> = {
    customerVnet: {
        isolation: "customerVnet",
        outbound: "legacy per-deployment managed VNet",
        recommended: false,
        flags: [
            inboundFlag,
            {
                on: "deployment",
                flag: "egress_public_network_access (egressPublicNetworkAccess)",
                value: "disabled",
                why: "the deployment then downloads its model, code and image through private endpoints to the workspace, its blob storage and its registry; it cannot be changed after creation",
                source: legacy,
            },
        ],
        capabilities: [
            inboundWorks,
            controlPlane,
            {
                what: "models, code and images from the workspace's storage and registry",
                works: true,
                note: "with egress_public_network_access disabled: three private endpoints per deployment (workspace, blob, registry)",
                source: legacy,
            },
            {
                what: "a deployment with egress_public_network_access enabled",
                works: false,
                note: "its outbound goes to the workspace API over the public network, which this workspace refuses (public network access Disabled), and it reaches only public resources, so not this private registry: the image download fails",
                source: legacy,
            },
            {
                what: "the key vault, other storage accounts, any resource in this VNet",
                works: false,
                note: "the legacy managed VNet has only the three private endpoints, and Azure ML does not peer it with a customer VNet; model assets on another storage account fail to download",
                source: legacy,
            },
            {
                what: "MLflow no-code deployment",
                works: false,
                note: "the private network feature cannot be used with an MLflow model format under the legacy method",
                source: `${troubleshoot}#mlflow-model-format-with-private-network-is-unsupported`,
            },
            {
                what: "Application Insights telemetry (app_insights_enabled)",
                works: false,
                note: "the deployment cannot reach the Azure Monitor Private Link Scope and the component's Application Insights accepts ingestion only through it, so the telemetry is dropped (catalog/monitor-reachability.ts)",
                source: legacy,
            },
        ],
        instead:
            'isolation: "managed" (a new workspace): Microsoft strongly recommends the workspace managed VNet over the legacy method, and migrating means new endpoints in a workspace with a managed VNet',
    },
    managed: {
        isolation: "managed",
        outbound: "workspace managed VNet",
        recommended: true,
        flags: [
            inboundFlag,
            {
                on: "deployment",
                flag: "egress_public_network_access (egressPublicNetworkAccess)",
                value: "leave unset",
                why: "with a workspace managed VNet the flag no longer applies; Microsoft says to avoid setting it",
                source: managedOutbound,
            },
        ],
        capabilities: [
            inboundWorks,
            controlPlane,
            {
                what: "the workspace, its storage, key vault and registry",
                works: true,
                note: "through the managed VNet's private endpoints, which every deployment in the workspace shares",
                source: managedOutbound,
            },
            {
                what: "Microsoft Container Registry images (curated environments, MLflow no-code deployment)",
                works: true,
                note: "the managed VNet allows deployments to reach MCR",
                source: managedOutbound,
            },
            {
                what: "other private resources, and public hosts",
                works: true,
                note: "only those added as outbound rules: private-endpoint rules, or FQDN rules for the approved hosts (egressHostGroups, extraEgressHosts)",
                source: managedOutbound,
            },
            {
                what: "the first deployment",
                works: true,
                note: "deployments cannot be created until the managed VNet is provisioned; Azure provisions it when the first compute is created, which is the component's image-build cluster",
                source: "https://learn.microsoft.com/azure/machine-learning/how-to-managed-network#private-endpoints",
            },
            {
                what: "Application Insights telemetry (app_insights_enabled)",
                works: true,
                note: "over the managed VNet's AzureMonitor service-tag rule; the component keeps Application Insights' ingestion Enabled in this mode (catalog/monitor-reachability.ts)",
                source: "https://learn.microsoft.com/azure/machine-learning/how-to-managed-network",
            },
        ],
    },
};

/** A permission someone needs for online endpoints, and whether this package grants it. */
export interface OnlineEndpointPermission {
    who: "data scientist" | "endpoint identity";
    operation: string;
    action: string;
    scope: "workspace" | "endpoint" | "resource group" | "the workspace's registry and storage";
    /** How the package covers it: the role that carries it, or why it is not granted. */
    grantedBy: string;
    granted: boolean;
    source: string;
}

export const onlineEndpointPermissions: readonly OnlineEndpointPermission[] = [
    {
        who: "data scientist",
        operation: "create, update and delete endpoints and deployments (CLI, SDK)",
        action: "Microsoft.MachineLearningServices/workspaces/onlineEndpoints/write, …/delete",
        scope: "workspace",
        grantedBy:
            "AzureML Data Scientist (its actions include Microsoft.MachineLearningServices/workspaces/*/write and */delete; its NotActions do not exclude onlineEndpoints)",
        granted: true,
        source: `${auth}#authorization-for-control-plane-operations`,
    },
    {
        who: "data scientist",
        operation: "fetch keys or an aml_token, invoke with aad_token",
        action: "…/onlineEndpoints/listKeys/action, …/token/action, …/score/action",
        scope: "endpoint",
        grantedBy: "AzureML Data Scientist on the workspace (it covers every endpoint in it)",
        granted: true,
        source: `${auth}#choosing-the-permissions-and-scope-for-authorization`,
    },
    {
        who: "data scientist",
        operation: "create, update and delete endpoints and deployments in the studio",
        action: "Microsoft.Resources/deployments/write",
        scope: "resource group",
        grantedBy:
            "not granted: the studio deploys through an ARM deployment in the workspace's resource group, no built-in role grants only that action, and Contributor there would be a privileged role for people (no-privileged-role-for-people-on-workspace); deploy with the CLI or SDK, or give the team a custom role with Microsoft.Resources/deployments/* on the resource group",
        granted: false,
        source: "https://learn.microsoft.com/azure/machine-learning/how-to-assign-roles#common-scenarios",
    },
    {
        who: "endpoint identity",
        operation: "pull the image, read the default datastore, write metrics",
        action: "AcrPull, Storage Blob Data Reader, AzureML Metrics Writer (preview)",
        scope: "the workspace's registry and storage",
        grantedBy:
            "Azure ML, automatically, for a system-assigned endpoint identity; a user-assigned one gets nothing automatically and its roles are the caller's",
        granted: true,
        source: `${auth}#automatic-role-assignment-for-endpoint-identity`,
    },
];

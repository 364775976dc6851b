import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as random from "@pulumi/random";
import { globalName, NamedResourceKind } from "../catalog/naming";
import { EndpointPlacement } from "../common";
import { createComputeIdentity } from "../access/compute-identity";
import { createPrivateDns } from "../network/dns";
import { createTimeDependsOn } from "../create-time-deps";
import { createWorkspaceKeyVault } from "./key-vault";
import { createMonitorPrivateLink } from "./monitor-private-link";
import { createWorkspaceMonitoring } from "./monitoring";
import { MlNetwork } from "../network/network";
import { computeEgressPathOf } from "../network/compute-egress-path";
import { createWorkspaceRegistry } from "./registry";
import { nameSuffixLength, planSecureMlWorkspace } from "./secure-workspace-plan";
import { createWorkspaceStorage } from "./storage";
import { managedNetworkSettings } from "../egress/managed-network";
import { SecureMlWorkspaceArgs } from "./secure-workspace-args";
import { createMlWorkspace } from "./workspace";
import { createWorkspaceAccess } from "../access/workspace-access";
import { createTrainingCluster } from "./training-cluster";

/** The MlNetwork each SecureMlWorkspace created (see `SecureMlWorkspace.network`). */
const createdNetworks = new WeakMap<SecureMlWorkspace, MlNetwork>();

/**
 * A network-isolated Azure Machine Learning workspace, built the way Microsoft's "Secure an Azure
 * Machine Learning workspace with virtual networks" describes it:
 *
 * - a VNet (`MlNetwork`) with a training subnet whose NSG carries the document's service-tag
 *   rules, or the caller's existing VNet and subnets;
 * - private endpoints, all in one private-endpoint subnet, for the workspace (api + notebooks zones),
 *   storage blob/file (queue/table for ParallelRunStep), the key vault and the Premium registry, each
 *   with a DNS zone group naming exactly the catalogue's zones, and those zones linked to the VNet;
 * - storage, key vault and registry with public access off, "Selected networks"/trusted services, and
 *   the storage resource-instance rule for the workspace;
 * - the workspace with public access off, identity-based datastores and `imageBuildCompute` set to a
 *   CPU compute cluster in the training subnet, because a registry behind a VNet cannot build images;
 * - workspace-based Application Insights and Log Analytics behind an Azure Monitor Private Link Scope
 *   (Open mode), ingesting only privately;
 * - one user-assigned compute identity for the cluster and another for the compute instances, the role assignments
 *   the workspace identity, that identity and the people (`dataScientists`) need, none of them
 *   privileged for people and none duplicating what Azure ML assigns itself;
 * - optionally personal compute instances, and (through `MlNetwork`) a jump box behind Bastion or a
 *   point-to-site VPN gateway.
 *
 * Every argument is validated before anything is registered (`InvalidArgumentError`).
 */
export class SecureMlWorkspace extends pulumi.ComponentResource {
    /** The workspace's ARM id. */
    public readonly workspaceId: pulumi.Output<string>;
    /** The workspace's name. */
    public readonly workspaceName: pulumi.Output<string>;
    /** The VNet's id (created or given). */
    public readonly vnetId: pulumi.Output<string>;
    /** The training subnet's id, where the image-build cluster (and further compute) goes. */
    public readonly trainingSubnetId: pulumi.Output<string>;
    /** The private-endpoint subnet's id, holding every private endpoint of the workspace. */
    public readonly privateEndpointSubnetId: pulumi.Output<string>;
    /** The storage account's ARM id. */
    public readonly storageAccountId: pulumi.Output<string>;
    /** The key vault's ARM id. */
    public readonly keyVaultId: pulumi.Output<string>;
    /** The container registry's ARM id. */
    public readonly containerRegistryId: pulumi.Output<string>;
    /** The Application Insights component's ARM id. */
    public readonly applicationInsightsId: pulumi.Output<string>;
    /** The Log Analytics workspace's ARM id. */
    public readonly logAnalyticsWorkspaceId: pulumi.Output<string>;
    /** Private endpoint ids by group id (`amlworkspace`, `blob`, `file`, `queue`, `table`, `vault`, `registry`). */
    public readonly privateEndpointIds: pulumi.Output<Record<string, string>>;
    /** Private DNS zone ids by zone name, created here or given in `existingPrivateDnsZoneIds`. */
    public readonly privateDnsZoneIds: pulumi.Output<Record<string, string>>;
    /** The image-build compute cluster's name (the workspace's `imageBuildCompute`). */
    public readonly imageBuildClusterName: pulumi.Output<string>;
    /** The user-assigned identity every compute (the cluster, the instances) runs as. */
    public readonly computeIdentityId: pulumi.Output<string>;
    /** The compute identity's principal (object) id, for grants to further data sources. */
    public readonly computeIdentityPrincipalId: pulumi.Output<string>;
    /** The compute instances' names. */
    public readonly computeInstanceNames: pulumi.Output<string[]>;
    /** The shared training cluster's name, or undefined without `enableTrainingCluster`. */
    public readonly trainingClusterName: pulumi.Output<string | undefined>;
    /** The Azure Monitor Private Link Scope's id, or undefined with `monitorPrivateLink: false`. */
    public readonly monitorPrivateLinkScopeId: pulumi.Output<string | undefined>;
    /**
     * The network the component created, or undefined when existing network ids were given. A getter,
     * not a property: the cross-language schema carries the network's ids (`vnetId`, the subnet ids),
     * and a component-resource reference is not something the schema analyser can type.
     */
    public get network(): MlNetwork | undefined {
        return createdNetworks.get(this);
    }

    constructor(name: string, args: SecureMlWorkspaceArgs, opts?: pulumi.ComponentResourceOptions) {
        const plan = planSecureMlWorkspace(name, args);
        // `{}`: the component's inputs would otherwise be stored in state a second time.
        super("secure-azureml:index:SecureMlWorkspace", name, {}, opts);

        const parent = { parent: this };
        const protect = plan.protectData;
        const common = { resourceGroupName: args.resourceGroupName, location: args.location, tags: args.tags };
        const client = authorization.getClientConfigOutput({ parent: this });

        // --- Globally unique names: one suffix, kept in state, so names never change between runs ---
        const suffix = new random.RandomString(
            `${name}-suffix`,
            {
                length: nameSuffixLength,
                upper: false,
                lower: true,
                numeric: true,
                special: false,
            },
            parent,
        );
        // A suffix that is not a string happens only under unit-test mocks that echo inputs back; the name
        // is then left to the provider rather than failing the program.
        const uniqueName = (kind: NamedResourceKind) =>
            suffix.result.apply((s) =>
                typeof s === "string" ? globalName(kind, plan.namePrefix, s) : (undefined as unknown as string),
            );

        // workspaceNameSuffix: the same suffix, so a redeployed stack (new state, new suffix) does not hit
        // the 14 days a soft-deleted workspace keeps its name (https://learn.microsoft.com/azure/machine-learning/concept-soft-delete).
        const workspaceName: pulumi.Input<string> = plan.workspaceNameSuffix
            ? pulumi
                  .all([plan.workspaceName, suffix.result])
                  .apply(([base, s]) => (typeof s === "string" ? `${base}-${s}` : base))
            : plan.workspaceName;

        // Monitoring before the network: the firewall of egress: firewall sends its logs there.
        const monitoring = createWorkspaceMonitoring(
            name,
            {
                ...common,
                privateIngestion: plan.access.monitorPrivateLink,
                isolation: plan.managedOutbound.isolation,
            },
            parent,
        );
        // The storage account's id before it exists: the compute subnets' service endpoint policy names it.
        const storageAccountName = uniqueName("storageAccount");
        const storageAccountResourceId = pulumi.interpolate`/subscriptions/${client.subscriptionId}/resourceGroups/${args.resourceGroupName}/providers/Microsoft.Storage/storageAccounts/${storageAccountName}`;

        // --- Network ---
        const mlNetwork = plan.networkArgs
            ? new MlNetwork(
                  `${name}`,
                  {
                      ...plan.networkArgs,
                      logAnalyticsWorkspaceId: monitoring.logAnalytics.id,
                      allowedStorageAccountIds: [storageAccountResourceId],
                  },
                  parent,
              )
            : undefined;
        if (mlNetwork) createdNetworks.set(this, mlNetwork);
        const net = plan.existingNetwork ?? {
            vnetId: mlNetwork!.vnetId,
            trainingSubnetId: mlNetwork!.trainingSubnetId,
            privateEndpointSubnetId: mlNetwork!.privateEndpointSubnetId,
        };

        // --- Private DNS ---
        const dns = createPrivateDns(
            name,
            {
                resourceGroupName: args.resourceGroupName,
                vnetId: net.vnetId,
                zoneNames: plan.zoneNames,
                existingZoneIds: plan.existingPrivateDnsZoneIds,
                tags: args.tags,
            },
            parent,
        );
        const endpoints: EndpointPlacement = {
            subnetId: net.privateEndpointSubnetId,
            cloud: plan.cloud,
            privateDnsZoneIds: dns.zoneIds,
        };

        // --- Dependencies ---
        // The id the workspace will have: known before it exists (see storage.ts for why that matters).
        const workspaceResourceId = pulumi.interpolate`/subscriptions/${client.subscriptionId}/resourceGroups/${args.resourceGroupName}/providers/Microsoft.MachineLearningServices/workspaces/${workspaceName}`;
        const storage = createWorkspaceStorage(
            name,
            {
                ...common,
                accountName: storageAccountName,
                skuName: plan.storageSkuName,
                tenantId: client.tenantId,
                workspaceResourceId,
                privateEndpoints: plan.storagePrivateEndpoints,
                endpoints,
            },
            { parent: this, protect },
        );
        const keyVault = createWorkspaceKeyVault(
            name,
            {
                ...common,
                vaultName: uniqueName("keyVault"),
                tenantId: client.tenantId,
                endpoints,
            },
            { parent: this, protect },
        );
        const registry = createWorkspaceRegistry(
            name,
            {
                ...common,
                registryName: uniqueName("containerRegistry"),
                endpoints,
            },
            { parent: this, protect },
        );
        const monitorLink = plan.access.monitorPrivateLink
            ? createMonitorPrivateLink(
                  name,
                  {
                      ...common,
                      logAnalyticsWorkspaceId: monitoring.logAnalytics.id,
                      applicationInsightsId: monitoring.applicationInsights.id,
                      endpoints,
                  },
                  parent,
              )
            : undefined;

        // --- The compute identity and its grants (compute-identity.ts), before any compute ---
        // The image-build cluster's and the training clusters' identities get the same data grants.
        const computeIdentityArgs = {
            ...common,
            subscriptionId: client.subscriptionId,
            storageAccountId: storage.account.id,
            containerRegistryId: registry.registry.id,
            storageEndpoints: plan.storagePrivateEndpoints,
        };
        const computeIdentity = createComputeIdentity(name, computeIdentityArgs, parent);
        const computeGrants = Object.values(computeIdentity.assignments);

        // --- Workspace and image-build cluster ---
        const ml = createMlWorkspace(
            name,
            {
                ...common,
                workspaceName,
                storageAccountId: storage.account.id,
                keyVaultId: keyVault.vault.id,
                containerRegistryId: registry.registry.id,
                applicationInsightsId: monitoring.applicationInsights.id,
                hbiWorkspace: plan.hbiWorkspace,
                endpoints,
                managedNetwork: pulumi.output(args.location).apply((location) =>
                    managedNetworkSettings({
                        ...plan.managedOutbound,
                        region: location,
                        cloud: plan.cloud,
                        storageAccountId: storage.account.id,
                        storageEndpoints: plan.storagePrivateEndpoints,
                    }),
                ),
                cluster: {
                    name: plan.imageBuildClusterName,
                    vmSize: plan.imageBuildVmSize,
                    maxNodes: plan.imageBuildMaxNodes,
                    nodePublicIp: plan.nodePublicIp,
                    subnetId: plan.managedOutbound.isolation === "managed" ? undefined : net.trainingSubnetId,
                    identityId: computeIdentity.identity.id,
                    identityGrants: computeGrants,
                },
            },
            { parent: this, protect },
        );

        // --- The training identity and the shared training cluster (training-cluster.ts) ---
        // The identity exists for the shared cluster and for the clusters data scientists create
        // themselves (allowDataScientistsToCreateCompute); the image-build cluster keeps its own.
        const trainingIdentity =
            plan.trainingCluster || plan.access.allowDataScientistsToCreateCompute
                ? createComputeIdentity(name, computeIdentityArgs, parent, "training")
                : undefined;
        const trainingCluster =
            plan.trainingCluster && trainingIdentity
                ? createTrainingCluster(
                      name,
                      {
                          ...common,
                          workspaceName: ml.workspace.name,
                          cluster: plan.trainingCluster,
                          nodePublicIp: plan.nodePublicIp,
                          subnetId: plan.managedOutbound.isolation === "managed" ? undefined : net.trainingSubnetId,
                          identityId: trainingIdentity.identity.id,
                          // Create-time requirements (catalog/create-time.ts, computeClusterNoPublicIp): the
                          // workspace's private endpoint (without node public IPs) and the identity's grants.
                          dependsOn: plan.nodePublicIp
                              ? Object.values(trainingIdentity.assignments)
                              : createTimeDependsOn("computeClusterNoPublicIp", {
                                    privateEndpoints: { amlworkspace: ml.privateEndpoint },
                                    identityGrants: Object.values(trainingIdentity.assignments),
                                }),
                      },
                      parent,
                  )
                : undefined;

        // --- Compute instances and role assignments of the workspace identity and of people ---
        const storagePeIds: Record<string, pulumi.Input<string>> = {};
        for (const [groupId, pe] of Object.entries(storage.privateEndpoints))
            storagePeIds[groupId] = pe!.privateEndpoint.id;
        const withJumpBox = mlNetwork !== undefined && plan.networkArgs?.enableJumpBox === true;
        createWorkspaceAccess(
            name,
            {
                ...common,
                subscriptionId: client.subscriptionId,
                tenantId: client.tenantId,
                access: plan.access,
                workspace: ml.workspace,
                workspacePrincipalId: principalId(ml.workspace.identity),
                // Create-time requirements (catalog/create-time.ts): the workspace's, storage's, key
                // vault's and registry's private endpoints, their zone groups and the zones' VNet links,
                // and the training subnet's way out when this component created the network and the
                // instances go in it (the instances' own identity's grants are added in workspace-access.ts).
                computeDependsOn: [
                    ...createTimeDependsOn("computeInstance", {
                        privateEndpoints: {
                            amlworkspace: ml.privateEndpoint,
                            ...storage.privateEndpoints,
                            vault: keyVault.privateEndpoint,
                            registry: registry.privateEndpoint,
                        },
                        zoneLinks: dns.links,
                        cloud: plan.cloud,
                        egressPath:
                            mlNetwork && plan.managedOutbound.isolation !== "managed"
                                ? computeEgressPathOf(mlNetwork)
                                : [],
                    }),
                ],
                computeIdentity,
                trainingIdentityId: trainingIdentity?.identity.id,
                storageEndpoints: plan.storagePrivateEndpoints,
                // In a managed network the instances, like the cluster, get no subnet of ours.
                trainingSubnetId: plan.managedOutbound.isolation === "managed" ? undefined : net.trainingSubnetId,
                storageAccountId: storage.account.id,
                storagePrivateEndpointIds: storagePeIds,
                keyVaultId: keyVault.vault.id,
                containerRegistryId: registry.registry.id,
                jumpBox: withJumpBox
                    ? {
                          vmId: mlNetwork!.jumpBoxVmId as pulumi.Output<string>,
                          nicId: mlNetwork!.jumpBoxNicId as pulumi.Output<string>,
                          bastionHostId: mlNetwork!.bastionHostId as pulumi.Output<string>,
                      }
                    : undefined,
            },
            parent,
        );

        const privateEndpointIds: Record<string, pulumi.Output<string>> = {
            amlworkspace: ml.privateEndpoint.privateEndpoint.id,
        };
        for (const [groupId, pe] of Object.entries(storage.privateEndpoints))
            privateEndpointIds[groupId] = pe!.privateEndpoint.id;
        privateEndpointIds.vault = keyVault.privateEndpoint.privateEndpoint.id;
        privateEndpointIds.registry = registry.privateEndpoint.privateEndpoint.id;
        if (monitorLink) privateEndpointIds.azuremonitor = monitorLink.privateEndpoint.privateEndpoint.id;

        this.workspaceId = ml.workspace.id;
        this.workspaceName = ml.workspace.name;
        this.vnetId = pulumi.output(net.vnetId);
        this.trainingSubnetId = pulumi.output(net.trainingSubnetId);
        this.privateEndpointSubnetId = pulumi.output(net.privateEndpointSubnetId);
        this.storageAccountId = storage.account.id;
        this.keyVaultId = keyVault.vault.id;
        this.containerRegistryId = registry.registry.id;
        this.applicationInsightsId = monitoring.applicationInsights.id;
        this.logAnalyticsWorkspaceId = monitoring.logAnalytics.id;
        this.privateEndpointIds = pulumi.output(privateEndpointIds) as pulumi.Output<Record<string, string>>;
        this.privateDnsZoneIds = pulumi.output(dns.zoneIds) as pulumi.Output<Record<string, string>>;
        this.imageBuildClusterName = ml.imageBuildCluster.name;
        this.computeIdentityId = computeIdentity.identity.id;
        this.computeIdentityPrincipalId = computeIdentity.identity.principalId;
        this.computeInstanceNames = pulumi.output(plan.access.computeInstances.map((i) => i.name));
        this.trainingClusterName = trainingCluster?.name ?? pulumi.output<string | undefined>(undefined);
        this.monitorPrivateLinkScopeId = monitorLink?.scope.id ?? pulumi.output<string | undefined>(undefined);

        this.registerOutputs({
            workspaceId: this.workspaceId,
            workspaceName: this.workspaceName,
            vnetId: this.vnetId,
            trainingSubnetId: this.trainingSubnetId,
            privateEndpointSubnetId: this.privateEndpointSubnetId,
            storageAccountId: this.storageAccountId,
            keyVaultId: this.keyVaultId,
            containerRegistryId: this.containerRegistryId,
            applicationInsightsId: this.applicationInsightsId,
            logAnalyticsWorkspaceId: this.logAnalyticsWorkspaceId,
            privateEndpointIds: this.privateEndpointIds,
            privateDnsZoneIds: this.privateDnsZoneIds,
            imageBuildClusterName: this.imageBuildClusterName,
            computeIdentityId: this.computeIdentityId,
            computeIdentityPrincipalId: this.computeIdentityPrincipalId,
            computeInstanceNames: this.computeInstanceNames,
            trainingClusterName: this.trainingClusterName,
            monitorPrivateLinkScopeId: this.monitorPrivateLinkScopeId,
        });
    }
}

/**
 * The principal id of a system-assigned identity output. Azure always returns one for a
 * `SystemAssigned` identity; only unit-test mocks that echo inputs back leave it out.
 */
function principalId(identity: pulumi.Output<{ principalId: string } | undefined>): pulumi.Output<string> {
    return identity.apply((i) => i?.principalId as string);
}

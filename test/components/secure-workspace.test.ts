import * as assert from "assert";
import { mockSubscriptionId, mockTenantId, deterministicUuid } from "../../cli/azure-mocks";
import { AzureCloud } from "../../components/catalog/clouds";
import { PrivateLinkGroupId, privateDnsZoneNames } from "../../components/catalog/dns-zones";
import { workspaceManagedRoleAssignments } from "../../components/catalog/roles";
import { builtInRoles, roleAssignmentName } from "../../components/access/roles";
import { PlanResource } from "../../policy/plan";
import { renderFailure, renderWorkspace, RenderedWorkspace, zoneNameOf } from "./workspace-helpers";

const componentType = "secure-azureml:index:SecureMlWorkspace";
const defaultGroupIds: PrivateLinkGroupId[] = [
    "amlworkspace",
    "blob",
    "file",
    "queue",
    "table",
    "vault",
    "registry",
    "azuremonitor",
];
const rg = "rg-ml";
const subscription = `/subscriptions/${mockSubscriptionId}`;

/** Each expected key has exactly the expected value (SDK-injected extra keys are allowed). */
function assertSubset(actual: any, expected: Record<string, unknown>, what: string): void {
    for (const [key, value] of Object.entries(expected)) {
        assert.deepStrictEqual(actual?.[key], value, `${what}.${key}`);
    }
}

/** The resource a private endpoint exposes, by its privateLinkServiceId. */
function endpointsByGroup(w: RenderedWorkspace): Map<string, PlanResource> {
    const result = new Map<string, PlanResource>();
    for (const pe of w.ofType("network:PrivateEndpoint")) {
        const connections = pe.inputs.privateLinkServiceConnections as any[];
        assert.strictEqual(connections.length, 1, `${pe.name} has one connection`);
        assert.deepStrictEqual(connections[0].groupIds.length, 1);
        const groupId = connections[0].groupIds[0];
        assert.ok(!result.has(groupId), `one endpoint per group id (${groupId} twice)`);
        result.set(groupId, pe);
    }
    return result;
}

function zoneGroupOf(w: RenderedWorkspace, pe: PlanResource): PlanResource {
    const groups = w
        .ofType("network:PrivateDnsZoneGroup")
        .filter((g) => g.inputs.privateEndpointName === pe.id!.split("/").pop());
    assert.strictEqual(groups.length, 1, `${pe.name} has exactly one zone group`);
    return groups[0];
}

describe("SecureMlWorkspace", function () {
    this.timeout(60000);
    let w: RenderedWorkspace;
    before(async () => {
        w = await renderWorkspace();
    });

    describe("what a default instance creates", () => {
        it("creates the documented resource set, each exactly as often as expected", () => {
            const counts: Record<string, number> = {};
            for (const r of w.resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
            assertSubset(
                counts,
                {
                    [componentType]: 1,
                    "secure-azureml:index:MlNetwork": 1,
                    "random:index/randomString:RandomString": 1,
                    // 8 for the workspace's endpoints + 4 of Azure Monitor (its blob zone is the storage one).
                    "azure-native:privatedns:PrivateZone": 12,
                    "azure-native:privatedns:VirtualNetworkLink": 12,
                    "azure-native:network:PrivateEndpoint": 8,
                    "azure-native:network:PrivateDnsZoneGroup": 8,
                    "azure-native:storage:StorageAccount": 1,
                    "azure-native:keyvault:Vault": 1,
                    "azure-native:containerregistry:Registry": 1,
                    "azure-native:operationalinsights:Workspace": 1,
                    "azure-native:applicationinsights:Component": 1,
                    "azure-native:machinelearningservices:Workspace": 1,
                    "azure-native:machinelearningservices:Compute": 1,
                    "azure-native:managedidentity:UserAssignedIdentity": 1,
                    "azure-native:monitor:PrivateLinkScope": 1,
                    "azure-native:monitor:PrivateLinkScopedResource": 2,
                    // Workspace: secrets, AcrPush, Reader on 4 storage endpoints; compute: blob, AcrPull, queue, table.
                    "azure-native:authorization:RoleAssignment": 10,
                },
                "count",
            );
            assert.strictEqual(
                w.ofType("containerinstance:ContainerGroup").length,
                0,
                "no ACI with a private workspace",
            );
        });

        it("secures the storage account as the document and the policy catalogue require", () => {
            const sa = w.one("storage:StorageAccount");
            assertSubset(
                sa.inputs,
                {
                    kind: "StorageV2",
                    sku: { name: "Standard_LRS" },
                    publicNetworkAccess: "Disabled",
                    enableHttpsTrafficOnly: true,
                    minimumTlsVersion: "TLS1_2",
                    allowBlobPublicAccess: false,
                    allowSharedKeyAccess: false,
                    allowCrossTenantReplication: false,
                    isHnsEnabled: false,
                    networkRuleSet: {
                        defaultAction: "Deny",
                        bypass: "AzureServices",
                        resourceAccessRules: [
                            {
                                tenantId: mockTenantId,
                                resourceId: `${subscription}/resourceGroups/${rg}/providers/Microsoft.MachineLearningServices/workspaces/mlw-workspace`,
                            },
                        ],
                    },
                },
                "storage",
            );
        });

        it("names the workspace's real id in the storage resource-instance rule", () => {
            const rule = (w.one("storage:StorageAccount").inputs.networkRuleSet as any).resourceAccessRules[0];
            assert.strictEqual(rule.resourceId, w.one("machinelearningservices:Workspace").id);
        });

        it("secures the key vault", () => {
            const kv = w.one("keyvault:Vault");
            assertSubset(
                kv.inputs.properties,
                {
                    tenantId: mockTenantId,
                    sku: { family: "A", name: "standard" },
                    enableRbacAuthorization: true,
                    enableSoftDelete: true,
                    softDeleteRetentionInDays: 90,
                    enablePurgeProtection: true,
                    publicNetworkAccess: "Disabled",
                    networkAcls: { defaultAction: "Deny", bypass: "AzureServices" },
                },
                "vault.properties",
            );
        });

        it("makes the registry Premium, Entra-only and private, with trusted services allowed", () => {
            const acr = w.one("containerregistry:Registry");
            assertSubset(
                acr.inputs,
                {
                    sku: { name: "Premium" },
                    adminUserEnabled: false,
                    anonymousPullEnabled: false,
                    publicNetworkAccess: "Disabled",
                    networkRuleBypassOptions: "AzureServices",
                    networkRuleSet: { defaultAction: "Deny" },
                },
                "registry",
            );
        });

        it("creates the workspace private, identity-based, with its dependencies and the image-build cluster", () => {
            const ws = w.one("machinelearningservices:Workspace");
            assertSubset(
                ws.inputs,
                {
                    workspaceName: "mlw-workspace",
                    identity: { type: "SystemAssigned" },
                    publicNetworkAccess: "Disabled",
                    allowPublicAccessWhenBehindVnet: false,
                    systemDatastoresAuthMode: "Identity",
                    hbiWorkspace: false,
                    imageBuildCompute: "image-build",
                    sku: { name: "Basic", tier: "Basic" },
                    storageAccount: w.one("storage:StorageAccount").id,
                    keyVault: w.one("keyvault:Vault").id,
                    containerRegistry: w.one("containerregistry:Registry").id,
                    applicationInsights: w.one("applicationinsights:Component").id,
                },
                "workspace",
            );
        });

        it("creates the image-build cluster as a CPU AmlCompute in the training subnet, without public IPs or SSH", () => {
            const compute = w.one("machinelearningservices:Compute");
            assertSubset(
                compute.inputs,
                {
                    computeName: "image-build",
                    workspaceName: "mlw-workspace",
                    identity: {
                        type: "UserAssigned",
                        userAssignedIdentities: [w.one("managedidentity:UserAssignedIdentity").id],
                    },
                    properties: {
                        computeType: "AmlCompute",
                        disableLocalAuth: true,
                        properties: {
                            vmSize: "Standard_DS3_v2",
                            vmPriority: "Dedicated",
                            subnet: { id: w.outputs.trainingSubnetId },
                            enableNodePublicIp: false,
                            remoteLoginPortPublicAccess: "Disabled",
                            scaleSettings: { minNodeCount: 0, maxNodeCount: 4, nodeIdleTimeBeforeScaleDown: "PT120S" },
                            isolatedNetwork: false,
                        },
                    },
                },
                "compute",
            );
            assert.match(w.outputs.trainingSubnetId, /\/virtualNetworks\/[^/]+\/subnets\/training$/);
        });

        it("points the workspace's imageBuildCompute at the cluster's computeName", () => {
            const ws = w.one("machinelearningservices:Workspace");
            const compute = w.one("machinelearningservices:Compute");
            assert.strictEqual(ws.inputs.imageBuildCompute, compute.inputs.computeName);
            assert.strictEqual(w.outputs.imageBuildClusterName, compute.inputs.computeName);
            // The compute belongs to this workspace.
            assert.ok(compute.propertyDependencies.workspaceName.includes(ws.urn));
        });

        it("creates workspace-based Application Insights on a Log Analytics workspace", () => {
            const appi = w.one("applicationinsights:Component");
            const logs = w.one("operationalinsights:Workspace");
            assertSubset(
                appi.inputs,
                {
                    kind: "web",
                    applicationType: "web",
                    workspaceResourceId: logs.id,
                    ingestionMode: "LogAnalytics",
                    // Telemetry only through Azure Monitor private link; query stays open for the portal.
                    publicNetworkAccessForIngestion: "Disabled",
                    publicNetworkAccessForQuery: "Enabled",
                },
                "appinsights",
            );
            assertSubset(
                logs.inputs,
                {
                    sku: { name: "PerGB2018" },
                    retentionInDays: 30,
                    publicNetworkAccessForIngestion: "Disabled",
                    publicNetworkAccessForQuery: "Enabled",
                },
                "logAnalytics",
            );
        });
    });

    describe("private endpoints and DNS", () => {
        it("creates one private endpoint per group id, each in the private-endpoint subnet, each for the right resource", () => {
            const endpoints = endpointsByGroup(w);
            assert.deepStrictEqual([...endpoints.keys()].sort(), [...defaultGroupIds].sort());
            const target: Record<string, string> = {
                amlworkspace: w.one("machinelearningservices:Workspace").id!,
                blob: w.one("storage:StorageAccount").id!,
                file: w.one("storage:StorageAccount").id!,
                queue: w.one("storage:StorageAccount").id!,
                table: w.one("storage:StorageAccount").id!,
                vault: w.one("keyvault:Vault").id!,
                registry: w.one("containerregistry:Registry").id!,
                azuremonitor: w.one("monitor:PrivateLinkScope").id!,
            };
            assert.match(w.outputs.privateEndpointSubnetId, /\/subnets\/private-endpoints$/);
            for (const [groupId, pe] of endpoints) {
                // (The SDK injects its Subnet defaults next to the id; only the id is a reference.)
                assert.strictEqual(
                    (pe.inputs.subnet as any).id,
                    w.outputs.privateEndpointSubnetId,
                    `${groupId} subnet`,
                );
                assert.strictEqual(
                    (pe.inputs.privateLinkServiceConnections as any[])[0].privateLinkServiceId,
                    target[groupId],
                    `${groupId} target`,
                );
                assert.strictEqual(pe.inputs.location, "westeurope");
            }
        });

        it("gives each endpoint a zone group naming exactly the catalogue's zones, and the zones are the ones created", () => {
            const zoneIdByName = new Map(
                w.ofType("privatedns:PrivateZone").map((z) => [z.inputs.privateZoneName as string, z]),
            );
            for (const [groupId, pe] of endpointsByGroup(w)) {
                const group = zoneGroupOf(w, pe);
                const configs = group.inputs.privateDnsZoneConfigs as { name: string; privateDnsZoneId: string }[];
                const expected = privateDnsZoneNames(groupId as PrivateLinkGroupId);
                assert.deepStrictEqual(
                    configs.map((c) => zoneNameOf(c.privateDnsZoneId)),
                    expected,
                    `${groupId} zones`,
                );
                for (const zoneName of expected) {
                    const zone = zoneIdByName.get(zoneName)!;
                    assert.ok(
                        configs.some((c) => c.privateDnsZoneId === zone.id),
                        `${groupId} uses the created ${zoneName}`,
                    );
                    assert.ok(
                        group.propertyDependencies.privateDnsZoneConfigs.includes(zone.urn),
                        `${groupId} depends on ${zoneName}`,
                    );
                }
            }
            assert.strictEqual(endpointsByGroup(w).size, 8);
            assert.deepStrictEqual(
                zoneGroupOf(w, endpointsByGroup(w).get("amlworkspace")!).inputs.privateDnsZoneConfigs,
                [
                    {
                        name: "privatelink-api-azureml-ms",
                        privateDnsZoneId: `${subscription}/resourceGroups/${rg}/providers/Microsoft.Network/privateDnsZones/privatelink.api.azureml.ms`,
                    },
                    {
                        name: "privatelink-notebooks-azure-net",
                        privateDnsZoneId: `${subscription}/resourceGroups/${rg}/providers/Microsoft.Network/privateDnsZones/privatelink.notebooks.azure.net`,
                    },
                ],
            );
        });

        it("links every created zone to the VNet, without auto-registration", () => {
            const vnet = w.one("network:VirtualNetwork");
            const zones = w.ofType("privatedns:PrivateZone");
            assert.deepStrictEqual(
                zones.map((z) => z.inputs.privateZoneName).sort(),
                [...new Set(defaultGroupIds.flatMap((g) => privateDnsZoneNames(g)))].sort(),
            );
            for (const zone of zones) {
                assert.strictEqual(zone.inputs.location, "global");
                const links = w
                    .ofType("privatedns:VirtualNetworkLink")
                    .filter((l) => l.inputs.privateZoneName === zone.inputs.privateZoneName);
                assert.strictEqual(links.length, 1, `${zone.inputs.privateZoneName} has one link`);
                assert.deepStrictEqual(links[0].inputs.virtualNetwork, { id: vnet.id });
                assert.strictEqual(links[0].inputs.registrationEnabled, false);
                assert.ok(links[0].propertyDependencies.virtualNetwork.includes(vnet.urn));
            }
            assert.strictEqual(w.outputs.vnetId, vnet.id);
        });

        it("never uses privatelink.vault.azure.net", () => {
            assert.ok(!JSON.stringify(w.resources).includes("privatelink.vault.azure.net"));
        });

        for (const [cloud, location] of [
            ["AzureChinaCloud", "chinanorth3"],
            ["AzureUSGovernment", "usgovvirginia"],
        ] as [AzureCloud, string][]) {
            it(`uses the ${cloud} zone names`, async () => {
                const sov = await renderWorkspace({ cloud, location });
                const expected = [...new Set(defaultGroupIds.flatMap((g) => privateDnsZoneNames(g, cloud)))].sort();
                assert.deepStrictEqual(
                    sov
                        .ofType("privatedns:PrivateZone")
                        .map((z) => z.inputs.privateZoneName)
                        .sort(),
                    expected,
                );
                for (const [groupId, pe] of endpointsByGroup(sov)) {
                    const configs = zoneGroupOf(sov, pe).inputs.privateDnsZoneConfigs as { privateDnsZoneId: string }[];
                    assert.deepStrictEqual(
                        configs.map((c) => zoneNameOf(c.privateDnsZoneId)),
                        privateDnsZoneNames(groupId as PrivateLinkGroupId, cloud),
                    );
                }
                assert.ok(!JSON.stringify(sov.resources).includes("core.windows.net"), "no public-cloud zone leaks in");
            });
        }

        it("uses existing zone ids instead of creating (or linking) those zones", async () => {
            const hub =
                "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-hub/providers/Microsoft.Network/privateDnsZones";
            const existing = {
                "privatelink.api.azureml.ms": `${hub}/privatelink.api.azureml.ms`,
                "privatelink.notebooks.azure.net": `${hub}/privatelink.notebooks.azure.net`,
                "privatelink.blob.core.windows.net": `${hub}/privatelink.blob.core.windows.net`,
            };
            const r = await renderWorkspace({ existingPrivateDnsZoneIds: existing });
            const created = r.ofType("privatedns:PrivateZone").map((z) => z.inputs.privateZoneName);
            const linked = r.ofType("privatedns:VirtualNetworkLink").map((l) => l.inputs.privateZoneName);
            for (const zoneName of Object.keys(existing)) {
                assert.ok(!created.includes(zoneName), `${zoneName} not created`);
                assert.ok(!linked.includes(zoneName), `${zoneName} not linked`);
            }
            assert.strictEqual(created.length, 9);
            assert.strictEqual(linked.length, 9);
            const endpoints = endpointsByGroup(r);
            assert.deepStrictEqual(
                (zoneGroupOf(r, endpoints.get("amlworkspace")!).inputs.privateDnsZoneConfigs as any[]).map(
                    (c) => c.privateDnsZoneId,
                ),
                [existing["privatelink.api.azureml.ms"], existing["privatelink.notebooks.azure.net"]],
            );
            assert.deepStrictEqual(
                (zoneGroupOf(r, endpoints.get("blob")!).inputs.privateDnsZoneConfigs as any[]).map(
                    (c) => c.privateDnsZoneId,
                ),
                [existing["privatelink.blob.core.windows.net"]],
            );
            assert.match(
                (zoneGroupOf(r, endpoints.get("file")!).inputs.privateDnsZoneConfigs as any[])[0].privateDnsZoneId,
                /resourceGroups\/rg-ml\//,
            );
            assertSubset(r.outputs.privateDnsZoneIds, existing, "privateDnsZoneIds");
            assert.strictEqual(Object.keys(r.outputs.privateDnsZoneIds).length, 12);
            // Azure Monitor's endpoint registers in the SAME (here: the hub's) blob zone, never a second one.
            assert.deepStrictEqual(
                (zoneGroupOf(r, endpoints.get("azuremonitor")!).inputs.privateDnsZoneConfigs as any[])
                    .map((c) => c.privateDnsZoneId)
                    .filter((id: string) => id.endsWith("/privatelink.blob.core.windows.net")),
                [existing["privatelink.blob.core.windows.net"]],
            );
        });

        it("creates endpoints only for the storage sub-resources asked for", async () => {
            const r = await renderWorkspace({ storagePrivateEndpoints: ["blob", "file"] });
            assert.deepStrictEqual([...endpointsByGroup(r).keys()].sort(), [
                "amlworkspace",
                "azuremonitor",
                "blob",
                "file",
                "registry",
                "vault",
            ]);
            assert.ok(
                !r.ofType("privatedns:PrivateZone").some((z) => /queue|table/.test(z.inputs.privateZoneName as string)),
            );
        });

        it("reports endpoint and zone ids by group id and zone name", () => {
            assert.deepStrictEqual(Object.keys(w.outputs.privateEndpointIds).sort(), [...defaultGroupIds].sort());
            for (const [groupId, pe] of endpointsByGroup(w))
                assert.strictEqual(w.outputs.privateEndpointIds[groupId], pe.id);
            for (const zone of w.ofType("privatedns:PrivateZone")) {
                assert.strictEqual(w.outputs.privateDnsZoneIds[zone.inputs.privateZoneName as string], zone.id);
            }
        });
    });

    describe("an existing network", () => {
        const vnetId =
            "/subscriptions/00000000-0000-0000-0000-000000000002/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/hub-spoke";
        const existing = {
            existingVnetId: vnetId,
            existingTrainingSubnetId: `${vnetId}/subnets/ml-training`,
            existingPrivateEndpointSubnetId: `${vnetId}/subnets/ml-endpoints`,
        };

        it("creates no MlNetwork, VNet, NSG, NAT gateway or public IP, and puts everything in the given subnets", async () => {
            const r = await renderWorkspace(existing);
            for (const token of [
                "secure-azureml:index:MlNetwork",
                "network:VirtualNetwork",
                "network:Subnet",
                "network:NetworkSecurityGroup",
                "network:NatGateway",
                "network:PublicIPAddress",
                "network:BastionHost",
            ]) {
                assert.strictEqual(r.ofType(token).length, 0, `no ${token}`);
            }
            for (const pe of r.ofType("network:PrivateEndpoint")) {
                assert.strictEqual((pe.inputs.subnet as any).id, existing.existingPrivateEndpointSubnetId);
            }
            assert.strictEqual(r.ofType("network:PrivateEndpoint").length, 8);
            const compute = r.one("machinelearningservices:Compute");
            assert.deepStrictEqual((compute.inputs.properties as any).properties.subnet, {
                id: existing.existingTrainingSubnetId,
            });
            for (const link of r.ofType("privatedns:VirtualNetworkLink"))
                assert.deepStrictEqual(link.inputs.virtualNetwork, { id: vnetId });
            assert.strictEqual(r.outputs.hasNetwork, false);
            assert.strictEqual(r.outputs.vnetId, vnetId);
            assert.strictEqual(r.outputs.trainingSubnetId, existing.existingTrainingSubnetId);
            assert.strictEqual(r.outputs.privateEndpointSubnetId, existing.existingPrivateEndpointSubnetId);
        });

        for (const [given, missing] of [
            [["existingVnetId"], ["existingTrainingSubnetId", "existingPrivateEndpointSubnetId"]],
            [["existingTrainingSubnetId", "existingPrivateEndpointSubnetId"], ["existingVnetId"]],
            [["existingVnetId", "existingTrainingSubnetId"], ["existingPrivateEndpointSubnetId"]],
        ] as (keyof typeof existing)[][][]) {
            it(`rejects ${given.join(" + ")} without ${missing.join(" + ")}, registering nothing`, async () => {
                const partial = Object.fromEntries(given.map((k) => [k, existing[k]]));
                const { error, registered } = await renderFailure(partial);
                assert.deepStrictEqual(registered, []);
                assert.strictEqual(error.argument, missing.join(", "));
                for (const m of missing) assert.ok(error.message.includes(m), error.message);
                assert.match(
                    error.rule,
                    /needs all of existingVnetId, existingTrainingSubnetId, existingPrivateEndpointSubnetId/,
                );
            });
        }
    });

    describe("protection", () => {
        const stateful = [
            "storage:StorageAccount",
            "keyvault:Vault",
            "containerregistry:Registry",
            "machinelearningservices:Workspace",
        ];

        it("protects storage, key vault, registry and workspace by default, and nothing else", () => {
            for (const r of w.resources) {
                const expected = stateful.some((t) => r.type === `azure-native:${t}`);
                assert.strictEqual(r.protect, expected, `${r.type} ${r.name}`);
            }
        });

        it("protects nothing with protectData false", async () => {
            const r = await renderWorkspace({ protectData: false });
            assert.deepStrictEqual(
                r.resources.filter((x) => x.protect).map((x) => x.name),
                [],
            );
        });
    });

    describe("role assignments", () => {
        const roleId = (guid: string) => `${subscription}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
        const principal = (resource: PlanResource) => deterministicUuid(`${resource.id}/principal`);

        it("grants the workspace identity and the compute identity exactly the roles they need", () => {
            const ws = w.one("machinelearningservices:Workspace");
            const identity = w.one("managedidentity:UserAssignedIdentity");
            const sa = w.one("storage:StorageAccount").id;
            const kv = w.one("keyvault:Vault").id;
            const acr = w.one("containerregistry:Registry").id;
            const pe = endpointsByGroup(w);
            const actual = w.ofType("authorization:RoleAssignment").map((a) => ({
                principalId: a.inputs.principalId,
                roleDefinitionId: a.inputs.roleDefinitionId,
                scope: a.inputs.scope,
                principalType: a.inputs.principalType,
            }));
            const sp = "ServicePrincipal";
            const grant = (principalId: string, guid: string, scope: string | null | undefined) => ({
                principalId,
                roleDefinitionId: roleId(guid),
                scope,
                principalType: sp,
            });
            const computePrincipal = deterministicUuid(`${identity.id}/principal`);
            const expected = [
                grant(principal(ws), builtInRoles.keyVaultSecretsOfficer.guid, kv),
                grant(principal(ws), builtInRoles.acrPush.guid, acr),
                ...["blob", "file", "queue", "table"].map((g) =>
                    grant(principal(ws), builtInRoles.reader.guid, pe.get(g)!.id),
                ),
                grant(computePrincipal, builtInRoles.storageBlobDataContributor.guid, sa),
                grant(computePrincipal, builtInRoles.acrPull.guid, acr),
                grant(computePrincipal, builtInRoles.storageQueueDataContributor.guid, sa),
                grant(computePrincipal, builtInRoles.storageTableDataContributor.guid, sa),
            ];
            const key = (x: object) => JSON.stringify(x);
            assert.deepStrictEqual(actual.map(key).sort(), expected.map(key).sort());
        });

        it("never duplicates an assignment Azure ML creates itself for the workspace identity (409 RoleAssignmentExists)", () => {
            const ws = w.one("machinelearningservices:Workspace");
            const scopeOf: Record<string, string | null | undefined> = {
                storageAccount: w.one("storage:StorageAccount").id,
                keyVault: w.one("keyvault:Vault").id,
                containerRegistry: w.one("containerregistry:Registry").id,
                applicationInsights: w.one("applicationinsights:Component").id,
            };
            const mine = w
                .ofType("authorization:RoleAssignment")
                .filter((a) => a.inputs.principalId === principal(ws))
                .map((a) => `${a.inputs.roleDefinitionId}@${a.inputs.scope}`);
            for (const managed of workspaceManagedRoleAssignments) {
                const key = `${roleId(managed.role.guid)}@${scopeOf[managed.scope]}`;
                assert.ok(!mine.includes(key), `${managed.role.roleName} on the ${managed.scope} is Azure ML's own`);
            }
        });

        it("grants the compute identity no queue or table role without those endpoints", async () => {
            const r = await renderWorkspace({ storagePrivateEndpoints: ["blob", "file"] });
            const names = r.ofType("authorization:RoleAssignment").map((a) => a.name);
            assert.ok(names.includes("mlw-compute-storage-blob"));
            assert.ok(!names.some((n) => /queue|table/.test(n)), names.join(", "));
            assert.deepStrictEqual(names.filter((n) => n.endsWith("-pe-reader")).sort(), [
                "mlw-ws-blob-pe-reader",
                "mlw-ws-file-pe-reader",
            ]);
        });

        it("names every assignment by UUID v5 of scope, principal and role, so a rerun addresses the same assignment", async () => {
            const again = await renderWorkspace();
            for (const a of w.ofType("authorization:RoleAssignment")) {
                const guid = String(a.inputs.roleDefinitionId).split("/").pop()!;
                assert.strictEqual(
                    a.inputs.roleAssignmentName,
                    roleAssignmentName(a.inputs.scope as string, a.inputs.principalId as string, guid),
                    a.name,
                );
                assert.match(
                    String(a.inputs.roleAssignmentName),
                    /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
                );
                assert.strictEqual(
                    again.one("authorization:RoleAssignment", a.name).inputs.roleAssignmentName,
                    a.inputs.roleAssignmentName,
                );
            }
            const names = w.ofType("authorization:RoleAssignment").map((a) => a.inputs.roleAssignmentName);
            assert.strictEqual(new Set(names).size, names.length);
        });

        it("gives the compute identity AcrPull only: the workspace, not the compute, pushes images", () => {
            const identity = w.one("managedidentity:UserAssignedIdentity");
            const acr = w.one("containerregistry:Registry").id;
            const roles = w
                .ofType("authorization:RoleAssignment")
                .filter(
                    (a) =>
                        a.inputs.principalId === deterministicUuid(`${identity.id}/principal`) &&
                        a.inputs.scope === acr,
                )
                .map((a) => String(a.inputs.roleDefinitionId).split("/").pop());
            assert.deepStrictEqual(roles, [builtInRoles.acrPull.guid]);
        });
    });

    describe("names", () => {
        it("builds valid globally unique names from the prefix and one random suffix", () => {
            const suffix = w.one("random:index/randomString:RandomString");
            assertSubset(suffix.inputs, { length: 6, upper: false, special: false }, "suffix");
            const sa = w.one("storage:StorageAccount").inputs.accountName as string;
            const kv = w.one("keyvault:Vault").inputs.vaultName as string;
            const acr = w.one("containerregistry:Registry").inputs.registryName as string;
            assert.match(sa, /^mlw[a-z0-9]{6}$/);
            assert.match(kv, /^mlw-[a-z0-9]{6}$/);
            assert.match(acr, /^mlw[a-z0-9]{6}$/);
            assert.strictEqual(sa.slice(3), kv.slice(4), "one suffix for all");
        });

        it("cuts a long prefix so every name fits its maximum length", async () => {
            const r = await renderWorkspace({ namePrefix: "averyveryverylongprefix-for-names-that-goes-on-and-on" });
            const sa = r.one("storage:StorageAccount").inputs.accountName as string;
            const kv = r.one("keyvault:Vault").inputs.vaultName as string;
            const acr = r.one("containerregistry:Registry").inputs.registryName as string;
            assert.strictEqual(sa.length, 24);
            assert.ok(kv.length <= 24 && /^[a-zA-Z](?!.*--)[a-zA-Z0-9-]*[a-zA-Z0-9]$/.test(kv), kv);
            assert.ok(acr.length <= 50 && /^[a-zA-Z0-9]+$/.test(acr), acr);
        });

        it("renders identically twice: same names, URNs and inputs", async () => {
            const again = await renderWorkspace();
            const summary = (r: RenderedWorkspace) =>
                r.resources.map((x) => ({ urn: x.urn, name: x.name, inputs: x.inputs, parent: x.parent }));
            assert.deepStrictEqual(summary(again), summary(w));
        });
    });

    describe("structure", () => {
        it("parents every child on the SecureMlWorkspace (directly or through MlNetwork)", () => {
            const root = w.one(componentType);
            for (const r of w.resources) {
                if (r.type === "pulumi:pulumi:Stack" || r === root) continue;
                let current: PlanResource = r;
                const seen = new Set<string>();
                while (current.parent && current.parent !== root.urn) {
                    assert.ok(!seen.has(current.urn), "no parent cycle");
                    seen.add(current.urn);
                    current = w.byUrn(current.parent);
                }
                assert.strictEqual(current.parent, root.urn, `${r.type} ${r.name} reaches the component`);
            }
        });

        it("derives every child's name from the component's name", () => {
            for (const r of w.resources) {
                if (r.type === "pulumi:pulumi:Stack") continue;
                assert.ok(r.name === "mlw" || r.name.startsWith("mlw-"), r.name);
            }
        });

        it("makes a no-public-IP cluster wait for the workspace's private endpoint and for nothing else it does not read", async () => {
            const compute = w.one("machinelearningservices:Compute");
            const wsPe = endpointsByGroup(w).get("amlworkspace")!;
            const dataDeps = new Set(Object.values(compute.propertyDependencies).flat());
            const orderingOnly = compute.dependencies.filter((d) => !dataDeps.has(d));
            // ...and for its identity's grants, so the first job can write outputs and pull images.
            const grants = ["blob", "acr-pull", "queue", "table"].map(
                (g) =>
                    w
                        .ofType("authorization:RoleAssignment")
                        .find((a) => a.name === `mlw-compute-${g === "acr-pull" ? g : `storage-${g}`}`)!.urn,
            );
            assert.deepStrictEqual(orderingOnly, [wsPe.urn, ...grants]);

            const withPublicIps = await renderWorkspace({ nodePublicIp: true });
            const publicCompute = withPublicIps.one("machinelearningservices:Compute");
            const publicDataDeps = new Set(Object.values(publicCompute.propertyDependencies).flat());
            assert.deepStrictEqual(
                publicCompute.dependencies.filter((d) => !publicDataDeps.has(d)).map((d) => d.split("::").pop()),
                [
                    "mlw-compute-storage-blob",
                    "mlw-compute-acr-pull",
                    "mlw-compute-storage-queue",
                    "mlw-compute-storage-table",
                ],
            );
        });

        it("lets nothing outside the network wait for Bastion, the NAT gateway or the MlNetwork component", async () => {
            const r = await renderWorkspace({ enableBastion: true });
            const network = r.one("secure-azureml:index:MlNetwork");
            const avoid = new Set([
                network.urn,
                ...r.ofType("network:BastionHost").map((x) => x.urn),
                ...r.ofType("network:NatGateway").map((x) => x.urn),
                ...r.ofType("network:PublicIPAddress").map((x) => x.urn),
            ]);
            assert.strictEqual(r.ofType("network:BastionHost").length, 1);
            for (const x of r.resources) {
                if (x.parent === network.urn || x.urn === network.urn) continue;
                const deps = [...x.dependencies, ...Object.values(x.propertyDependencies).flat()];
                assert.deepStrictEqual(
                    deps.filter((d) => avoid.has(d)),
                    [],
                    `${x.type} ${x.name}`,
                );
            }
        });

        it("passes the compute variant to the network and the cluster (nodePublicIp, hbiWorkspace)", async () => {
            const r = await renderWorkspace({ nodePublicIp: true, hbiWorkspace: true, imageBuildMaxNodes: 10 });
            const compute = r.one("machinelearningservices:Compute");
            assert.strictEqual((compute.inputs.properties as any).properties.enableNodePublicIp, true);
            assert.strictEqual((compute.inputs.properties as any).properties.remoteLoginPortPublicAccess, "Disabled");
            assert.strictEqual((compute.inputs.properties as any).properties.scaleSettings.maxNodeCount, 10);
            assert.strictEqual(r.one("machinelearningservices:Workspace").inputs.hbiWorkspace, true);
            // HBI adds the AzureKeyVault.<region> outbound rule; public-IP nodes get the BatchNodeManagement inbound rule.
            const rules = JSON.stringify(r.ofType("network:NetworkSecurityGroup").map((n) => n.inputs.securityRules));
            assert.ok(rules.includes("AzureKeyVault.westeurope"), "hbiWorkspace reaches MlNetwork");
            assert.ok(rules.includes('BatchNodeManagement"'), "nodePublicIp reaches MlNetwork");
        });

        it("uses workspaceName when given", async () => {
            const r = await renderWorkspace({ workspaceName: "mlw-prod_01" });
            assert.strictEqual(r.one("machinelearningservices:Workspace").inputs.workspaceName, "mlw-prod_01");
            assert.strictEqual(r.outputs.workspaceName, "mlw-prod_01");
            assert.match(
                (r.one("storage:StorageAccount").inputs.networkRuleSet as any).resourceAccessRules[0].resourceId,
                /\/workspaces\/mlw-prod_01$/,
            );
        });
    });

    describe("invalid arguments throw InvalidArgumentError before anything is registered", () => {
        const cases: {
            title: string;
            args: Record<string, unknown>;
            name?: string;
            argument: string | RegExp;
            value: unknown;
            rule: RegExp;
        }[] = [
            ...["Standard_NC6s_v3", "Standard_ND40rs_v2", "Standard_NV12s_v3", "standard_nc24ads_a100_v4"].map(
                (size) => ({
                    title: `GPU image-build size ${size}`,
                    args: { imageBuildVmSize: size },
                    argument: "imageBuildVmSize",
                    value: size,
                    rule: /only CPU SKUs can build images \(source document\)/,
                }),
            ),
            {
                title: "a 34-character workspace name",
                args: { workspaceName: "w".repeat(34) },
                argument: "workspaceName",
                value: "w".repeat(34),
                rule: /3 to 33 characters/,
            },
            {
                title: "a workspace name with a dot",
                args: { workspaceName: "my.workspace" },
                argument: "workspaceName",
                value: "my.workspace",
                rule: /may contain letters, digits, hyphens and underscores/,
            },
            {
                title: "a component name too long for the default workspace name",
                args: {},
                name: "a-component-name-of-25-ch",
                argument: /^workspaceName \(default/,
                value: "a-component-name-of-25-ch-workspace",
                rule: /3 to 33 characters/,
            },
            {
                title: "a 17-character cluster name",
                args: { imageBuildClusterName: "c".repeat(17) },
                argument: "imageBuildClusterName",
                value: "c".repeat(17),
                rule: /2 to 16 characters/,
            },
            {
                title: "a cluster name starting with a digit",
                args: { imageBuildClusterName: "1builder" },
                argument: "imageBuildClusterName",
                value: "1builder",
                rule: /starting with a letter/,
            },
            {
                title: "a prefix that starts with a digit (key vault names start with a letter)",
                args: { namePrefix: "9lives" },
                argument: "namePrefix",
                value: "9lives",
                rule: /key vault name/,
            },
            {
                title: "a prefix without letters or digits",
                args: { namePrefix: "--__" },
                argument: "namePrefix",
                value: "--__",
                rule: /at least one letter or digit/,
            },
            {
                title: "an empty prefix",
                args: { namePrefix: "" },
                argument: "namePrefix",
                value: "",
                rule: /at least one letter or digit/,
            },
            {
                title: "storage endpoints without blob",
                args: { storagePrivateEndpoints: ["file", "queue"] },
                argument: "storagePrivateEndpoints",
                value: ["file", "queue"],
                rule: /must include blob/,
            },
            {
                title: "storage endpoints without file",
                args: { storagePrivateEndpoints: ["blob"] },
                argument: "storagePrivateEndpoints",
                value: ["blob"],
                rule: /must include file/,
            },
            {
                title: "an unknown storage sub-resource",
                args: { storagePrivateEndpoints: ["blob", "file", "web"] },
                argument: "storagePrivateEndpoints",
                value: ["blob", "file", "web"],
                rule: /one of blob, file, queue, table, dfs/,
            },
            {
                title: "zero image-build nodes",
                args: { imageBuildMaxNodes: 0 },
                argument: "imageBuildMaxNodes",
                value: 0,
                rule: /whole number from 1 to 1000/,
            },
            {
                title: "the vault.azure.net zone bug in existing zone ids",
                args: {
                    existingPrivateDnsZoneIds: {
                        "privatelink.vault.azure.net":
                            "/subscriptions/x/resourceGroups/hub/providers/Microsoft.Network/privateDnsZones/privatelink.vault.azure.net",
                    },
                },
                argument: "existingPrivateDnsZoneIds",
                value: {
                    "privatelink.vault.azure.net":
                        "/subscriptions/x/resourceGroups/hub/providers/Microsoft.Network/privateDnsZones/privatelink.vault.azure.net",
                },
                rule: /no private endpoint of this workspace uses/,
            },
            {
                title: "an existing zone id naming another zone",
                args: {
                    existingPrivateDnsZoneIds: {
                        "privatelink.blob.core.windows.net":
                            "/subscriptions/x/resourceGroups/hub/providers/Microsoft.Network/privateDnsZones/privatelink.file.core.windows.net",
                    },
                },
                argument: `existingPrivateDnsZoneIds["privatelink.blob.core.windows.net"]`,
                value: "/subscriptions/x/resourceGroups/hub/providers/Microsoft.Network/privateDnsZones/privatelink.file.core.windows.net",
                rule: /must end in \/privateDnsZones\/privatelink.blob.core.windows.net/,
            },
            {
                title: "a location of another cloud",
                args: { location: "chinanorth3" },
                argument: "location",
                value: "chinanorth3",
                rule: /AzureChinaCloud/,
            },
            {
                title: "a VNet on Docker's bridge range (MlNetwork's rule, checked before anything registers)",
                args: { addressSpace: "172.17.0.0/16" },
                argument: "addressSpace",
                value: "172.17.0.0/16",
                rule: /Docker/,
            },
        ];
        for (const c of cases) {
            it(c.title, async () => {
                const { error, registered } = await renderFailure(c.args, c.name);
                assert.deepStrictEqual(
                    registered.map((r) => r.type),
                    [],
                );
                assert.strictEqual(error.component, "SecureMlWorkspace");
                if (typeof c.argument === "string") assert.strictEqual(error.argument, c.argument);
                else assert.match(error.argument, c.argument);
                assert.deepStrictEqual(error.value, c.value);
                assert.match(error.rule, c.rule);
                assert.ok(error.message.includes(JSON.stringify(c.value)), "the message shows the value");
            });
        }
    });
});

import * as assert from "assert";
import { deterministicUuid, mockSubscriptionId, mockTenantId } from "../../cli/azure-mocks";
import { builtInRoles } from "../../components/catalog/roles";
import { monitorReachability } from "../../components/catalog/monitor-reachability";
import { renderFailure, renderWorkspace, RenderedWorkspace } from "./workspace-helpers";

/**
 * SecureMlWorkspace's access side: people and their roles, personal compute instances, the jump box's
 * grants, and Azure Monitor private link on and off.
 */

const alice = "11111111-2222-4333-8444-555555555555";
const team = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
const roleId = (guid: string) =>
    `/subscriptions/${mockSubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;

function grantsOf(w: RenderedWorkspace, principalId: string) {
    return w
        .ofType("authorization:RoleAssignment")
        .filter((a) => a.inputs.principalId === principalId)
        .map((a) => ({ role: String(a.inputs.roleDefinitionId), scope: a.inputs.scope, type: a.inputs.principalType }));
}

describe("SecureMlWorkspace access", function () {
    this.timeout(60000);

    describe("data scientists", () => {
        let w: RenderedWorkspace;
        before(async () => {
            w = await renderWorkspace({
                dataScientists: [
                    { principalId: alice, principalType: "User" },
                    { principalId: team, principalType: "Group" },
                ],
            });
        });

        for (const [who, id, type] of [
            ["a user", alice, "User"],
            ["a group", team, "Group"],
        ] as const) {
            it(`gives ${who} AzureML Data Scientist on the workspace and the two storage data roles, nothing else`, () => {
                const ws = w.one("machinelearningservices:Workspace").id;
                const sa = w.one("storage:StorageAccount").id;
                const key = (x: object) => JSON.stringify(x);
                assert.deepStrictEqual(
                    grantsOf(w, id).map(key).sort(),
                    [
                        { role: roleId(builtInRoles.azureMlDataScientist.guid), scope: ws, type },
                        { role: roleId(builtInRoles.storageBlobDataContributor.guid), scope: sa, type },
                        { role: roleId(builtInRoles.storageFileDataPrivilegedContributor.guid), scope: sa, type },
                    ]
                        .map(key)
                        .sort(),
                );
            });
        }

        it("gives no person Owner, Contributor or an access administrator role anywhere", () => {
            const privileged = [
                builtInRoles.owner,
                builtInRoles.contributor,
                builtInRoles.userAccessAdministrator,
                builtInRoles.roleBasedAccessControlAdministrator,
            ].map((r) => roleId(r.guid));
            for (const a of w.ofType("authorization:RoleAssignment")) {
                if (a.inputs.principalType === "ServicePrincipal") continue;
                assert.ok(!privileged.includes(a.inputs.roleDefinitionId as string), a.name);
            }
        });

        it("makes the workspace wait for nothing new: people's grants come after what they scope", () => {
            const ws = w.one("machinelearningservices:Workspace");
            const grant = w.one("authorization:RoleAssignment", "mlw-person0-ws-data-scientist");
            assert.ok(grant.propertyDependencies.scope.includes(ws.urn));
            assert.ok(!ws.dependencies.includes(grant.urn));
        });
    });

    describe("compute instances", () => {
        let w: RenderedWorkspace;
        before(async () => {
            w = await renderWorkspace({
                dataScientists: [{ principalId: alice, principalType: "User" }],
                computeInstances: [
                    { name: "ci-alice", assignedUserObjectId: alice },
                    {
                        name: "ci-alice-gpu",
                        assignedUserObjectId: alice,
                        vmSize: "Standard_NC6s_v3",
                        idleShutdownMinutes: 30,
                    },
                ],
            });
        });

        it("creates each instance personal, in the training subnet, without public IP or SSH, as the instances' own identity", () => {
            const identity = w.one("managedidentity:UserAssignedIdentity", "mlw-instance-identity");
            const ci = w.one("machinelearningservices:Compute", "mlw-ci-alice");
            assert.deepStrictEqual(ci.inputs.identity, { type: "UserAssigned", userAssignedIdentities: [identity.id] });
            const props = ci.inputs.properties as any;
            assert.strictEqual(props.computeType, "ComputeInstance");
            assert.strictEqual(props.disableLocalAuth, true);
            assert.deepStrictEqual(
                {
                    vmSize: props.properties.vmSize,
                    subnet: props.properties.subnet,
                    enableNodePublicIp: props.properties.enableNodePublicIp,
                    sshSettings: props.properties.sshSettings,
                    computeInstanceAuthorizationType: props.properties.computeInstanceAuthorizationType,
                    personalComputeInstanceSettings: props.properties.personalComputeInstanceSettings,
                    idleTimeBeforeShutdown: props.properties.idleTimeBeforeShutdown,
                },
                {
                    vmSize: "Standard_DS3_v2",
                    subnet: { id: w.outputs.trainingSubnetId },
                    enableNodePublicIp: false,
                    sshSettings: { sshPublicAccess: "Disabled" },
                    computeInstanceAuthorizationType: "personal",
                    personalComputeInstanceSettings: { assignedUser: { objectId: alice, tenantId: mockTenantId } },
                    idleTimeBeforeShutdown: "PT60M",
                },
            );
            assert.strictEqual(ci.inputs.computeName, "ci-alice");
        });

        it("allows a GPU size for an instance and takes its idle shutdown", () => {
            const props = (w.one("machinelearningservices:Compute", "mlw-ci-alice-gpu").inputs.properties as any)
                .properties;
            assert.strictEqual(props.vmSize, "Standard_NC6s_v3");
            assert.strictEqual(props.idleTimeBeforeShutdown, "PT30M");
        });

        it("gives the instances an identity no cluster shares, with AzureML Compute Operator on the workspace and no Contributor", () => {
            const instanceIdentity = w.one("managedidentity:UserAssignedIdentity", "mlw-instance-identity");
            const clusterIdentity = w.one("managedidentity:UserAssignedIdentity", "mlw-compute-identity");
            const cluster = w.one("machinelearningservices:Compute", "mlw-image-build");
            assert.deepStrictEqual(cluster.inputs.identity, {
                type: "UserAssigned",
                userAssignedIdentities: [clusterIdentity.id],
            });
            const ws = w.one("machinelearningservices:Workspace").id;
            const sa = w.one("storage:StorageAccount").id;
            const acr = w.one("containerregistry:Registry").id;
            const principal = (id: string) => deterministicUuid(`${id}/principal`);
            const key = (x: object) => JSON.stringify(x);
            const sp = "ServicePrincipal";
            // What every compute identity needs to run jobs: the data roles, the same for both identities.
            const dataGrants = [
                { role: roleId(builtInRoles.storageBlobDataContributor.guid), scope: sa, type: sp },
                { role: roleId(builtInRoles.acrPull.guid), scope: acr, type: sp },
                { role: roleId(builtInRoles.storageQueueDataContributor.guid), scope: sa, type: sp },
                { role: roleId(builtInRoles.storageTableDataContributor.guid), scope: sa, type: sp },
            ];
            assert.deepStrictEqual(
                grantsOf(w, principal(instanceIdentity.id!)).map(key).sort(),
                [{ role: roleId(builtInRoles.azureMlComputeOperator.guid), scope: ws, type: sp }, ...dataGrants]
                    .map(key)
                    .sort(),
            );
            // The clusters' identity: data roles only, nothing on the workspace.
            assert.deepStrictEqual(
                grantsOf(w, principal(clusterIdentity.id!)).map(key).sort(),
                dataGrants.map(key).sort(),
            );
            const contributor = roleId(builtInRoles.contributor.guid);
            assert.deepStrictEqual(
                w
                    .ofType("authorization:RoleAssignment")
                    .filter((a) => a.inputs.roleDefinitionId === contributor)
                    .map((a) => a.name),
                [],
            );
            const grant = w.one("authorization:RoleAssignment", "mlw-instance-workspace-compute-operator");
            for (const name of ["mlw-ci-alice", "mlw-ci-alice-gpu"]) {
                const deps = w.one("machinelearningservices:Compute", name).dependencies;
                assert.ok(deps.includes(grant.urn), `${name} waits for the grant`);
                assert.ok(deps.includes(w.one("authorization:RoleAssignment", "mlw-instance-acr-pull").urn));
                assert.ok(!deps.includes(w.one("authorization:RoleAssignment", "mlw-compute-acr-pull").urn));
            }
        });

        it("makes each instance wait for its create-time requirements: the private endpoints, zone groups and zone links", () => {
            const urn = (type: string, name: string) => w.one(type, name).urn;
            const pe = (n: string) => [
                urn("network:PrivateEndpoint", `${n}-pe`),
                urn("network:PrivateDnsZoneGroup", `${n}-pe-dns`),
            ];
            const link = (zone: string) => urn("privatedns:VirtualNetworkLink", `mlw-${zone}-link`);
            const expected = [
                ...pe("mlw-amlworkspace"),
                link("privatelink.api.azureml.ms"),
                link("privatelink.notebooks.azure.net"),
                ...pe("mlw-blob"),
                link("privatelink.blob.core.windows.net"),
                ...pe("mlw-file"),
                link("privatelink.file.core.windows.net"),
                ...pe("mlw-vault"),
                link("privatelink.vaultcore.azure.net"),
                ...pe("mlw-registry"),
                link("privatelink.azurecr.io"),
            ];
            for (const name of ["mlw-ci-alice", "mlw-ci-alice-gpu"]) {
                const deps = w.one("machinelearningservices:Compute", name).dependencies;
                assert.deepStrictEqual(
                    deps.filter((d) => expected.includes(d)),
                    expected,
                    name,
                );
            }
        });

        it("makes each instance wait for the training subnet's way out: the VNet and NAT gateway, or the VNet, firewall, rules and 0.0.0.0/0 route", async () => {
            const egressTypes = [
                "azure-native:network:VirtualNetwork",
                "azure-native:network:NatGateway",
                "azure-native:network:AzureFirewall",
                "azure-native:network:FirewallPolicyRuleCollectionGroup",
                "azure-native:network:Route",
                "azure-native:network:RouteTable",
            ];
            const egressDeps = (x: RenderedWorkspace, name: string) =>
                x
                    .one("machinelearningservices:Compute", name)
                    .dependencies.filter((d) => egressTypes.includes(x.byUrn(d).type))
                    .sort();
            // dev's layout: the NAT gateway (egress: nat, the default).
            assert.deepStrictEqual(
                egressDeps(w, "mlw-ci-alice"),
                [w.one("network:VirtualNetwork").urn, w.one("network:NatGateway").urn].sort(),
            );
            // prod's layout: the Azure Firewall, its rule collection group and the compute route table's
            // 0.0.0.0/0 route; no NAT gateway.
            const fw = await renderWorkspace({
                egress: "firewall",
                dataScientists: [{ principalId: alice, principalType: "User" }],
                computeInstances: [{ name: "ci-alice", assignedUserObjectId: alice }],
            });
            const route = fw.ofType("network:Route").find((r) => r.inputs.addressPrefix === "0.0.0.0/0")!;
            assert.deepStrictEqual(
                egressDeps(fw, "mlw-ci-alice"),
                [
                    fw.one("network:VirtualNetwork").urn,
                    fw.one("network:AzureFirewall").urn,
                    fw.one("network:FirewallPolicyRuleCollectionGroup").urn,
                    route.urn,
                ].sort(),
            );
            // A managed network: the instances are in Azure's VNet, not ours, and wait for none of it.
            const managed = await renderWorkspace({
                isolation: "managed",
                dataScientists: [{ principalId: alice, principalType: "User" }],
                computeInstances: [{ name: "ci-alice", assignedUserObjectId: alice }],
            });
            assert.deepStrictEqual(egressDeps(managed, "mlw-ci-alice"), []);
        });

        it("reports the instances' names", () => {
            assert.deepStrictEqual(w.outputs.computeInstanceNames, ["ci-alice", "ci-alice-gpu"]);
        });

        it("adds no instance identity and no workspace role for computes without instances", async () => {
            const plain = await renderWorkspace();
            assert.deepStrictEqual(
                plain.ofType("managedidentity:UserAssignedIdentity").map((i) => i.name),
                ["mlw-compute-identity"],
            );
            assert.ok(!plain.ofType("authorization:RoleAssignment").some((a) => a.name.startsWith("mlw-instance-")));
        });
    });

    describe("jump box grants", () => {
        it("lets data scientists sign in to the jump box through Bastion: login role and Reader on the VM, its NIC and Bastion", async () => {
            const w = await renderWorkspace({
                enableBastion: true,
                enableJumpBox: true,
                dataScientists: [{ principalId: team, principalType: "Group" }],
            });
            const vm = w.one("compute:VirtualMachine").id;
            const nic = w.one("network:NetworkInterface").id;
            const bastion = w.one("network:BastionHost").id;
            const ws = w.one("machinelearningservices:Workspace").id;
            const sa = w.one("storage:StorageAccount").id;
            const key = (x: object) => JSON.stringify(x);
            const type = "Group";
            assert.deepStrictEqual(
                grantsOf(w, team).map(key).sort(),
                [
                    { role: roleId(builtInRoles.azureMlDataScientist.guid), scope: ws, type },
                    { role: roleId(builtInRoles.storageBlobDataContributor.guid), scope: sa, type },
                    { role: roleId(builtInRoles.storageFileDataPrivilegedContributor.guid), scope: sa, type },
                    { role: roleId(builtInRoles.virtualMachineUserLogin.guid), scope: vm, type },
                    { role: roleId(builtInRoles.reader.guid), scope: vm, type },
                    { role: roleId(builtInRoles.reader.guid), scope: nic, type },
                    { role: roleId(builtInRoles.reader.guid), scope: bastion, type },
                ]
                    .map(key)
                    .sort(),
            );
        });
    });

    describe("Azure Monitor private link", () => {
        it("is on by default: Open scope, both resources scoped, ingestion private only", async () => {
            const w = await renderWorkspace();
            const scope = w.one("monitor:PrivateLinkScope");
            assert.deepStrictEqual(scope.inputs.accessModeSettings, {
                ingestionAccessMode: "Open",
                queryAccessMode: "Open",
                exclusions: [],
            });
            assert.strictEqual(scope.inputs.location, "global");
            const scoped = w.ofType("monitor:PrivateLinkScopedResource");
            assert.deepStrictEqual(
                scoped.map((s) => s.inputs.linkedResourceId).sort(),
                [w.one("operationalinsights:Workspace").id, w.one("applicationinsights:Component").id].sort(),
            );
            for (const s of scoped) assert.strictEqual(s.inputs.scopeName, scope.inputs.scopeName ?? scope.name);
            const pe = w.one("network:PrivateEndpoint", "mlw-azuremonitor-pe");
            for (const s of scoped)
                assert.ok(pe.dependencies.includes(s.urn), "the endpoint comes after the scoped resources");
            assert.strictEqual(w.outputs.privateEndpointIds.azuremonitor, pe.id);
            // One blob zone for both the storage and the Azure Monitor endpoint.
            assert.strictEqual(
                w
                    .ofType("privatedns:PrivateZone")
                    .filter((z) => z.inputs.privateZoneName === "privatelink.blob.core.windows.net").length,
                1,
            );
        });

        it("keeps Application Insights' ingestion Enabled in a managed network, which cannot reach the scope; Log Analytics stays Disabled", async () => {
            const managed = await renderWorkspace({ isolation: "managed" });
            assert.deepStrictEqual(
                {
                    appInsightsIngestion: managed.one("applicationinsights:Component").inputs
                        .publicNetworkAccessForIngestion,
                    appInsightsQuery: managed.one("applicationinsights:Component").inputs.publicNetworkAccessForQuery,
                    logsIngestion: managed.one("operationalinsights:Workspace").inputs.publicNetworkAccessForIngestion,
                    scopes: managed.ofType("monitor:PrivateLinkScope").length,
                },
                { appInsightsIngestion: "Enabled", appInsightsQuery: "Enabled", logsIngestion: "Disabled", scopes: 1 },
            );
            // The customer-VNet default: every compute reaches the scope, ingestion only through it.
            const vnet = await renderWorkspace();
            assert.strictEqual(
                vnet.one("applicationinsights:Component").inputs.publicNetworkAccessForIngestion,
                "Disabled",
            );
            assert.deepStrictEqual(
                Object.values(monitorReachability).map((m) => [m.isolation, m.applicationInsightsIngestion]),
                [
                    ["customerVnet", "Disabled"],
                    ["managed", "Enabled"],
                ],
            );
        });

        it("can be turned off: no scope, no endpoint, no monitor zones, public ingestion kept", async () => {
            const w = await renderWorkspace({ monitorPrivateLink: false });
            assert.strictEqual(w.ofType("monitor:PrivateLinkScope").length, 0);
            assert.strictEqual(w.ofType("network:PrivateEndpoint").length, 7);
            assert.ok(
                !w
                    .ofType("privatedns:PrivateZone")
                    .some((z) => /monitor|opinsights|automation/.test(String(z.inputs.privateZoneName))),
            );
            assert.strictEqual(
                w.one("applicationinsights:Component").inputs.publicNetworkAccessForIngestion,
                "Enabled",
            );
            assert.strictEqual(
                w.one("operationalinsights:Workspace").inputs.publicNetworkAccessForIngestion,
                "Enabled",
            );
            assert.strictEqual(w.outputs.monitorPrivateLinkScopeId, undefined);
        });
    });

    describe("the workspace", () => {
        it("states managedNetwork isolationMode Disabled (the customer-VNet model)", async () => {
            const w = await renderWorkspace();
            // (The SDK adds its own default, enableNetworkMonitor: false, beside it.)
            assert.strictEqual(
                (w.one("machinelearningservices:Workspace").inputs.managedNetwork as any).isolationMode,
                "Disabled",
            );
        });
    });

    describe("invalid access arguments throw InvalidArgumentError before anything is registered", () => {
        const user = (principalId: unknown) => ({ principalId, principalType: "User" });
        const cases: {
            title: string;
            args: Record<string, unknown>;
            argument: string;
            value: unknown;
            rule: RegExp;
        }[] = [
            {
                title: "a principal id that is an e-mail address",
                args: { dataScientists: [user("alice@contoso.com")] },
                argument: "dataScientists[0].principalId",
                value: "alice@contoso.com",
                rule: /must be a Microsoft Entra ID object id, a GUID/,
            },
            {
                title: "a principal type that is not User or Group",
                args: { dataScientists: [{ principalId: alice, principalType: "ServicePrincipal" }] },
                argument: "dataScientists[0].principalType",
                value: "ServicePrincipal",
                rule: /must be one of User, Group/,
            },
            {
                title: "the same person twice",
                args: { dataScientists: [user(alice), user(alice.toUpperCase())] },
                argument: "dataScientists[1].principalId",
                value: alice.toUpperCase(),
                rule: /repeats dataScientists\[0\].*409 RoleAssignmentExists/,
            },
            {
                title: "dataScientists that is not a list",
                args: { dataScientists: user(alice) },
                argument: "dataScientists",
                value: user(alice),
                rule: /must be a list/,
            },
            {
                title: "a 25-character instance name",
                args: {
                    dataScientists: [user(alice)],
                    computeInstances: [{ name: "c".repeat(25), assignedUserObjectId: alice }],
                },
                argument: "computeInstances[0].name",
                value: "c".repeat(25),
                rule: /3 to 24 characters/,
            },
            {
                title: "an instance name ending in a digit after a hyphen",
                args: {
                    dataScientists: [user(alice)],
                    computeInstances: [{ name: "ci-alice-1", assignedUserObjectId: alice }],
                },
                argument: "computeInstances[0].name",
                value: "ci-alice-1",
                rule: /not ending in a digit right after a hyphen/,
            },
            {
                title: "an instance name starting with a digit",
                args: {
                    dataScientists: [user(alice)],
                    computeInstances: [{ name: "1ci", assignedUserObjectId: alice }],
                },
                argument: "computeInstances[0].name",
                value: "1ci",
                rule: /starting with a letter/,
            },
            {
                title: "an instance for someone not in dataScientists",
                args: { computeInstances: [{ name: "ci-bob", assignedUserObjectId: team }] },
                argument: "computeInstances[0].assignedUserObjectId",
                value: team,
                rule: /must also be listed in dataScientists/,
            },
            {
                title: "an instance assigned to a group",
                args: {
                    dataScientists: [{ principalId: team, principalType: "Group" }],
                    computeInstances: [{ name: "ci-team", assignedUserObjectId: team }],
                },
                argument: "computeInstances[0].assignedUserObjectId",
                value: team,
                rule: /as a Group; a compute instance belongs to one user/,
            },
            {
                title: "an idle shutdown of 10 minutes",
                args: {
                    dataScientists: [user(alice)],
                    computeInstances: [{ name: "ci-alice", assignedUserObjectId: alice, idleShutdownMinutes: 10 }],
                },
                argument: "computeInstances[0].idleShutdownMinutes",
                value: 10,
                rule: /from 15 to 4320/,
            },
            {
                title: "two instances with one name",
                args: {
                    dataScientists: [user(alice)],
                    computeInstances: [
                        { name: "ci-alice", assignedUserObjectId: alice },
                        { name: "CI-Alice", assignedUserObjectId: alice },
                    ],
                },
                argument: "computeInstances[1].name",
                value: "CI-Alice",
                rule: /repeats another instance's name/,
            },
            {
                title: "a GPU size for the image-build cluster (instances may have GPUs, the cluster may not)",
                args: { imageBuildVmSize: "Standard_NC6s_v3" },
                argument: "imageBuildVmSize",
                value: "Standard_NC6s_v3",
                rule: /only CPU SKUs can build images/,
            },
            {
                title: "monitorPrivateLink as a string",
                args: { monitorPrivateLink: "yes" },
                argument: "monitorPrivateLink",
                value: "yes",
                rule: /must be true or false/,
            },
        ];
        for (const c of cases) {
            it(c.title, async () => {
                const { error, registered } = await renderFailure(c.args);
                assert.deepStrictEqual(registered, []);
                assert.strictEqual(error.component, "SecureMlWorkspace");
                assert.strictEqual(error.argument, c.argument);
                assert.deepStrictEqual(error.value, c.value);
                assert.match(error.rule, c.rule);
            });
        }
    });
});

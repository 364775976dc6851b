import * as assert from "assert";
import { deterministicUuid, mockSubscriptionId } from "../../cli/azure-mocks";
import { builtInRoles } from "../../components/catalog/roles";
import { renderFailure, renderWorkspace, RenderedWorkspace } from "./workspace-helpers";

/**
 * Compute for data scientists (issue 18): the shared training cluster (`enableTrainingCluster`) and
 * self-service compute (`allowDataScientistsToCreateCompute`, managed isolation only).
 */

const alice = "11111111-2222-4333-8444-555555555555";
const team = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
const roleId = (guid: string) =>
    `/subscriptions/${mockSubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
const key = (x: object) => JSON.stringify(x);

function grantsOf(w: RenderedWorkspace, principalId: string) {
    return w
        .ofType("authorization:RoleAssignment")
        .filter((a) => a.inputs.principalId === principalId)
        .map((a) => ({ role: String(a.inputs.roleDefinitionId), scope: a.inputs.scope, type: a.inputs.principalType }));
}

describe("SecureMlWorkspace compute for data scientists", function () {
    this.timeout(60000);

    describe("the shared training cluster", () => {
        let w: RenderedWorkspace;
        before(async () => {
            w = await renderWorkspace({
                dataScientists: [{ principalId: alice, principalType: "User" }],
                enableTrainingCluster: true,
                trainingClusterVmSize: "Standard_NC6s_v3",
                trainingClusterMaxNodes: 3,
            });
        });

        it("is an AmlCompute in the training subnet, no public IP, SSH off, 0 to maxNodes, as the training identity", () => {
            const identity = w.one("managedidentity:UserAssignedIdentity", "mlw-training-identity");
            const cluster = w.one("machinelearningservices:Compute", "mlw-training");
            assert.strictEqual(cluster.inputs.computeName, "training");
            assert.deepStrictEqual(cluster.inputs.identity, {
                type: "UserAssigned",
                userAssignedIdentities: [identity.id],
            });
            const props = cluster.inputs.properties as any;
            assert.deepStrictEqual(
                { computeType: props.computeType, disableLocalAuth: props.disableLocalAuth, ...props.properties },
                {
                    computeType: "AmlCompute",
                    disableLocalAuth: true,
                    vmSize: "Standard_NC6s_v3",
                    vmPriority: "Dedicated",
                    subnet: { id: w.outputs.trainingSubnetId },
                    enableNodePublicIp: false,
                    remoteLoginPortPublicAccess: "Disabled",
                    scaleSettings: { minNodeCount: 0, maxNodeCount: 3, nodeIdleTimeBeforeScaleDown: "PT120S" },
                    isolatedNetwork: false,
                },
            );
            assert.strictEqual(w.outputs.trainingClusterName, "training");
        });

        it("gives the training identity the data grants only, and waits for them and the workspace's endpoint", () => {
            const identity = w.one("managedidentity:UserAssignedIdentity", "mlw-training-identity");
            const sa = w.one("storage:StorageAccount").id;
            const acr = w.one("containerregistry:Registry").id;
            const sp = "ServicePrincipal";
            assert.deepStrictEqual(
                grantsOf(w, deterministicUuid(`${identity.id}/principal`))
                    .map(key)
                    .sort(),
                [
                    { role: roleId(builtInRoles.storageBlobDataContributor.guid), scope: sa, type: sp },
                    { role: roleId(builtInRoles.acrPull.guid), scope: acr, type: sp },
                    { role: roleId(builtInRoles.storageQueueDataContributor.guid), scope: sa, type: sp },
                    { role: roleId(builtInRoles.storageTableDataContributor.guid), scope: sa, type: sp },
                ]
                    .map(key)
                    .sort(),
            );
            const grants = w
                .ofType("authorization:RoleAssignment")
                .filter((a) => a.name.startsWith("mlw-training-"))
                .map((a) => a.urn);
            assert.strictEqual(grants.length, 4);
            const pe = w.one("network:PrivateEndpoint", "mlw-amlworkspace-pe").urn;
            const deps = w.one("machinelearningservices:Compute", "mlw-training").dependencies;
            assert.deepStrictEqual(deps.filter((d) => d === pe || grants.includes(d)).sort(), [pe, ...grants].sort());
        });

        it("grants people nothing more without allowDataScientistsToCreateCompute", () => {
            assert.deepStrictEqual(
                grantsOf(w, alice)
                    .map((g) => g.role)
                    .filter(
                        (r) =>
                            r === roleId(builtInRoles.azureMlComputeOperator.guid) ||
                            r === roleId(builtInRoles.managedIdentityOperator.guid),
                    ),
                [],
            );
        });

        it("creates no training identity or cluster by default", async () => {
            const plain = await renderWorkspace();
            assert.deepStrictEqual(
                plain.ofType("managedidentity:UserAssignedIdentity").map((i) => i.name),
                ["mlw-compute-identity"],
            );
            assert.deepStrictEqual(
                plain.ofType("machinelearningservices:Compute").map((c) => c.name),
                ["mlw-image-build"],
            );
            assert.strictEqual(plain.outputs.trainingClusterName, undefined);
        });
    });

    describe("self-service compute (managed isolation)", () => {
        it("gives each person AzureML Compute Operator on the workspace and Managed Identity Operator on the training identity", async () => {
            const w = await renderWorkspace({
                isolation: "managed",
                dataScientists: [
                    { principalId: alice, principalType: "User" },
                    { principalId: team, principalType: "Group" },
                ],
                allowDataScientistsToCreateCompute: true,
            });
            const ws = w.one("machinelearningservices:Workspace").id;
            const identity = w.one("managedidentity:UserAssignedIdentity", "mlw-training-identity").id;
            for (const [id, type] of [
                [alice, "User"],
                [team, "Group"],
            ] as const) {
                const extra = grantsOf(w, id).filter(
                    (g) =>
                        g.role === roleId(builtInRoles.azureMlComputeOperator.guid) ||
                        g.role === roleId(builtInRoles.managedIdentityOperator.guid),
                );
                assert.deepStrictEqual(
                    extra.map(key).sort(),
                    [
                        { role: roleId(builtInRoles.azureMlComputeOperator.guid), scope: ws, type },
                        { role: roleId(builtInRoles.managedIdentityOperator.guid), scope: identity, type },
                    ]
                        .map(key)
                        .sort(),
                );
            }
            // No shared cluster unless asked for: only the image-build cluster.
            assert.deepStrictEqual(
                w.ofType("machinelearningservices:Compute").map((c) => c.name),
                ["mlw-image-build"],
            );
        });
    });

    describe("bad arguments", () => {
        const cases: { title: string; args: Record<string, unknown>; argument: string; rule: RegExp }[] = [
            {
                title: "self-service compute in a customer VNet",
                args: {
                    dataScientists: [{ principalId: alice, principalType: "User" }],
                    allowDataScientistsToCreateCompute: true,
                },
                argument: "allowDataScientistsToCreateCompute",
                rule: /needs isolation: "managed".*subnets\/join\/action.*enableTrainingCluster/,
            },
            {
                title: "self-service compute for nobody",
                args: { isolation: "managed", allowDataScientistsToCreateCompute: true },
                argument: "allowDataScientistsToCreateCompute",
                rule: /grants nobody/,
            },
            {
                title: "a training cluster size without the switch",
                args: { trainingClusterMaxNodes: 2 },
                argument: "trainingClusterMaxNodes",
                rule: /enableTrainingCluster is not true/,
            },
            {
                title: "the image-build cluster's name",
                args: { enableTrainingCluster: true, trainingClusterName: "image-build" },
                argument: "trainingClusterName",
                rule: /already the name of another compute/,
            },
            {
                title: "zero nodes",
                args: { enableTrainingCluster: true, trainingClusterMaxNodes: 0 },
                argument: "trainingClusterMaxNodes",
                rule: /whole number from 1 to 1000/,
            },
            {
                title: "a misspelt key",
                args: { enableTrainingClusters: true },
                argument: "enableTrainingClusters",
                rule: /did you mean enableTrainingCluster\?/,
            },
        ];
        for (const c of cases) {
            it(`rejects ${c.title}, registering nothing`, async () => {
                const { error, registered } = await renderFailure(c.args);
                assert.deepStrictEqual(registered, []);
                assert.strictEqual(error.argument, c.argument);
                assert.match(error.rule, c.rule);
            });
        }

        it("sizes the training subnet for both clusters' nodes", async () => {
            // A /28 holds 11 nodes: 4 image-build nodes fit, 4 + 8 do not.
            const { error } = await renderFailure({
                trainingSubnetPrefix: "10.0.0.0/28",
                enableTrainingCluster: true,
                trainingClusterMaxNodes: 8,
            });
            assert.strictEqual(error.argument, "trainingSubnetPrefix");
            assert.match(error.rule, /12/);
        });
    });
});

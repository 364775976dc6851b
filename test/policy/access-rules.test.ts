import * as assert from "assert";
import { PlanResource } from "../../policy/plan";
import { builtInRoles } from "../../components/catalog/roles";
import { T, find, firstPreview, ids, resource, rgId, secureStack, sub, violationsOf } from "./helpers";
import { StackCase, itChecksStackCases } from "./stack-cases";

/**
 * The rules for what issue 10 adds: compute instances without public IPs, VMs (the jump box) without
 * public IPs, and no privileged role for people on a workspace. Each case runs with ids and as a first
 * preview (ids unknown, URNs only); an unknown value never makes a mandatory violation by itself.
 */

const roleAssignment = "azure-native:authorization:RoleAssignment";
const nic = "azure-native:network:NetworkInterface";
const vm = "azure-native:compute:VirtualMachine";
const person = "11111111-2222-4333-8444-555555555555";
const roleId = (guid: string) => `${sub}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;

function withInstance(properties: Record<string, unknown>): PlanResource[] {
    const stack = secureStack();
    const ws = find(stack, "workspace");
    stack.push(
        resource({
            type: T.compute,
            name: "ci-alice",
            id: `${ids.workspace}/computes/ci-alice`,
            inputs: {
                computeName: "ci-alice",
                workspaceName: "mlws",
                resourceGroupName: "rg",
                location: "westeurope",
                properties: {
                    computeType: "ComputeInstance",
                    disableLocalAuth: true,
                    properties: {
                        vmSize: "Standard_DS3_v2",
                        subnet: { id: ids.trainingSubnet },
                        idleTimeBeforeShutdown: "PT60M",
                        sshSettings: { sshPublicAccess: "Disabled" },
                        ...properties,
                    },
                },
            },
            deps: { workspaceName: [ws] },
        }),
    );
    return stack;
}

function withNic(ipConfig: Record<string, unknown>): PlanResource[] {
    const stack = secureStack();
    stack.push(
        resource({
            type: nic,
            name: "jump-box-nic",
            id: `${rgId}/providers/Microsoft.Network/networkInterfaces/jump-box-nic`,
            inputs: {
                resourceGroupName: "rg",
                location: "westeurope",
                ipConfigurations: [{ name: "ipconfig", subnet: { id: ids.trainingSubnet }, ...ipConfig }],
            },
        }),
    );
    return stack;
}

function withVm(ipConfig: Record<string, unknown>): PlanResource[] {
    const stack = secureStack();
    stack.push(
        resource({
            type: vm,
            name: "jump-box",
            id: `${rgId}/providers/Microsoft.Compute/virtualMachines/jump-box`,
            inputs: {
                resourceGroupName: "rg",
                location: "westeurope",
                networkProfile: {
                    networkApiVersion: "2020-11-01",
                    networkInterfaceConfigurations: [{ name: "nic", ipConfigurations: [{ name: "ip", ...ipConfig }] }],
                },
            },
        }),
    );
    return stack;
}

/** A role assignment to `principalType` of `guid` at a scope that is the workspace, its group, ... */
function withAssignment(
    guid: string,
    principalType: string | undefined,
    scope: "workspace" | "resourceGroup" | "subscription" | "storage" | "compute",
): PlanResource[] {
    const stack = secureStack();
    const targets: Record<typeof scope, [string, PlanResource[]]> = {
        workspace: [ids.workspace, [find(stack, "workspace")]],
        resourceGroup: [rgId, [find(stack, "rg")]],
        subscription: [sub, []],
        storage: [ids.storage, [find(stack, "storage")]],
        compute: [ids.compute, [find(stack, "image-build")]],
    };
    const [scopeId, deps] = targets[scope];
    // The workspace names its resource group by the RG resource, as a program does.
    const ws = find(stack, "workspace");
    ws.propertyDependencies.resourceGroupName = [find(stack, "rg").urn];
    stack.push(
        resource({
            type: roleAssignment,
            name: "grant",
            inputs: {
                principalId: person,
                ...(principalType === undefined ? {} : { principalType }),
                roleDefinitionId: roleId(guid),
                scope: scopeId,
            },
            deps: deps.length ? { scope: deps } : {},
        }),
    );
    return stack;
}

const cases: StackCase[] = [
    // ml-compute-instance-no-public-ip
    {
        policy: "ml-compute-instance-no-public-ip",
        label: "an instance with enableNodePublicIp false",
        build: () => withInstance({ enableNodePublicIp: false }),
        expect: [],
    },
    {
        policy: "ml-compute-instance-no-public-ip",
        label: "an instance with a public IP",
        build: () => withInstance({ enableNodePublicIp: true }),
        expect: [
            ['machinelearningservices:Compute "ci-alice"', "enableNodePublicIp is true", "must have no public IP"],
        ],
    },
    {
        policy: "ml-compute-instance-no-public-ip",
        label: "an instance that leaves it out (default true)",
        build: () => withInstance({}),
        expect: [["enableNodePublicIp is not set (default true)"]],
    },
    {
        policy: "ml-compute-instance-no-public-ip",
        label: "the cluster is not an instance (ml-compute-no-public-ip, advisory, judges it)",
        build: () => {
            const stack = secureStack();
            (find(stack, "image-build").inputs.properties as any).properties.enableNodePublicIp = true;
            return stack;
        },
        expect: [],
    },
    // ml-compute-no-public-ssh covers instances (no second SSH rule)
    {
        policy: "ml-compute-no-public-ssh",
        label: "an instance with SSH Disabled",
        build: () => withInstance({ enableNodePublicIp: false }),
        expect: [],
    },
    {
        policy: "ml-compute-no-public-ssh",
        label: "an instance with public SSH Enabled",
        build: () => withInstance({ enableNodePublicIp: false, sshSettings: { sshPublicAccess: "Enabled" } }),
        expect: [['"ci-alice"', 'sshPublicAccess is "Enabled"']],
    },
    // vm-no-public-ip
    {
        policy: "vm-no-public-ip",
        label: "a NIC without a public IP",
        build: () => withNic({}),
        expect: [],
    },
    {
        policy: "vm-no-public-ip",
        label: "a NIC with a public IP",
        build: () =>
            withNic({ publicIPAddress: { id: `${rgId}/providers/Microsoft.Network/publicIPAddresses/jump-pip` } }),
        expect: [['network:NetworkInterface "jump-box-nic"', "ipConfigurations[0].publicIPAddress", "no public IP"]],
    },
    {
        policy: "vm-no-public-ip",
        label: "a VM whose inline NIC configuration has a public IP",
        build: () => withVm({ publicIPAddressConfiguration: { name: "pip" } }),
        expect: [['compute:VirtualMachine "jump-box"', "publicIPAddressConfiguration is set"]],
    },
    {
        policy: "vm-no-public-ip",
        label: "a VM whose inline NIC configuration has none",
        build: () => withVm({}),
        expect: [],
    },
    // no-privileged-role-for-people-on-workspace
    ...(["workspace", "resourceGroup"] as const).flatMap((scope) =>
        (
            [
                ["Owner", builtInRoles.owner.guid],
                ["Contributor", builtInRoles.contributor.guid],
                ["User Access Administrator", builtInRoles.userAccessAdministrator.guid],
            ] as const
        ).map(([name, guid]): StackCase => ({
            policy: "no-privileged-role-for-people-on-workspace",
            label: `${name} for a user at the ${scope}`,
            build: () => withAssignment(guid, "User", scope),
            expect: [
                [
                    'authorization:RoleAssignment "grant"',
                    `the user ${person} ${name} ${scope === "workspace" ? "on" : "above"} machinelearningservices:Workspace "workspace"`,
                    "AzureML Data Scientist",
                ],
            ],
        })),
    ),
    {
        policy: "no-privileged-role-for-people-on-workspace",
        label: "Contributor for a group at the subscription (known only with ids)",
        build: () => withAssignment(builtInRoles.contributor.guid, "Group", "subscription"),
        expect: [["the group", "Contributor above", `scope ${sub}`]],
        preview: "skips",
    },
    {
        policy: "no-privileged-role-for-people-on-workspace",
        label: "AzureML Data Scientist for a user on the workspace",
        build: () => withAssignment(builtInRoles.azureMlDataScientist.guid, "User", "workspace"),
        expect: [],
    },
    {
        policy: "no-privileged-role-for-people-on-workspace",
        label: "Contributor for a managed identity on the workspace (not a person)",
        build: () => withAssignment(builtInRoles.contributor.guid, "ServicePrincipal", "workspace"),
        expect: [],
    },
    {
        policy: "no-privileged-role-for-people-on-workspace",
        label: "Owner for a user on a storage account (not at or above the workspace)",
        build: () => withAssignment(builtInRoles.owner.guid, "User", "storage"),
        expect: [],
    },
    {
        policy: "no-privileged-role-for-people-on-workspace",
        label: "Contributor for a user on a compute (below the workspace)",
        build: () => withAssignment(builtInRoles.contributor.guid, "User", "compute"),
        expect: [],
    },
    {
        policy: "no-privileged-role-for-people-on-workspace",
        label: "Owner with no principalType (a person cannot be told from an identity)",
        build: () => withAssignment(builtInRoles.owner.guid, undefined, "workspace"),
        expect: [],
    },
];

/**
 * A first preview: ids unknown. A role definition id stays known, as in a real preview: it is built from
 * the subscription id, which comes from an invoke (getClientConfig), not from a resource not yet created.
 */
function preview(built: PlanResource[]): PlanResource[] {
    const out = firstPreview(built);
    out.forEach((r, i) => {
        if (r.type === roleAssignment) r.inputs.roleDefinitionId = built[i].inputs.roleDefinitionId;
    });
    return out;
}

describe("access rules (compute instances, VMs, people's roles)", () => {
    itChecksStackCases(cases, { toFirstPreview: preview });

    it("an unknown role or principal type is never a mandatory violation", async () => {
        const stack = withAssignment(builtInRoles.owner.guid, "User", "workspace");
        const grant = stack.find((r) => r.type === roleAssignment)!;
        for (const key of ["roleDefinitionId", "principalType"]) {
            const copy = JSON.parse(JSON.stringify(stack)) as PlanResource[];
            copy.find((r) => r.urn === grant.urn)!.inputs[key] = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
            assert.deepStrictEqual(await violationsOf("no-privileged-role-for-people-on-workspace", copy), []);
        }
    });
});

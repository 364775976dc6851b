import * as assert from "assert";
import { render } from "../../cli/recording-engine";
import { SecureMlWorkspace } from "../../components/workspace/secure-workspace";
import { runPack } from "../../policy/runner";
import { firstPreview, summary } from "./helpers";

/**
 * Everything issue 10 adds, switched on at once, against the whole pack: people, a compute instance,
 * Bastion with the jump box, the point-to-site VPN gateway (GatewaySubnet has no NSG, which
 * subnet-has-nsg exempts) and Azure Monitor private link. Nothing mandatory, with ids and as a first
 * preview; the one advisory is the opt-in HBI flag.
 */

const alice = "11111111-2222-4333-8444-555555555555";

describe("SecureMlWorkspace with people, instances, jump box and VPN against the policy pack", function () {
    this.timeout(120000);

    it("violates nothing mandatory", async () => {
        const { resources } = await render(
            () =>
                new SecureMlWorkspace("mlws", {
                    resourceGroupName: "rg",
                    location: "westeurope",
                    enableBastion: true,
                    enableJumpBox: true,
                    enableVpnGateway: true,
                    vpnClientAddressPool: "172.30.0.0/24",
                    dataScientists: [{ principalId: alice, principalType: "User" }],
                    computeInstances: [{ name: "ci-alice", assignedUserObjectId: alice }],
                }),
            { project: "secure-azureml", stack: "dev" },
        );
        for (const type of [
            "azure-native:compute:VirtualMachine",
            "azure-native:network:VirtualNetworkGateway",
            "azure-native:monitor:PrivateLinkScope",
        ]) {
            assert.ok(
                resources.some((r) => r.type === type),
                `the render registered a ${type}`,
            );
        }
        assert.strictEqual(
            summary(await runPack(resources)),
            'advisory ml-workspace-hbi: machinelearningservices:Workspace "mlws-workspace": hbiWorkspace is false; set it to true for high-business-impact data.',
        );
        const preview = await runPack(firstPreview(resources));
        assert.deepStrictEqual(
            preview.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.message),
            [],
        );
    });
});

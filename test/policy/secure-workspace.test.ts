import * as assert from "assert";
import { render } from "../../cli/recording-engine";
import { SecureMlWorkspace } from "../../components/workspace/secure-workspace";
import { hopOf } from "../../components/catalog/journeys";
import { runPack } from "../../policy/runner";
import { firstPreview, summary } from "./helpers";

/**
 * The component against the pack: what SecureMlWorkspace registers with default arguments passes
 * every rule except the advisory below, a deliberate default of the component:
 * - ml-workspace-hbi: the hbi_workspace flag is opt-in (`hbiWorkspace: true`); it cannot be changed
 *   after creation and reduces Microsoft's diagnostics, so it is not forced on every workspace.
 * - journey-studio-access: the defaults create no way in (no Bastion, jump box or VPN gateway: the
 *   caller's hub may provide one, which the pack cannot see), so no person reaches the studio from
 *   this stack alone; the journey says so, as advisory.
 * (appinsights-private-ingestion no longer fires: Azure Monitor private link is on by default.)
 */
const expected = [
    'advisory ml-workspace-hbi: machinelearningservices:Workspace "mlws-workspace": hbiWorkspace is false; set it to true for high-business-impact data.',
    `advisory journey-studio-access: workspace "mlws-workspace": breaks at hop "way-in": nothing in this stack lets a person into the workspace's VNet "mlws-vnet": no jump box there and no point-to-site VPN gateway. Fix: ${hopOf("studio-access", "way-in").fix}`,
].join("\n");

describe("SecureMlWorkspace against the policy pack", () => {
    it("with default arguments violates nothing but the listed advisory", async () => {
        const { resources } = await render(
            () => new SecureMlWorkspace("mlws", { resourceGroupName: "rg", location: "westeurope" }),
            { project: "secure-azureml", stack: "dev" },
        );
        assert.ok(
            resources.some((r) => r.type === "azure-native:machinelearningservices:Compute"),
            "the render registered the compute",
        );
        assert.strictEqual(summary(await runPack(resources)), expected);
        // A first preview of the same program (ids unknown): still nothing mandatory.
        const preview = await runPack(firstPreview(resources));
        assert.deepStrictEqual(
            preview.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.message),
            [],
        );
    });
});

import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { render } from "../../cli/recording-engine";
import { virtualNetworkAzureFilled, workspaceAzureFilled } from "../../components/catalog/azure-filled";
import { SecureMlWorkspace } from "../../components/workspace/secure-workspace";
import { SecureMlWorkspaceArgs } from "../../components/workspace/secure-workspace-args";
import { baseArgs } from "./workspace-helpers";

/**
 * Azure-filled properties are ignored, so `pulumi refresh` then `pulumi up` does not diff: the recorder
 * does not keep resource options, so a stack transformation reads `ignoreChanges` as it is registered.
 */
async function ignoreChangesOf(extra: Partial<SecureMlWorkspaceArgs>): Promise<Record<string, string[] | undefined>> {
    const seen: Record<string, string[] | undefined> = {};
    await render(
        () => {
            pulumi.runtime.registerStackTransformation((a) => {
                seen[`${a.type}::${a.name}`] = a.opts.ignoreChanges;
                return undefined;
            });
            new SecureMlWorkspace("mlw", { ...baseArgs, ...extra });
        },
        { project: "secure-azureml", stack: "test" },
    );
    return seen;
}

describe("Azure-filled properties (ignoreChanges)", function () {
    this.timeout(60000);

    it("the VNet ignores its service endpoints' locations, the workspace its managed network's rules and status", async () => {
        const seen = await ignoreChangesOf({ egress: "firewall" });
        assert.deepStrictEqual(seen["azure-native:network:VirtualNetwork::mlw-vnet"], [
            "subnets[*].serviceEndpoints[*].locations",
        ]);
        assert.deepStrictEqual(seen["azure-native:machinelearningservices:Workspace::mlw-workspace"], [
            "managedNetwork.outboundRules",
            "managedNetwork.status",
        ]);
        // Nothing else ignores anything: an ignored input is a change the stack silently stops making.
        const others = Object.entries(seen).filter(
            ([k, v]) => v !== undefined && v.length > 0 && !k.endsWith("::mlw-vnet") && !k.endsWith("::mlw-workspace"),
        );
        assert.deepStrictEqual(others, []);
    });

    it("every catalogue row names a Microsoft page", () => {
        for (const p of [...virtualNetworkAzureFilled, ...workspaceAzureFilled])
            assert.match(p.source, /^https:\/\/learn\.microsoft\.com\//, p.path);
    });
});

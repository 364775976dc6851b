import * as assert from "assert";
import { renderFailure, renderWorkspace } from "./workspace-helpers";

/** workspaceNameSuffix: a soft-deleted workspace keeps its name 14 days (concept-soft-delete). */
describe("SecureMlWorkspace workspaceNameSuffix", function () {
    this.timeout(60000);

    it("appends the component's random suffix to the workspace name, the same one the storage account gets", async () => {
        const w = await renderWorkspace({ workspaceName: "mlw-team", workspaceNameSuffix: true });
        const suffix = w.one("random:index/randomString:RandomString").inputs;
        assert.strictEqual(suffix.length, 6);
        const ws = w.one("machinelearningservices:Workspace");
        const name = ws.inputs.workspaceName as string;
        assert.match(name, /^mlw-team-[a-z0-9]{6}$/);
        const account = w.one("storage:StorageAccount").inputs.accountName as string;
        assert.ok(account.endsWith(name.slice("mlw-team-".length)), `${account} and ${name} share the suffix`);
        assert.strictEqual(w.outputs.workspaceName, name);
    });

    it("keeps the name as given by default", async () => {
        const w = await renderWorkspace({ workspaceName: "mlw-team" });
        assert.strictEqual(w.one("machinelearningservices:Workspace").inputs.workspaceName, "mlw-team");
    });

    it("rejects a name that leaves no room for the suffix (33 characters at most)", async () => {
        const long = "a".repeat(27);
        const { error, registered } = await renderFailure({ workspaceName: long, workspaceNameSuffix: true });
        assert.strictEqual(error.argument, "workspaceName");
        assert.strictEqual(error.value, long);
        assert.match(error.message, /with workspaceNameSuffix: true the name gets 7 more characters/);
        assert.strictEqual(registered.length, 0);
        // 26 characters fit exactly.
        const ok = await renderWorkspace({ workspaceName: "a".repeat(26), workspaceNameSuffix: true });
        assert.strictEqual((ok.one("machinelearningservices:Workspace").inputs.workspaceName as string).length, 33);
    });

    it("rejects a non-boolean", async () => {
        const { error } = await renderFailure({ workspaceNameSuffix: "yes" as unknown as boolean });
        assert.strictEqual(error.argument, "workspaceNameSuffix");
    });
});

import * as assert from "assert";
import { accessRows, accessSection } from "../../cli/report-access";
import { formatReport } from "../../cli/report";
import { PlanJson } from "../../policy/plan";
import { renderWorkspace } from "../components/workspace-helpers";

/** The report's "Who can reach what" section: identity → role → scope, from the plan's role assignments. */

const alice = "11111111-2222-4333-8444-555555555555";

describe("report: who can reach what", function () {
    this.timeout(60000);

    it("names each identity, role and scope by the resource it is, people by type and object id", async () => {
        const w = await renderWorkspace({
            enableBastion: true,
            enableJumpBox: true,
            dataScientists: [{ principalId: alice, principalType: "User" }],
            computeInstances: [{ name: "ci-alice", assignedUserObjectId: alice }],
        });
        const rows = accessRows(w.resources).map((r) => `${r.identity} | ${r.role} | ${r.scope}`);
        for (const row of [
            `User ${alice} | AzureML Data Scientist | mlw-workspace (machinelearningservices:Workspace)`,
            `User ${alice} | Storage Blob Data Contributor | mlw-storage (storage:StorageAccount)`,
            `User ${alice} | Storage File Data Privileged Contributor | mlw-storage (storage:StorageAccount)`,
            `User ${alice} | Virtual Machine User Login | mlw-jump-box (compute:VirtualMachine)`,
            `User ${alice} | Reader | mlw-bastion (network:BastionHost)`,
            `User ${alice} | Reader | mlw-jump-box (compute:VirtualMachine)`,
            `User ${alice} | Reader | mlw-jump-box-nic (network:NetworkInterface)`,
            "compute identity of mlw-compute-identity | AcrPull | mlw-acr (containerregistry:Registry)",
            "compute identity of mlw-instance-identity | AzureML Compute Operator | mlw-workspace (machinelearningservices:Workspace)",
            "workspace identity of mlw-workspace | Reader | mlw-blob-pe (network:PrivateEndpoint)",
            "workspace identity of mlw-workspace | Key Vault Secrets Officer | mlw-kv (keyvault:Vault)",
        ]) {
            assert.ok(rows.includes(row), `missing: ${row}\n${rows.join("\n")}`);
        }
        assert.strictEqual(rows.length, w.ofType("authorization:RoleAssignment").length);
        assert.deepStrictEqual(
            rows,
            [...rows].sort((a, b) => a.replace(/ \| /g, "\u0000").localeCompare(b.replace(/ \| /g, "\u0000"))),
        );
    });

    it("still names identities and scopes in a first preview, when no id is known", async () => {
        const w = await renderWorkspace();
        const preview = w.resources.map((r) => ({
            ...r,
            id: null,
            inputs: { ...r.inputs, scope: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" },
        }));
        const rows = accessRows(preview);
        assert.ok(
            rows.every((r) => !r.scope.includes("unknown")),
            rows.map((r) => r.scope).join(", "),
        );
        assert.ok(rows.some((r) => r.identity === "workspace identity of mlw-workspace" && r.role === "AcrPush"));
    });

    it("is a section of the plan report, before the violations, and says what Azure ML assigns itself", async () => {
        const w = await renderWorkspace();
        const plan: PlanJson = {
            schemaVersion: 1,
            project: "secure-azureml",
            stack: "test",
            resources: w.resources,
            violations: [],
            summary: { resources: w.resources.length, mandatory: 0, advisory: 0 },
        } as PlanJson;
        const report = formatReport(plan, "title");
        const at = report.indexOf("Who can reach what");
        assert.ok(at > 0 && at < report.indexOf("Policy violations: none"));
        assert.match(
            report,
            /Not listed: what Azure ML assigns the workspace identity itself \(Contributor on its storage account, Contributor on its key vault/,
        );
        assert.deepStrictEqual(accessSection([]), []);
    });
});

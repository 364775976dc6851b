import * as assert from "assert";
import * as fs from "fs";
import { mermaidDiagram } from "../../cli/diagram";
import { normalise } from "../../cli/formats";
import { formatReport } from "../../cli/report";
import type { PlanJson } from "../../policy/plan";
import { fixture } from "./helpers";

describe("cli: report and diagram", () => {
    const input = normalise(JSON.parse(fs.readFileSync(fixture("small-stack-export.json"), "utf8")), "small");
    const sa = input.resources.find((r) => r.name === "ml-sa")!;
    const plan: PlanJson = {
        schemaVersion: 1,
        project: input.project,
        stack: input.stack,
        resources: input.resources,
        violations: [
            {
                policy: "storage-no-shared-key",
                enforcementLevel: "advisory",
                severity: "medium",
                urn: sa.urn,
                message: "Shared key access is enabled.",
            },
            {
                policy: "acr-private-endpoint",
                enforcementLevel: "mandatory",
                severity: "high",
                urn: null,
                message: "No private endpoint for the registry.",
            },
        ],
        summary: { resources: input.resources.length, mandatory: 1, advisory: 1 },
    };
    const report = formatReport(plan, "Audit");
    const lines = report.split("\n");

    it("draws the resource tree indented by parent", () => {
        assert.match(report, /^pulumi:pulumi:Stack +secure-azureml-dev$/m);
        assert.match(report, /^└─ secure-azureml:index:SecureMlWorkspace +ml$/m);
        assert.match(report, /^ {3}├─ azure-native:network:VirtualNetwork +ml-vnet$/m);
        assert.match(report, /^ {3}└─ azure-native:network:PrivateEndpoint +ml-blob-pe$/m);
    });

    it("tabulates each subnet's NSG rules", () => {
        assert.match(report, /^Subnet training 10\.50\.0\.0\/24 +\(NSG: ml-training-nsg\)$/m);
        assert.match(report, /^ +Prio +Dir +Access +Proto +Source +Destination +Ports +Name$/m);
        assert.match(
            report,
            /^ +130 +Outbound +Allow +Tcp +VirtualNetwork +AzureMachineLearning +443,8787,18881 +AzureMachineLearning$/m,
        );
    });

    it("lists each private endpoint with its group id, service and DNS zones", () => {
        assert.match(report, /^ +ml-blob-pe +blob +ml-sa \(storage:StorageAccount\) +\(no DNS zones\)$/m);
    });

    it("groups violations by level, mandatory first, and ends with a summary line", () => {
        const mandatory = lines.findIndex((l) => l.startsWith("Mandatory violations (1)"));
        const advisory = lines.findIndex((l) => l.startsWith("Advisory violations (1)"));
        assert.ok(mandatory > 0 && advisory > mandatory);
        assert.match(lines[mandatory + 1], /acr-private-endpoint \[high\] stack: No private endpoint/);
        assert.match(
            lines[advisory + 1],
            /storage-no-shared-key \[medium\] ml-sa \(storage:StorageAccount\): Shared key/,
        );
        assert.strictEqual(
            lines.filter((l) => l !== "").pop(),
            "FAIL: 8 resources, 1 mandatory, 1 advisory violation(s).",
        );
    });

    it("draws a Mermaid flowchart: VNet, subnets, NSG, private endpoint and the service behind it", () => {
        const diagram = mermaidDiagram(input.resources);
        assert.match(diagram, /^flowchart LR\n/);
        assert.match(diagram, /subgraph vnet\d+\["VNet ml-vnet 10\.50\.0\.0\/22"\]/);
        assert.match(
            diagram,
            /subgraph (snet\d+)\["Subnet private-endpoints 10\.50\.1\.0\/24"\]\n +(pe\d+)\["PE ml-blob-pe<br\/>blob"\]/,
        );
        assert.match(diagram, /nsg\d+\{\{"NSG ml-training-nsg<br\/>1 rule\(s\)"\}\}/);
        assert.match(diagram, /(svc\d+)\[\("Storage account<br\/>ml-sa"\)\]/);
        assert.match(diagram, /pe\d+ -->\|blob\| svc\d+/);
        // balanced subgraphs
        assert.strictEqual((diagram.match(/subgraph /g) ?? []).length, (diagram.match(/^ *end$/gm) ?? []).length);
    });
});

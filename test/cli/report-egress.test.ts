import * as assert from "assert";
import { mermaidDiagram } from "../../cli/diagram";
import { analyseEgress, egressSection } from "../../cli/report-egress";
import { allowedEgressHostNames } from "../../components/catalog/egress-hosts";
import { renderWorkspace } from "../components/workspace-helpers";

describe("cli: the plan's egress section and the diagram's firewall", () => {
    it("firewall: training and scoring, the firewall's tags and hosts, the storage policy, what is denied", async () => {
        const { resources } = await renderWorkspace({ egress: "firewall", enableScoringSubnet: true });
        const views = analyseEgress(resources);
        assert.deepStrictEqual(
            views.map((v) => [v.subnet.name, v.mode, v.firewall?.name]),
            [
                ["training", "firewall", "mlw-fw"],
                ["scoring", "firewall", "mlw-fw"],
            ],
        );
        const lines = egressSection(resources);
        assert.strictEqual(lines[0], "Egress (what may leave each compute subnet)");
        assert.ok(lines.includes("  Subnet training 10.0.0.0/24: Azure Firewall mlw-fw (0.0.0.0/0 → 10.0.3.132)"));
        assert.ok(
            lines.includes(
                `    Hosts (Allow-python, HTTPS): ${allowedEgressHostNames(["python"], "westeurope").join(", ")}`,
            ),
        );
        const tags = lines.find((l) => l.startsWith("    Service tags: "))!;
        // One port format in every mode (issue 19): the NSG tables' `Udp 5831`, not the firewall's `UDP/5831`.
        assert.ok(tags.includes("AzureMachineLearning Udp 5831") && !tags.includes("Storage.westeurope"), tags);
        assert.ok(tags.includes("AzureActiveDirectory Tcp 80,443"), tags);
        assert.ok(
            lines.some(
                (l) =>
                    l.startsWith("    Storage: service endpoint policy mlw-storage-sep: ") &&
                    l.endsWith("/services/Azure/MachineLearning"),
            ),
        );
        assert.ok(
            lines.includes('    Denied: every other destination (Azure Firewall "mlw-fw" denies what no rule allows)'),
        );
        assert.ok(!lines.some((l) => l.includes("Warning")));

        const diagram = mermaidDiagram(resources);
        // Inside AzureFirewallSubnet (issue 19), not beside the VNet.
        const fw =
            /\n {4}subgraph snet\d+\["Subnet AzureFirewallSubnet [^"]+"\]\n {6}(fw\d+)\{\{"Azure Firewall mlw-fw"\}\}\n/.exec(
                diagram,
            );
        assert.ok(fw, diagram);
        assert.strictEqual(
            diagram.split(`-->|"0.0.0.0/0 → 10.0.3.132"| ${fw[1]}\n`).length - 1,
            2,
            "an edge from training and scoring, labelled with the route",
        );
    });

    it("none: the deny-all and the image-build warning; nat: open beyond the NSG", async () => {
        const none = egressSection((await renderWorkspace({ egress: "none" })).resources);
        assert.ok(none.includes("  Subnet training 10.0.0.0/24: none (deny-all)"));
        assert.ok(
            none.some((l) => l.startsWith("    Warning: image builds that install public packages (pip, conda, CRAN)")),
        );
        const nat = egressSection((await renderWorkspace({})).resources);
        assert.ok(nat.includes("  Subnet training 10.0.0.0/24: NAT gateway mlw-nat"));
        const natTags = nat.find((l) => l.startsWith("    Service tags: "))!;
        assert.ok(
            natTags.includes(
                "AzureActiveDirectory Tcp 80,443; AzureMachineLearning Tcp 443,8787,18881; AzureMachineLearning Udp 5831",
            ),
            natTags,
        );
        assert.ok(
            nat.includes(
                "    Storage: no service endpoint policy (Storage.<region> reaches every account in the region)",
            ),
        );
    });

    it("managed: the workspace's approved hosts and private endpoints", async () => {
        const lines = egressSection((await renderWorkspace({ isolation: "managed" })).resources);
        assert.ok(
            lines.includes(
                "  Workspace mlw-workspace: computes run in its managed network (AllowOnlyApprovedOutbound)",
            ),
        );
        const hosts = lines.find((l) => l.startsWith("    Hosts (FQDN rules): "))!;
        assert.ok(hosts.includes("pypi.org") && hosts.includes("*.anaconda.org"));
        assert.ok(
            lines.some(
                (l) =>
                    l.startsWith("    Private endpoints: ") &&
                    l === "    Private endpoints: storage-queue (queue), storage-table (table)",
            ),
        );
    });
});

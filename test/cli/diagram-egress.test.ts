import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { mermaidDiagram } from "../../cli/diagram";
import { kindLabel } from "../../cli/kind-labels";
import { T } from "../../cli/topology";
import type { PlanResource } from "../../policy/plan";
import { renderWorkspace } from "../components/workspace-helpers";
import { run, scratchDir } from "./helpers";

/**
 * The diagram's egress (issue 19): the firewall inside AzureFirewallSubnet, each compute subnet's
 * default route to it, the service endpoint policy on the subnets that carry it, the way out to the
 * Internet through the public IP of the firewall or of the NAT gateway, and kind labels (never a
 * type token such as `monitor:PrivateLinkScope`) on every node.
 */
describe("cli: the diagram's egress, routes and kind labels", () => {
    const scratch = scratchDir();
    const planJson = async (stack: string) => {
        const file = path.join(scratch, `${stack}.json`);
        assert.strictEqual((await run(["plan", "--stack", stack, "--json", file, "--quiet"])).code, 0);
        return file;
    };
    const diagramOf = async (stack: string) => {
        const file = path.join(scratch, `${stack}.mmd`);
        assert.strictEqual((await run(["plan", "--stack", stack, "--diagram", file, "--quiet"])).code, 0);
        return fs.readFileSync(file, "utf8").split("\n");
    };
    /** Every node label: the quoted text of a node declaration (edge labels are `|"…"|`, not counted). */
    const nodeLabels = (lines: string[]) =>
        lines.flatMap((l) => [...l.matchAll(/^ *\w+[[({/\\]+"([^"]*)"/g)].map((m) => m[1]));
    const typeToken = /\w+:\w+/;

    it("staging (firewall): firewall in its subnet, routes, the storage policy, the Internet exit", async () => {
        const lines = await diagramOf("staging");
        const at = lines.indexOf('    subgraph snet21["Subnet AzureFirewallSubnet 10.120.3.128/26"]');
        assert.ok(at >= 0, lines.join("\n"));
        assert.deepStrictEqual(lines.slice(at + 1, at + 3), ['      fw22{{"Azure Firewall ml-fw"}}', "    end"]);
        for (const line of [
            '  sep5[/"Service endpoint policy ml-storage-sep"\\]',
            "  sep5 -.- snet1",
            "  sep5 -.- snet16",
            "  sep5 -.- snet23",
            '  snet1 -->|"0.0.0.0/0 → 10.120.3.132"| fw22',
            '  snet16 -->|"0.0.0.0/0 → 10.120.3.132"| fw22',
            '  internet(("Internet"))',
            '  pip30(["Public IP ml-fw-pip"])',
            "  fw22 --> pip30",
            "  pip30 --> internet",
            '  svc29["Azure Monitor Private Link Scope<br/>ml-ampls"]',
        ]) {
            assert.ok(lines.includes(line), `diagram lacks ${line}`);
        }
        assert.strictEqual(lines.filter((l) => l.includes("fw22{{")).length, 1, "the firewall declared once");
        assert.strictEqual(lines.filter((l) => l.includes(" --> internet")).length, 1);
        assert.strictEqual(lines.filter((l) => / -->\|"0\.0\.0\.0\/0/.test(l)).length, 2, "training and scoring");
        const labels = nodeLabels(lines);
        assert.ok(labels.length > 20, `${labels.length} labels`);
        for (const text of labels) assert.doesNotMatch(text, typeToken);
    });

    it("dev (NAT): the NAT gateway's public IP to the Internet, no route, no firewall", async () => {
        const lines = await diagramOf("dev");
        for (const line of [
            '  nat6[/"NAT gateway ml-nat"/]',
            "  snet1 --> nat6",
            '  internet(("Internet"))',
            '  pip27(["Public IP ml-nat-pip"])',
            "  nat6 --> pip27",
            "  pip27 --> internet",
            '  svc26["Azure Monitor Private Link Scope<br/>ml-ampls"]',
            // dev's way in (issue 18): the jump-box subnet shares the NAT gateway.
            "  snet20 --> nat6",
        ]) {
            assert.ok(lines.includes(line), `diagram lacks ${line}`);
        }
        assert.ok(!lines.some((l) => l.includes("Azure Firewall") || l.includes("0.0.0.0/0")));
        for (const text of nodeLabels(lines)) assert.doesNotMatch(text, typeToken);
    });

    it("egress none: no Internet node, no exit", async () => {
        const diagram = mermaidDiagram((await renderWorkspace({ egress: "none" })).resources);
        // The NAT gateway is still attached, but the NSG's deny-all outbound lets nothing through it.
        assert.ok(diagram.includes('[/"NAT gateway mlw-nat"/]'), diagram);
        assert.ok(!diagram.includes("Internet") && !diagram.includes("Public IP"), diagram);
    });

    it("a firewall without a public IP exits directly; one outside any known subnet is drawn beside the VNet", () => {
        const fw: PlanResource = {
            urn: "urn:pulumi:s::p::azure-native:network:AzureFirewall::fw",
            type: "azure-native:network:AzureFirewall",
            name: "fw",
            id: null,
            custom: true,
            parent: null,
            dependencies: [],
            propertyDependencies: {},
            inputs: {},
        };
        assert.deepStrictEqual(mermaidDiagram([fw]).split("\n"), [
            "flowchart LR",
            '  fw0{{"Azure Firewall fw"}}',
            '  internet(("Internet"))',
            "  fw0 --> internet",
            "  classDef hidden display:none;",
            "",
        ]);
    });

    it("a firewall whose subnet id is not known yet is drawn in the AzureFirewallSubnet of the VNet it depends on", async () => {
        const staging = JSON.parse(fs.readFileSync(await planJson("staging"), "utf8")).resources as PlanResource[];
        const drawn = mermaidDiagram(staging);
        const fw = staging.find((r) => r.type === "azure-native:network:AzureFirewall")!;
        const config = (fw.inputs.ipConfigurations as { subnet: { id: string } }[])[0];
        // A first preview: the subnet's id is unknown; the dependency on the VNet (a URN) is known.
        config.subnet.id = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
        assert.ok(fw.propertyDependencies.ipConfigurations.some((u) => u.endsWith("VirtualNetwork::ml-vnet")));
        assert.strictEqual(mermaidDiagram(staging), drawn);
        // Depending on nothing that holds an AzureFirewallSubnet, it is drawn beside the VNets.
        fw.propertyDependencies.ipConfigurations = [];
        const beside = mermaidDiagram(staging).split("\n");
        const fwLine = beside.findIndex((l) => l.includes('{{"Azure Firewall ml-fw"}}'));
        assert.match(beside[fwLine], /^ {2}fw\d+\{\{/, beside.join("\n"));
    });

    it("kind labels: catalogued types by name, others in words, never a type token", () => {
        assert.strictEqual(kindLabel("azure-native:monitor:PrivateLinkScope"), "Azure Monitor Private Link Scope");
        assert.strictEqual(kindLabel(T.storage), "Storage account");
        assert.strictEqual(kindLabel("azure-native:web:StaticSite"), "Static site");
        assert.strictEqual(kindLabel("azure-native:network:PrivateLinkService"), "Private link service");
        assert.strictEqual(kindLabel(":"), "Resource");
    });

    it("draws every service endpoint policy of a subnet, and a public IP two exits share once", async () => {
        const staging = JSON.parse(fs.readFileSync(await planJson("staging"), "utf8")).resources as PlanResource[];
        const sep = staging.find((r) => r.type === "azure-native:network:ServiceEndpointPolicy")!;
        const second: PlanResource = {
            ...structuredClone(sep),
            urn: sep.urn.replace(/::ml-storage-sep$/, "::ml-extra-sep"),
            name: "ml-extra-sep",
            id: sep.id!.replace(/ml-storage-sep$/, "ml-extra-sep"),
        };
        const vnet = staging.find((r) => r.type === "azure-native:network:VirtualNetwork")!;
        const training = (vnet.inputs.subnets as { name: string; serviceEndpointPolicies: { id: string }[] }[]).find(
            (x) => x.name === "training",
        )!;
        training.serviceEndpointPolicies.push({ id: second.id! });
        const lines = mermaidDiagram([...staging, second]).split("\n");
        const seps = lines.filter((l) => / sep\d+ -\.- snet1$/.test(l));
        assert.strictEqual(seps.length, 2, lines.join("\n"));

        const dev = JSON.parse(fs.readFileSync(await planJson("dev"), "utf8")).resources as PlanResource[];
        const nat = dev.find((r) => r.type === "azure-native:network:NatGateway")!;
        const twin: PlanResource = {
            ...structuredClone(nat),
            urn: nat.urn.replace(/::ml-nat$/, "::ml-nat-b"),
            name: "ml-nat-b",
            id: nat.id!.replace(/ml-nat$/, "ml-nat-b"),
        };
        const devVnet = dev.find((r) => r.type === "azure-native:network:VirtualNetwork")!;
        const jumpBox = (devVnet.inputs.subnets as { name: string; natGateway?: { id: string } }[]).find(
            (x) => x.name === "jump-box",
        )!;
        jumpBox.natGateway = { id: twin.id! };
        const drawn = mermaidDiagram([...dev, twin]).split("\n");
        const pipNodes = drawn.filter((l) => l.includes('(["Public IP ml-nat-pip"])'));
        assert.strictEqual(pipNodes.length, 1, drawn.join("\n"));
        const pip = pipNodes[0].trim().split("(")[0];
        assert.strictEqual(drawn.filter((l) => l.trim() === `${pip} --> internet`).length, 1);
        assert.strictEqual(drawn.filter((l) => l.trim().endsWith(`--> ${pip}`)).length, 2, "both NAT gateways");
    });
});

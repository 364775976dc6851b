import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { render } from "../../cli/recording-engine";
import { bastionNsgRules } from "../../components/catalog/bastion";
import {
    allowVirtualNetworkOutboundRule,
    denyAllOutboundRule,
    requiredNsgRules,
    SecurityRule,
} from "../../components/catalog/service-tags";
import { MlNetwork } from "../../components/network/network";
import { MlNetworkArgs } from "../../components/network/network-args";
import { PlanResource } from "../../policy/plan";

const t = {
    vnet: "azure-native:network:VirtualNetwork",
    nsg: "azure-native:network:NetworkSecurityGroup",
    nat: "azure-native:network:NatGateway",
    pip: "azure-native:network:PublicIPAddress",
    bastion: "azure-native:network:BastionHost",
};

const outputNames = [
    "vnetId",
    "vnetName",
    "trainingSubnetId",
    "privateEndpointSubnetId",
    "scoringSubnetId",
    "bastionSubnetId",
    "trainingNsgId",
    "natGatewayId",
    "natPublicIpId",
    "bastionHostId",
] as const;

interface Rendered {
    resources: PlanResource[];
    outputs: Record<string, string | null>;
    one(type: string, name?: string): PlanResource;
    all(type: string): PlanResource[];
    subnet(name: string): Record<string, any>;
}

/** Renders one MlNetwork and resolves its outputs (undefined ones as null, since stack outputs drop undefined). */
async function renderNetwork(args: Partial<MlNetworkArgs> = {}, name = "ml"): Promise<Rendered> {
    const { resources, outputs } = await render(
        () => {
            const net = new MlNetwork(name, { resourceGroupName: "rg", location: "westeurope", ...args });
            return {
                out: pulumi
                    .all(outputNames.map((o) => net[o] as pulumi.Output<string | undefined>))
                    .apply((values) => Object.fromEntries(values.map((v, i) => [outputNames[i], v ?? null]))),
            };
        },
        { project: "proj", stack: "test" },
    );
    const all = (type: string) => resources.filter((r) => r.type === type);
    const one = (type: string, logical?: string) => {
        const found = all(type).filter((r) => logical === undefined || r.name === logical);
        assert.strictEqual(found.length, 1, `exactly one ${type} ${logical ?? ""}`);
        return found[0];
    };
    const subnet = (subnetName: string) => {
        const found = (one(t.vnet).inputs.subnets as Record<string, any>[]).find((s) => s.name === subnetName);
        assert.ok(found, `subnet ${subnetName}`);
        return found;
    };
    return { resources, outputs: outputs.out as Rendered["outputs"], one, all, subnet };
}

const rules = (nsg: PlanResource) => nsg.inputs.securityRules as SecurityRule[];
/** The plain JSON a rule becomes on the wire, for exact comparison. */
const wire = (list: readonly SecurityRule[]) => JSON.parse(JSON.stringify(list));

describe("MlNetwork", () => {
    it("puts exactly the document's no-public-IP rules for westeurope on the training NSG", async () => {
        const r = await renderNetwork();
        const expected = requiredNsgRules({ location: "westeurope", nodePublicIp: false, storagePort445: false });
        assert.deepStrictEqual(
            rules(r.one(t.nsg, "ml-training-nsg")),
            wire([...expected.inbound, ...expected.outbound]),
        );
        const destinations = rules(r.one(t.nsg, "ml-training-nsg")).map((x) => x.destinationAddressPrefix);
        assert.ok(
            destinations.includes("Storage.westeurope") &&
                destinations.includes("MicrosoftContainerRegistry.westeurope"),
        );
        assert.ok(
            !rules(r.one(t.nsg, "ml-training-nsg")).some((x) => x.access === "Deny"),
            "no deny without lockDownEgress",
        );
    });

    it("uses the public-IP variant, HBI and cloud when asked", async () => {
        const r = await renderNetwork({
            location: "chinanorth3",
            cloud: "AzureChinaCloud",
            nodePublicIp: true,
            hbiWorkspace: true,
        });
        const expected = requiredNsgRules({
            location: "chinanorth3",
            cloud: "AzureChinaCloud",
            nodePublicIp: true,
            hbiWorkspace: true,
            storagePort445: false,
        });
        const got = rules(r.one(t.nsg, "ml-training-nsg"));
        assert.deepStrictEqual(got, wire([...expected.inbound, ...expected.outbound]));
        assert.ok(
            got.some(
                (x) => x.sourceAddressPrefix === "BatchNodeManagement" && x.destinationPortRange === "29876-29877",
            ),
        );
        assert.ok(got.some((x) => x.destinationAddressPrefix === "AzureKeyVault.chinanorth3"));
        assert.ok(!got.some((x) => x.destinationAddressPrefix === "AzureFrontDoor.FrontEnd"));
    });

    it("builds the rules from a location that is only known later", async () => {
        const r = await renderNetwork({ location: pulumi.output("westeurope") });
        const expected = requiredNsgRules({ location: "westeurope", nodePublicIp: false, storagePort445: false });
        assert.deepStrictEqual(
            rules(r.one(t.nsg, "ml-training-nsg")),
            wire([...expected.inbound, ...expected.outbound]),
        );
    });

    it("attaches the training NSG to the training subnet, carved from the address space", async () => {
        const r = await renderNetwork();
        const vnet = r.one(t.vnet);
        const nsg = r.one(t.nsg, "ml-training-nsg");
        assert.deepStrictEqual(vnet.inputs.addressSpace, { addressPrefixes: ["10.0.0.0/16"] });
        assert.strictEqual(r.subnet("training").addressPrefix, "10.0.0.0/24");
        assert.strictEqual(r.subnet("training").networkSecurityGroup.id, nsg.id);
        assert.ok(vnet.propertyDependencies.subnets.includes(nsg.urn), "the VNet's subnets depend on the NSG by URN");
        assert.strictEqual(r.subnet("private-endpoints").addressPrefix, "10.0.1.0/24");
    });

    it("gives every subnet its own NSG and no default outbound access", async () => {
        const r = await renderNetwork({ enableScoringSubnet: true, enableBastion: true });
        const subnets = r.one(t.vnet).inputs.subnets as Record<string, any>[];
        assert.deepStrictEqual(
            subnets.map((s) => [s.name, s.addressPrefix]),
            [
                ["training", "10.0.0.0/24"],
                ["private-endpoints", "10.0.1.0/24"],
                ["scoring", "10.0.2.0/24"],
                ["AzureBastionSubnet", "10.0.3.0/26"],
            ],
        );
        const nsgIds = r.all(t.nsg).map((n) => n.id);
        assert.strictEqual(new Set(subnets.map((s) => s.networkSecurityGroup?.id)).size, 4, "four distinct NSGs");
        for (const s of subnets) {
            assert.ok(nsgIds.includes(s.networkSecurityGroup?.id), `${s.name} has an NSG of the component`);
            assert.strictEqual(s.defaultOutboundAccess, false, s.name);
        }
        assert.strictEqual(r.subnet("private-endpoints").privateEndpointNetworkPolicies, "NetworkSecurityGroupEnabled");
        assert.deepStrictEqual(rules(r.one(t.nsg, "ml-pe-nsg")), []);
        // The scoring subnet is a compute subnet: the same rules as training (issue 11: every compute subnet alike).
        assert.deepStrictEqual(rules(r.one(t.nsg, "ml-scoring-nsg")), rules(r.one(t.nsg, "ml-training-nsg")));
    });

    it("honours explicit prefixes", async () => {
        const r = await renderNetwork({
            addressSpace: "192.168.0.0/20",
            trainingSubnetPrefix: "192.168.4.0/22",
            privateEndpointSubnetPrefix: "192.168.1.0/27",
        });
        assert.deepStrictEqual(r.one(t.vnet).inputs.addressSpace, { addressPrefixes: ["192.168.0.0/20"] });
        assert.strictEqual(r.subnet("training").addressPrefix, "192.168.4.0/22");
        assert.strictEqual(r.subnet("private-endpoints").addressPrefix, "192.168.1.0/27");
    });

    it("gives training (and scoring) a Standard NAT gateway with a static IP when nodes have no public IP", async () => {
        const r = await renderNetwork({ enableScoringSubnet: true });
        const nat = r.one(t.nat, "ml-nat");
        const pip = r.one(t.pip, "ml-nat-pip");
        assert.deepStrictEqual(nat.inputs.sku, { name: "Standard" });
        assert.deepStrictEqual(nat.inputs.publicIpAddresses, [{ id: pip.id }]);
        assert.deepStrictEqual(pip.inputs.sku, { name: "Standard", tier: "Regional" });
        assert.strictEqual(pip.inputs.publicIPAllocationMethod, "Static");
        assert.strictEqual(r.subnet("training").natGateway?.id, nat.id);
        assert.strictEqual(r.subnet("scoring").natGateway?.id, nat.id);
        assert.strictEqual(r.subnet("private-endpoints").natGateway, undefined);
        assert.strictEqual(r.outputs.natGatewayId, nat.id);
        assert.strictEqual(r.outputs.natPublicIpId, pip.id);
    });

    it("has no NAT gateway when nodes have public IPs, unless asked", async () => {
        const without = await renderNetwork({ nodePublicIp: true });
        assert.strictEqual(without.all(t.nat).length, 0);
        assert.strictEqual(without.all(t.pip).length, 0);
        assert.strictEqual(without.subnet("training").natGateway, undefined);
        assert.strictEqual(without.outputs.natGatewayId, null);
        assert.strictEqual(without.outputs.natPublicIpId, null);

        const withNat = await renderNetwork({ nodePublicIp: true, natGateway: true });
        assert.strictEqual(withNat.subnet("training").natGateway?.id, withNat.one(t.nat).id);
    });

    it("ends the training NSG with DenyAllOutbound at 4096 when egress is locked down, keeping VNet traffic", async () => {
        const r = await renderNetwork({ lockDownEgress: true });
        const outbound = rules(r.one(t.nsg, "ml-training-nsg")).filter((x) => x.direction === "Outbound");
        const last = outbound[outbound.length - 1];
        assert.deepStrictEqual(last, wire([denyAllOutboundRule])[0]);
        assert.strictEqual(last.priority, 4096);
        assert.strictEqual(last.access, "Deny");
        const vnetRule = outbound.find((x) => x.name === allowVirtualNetworkOutboundRule.name);
        assert.ok(vnetRule && vnetRule.priority < 4096 && vnetRule.destinationAddressPrefix === "VirtualNetwork");
        const required = requiredNsgRules({
            location: "westeurope",
            nodePublicIp: false,
            storagePort445: false,
        }).outbound;
        assert.deepStrictEqual(outbound.slice(0, required.length), wire(required));
        assert.ok(outbound.slice(0, -1).every((x) => x.access === "Allow" && x.priority < 4096));
    });

    it("creates the Bastion subnet, NSG, static IP and host when enabled", async () => {
        const r = await renderNetwork({ enableBastion: true, bastionSubnetPrefix: "10.0.4.0/26" });
        const vnet = r.one(t.vnet);
        const nsg = r.one(t.nsg, "ml-bastion-nsg");
        assert.strictEqual(r.subnet("AzureBastionSubnet").addressPrefix, "10.0.4.0/26");
        assert.strictEqual(r.subnet("AzureBastionSubnet").networkSecurityGroup.id, nsg.id);
        assert.deepStrictEqual(rules(nsg), wire(bastionNsgRules));
        const pip = r.one(t.pip, "ml-bastion-pip");
        assert.deepStrictEqual(pip.inputs.sku, { name: "Standard", tier: "Regional" });
        assert.strictEqual(pip.inputs.publicIPAllocationMethod, "Static");
        const host = r.one(t.bastion, "ml-bastion");
        const [ipConfig] = host.inputs.ipConfigurations as Record<string, any>[];
        assert.strictEqual(ipConfig.subnet.id, `${vnet.id}/subnets/AzureBastionSubnet`);
        assert.strictEqual(ipConfig.publicIPAddress.id, pip.id);
        assert.strictEqual(r.outputs.bastionHostId, host.id);
        assert.strictEqual(r.outputs.bastionSubnetId, `${vnet.id}/subnets/AzureBastionSubnet`);
    });

    it("creates nothing for Bastion or scoring unless enabled", async () => {
        const r = await renderNetwork();
        assert.strictEqual(r.all(t.bastion).length, 0);
        assert.deepStrictEqual(
            r
                .all(t.nsg)
                .map((n) => n.name)
                .sort(),
            ["ml-pe-nsg", "ml-training-nsg"],
        );
        assert.deepStrictEqual(
            (r.one(t.vnet).inputs.subnets as any[]).map((s) => s.name),
            ["training", "private-endpoints"],
        );
        assert.strictEqual(r.outputs.bastionHostId, null);
        assert.strictEqual(r.outputs.bastionSubnetId, null);
        assert.strictEqual(r.outputs.scoringSubnetId, null);
    });

    it("parents every child to the component and derives every name from the component's", async () => {
        const r = await renderNetwork({ enableScoringSubnet: true, enableBastion: true }, "team-a");
        const component = r.one("secure-azureml:index:MlNetwork", "team-a");
        assert.strictEqual(component.custom, false);
        const children = r.resources.filter((x) => x.custom);
        assert.deepStrictEqual(children.map((c) => c.name).sort(), [
            "team-a-bastion",
            "team-a-bastion-nsg",
            "team-a-bastion-pip",
            "team-a-nat",
            "team-a-nat-pip",
            "team-a-pe-nsg",
            "team-a-scoring-nsg",
            "team-a-training-nsg",
            "team-a-vnet",
        ]);
        for (const c of children) assert.strictEqual(c.parent, component.urn, c.name);
    });

    it("tags every taggable resource", async () => {
        const tags = { env: "test", owner: "ml-platform" };
        const r = await renderNetwork({ enableBastion: true, tags });
        const custom = r.resources.filter((x) => x.custom);
        assert.strictEqual(custom.length, 8);
        for (const c of custom) assert.deepStrictEqual(c.inputs.tags, tags, c.name);
    });

    it("resolves its outputs to the children's ids", async () => {
        const r = await renderNetwork({ enableScoringSubnet: true });
        const vnet = r.one(t.vnet);
        assert.deepStrictEqual(r.outputs, {
            vnetId: vnet.id,
            vnetName: "ml-vnet",
            trainingSubnetId: `${vnet.id}/subnets/training`,
            privateEndpointSubnetId: `${vnet.id}/subnets/private-endpoints`,
            scoringSubnetId: `${vnet.id}/subnets/scoring`,
            bastionSubnetId: null,
            trainingNsgId: r.one(t.nsg, "ml-training-nsg").id,
            natGatewayId: r.one(t.nat).id,
            natPublicIpId: r.one(t.pip).id,
            bastionHostId: null,
        });
        assert.match(
            vnet.id!,
            /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/rg\/providers\/Microsoft\.Network\/virtualNetworks\/ml-vnet$/,
        );
    });
});

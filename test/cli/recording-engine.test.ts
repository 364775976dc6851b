import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import { render } from "../../cli/recording-engine";
import { renderStack } from "../../cli/plan";
import { readProject } from "../../cli/project";
import type { PlanResource } from "../../policy/plan";
import { repoRoot } from "./helpers";

const vnetType = "azure-native:network:VirtualNetwork";
const peType = "azure-native:network:PrivateEndpoint";

describe("cli: recording engine", () => {
    /** A small program: a component owning a VNet and a private endpoint in one of its subnets. */
    class Net extends pulumi.ComponentResource {
        constructor(name: string) {
            super("test:index:Net", name, {}, {});
            const vnet = new network.VirtualNetwork(
                `${name}-vnet`,
                {
                    resourceGroupName: "rg",
                    location: "westeurope",
                    addressSpace: { addressPrefixes: ["10.0.0.0/16"] },
                    subnets: [{ name: "pe", addressPrefix: "10.0.1.0/24" }],
                },
                { parent: this },
            );
            new network.PrivateEndpoint(
                `${name}-pe`,
                {
                    resourceGroupName: "rg",
                    subnet: { id: pulumi.interpolate`${vnet.id}/subnets/pe` },
                    privateLinkServiceConnections: [{ name: "blob", privateLinkServiceId: "/x", groupIds: ["blob"] }],
                },
                { parent: this, protect: true },
            );
            this.registerOutputs({});
        }
    }
    let runs = 0;
    const program = () => {
        runs++;
        new Net("net");
        return { answer: 42 };
    };

    it("records type, parent, dependencies, property dependencies, protect and ARM-shaped ids", async () => {
        const { resources, outputs } = await render(program, { project: "p", stack: "s" });
        assert.deepStrictEqual(outputs, { answer: 42 });
        const stack = resources.find((r) => r.type === "pulumi:pulumi:Stack")!;
        const component = resources.find((r) => r.type === "test:index:Net")!;
        const vnet = resources.find((r) => r.type === vnetType)!;
        const pe = resources.find((r) => r.type === peType)!;
        assert.strictEqual(component.parent, stack.urn);
        assert.strictEqual(vnet.parent, component.urn);
        assert.strictEqual(pe.parent, component.urn);
        assert.ok(pe.dependencies.includes(vnet.urn));
        assert.deepStrictEqual(pe.propertyDependencies.subnet, [vnet.urn]);
        assert.strictEqual(pe.protect, true);
        assert.match(
            vnet.id!,
            /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/rg\/providers\/Microsoft\.Network\/virtualNetworks\/net-vnet$/,
        );
        assert.strictEqual((pe.inputs.subnet as { id: string }).id, `${vnet.id}/subnets/pe`);
        assert.strictEqual(component.id, null);
    });

    it("runs the program again on a second render in the same process, with the same result", async () => {
        const before = runs;
        const a = await render(program, { project: "p", stack: "s" });
        const b = await render(program, { project: "p", stack: "s" });
        assert.strictEqual(runs, before + 2);
        assert.deepStrictEqual(b.resources, a.resources);
    });
});

describe("cli: plan of the dev stack (recording engine over stacks/program.ts)", () => {
    let plan: { resources: PlanResource[] };
    const of = (type: string) => plan.resources.filter((r) => r.type === type);
    const byUrn = (urn: string) => plan.resources.find((r) => r.urn === urn);

    before(async () => {
        plan = { resources: await renderStack(readProject(repoRoot), "dev") };
    });

    it("every resource but the stack has a recorded parent that is in the plan", () => {
        for (const r of plan.resources) {
            if (r.type === "pulumi:pulumi:Stack") {
                assert.strictEqual(r.parent, null);
                continue;
            }
            assert.ok(r.parent, `${r.urn} has no parent`);
            assert.ok(byUrn(r.parent!), `${r.urn}'s parent ${r.parent} is not in the plan`);
        }
    });

    it("children of the workspace component are parented under it (directly or through MlNetwork)", () => {
        const ws = of("secure-azureml:index:SecureMlWorkspace");
        assert.strictEqual(ws.length, 1);
        const ancestors = (r: PlanResource): string[] => (r.parent ? [r.parent, ...ancestors(byUrn(r.parent)!)] : []);
        for (const r of plan.resources.filter((x) => x.custom && !x.type.startsWith("azure-native:resources:"))) {
            assert.ok(ancestors(r).includes(ws[0].urn), `${r.urn} is not under the workspace component`);
        }
    });

    it("each private endpoint depends on its subnet's VNet, through dependencies and propertyDependencies.subnet", () => {
        const vnets = of(vnetType).map((v) => v.urn);
        const pes = of(peType);
        assert.ok(pes.length >= 7, `expected the workspace, vault, registry and 4 storage PEs, got ${pes.length}`);
        for (const pe of pes) {
            assert.ok(
                pe.dependencies.some((d) => vnets.includes(d)),
                `${pe.name} does not depend on a VNet`,
            );
            assert.ok(
                (pe.propertyDependencies.subnet ?? []).some((d) => vnets.includes(d)),
                `${pe.name}: propertyDependencies.subnet`,
            );
            assert.ok(
                (pe.propertyDependencies.privateLinkServiceConnections ?? []).length > 0,
                `${pe.name}: propertyDependencies.privateLinkServiceConnections`,
            );
        }
    });

    it("records property dependencies on the resource group and ARM-shaped ids for every custom resource", () => {
        const rg = of("azure-native:resources:ResourceGroup")[0];
        for (const r of plan.resources.filter((x) => x.custom && x !== rg && "resourceGroupName" in x.inputs)) {
            assert.ok(
                (r.propertyDependencies.resourceGroupName ?? []).includes(rg.urn),
                `${r.name}: resourceGroupName`,
            );
            assert.match(r.id ?? "", /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\//, `${r.name}: id`);
        }
    });

    it("follows the dev stack's config", () => {
        const vnet = of(vnetType)[0];
        assert.deepStrictEqual((vnet.inputs.addressSpace as { addressPrefixes: string[] }).addressPrefixes, [
            "10.110.0.0/22",
        ]);
        // dev's way in (issue 18): Bastion Standard with tunnelling and the Windows jump box.
        const bastion = of("azure-native:network:BastionHost");
        assert.strictEqual(bastion.length, 1);
        assert.deepStrictEqual(
            [bastion[0].inputs.sku, bastion[0].inputs.enableTunneling],
            [{ name: "Standard" }, true],
        );
        assert.ok(
            (of("azure-native:compute:VirtualMachine")[0].inputs.osProfile as { windowsConfiguration?: unknown })
                .windowsConfiguration,
        );
        assert.ok(!plan.resources.some((r) => r.protect), "dev is not protected");
    });

    it("renders the same plan twice in one process", async () => {
        const again = await renderStack(readProject(repoRoot), "dev");
        assert.deepStrictEqual(again, plan.resources);
    });
});

import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { render } from "../../cli/recording-engine";
import { mockTenantId } from "../../cli/azure-mocks";
import { SecurityRule } from "../../components/catalog/service-tags";
import { jumpBoxImage, jumpBoxNsgRules, jumpBoxShutdownTime } from "../../components/access/jump-box";
import { MlNetwork } from "../../components/network/network";
import { MlNetworkArgs } from "../../components/network/network-args";
import { azureVpnClientAudience } from "../../components/access/network-access-plan";
import { InvalidArgumentError } from "../../components/validate";
import { PlanResource } from "../../policy/plan";

/** MlNetwork's ways in: the jump box behind Bastion and the point-to-site VPN gateway. */

const base = { resourceGroupName: "rg", location: "westeurope" };

async function renderNetwork(args: Partial<MlNetworkArgs>) {
    const { resources, outputs } = await render(
        () => {
            const net = new MlNetwork("ml", { ...base, ...args });
            return {
                out: pulumi
                    .all([net.jumpBoxVmId, net.jumpBoxPrivateIp, net.vpnGatewayId])
                    .apply(([jumpBoxVmId, jumpBoxPrivateIp, vpnGatewayId]) => ({
                        jumpBoxVmId: jumpBoxVmId ?? null,
                        jumpBoxPrivateIp: jumpBoxPrivateIp ?? null,
                        vpnGatewayId: vpnGatewayId ?? null,
                    })),
            };
        },
        { project: "proj", stack: "test" },
    );
    const all = (type: string) => resources.filter((r) => r.type === `azure-native:${type}` || r.type === type);
    const one = (type: string) => {
        const found = all(type);
        assert.strictEqual(found.length, 1, `exactly one ${type}`);
        return found[0];
    };
    const vnet = one("network:VirtualNetwork");
    const subnets = vnet.inputs.subnets as Record<string, any>[];
    return { resources, outputs: outputs.out as Record<string, string | null>, all, one, subnets };
}

async function failure(
    args: Partial<MlNetworkArgs>,
): Promise<{ error: InvalidArgumentError; registered: PlanResource[] }> {
    let error: unknown;
    const { resources } = await render(
        () => {
            try {
                new MlNetwork("ml", { ...base, ...args });
            } catch (e) {
                error = e;
            }
        },
        { project: "proj", stack: "test" },
    );
    assert.ok(error instanceof InvalidArgumentError, `expected an InvalidArgumentError, got ${String(error)}`);
    return { error, registered: resources.filter((r) => r.type !== "pulumi:pulumi:Stack") };
}

describe("MlNetwork ways in", function () {
    this.timeout(60000);

    describe("the jump box", () => {
        let r: Awaited<ReturnType<typeof renderNetwork>>;
        before(async () => {
            r = await renderNetwork({ addressSpace: "10.20.0.0/16", enableBastion: true, enableJumpBox: true });
        });

        it("gets its own /28 at offset 832 (after the Bastion /26), with an NSG and the NAT gateway", () => {
            const subnet = r.subnets.find((s) => s.name === "jump-box")!;
            assert.strictEqual(subnet.addressPrefix, "10.20.3.64/28");
            assert.strictEqual(r.subnets.find((s) => s.name === "AzureBastionSubnet")!.addressPrefix, "10.20.3.0/26");
            const nsg = r.all("network:NetworkSecurityGroup").find((n) => n.name === "ml-jump-box-nsg")!;
            assert.deepStrictEqual(subnet.networkSecurityGroup, { id: nsg.id });
            assert.deepStrictEqual(subnet.natGateway, { id: r.one("network:NatGateway").id });
            assert.strictEqual(subnet.defaultOutboundAccess, false);
        });

        it("with egress: firewall, routes through the firewall and gets its own rule: Entra ID sign-in hosts and the studio, nothing else", async () => {
            const fw = await renderNetwork({
                addressSpace: "10.20.0.0/16",
                enableBastion: true,
                enableJumpBox: true,
                egress: "firewall",
            });
            const subnet = fw.subnets.find((s) => s.name === "jump-box")!;
            assert.deepStrictEqual(subnet.routeTable, { id: fw.one("network:RouteTable").id });
            assert.strictEqual(subnet.natGateway, undefined);
            const rules = (fw.one("network:FirewallPolicyRuleCollectionGroup").inputs.ruleCollections as any[]).flatMap(
                (c) => c.rules as any[],
            );
            const jumpBox = rules.find((r) => r.name === "Allow-jump-box");
            assert.deepStrictEqual(jumpBox.sourceAddresses, ["10.20.3.64/28"]);
            // MicrosoftDocs/entra-docs howto-vm-sign-in-azure-ad-linux.md, "Network" (Azure Global).
            for (const host of [
                "packages.microsoft.com",
                "login.microsoftonline.com",
                "pas.windows.net",
                "ml.azure.com",
            ])
                assert.ok(jumpBox.targetFqdns.includes(host), host);
            assert.ok(!jumpBox.targetFqdns.includes("pypi.org"), "package feeds stay the compute subnets' rules");
            // The compute rules keep the compute subnets as their only sources.
            for (const r of rules.filter((x) => x.ruleType === "ApplicationRule" && x.name !== "Allow-jump-box"))
                assert.ok(!r.sourceAddresses.includes("10.20.3.64/28"), r.name);
        });

        it("makes the VM and its Entra ID login extension wait for the way out: firewall, rules, 0.0.0.0/0 route, VNet", async () => {
            const fw = await renderNetwork({
                addressSpace: "10.20.0.0/16",
                enableBastion: true,
                enableJumpBox: true,
                egress: "firewall",
            });
            const route = fw.all("network:Route").find((r) => r.inputs.addressPrefix === "0.0.0.0/0")!;
            const expected = [
                fw.one("network:VirtualNetwork").urn,
                fw.one("network:AzureFirewall").urn,
                fw.one("network:FirewallPolicyRuleCollectionGroup").urn,
                route.urn,
            ];
            for (const type of ["compute:VirtualMachine", "compute:VirtualMachineExtension"]) {
                const deps = fw.one(type).dependencies;
                assert.deepStrictEqual(
                    deps.filter((d) => expected.includes(d)),
                    expected,
                    type,
                );
            }
            // With the NAT gateway, the gateway (and the VNet that associates it) instead.
            const nat = await renderNetwork({ addressSpace: "10.20.0.0/16", enableBastion: true, enableJumpBox: true });
            const natExpected = [nat.one("network:VirtualNetwork").urn, nat.one("network:NatGateway").urn];
            for (const type of ["compute:VirtualMachine", "compute:VirtualMachineExtension"])
                assert.deepStrictEqual(
                    nat.one(type).dependencies.filter((d) => natExpected.includes(d)),
                    natExpected,
                    type,
                );
        });

        it("lets in SSH and RDP from the Bastion subnet only, and denies everything else inbound", () => {
            const nsg = r.all("network:NetworkSecurityGroup").find((n) => n.name === "ml-jump-box-nsg")!;
            const rules = nsg.inputs.securityRules as SecurityRule[];
            assert.deepStrictEqual(
                JSON.parse(JSON.stringify(rules)),
                JSON.parse(JSON.stringify(jumpBoxNsgRules("10.20.3.0/26"))),
            );
            assert.deepStrictEqual(
                rules.filter((x) => x.access === "Allow").map((x) => [x.sourceAddressPrefix, x.destinationPortRanges]),
                [["10.20.3.0/26", ["22", "3389"]]],
            );
            assert.ok(
                !rules.some(
                    (x) => x.access === "Allow" && /^(\*|Internet|0\.0\.0\.0\/0)$/i.test(x.sourceAddressPrefix),
                ),
            );
            const deny = rules.find((x) => x.access === "Deny")!;
            assert.strictEqual(deny.direction, "Inbound");
            assert.ok(deny.priority < 65000, "the deny comes before Azure's AllowVnetInBound");
        });

        it("creates a VM with no public IP, Entra ID sign-in, a system identity, key-only admin and Trusted Launch", () => {
            const nic = r.one("network:NetworkInterface");
            const ipConfig = (nic.inputs.ipConfigurations as any[])[0];
            assert.strictEqual(ipConfig.publicIPAddress, undefined);
            assert.match(ipConfig.subnet.id, /\/subnets\/jump-box$/);
            const vm = r.one("compute:VirtualMachine");
            const os = vm.inputs.osProfile as any;
            assert.strictEqual(os.linuxConfiguration.disablePasswordAuthentication, true);
            assert.strictEqual(os.adminPassword, undefined);
            assert.match(os.linuxConfiguration.ssh.publicKeys[0].keyData, /^ssh-rsa /);
            assert.deepStrictEqual(vm.inputs.identity, { type: "SystemAssigned" });
            assert.deepStrictEqual((vm.inputs.networkProfile as any).networkInterfaces, [
                { id: nic.id, primary: true },
            ]);
            assert.deepStrictEqual((vm.inputs.storageProfile as any).imageReference, { ...jumpBoxImage });
            assert.strictEqual((vm.inputs.securityProfile as any).securityType, "TrustedLaunch");
            const key = r.one("tls:index/privateKey:PrivateKey");
            assert.deepStrictEqual([key.inputs.algorithm, key.inputs.rsaBits], ["RSA", 4096]);
            const ext = r.one("compute:VirtualMachineExtension");
            assert.deepStrictEqual(
                [ext.inputs.publisher, ext.inputs.type, ext.inputs.vmName],
                ["Microsoft.Azure.ActiveDirectory", "AADSSHLoginForLinux", vm.inputs.vmName ?? vm.id!.split("/").pop()],
            );
            assert.strictEqual(r.outputs.jumpBoxVmId, vm.id);
            assert.strictEqual(r.outputs.jumpBoxPrivateIp, "10.0.0.4");
        });

        it("shuts the VM down every day, with the schedule name Azure requires", () => {
            const vm = r.one("compute:VirtualMachine");
            const schedule = r.one("devtestlab:GlobalSchedule");
            assert.strictEqual(schedule.inputs.name, `shutdown-computevm-${vm.id!.split("/").pop()}`);
            assert.strictEqual(schedule.inputs.targetResourceId, vm.id);
            assert.deepStrictEqual(schedule.inputs.dailyRecurrence, { time: jumpBoxShutdownTime });
            assert.deepStrictEqual(
                [schedule.inputs.status, schedule.inputs.taskType, schedule.inputs.timeZoneId],
                ["Enabled", "ComputeVmShutdownTask", "UTC"],
            );
        });

        it("creates no public IP besides Bastion's and the NAT gateway's", () => {
            assert.deepStrictEqual(
                r
                    .all("network:PublicIPAddress")
                    .map((p) => p.name)
                    .sort(),
                ["ml-bastion-pip", "ml-nat-pip"],
            );
        });
    });

    describe("the point-to-site VPN gateway", () => {
        let r: Awaited<ReturnType<typeof renderNetwork>>;
        before(async () => {
            r = await renderNetwork({
                addressSpace: "10.20.0.0/16",
                enableVpnGateway: true,
                vpnClientAddressPool: "172.30.0.0/24",
            });
        });

        it("puts GatewaySubnet at offset 864 as a /27, without an NSG (Azure forbids one there)", () => {
            const subnet = r.subnets.find((s) => s.name === "GatewaySubnet")!;
            assert.deepStrictEqual(subnet, { name: "GatewaySubnet", addressPrefix: "10.20.3.96/27" });
        });

        it("creates an OpenVPN gateway with Microsoft Entra ID sign-in for the tenant", () => {
            const gw = r.one("network:VirtualNetworkGateway");
            assert.deepStrictEqual(gw.inputs.sku, { name: "VpnGw1AZ", tier: "VpnGw1AZ" });
            assert.strictEqual(gw.inputs.gatewayType, "Vpn");
            assert.strictEqual(gw.inputs.vpnType, "RouteBased");
            assert.deepStrictEqual(gw.inputs.vpnClientConfiguration, {
                vpnClientAddressPool: { addressPrefixes: ["172.30.0.0/24"] },
                vpnClientProtocols: ["OpenVPN"],
                vpnAuthenticationTypes: ["AAD"],
                aadTenant: `https://login.microsoftonline.com/${mockTenantId}/`,
                aadAudience: azureVpnClientAudience,
                aadIssuer: `https://sts.windows.net/${mockTenantId}/`,
            });
            const ip = (gw.inputs.ipConfigurations as any[])[0];
            assert.match(ip.subnet.id, /\/subnets\/GatewaySubnet$/);
            assert.strictEqual(
                ip.publicIPAddress.id,
                r.all("network:PublicIPAddress").find((p) => p.name === "ml-vpn-pip")!.id,
            );
            assert.strictEqual(r.outputs.vpnGatewayId, gw.id);
        });
    });

    it("creates neither by default", async () => {
        const r = await renderNetwork({});
        assert.strictEqual(r.all("compute:VirtualMachine").length, 0);
        assert.strictEqual(r.all("network:VirtualNetworkGateway").length, 0);
        assert.ok(!r.subnets.some((s) => s.name === "jump-box" || s.name === "GatewaySubnet"));
        assert.deepStrictEqual([r.outputs.jumpBoxVmId, r.outputs.vpnGatewayId], [null, null]);
    });

    describe("invalid arguments throw InvalidArgumentError before anything is registered", () => {
        const cases: { title: string; args: Partial<MlNetworkArgs>; argument: string; rule: RegExp }[] = [
            {
                title: "a jump box without Bastion",
                args: { enableJumpBox: true },
                argument: "enableJumpBox",
                rule: /needs enableBastion: true/,
            },
            {
                title: "a jump box without the NAT gateway or the firewall",
                args: { enableJumpBox: true, enableBastion: true, nodePublicIp: true },
                argument: "enableJumpBox",
                rule: /needs an outbound path, the NAT gateway \(natGateway: true\) or egress: firewall/,
            },
            {
                title: "a jump-box prefix without the jump box",
                args: { jumpBoxSubnetPrefix: "10.0.3.64/28" },
                argument: "jumpBoxSubnetPrefix",
                rule: /enableJumpBox is not true/,
            },
            {
                title: "a jump-box subnet overlapping Bastion's",
                args: { enableJumpBox: true, enableBastion: true, jumpBoxSubnetPrefix: "10.0.3.0/28" },
                argument: "jumpBoxSubnetPrefix",
                rule: /overlaps bastionSubnetPrefix/,
            },
            {
                title: "a VPN gateway without a client address pool",
                args: { enableVpnGateway: true },
                argument: "vpnClientAddressPool",
                rule: /is required with enableVpnGateway/,
            },
            {
                title: "a client pool inside the address space",
                args: { enableVpnGateway: true, vpnClientAddressPool: "10.0.200.0/24" },
                argument: "vpnClientAddressPool",
                rule: /overlaps the VNet's address space 10\.0\.0\.0\/16/,
            },
            {
                title: "a client pool in Docker's bridge range",
                args: { enableVpnGateway: true, vpnClientAddressPool: "172.17.5.0/24" },
                argument: "vpnClientAddressPool",
                rule: /Docker's default bridge/,
            },
            {
                title: "a /28 GatewaySubnet",
                args: {
                    enableVpnGateway: true,
                    vpnClientAddressPool: "172.30.0.0/24",
                    gatewaySubnetPrefix: "10.0.3.96/28",
                },
                argument: "gatewaySubnetPrefix",
                rule: /must be a \/27 or larger/,
            },
            {
                title: "a VPN gateway in Azure China",
                args: {
                    enableVpnGateway: true,
                    vpnClientAddressPool: "172.30.0.0/24",
                    cloud: "AzureChinaCloud",
                    location: "chinanorth3",
                },
                argument: "enableVpnGateway",
                rule: /AzureCloud only/,
            },
        ];
        for (const c of cases) {
            it(c.title, async () => {
                const { error, registered } = await failure(c.args);
                assert.deepStrictEqual(registered, []);
                assert.strictEqual(error.argument, c.argument);
                assert.match(error.rule, c.rule);
            });
        }

        it("names SecureMlWorkspace's argument for the same mistake", async () => {
            let error: unknown;
            const { SecureMlWorkspace } = await import("../../components/workspace/secure-workspace");
            await render(
                () => {
                    try {
                        new SecureMlWorkspace("mlw", { ...base, enableJumpBox: true });
                    } catch (e) {
                        error = e;
                    }
                },
                { project: "proj", stack: "test" },
            );
            assert.ok(error instanceof InvalidArgumentError);
            assert.strictEqual(error.component, "SecureMlWorkspace");
            assert.strictEqual(error.argument, "enableJumpBox");
        });
    });
});

import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { render } from "../../cli/recording-engine";
import { mockTenantId } from "../../cli/azure-mocks";
import { SecurityRule } from "../../components/catalog/service-tags";
import { jumpBoxImages, jumpBoxNsgRules, jumpBoxShutdownTime } from "../../components/access/jump-box";
import { MlNetwork } from "../../components/network/network";
import { MlNetworkArgs } from "../../components/network/network-args";
import { azureVpnClientAudience } from "../../components/access/network-access-plan";
import { InvalidArgumentError } from "../../components/validate";
import { PlanResource } from "../../policy/plan";

/** MlNetwork's ways in: the jump box behind Bastion and the point-to-site VPN gateway. */

const base = { resourceGroupName: "rg", location: "westeurope" };
/** A made-up OpenSSH public key line (the jump box only passes it to Azure). */
const sshKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMockKeyForTestsOnly0000000000000000000 admin@example";

async function renderNetwork(args: Partial<MlNetworkArgs>) {
    const { resources, outputs } = await render(
        () => {
            const net = new MlNetwork("ml", { ...base, ...args });
            return {
                out: pulumi
                    .all([
                        net.jumpBoxVmId,
                        net.jumpBoxPrivateIp,
                        net.vpnGatewayId,
                        net.bastionHostName,
                        net.dnsResolverId,
                        net.dnsResolverInboundIp,
                    ])
                    .apply(
                        ([
                            jumpBoxVmId,
                            jumpBoxPrivateIp,
                            vpnGatewayId,
                            bastionHostName,
                            dnsResolverId,
                            dnsResolverInboundIp,
                        ]) => ({
                            jumpBoxVmId: jumpBoxVmId ?? null,
                            jumpBoxPrivateIp: jumpBoxPrivateIp ?? null,
                            vpnGatewayId: vpnGatewayId ?? null,
                            bastionHostName: bastionHostName ?? null,
                            dnsResolverId: dnsResolverId ?? null,
                            dnsResolverInboundIp: dnsResolverInboundIp ?? null,
                        }),
                    ),
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

        it("with egress: firewall, routes through the firewall and gets its own rules: Entra ID sign-in, the studio, az/az ml/SDK hosts and Windows Update", async () => {
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
            const jumpBoxRules = rules.filter(
                (r) => r.ruleType === "ApplicationRule" && r.name.startsWith("Allow-jump-box"),
            );
            assert.deepStrictEqual(
                jumpBoxRules.map((r) => r.name),
                ["Allow-jump-box", "Allow-jump-box-os-updates"],
            );
            const jumpBox = jumpBoxRules[0];
            assert.deepStrictEqual(jumpBox.sourceAddresses, ["10.20.3.64/28"]);
            assert.deepStrictEqual(jumpBox.protocols, [{ protocolType: "Https", port: 443 }]);
            // The Windows sign-in extension's hosts (howto-vm-sign-in-azure-ad-windows, "Network requirements"),
            // then the studio's and the tools' (catalog/jump-box-hosts.ts).
            assert.deepStrictEqual(jumpBox.targetFqdns.slice(0, 3), [
                "enterpriseregistration.windows.net",
                "login.microsoftonline.com",
                "pas.windows.net",
            ]);
            for (const host of [
                "ml.azure.com",
                "*.azureml.ms",
                "management.azure.com",
                "graph.microsoft.com",
                "pypi.org",
                "files.pythonhosted.org",
                "azcliextensionsync.blob.core.windows.net",
                "azcliprod.blob.core.windows.net",
                "*.msauth.net",
                "*.msftauth.net",
                "www.python.org",
            ])
                assert.ok(jumpBox.targetFqdns.includes(host), host);
            assert.strictEqual(new Set(jumpBox.targetFqdns).size, jumpBox.targetFqdns.length, "no duplicates");
            assert.ok(!jumpBox.targetFqdns.includes("packages.microsoft.com"), "the Linux extension's host");
            assert.ok(!jumpBox.targetFqdns.some((h: string) => h === "*" || h.includes("ubuntu")));
            assert.deepStrictEqual(jumpBoxRules[1], {
                ruleType: "ApplicationRule",
                name: "Allow-jump-box-os-updates",
                description:
                    "The jump box's OS updates through Azure Firewall FQDN tags (https://learn.microsoft.com/azure/firewall/fqdn-tags).",
                sourceAddresses: ["10.20.3.64/28"],
                protocols: [
                    { protocolType: "Http", port: 80 },
                    { protocolType: "Https", port: 443 },
                ],
                fqdnTags: ["WindowsUpdate"],
            });
            // One network rule of its own: Windows activation (KMS, TCP 1688).
            const kms = rules.filter((x) => x.ruleType === "NetworkRule" && x.name.startsWith("Allow-jump-box"));
            assert.deepStrictEqual(
                kms.map((x) => [x.name, x.sourceAddresses, x.destinationAddresses, x.destinationPorts]),
                [["Allow-jump-box-windows-activation", ["10.20.3.64/28"], ["20.118.99.224", "40.83.235.53"], ["1688"]]],
            );
            // The compute rules keep the compute subnets as their only sources.
            for (const r of rules.filter((x) => !x.name.startsWith("Allow-jump-box")))
                assert.ok(!r.sourceAddresses.includes("10.20.3.64/28"), r.name);
        });

        it("a Linux jump box behind the firewall gets the Linux extension's hosts and Ubuntu's mirror over HTTP and HTTPS, no FQDN tag", async () => {
            const fw = await renderNetwork({
                addressSpace: "10.20.0.0/16",
                enableBastion: true,
                enableJumpBox: true,
                jumpBoxOs: "linux",
                jumpBoxAdminSshPublicKey: sshKey,
                egress: "firewall",
            });
            const rules = (fw.one("network:FirewallPolicyRuleCollectionGroup").inputs.ruleCollections as any[])
                .flatMap((c) => c.rules as any[])
                .filter((r) => r.name.startsWith("Allow-jump-box"));
            assert.deepStrictEqual(
                rules.map((r) => r.name),
                ["Allow-jump-box", "Allow-jump-box-os-http"],
            );
            // MicrosoftDocs/entra-docs howto-vm-sign-in-azure-ad-linux.md, "Network" (Azure Global).
            assert.deepStrictEqual(rules[0].targetFqdns.slice(0, 3), [
                "packages.microsoft.com",
                "login.microsoftonline.com",
                "pas.windows.net",
            ]);
            assert.ok(rules[0].targetFqdns.includes("azure.archive.ubuntu.com"));
            assert.ok(rules[0].targetFqdns.includes("management.azure.com"));
            assert.deepStrictEqual(
                [rules[1].protocols, rules[1].targetFqdns, rules[1].sourceAddresses],
                [[{ protocolType: "Http", port: 80 }], ["azure.archive.ubuntu.com"], ["10.20.3.64/28"]],
            );
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

        it("creates a Windows Server 2025 VM (desktop, Edge) with no public IP, AADLoginForWindows, a system identity and Trusted Launch", () => {
            const nic = r.one("network:NetworkInterface");
            const ipConfig = (nic.inputs.ipConfigurations as any[])[0];
            assert.strictEqual(ipConfig.publicIPAddress, undefined);
            assert.match(ipConfig.subnet.id, /\/subnets\/jump-box$/);
            const vm = r.one("compute:VirtualMachine");
            assert.deepStrictEqual((vm.inputs.hardwareProfile as any).vmSize, "Standard_B2ms");
            const os = vm.inputs.osProfile as any;
            assert.strictEqual(os.linuxConfiguration, undefined);
            assert.deepStrictEqual(os.windowsConfiguration, { provisionVMAgent: true, enableAutomaticUpdates: true });
            assert.strictEqual(os.adminUsername, "azureuser");
            // The random password (a secret), not a literal.
            const password = r.one("random:index/randomPassword:RandomPassword");
            assert.deepStrictEqual(
                [password.inputs.length, password.inputs.special, password.inputs.minUpper, password.inputs.minNumeric],
                [32, true, 2, 2],
            );
            assert.strictEqual(r.all("tls:index/privateKey:PrivateKey").length, 0, "no key pair in state");
            assert.deepStrictEqual(vm.inputs.identity, { type: "SystemAssigned" });
            assert.deepStrictEqual((vm.inputs.networkProfile as any).networkInterfaces, [
                { id: nic.id, primary: true },
            ]);
            assert.deepStrictEqual((vm.inputs.storageProfile as any).imageReference, {
                publisher: "MicrosoftWindowsServer",
                offer: "WindowsServer",
                sku: "2025-datacenter-azure-edition",
                version: "latest",
            });
            assert.deepStrictEqual((vm.inputs.storageProfile as any).imageReference, { ...jumpBoxImages.windows });
            assert.strictEqual((vm.inputs.securityProfile as any).securityType, "TrustedLaunch");
            const ext = r.one("compute:VirtualMachineExtension");
            assert.deepStrictEqual(
                [ext.inputs.publisher, ext.inputs.type, ext.inputs.typeHandlerVersion, ext.inputs.vmName],
                [
                    "Microsoft.Azure.ActiveDirectory",
                    "AADLoginForWindows",
                    "1.0",
                    vm.inputs.vmName ?? vm.id!.split("/").pop(),
                ],
            );
            assert.strictEqual(r.outputs.jumpBoxVmId, vm.id);
            assert.strictEqual(r.outputs.jumpBoxPrivateIp, "10.0.0.4");
        });

        it("puts Bastion on the Standard SKU with native-client tunnelling (Entra ID RDP needs it)", () => {
            const bastion = r.one("network:BastionHost");
            assert.deepStrictEqual(bastion.inputs.sku, { name: "Standard" });
            assert.strictEqual(bastion.inputs.enableTunneling, true);
            assert.strictEqual(r.outputs.bastionHostName, bastion.name);
        });

        it("with jumpBoxOs: linux, an Ubuntu VM with AADSSHLoginForLinux and only the caller's public key (no key pair generated)", async () => {
            const linux = await renderNetwork({
                addressSpace: "10.20.0.0/16",
                enableBastion: true,
                enableJumpBox: true,
                jumpBoxOs: "linux",
                jumpBoxAdminSshPublicKey: sshKey,
                bastionSku: "Basic",
            });
            const vm = linux.one("compute:VirtualMachine");
            const os = vm.inputs.osProfile as any;
            assert.strictEqual(os.windowsConfiguration, undefined);
            assert.strictEqual(os.adminPassword, undefined);
            assert.deepStrictEqual(os.linuxConfiguration, {
                disablePasswordAuthentication: true,
                ssh: { publicKeys: [{ path: "/home/azureuser/.ssh/authorized_keys", keyData: sshKey }] },
                provisionVMAgent: true,
            });
            assert.strictEqual((vm.inputs.hardwareProfile as any).vmSize, "Standard_B2s");
            assert.deepStrictEqual((vm.inputs.storageProfile as any).imageReference, { ...jumpBoxImages.linux });
            assert.strictEqual(linux.all("tls:index/privateKey:PrivateKey").length, 0);
            assert.strictEqual(linux.all("random:index/randomPassword:RandomPassword").length, 0);
            const ext = linux.one("compute:VirtualMachineExtension");
            assert.deepStrictEqual([ext.inputs.type, ext.inputs.typeHandlerVersion], ["AADSSHLoginForLinux", "1.0"]);
            // Basic: no native client, so tunnelling off.
            const bastion = linux.one("network:BastionHost");
            assert.deepStrictEqual(bastion.inputs.sku, { name: "Basic" });
            assert.strictEqual(bastion.inputs.enableTunneling, false);
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

        it("comes with a DNS Private Resolver whose inbound endpoint sits in its own delegated /28 at offset 960", () => {
            const subnet = r.subnets.find((s) => s.name === "dns-resolver-inbound")!;
            const nsg = r.all("network:NetworkSecurityGroup").find((n) => n.name === "ml-dns-resolver-nsg")!;
            assert.deepStrictEqual(subnet, {
                name: "dns-resolver-inbound",
                addressPrefix: "10.20.3.192/28",
                networkSecurityGroup: { id: nsg.id },
                defaultOutboundAccess: false,
                delegations: [
                    {
                        name: "Microsoft.Network.dnsResolvers",
                        serviceName: "Microsoft.Network/dnsResolvers",
                        actions: ["Microsoft.Network/virtualNetworks/subnets/join/action"],
                    },
                ],
            });
            assert.deepStrictEqual(nsg.inputs.securityRules, []);
            const resolver = r.one("dnsresolver:DnsResolver");
            assert.deepStrictEqual(resolver.inputs.virtualNetwork, { id: r.one("network:VirtualNetwork").id });
            const inbound = r.one("dnsresolver:InboundEndpoint");
            assert.strictEqual(inbound.inputs.dnsResolverName, resolver.name);
            assert.deepStrictEqual(inbound.inputs.ipConfigurations, [
                {
                    subnet: { id: `${r.one("network:VirtualNetwork").id}/subnets/dns-resolver-inbound` },
                    privateIpAllocationMethod: "Dynamic",
                },
            ]);
            assert.strictEqual(r.outputs.dnsResolverId, resolver.id);
            // The mock gives the first usable address, as Azure's dynamic allocation does.
            assert.strictEqual(r.outputs.dnsResolverInboundIp, "10.20.3.196");
        });

        it("leaves the resolver out with enableDnsResolver: false", async () => {
            const none = await renderNetwork({
                addressSpace: "10.20.0.0/16",
                enableVpnGateway: true,
                vpnClientAddressPool: "172.30.0.0/24",
                enableDnsResolver: false,
            });
            assert.strictEqual(none.all("dnsresolver:DnsResolver").length, 0);
            assert.ok(!none.subnets.some((s) => s.name === "dns-resolver-inbound"));
            assert.strictEqual(none.outputs.dnsResolverInboundIp, null);
        });
    });

    it("creates neither by default", async () => {
        const r = await renderNetwork({});
        assert.strictEqual(r.all("compute:VirtualMachine").length, 0);
        assert.strictEqual(r.all("network:VirtualNetworkGateway").length, 0);
        assert.ok(!r.subnets.some((s) => s.name === "jump-box" || s.name === "GatewaySubnet"));
        assert.deepStrictEqual(
            [r.outputs.jumpBoxVmId, r.outputs.vpnGatewayId, r.outputs.dnsResolverInboundIp, r.outputs.bastionHostName],
            [null, null, null, null],
        );
        assert.strictEqual(r.all("dnsresolver:DnsResolver").length, 0);
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
                title: "an unknown jump-box OS",
                args: { enableJumpBox: true, enableBastion: true, jumpBoxOs: "macos" as never },
                argument: "jumpBoxOs",
                rule: /must be one of windows, linux/,
            },
            {
                title: "a Windows jump box behind Bastion Basic (no native client for Entra ID RDP)",
                args: { enableJumpBox: true, enableBastion: true, bastionSku: "Basic" },
                argument: "bastionSku",
                rule: /cannot serve a Windows jump box: Microsoft Entra ID RDP through Bastion needs the native client/,
            },
            {
                title: "the Developer Bastion SKU",
                args: { enableBastion: true, bastionSku: "Developer" as never },
                argument: "bastionSku",
                rule: /must be one of Basic, Standard, Premium: the Developer SKU deploys no host/,
            },
            {
                title: "a Bastion SKU without Bastion",
                args: { bastionSku: "Standard" },
                argument: "bastionSku",
                rule: /enableBastion is not true/,
            },
            {
                title: "a Linux jump box without the admin's public key",
                args: { enableJumpBox: true, enableBastion: true, jumpBoxOs: "linux" },
                argument: "jumpBoxAdminSshPublicKey",
                rule: /is required with jumpBoxOs: linux/,
            },
            {
                title: "a private key passed as the admin's public key",
                args: {
                    enableJumpBox: true,
                    enableBastion: true,
                    jumpBoxOs: "linux",
                    jumpBoxAdminSshPublicKey: "-----BEGIN OPENSSH PRIVATE KEY-----",
                },
                argument: "jumpBoxAdminSshPublicKey",
                rule: /must be an OpenSSH public key line/,
            },
            {
                title: "an SSH key for a Windows jump box",
                args: { enableJumpBox: true, enableBastion: true, jumpBoxAdminSshPublicKey: sshKey },
                argument: "jumpBoxAdminSshPublicKey",
                rule: /applies to jumpBoxOs: linux only/,
            },
            {
                title: "a jump-box OS without the jump box",
                args: { jumpBoxOs: "linux" },
                argument: "jumpBoxOs",
                rule: /enableJumpBox is not true/,
            },
            {
                title: "a resolver prefix without the resolver",
                args: { dnsResolverSubnetPrefix: "10.0.3.192/28" },
                argument: "dnsResolverSubnetPrefix",
                rule: /enableDnsResolver is not true/,
            },
            {
                title: "a resolver subnet larger than a /24",
                args: { enableDnsResolver: true, dnsResolverSubnetPrefix: "10.0.128.0/23" },
                argument: "dnsResolverSubnetPrefix",
                rule: /must be \/28 to \/24/,
            },
            {
                title: "a resolver subnet smaller than a /28",
                args: { enableDnsResolver: true, dnsResolverSubnetPrefix: "10.0.3.192/29" },
                argument: "dnsResolverSubnetPrefix",
                rule: /\/28/,
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

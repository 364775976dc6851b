import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { render } from "../../cli/recording-engine";
import { allowedEgressHostNames } from "../../components/catalog/egress-hosts";
import { requiredNsgRules } from "../../components/catalog/service-tags";
import { firewallOmittedServiceTags } from "../../components/egress/egress-rules";
import { MlNetwork } from "../../components/network/network";
import { MlNetworkArgs } from "../../components/network/network-args";
import { planMlNetwork } from "../../components/network/network-plan";
import { machineLearningServiceAlias } from "../../components/egress/storage-endpoint-policy";
import { InvalidArgumentError } from "../../components/validate";
import { PlanResource } from "../../policy/plan";
import { renderFailure, renderWorkspace } from "./workspace-helpers";

const t = {
    vnet: "azure-native:network:VirtualNetwork",
    nsg: "azure-native:network:NetworkSecurityGroup",
    nat: "azure-native:network:NatGateway",
    firewall: "azure-native:network:AzureFirewall",
    policy: "azure-native:network:FirewallPolicy",
    rcg: "azure-native:network:FirewallPolicyRuleCollectionGroup",
    routeTable: "azure-native:network:RouteTable",
    route: "azure-native:network:Route",
    sep: "azure-native:network:ServiceEndpointPolicy",
    diag: "azure-native:monitor:DiagnosticSetting",
    logs: "azure-native:operationalinsights:Workspace",
    storage: "azure-native:storage:StorageAccount",
};

const base: MlNetworkArgs = {
    resourceGroupName: "rg",
    location: "westeurope",
    addressSpace: "10.20.0.0/22",
    enableScoringSubnet: true,
};

async function renderNetwork(args: Partial<MlNetworkArgs>) {
    const { resources } = await render(
        () => {
            const net = new MlNetwork("ml", { ...base, ...args });
            return { firewallId: net.firewallId, sep: net.serviceEndpointPolicyId };
        },
        { project: "proj", stack: "test" },
    );
    const all = (type: string) => resources.filter((r) => r.type === type);
    const one = (type: string, name?: string) => {
        const found = all(type).filter((r) => name === undefined || r.name === name);
        assert.strictEqual(found.length, 1, `exactly one ${type} ${name ?? ""}: ${found.map((r) => r.name)}`);
        return found[0];
    };
    const subnet = (name: string) =>
        (one(t.vnet).inputs.subnets as Record<string, any>[]).find((s) => s.name === name)!;
    return { resources, all, one, subnet };
}

type Rule = Record<string, any>;
const collections = (rcg: PlanResource) => rcg.inputs.ruleCollections as { name: string; rules: Rule[] }[];

describe("egress: firewall", () => {
    it("puts AzureFirewallSubnet at offset 896 (/26) without an NSG, and the firewall in it", async () => {
        const r = await renderNetwork({ egress: "firewall" });
        const fwSubnet = r.subnet("AzureFirewallSubnet");
        assert.deepStrictEqual(fwSubnet, { name: "AzureFirewallSubnet", addressPrefix: "10.20.3.128/26" });
        const fw = r.one(t.firewall, "ml-fw");
        assert.deepStrictEqual(fw.inputs.sku, { name: "AZFW_VNet", tier: "Standard" });
        const [ipConfig] = fw.inputs.ipConfigurations as Rule[];
        assert.strictEqual(ipConfig.subnet.id, `${r.one(t.vnet).id}/subnets/AzureFirewallSubnet`);
        assert.strictEqual((fw.inputs.firewallPolicy as Rule).id, r.one(t.policy).id);
        assert.deepStrictEqual(r.one(t.policy).inputs.sku, { tier: "Standard" });
        assert.strictEqual(r.one(t.policy).inputs.threatIntelMode, "Deny");
    });

    it("routes 0.0.0.0/0 of training AND scoring to the firewall's private IP, with no NAT gateway", async () => {
        const r = await renderNetwork({ egress: "firewall" });
        const table = r.one(t.routeTable);
        assert.strictEqual(table.inputs.routes, undefined, "no inline routes (they would fight the Route resources)");
        for (const name of ["training", "scoring"]) {
            assert.strictEqual(r.subnet(name).routeTable.id, table.id, name);
            assert.strictEqual(r.subnet(name).natGateway, undefined, name);
        }
        assert.strictEqual(r.subnet("private-endpoints").routeTable, undefined);
        assert.strictEqual(r.all(t.nat).length, 0);
        const route = r.one(t.route);
        assert.strictEqual(route.inputs.routeName, "default-to-firewall");
        assert.strictEqual(route.inputs.addressPrefix, "0.0.0.0/0");
        assert.strictEqual(route.inputs.nextHopType, "VirtualAppliance");
        assert.strictEqual(route.inputs.routeTableName, table.inputs.routeTableName ?? "ml-compute-rt");
        // The next hop is the firewall's private IP: the route depends on the firewall for it.
        const fw = r.one(t.firewall);
        assert.ok(route.propertyDependencies.nextHopIpAddress?.includes(fw.urn));
        // The mock engine gives the firewall its subnet's first usable address, as Azure does.
        assert.strictEqual(route.inputs.nextHopIpAddress, "10.20.3.132");
    });

    it("adds next-hop-Internet routes for AzureMachineLearning and BatchNodeManagement only when nodes have public IPs", async () => {
        const r = await renderNetwork({ egress: "firewall", nodePublicIp: true });
        const routes = r
            .all(t.route)
            .map((x) => [x.inputs.routeName, x.inputs.addressPrefix, x.inputs.nextHopType])
            .sort((a, b) => (a[2] === b[2] ? 0 : a[2] === "VirtualAppliance" ? -1 : 1));
        assert.deepStrictEqual(routes, [
            ["default-to-firewall", "0.0.0.0/0", "VirtualAppliance"],
            ["AzureMachineLearning", "AzureMachineLearning", "Internet"],
            ["BatchNodeManagement", "BatchNodeManagement.westeurope", "Internet"],
        ]);
    });

    it("has network rules for the document's service tags (same rows as the NSG) and application rules for the catalogue's groups", async () => {
        const r = await renderNetwork({ egress: "firewall", extraEgressHosts: ["Packages.Example.com"] });
        const [network, application] = collections(r.one(t.rcg));
        assert.strictEqual(network.name, "ml-service-tags");
        const required = requiredNsgRules({ location: "westeurope", nodePublicIp: false }).outbound;
        const expectedTags = required
            .map((x) => x.destinationAddressPrefix)
            .filter(
                (tag) => !(tag in firewallOmittedServiceTags) && !(tag.split(".")[0] in firewallOmittedServiceTags),
            );
        assert.deepStrictEqual(
            network.rules.map((x) => x.destinationAddresses[0]),
            expectedTags,
        );
        assert.ok(!expectedTags.includes("Storage.westeurope") && !expectedTags.includes("AzureFrontDoor.FrontEnd"));
        const aml = network.rules.find((x) => x.name === "AllowAzureMachineLearningOutbound")!;
        assert.deepStrictEqual(aml.destinationPorts, ["443", "8787", "18881"]);
        assert.deepStrictEqual(aml.ipProtocols, ["TCP"]);
        assert.deepStrictEqual(aml.sourceAddresses, ["10.20.0.0/24", "10.20.2.0/24"]);
        const udp = network.rules.find((x) => x.name === "AllowAzureMachineLearningUdpOutbound")!;
        assert.deepStrictEqual([udp.ipProtocols, udp.destinationPorts], [["UDP"], ["5831"]]);

        assert.strictEqual(application.name, "ml-hosts");
        assert.deepStrictEqual(
            application.rules.map((x) => x.name),
            ["Allow-microsoft", "Allow-python", "Allow-conda", "Allow-extra"],
        );
        const python = application.rules.find((x) => x.name === "Allow-python")!;
        assert.deepStrictEqual(python.targetFqdns, allowedEgressHostNames(["python"], "westeurope"));
        assert.ok(python.targetFqdns.includes("pypi.org") && python.targetFqdns.includes("*.pythonhosted.org"));
        assert.deepStrictEqual(python.protocols, [{ protocolType: "Https", port: 443 }]);
        const conda = application.rules.find((x) => x.name === "Allow-conda")!;
        assert.deepStrictEqual(conda.targetFqdns, ["anaconda.com", "*.anaconda.com", "*.anaconda.org"]);
        const microsoft = application.rules.find((x) => x.name === "Allow-microsoft")!;
        assert.ok(
            microsoft.targetFqdns.includes("ml.azure.com") && microsoft.targetFqdns.includes("mcr.microsoft.com"),
        );
        assert.ok(!microsoft.targetFqdns.includes("*.blob.core.windows.net"), "no rule opening every storage account");
        assert.deepStrictEqual(application.rules.find((x) => x.name === "Allow-extra")!.targetFqdns, [
            "packages.example.com",
        ]);
        for (const rule of application.rules) assert.ok(!rule.targetFqdns.includes("*"));
    });

    it("selects host groups", async () => {
        const r = await renderNetwork({ egress: "firewall", egressHostGroups: ["r", "vscode"] });
        const application = collections(r.one(t.rcg))[1];
        assert.deepStrictEqual(
            application.rules.map((x) => x.name),
            ["Allow-r", "Allow-vscode"],
        );
        assert.deepStrictEqual(application.rules[0].targetFqdns, [
            "cloud.r-project.org",
            "ghcr.io",
            "pkg-containers.githubusercontent.com",
        ]);
    });

    it("puts the Microsoft.Storage service endpoint and the service endpoint policy on both compute subnets", async () => {
        const r = await renderNetwork({
            egress: "firewall",
            allowedStorageAccountIds: [
                "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/mine",
            ],
        });
        const sep = r.one(t.sep, "ml-storage-sep");
        assert.deepStrictEqual(sep.inputs.serviceEndpointPolicyDefinitions, [
            {
                name: "workspace-storage",
                description: "The storage accounts of this workspace.",
                service: "Microsoft.Storage",
                serviceResources: [
                    "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/mine",
                ],
            },
            {
                name: "azure-machine-learning",
                description: "Azure Machine Learning's Microsoft-managed storage (compute provisioning).",
                service: "Global",
                serviceResources: [machineLearningServiceAlias],
            },
        ]);
        for (const name of ["training", "scoring"]) {
            assert.deepStrictEqual(r.subnet(name).serviceEndpoints, [{ service: "Microsoft.Storage" }], name);
            assert.deepStrictEqual(r.subnet(name).serviceEndpointPolicies, [{ id: sep.id }], name);
        }
        assert.strictEqual(r.subnet("private-endpoints").serviceEndpointPolicies, undefined);
    });

    it("sends the firewall's logs to the given Log Analytics workspace", async () => {
        const la = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/logs";
        const r = await renderNetwork({ egress: "firewall", logAnalyticsWorkspaceId: la });
        const diag = r.one(t.diag, "ml-fw-diagnostics");
        assert.strictEqual(diag.inputs.resourceUri, r.one(t.firewall).id);
        assert.strictEqual(diag.inputs.workspaceId, la);
        assert.deepStrictEqual(diag.inputs.logs, [{ categoryGroup: "allLogs", enabled: true }]);
        const without = await renderNetwork({ egress: "firewall" });
        assert.strictEqual(without.all(t.diag).length, 0);
    });

    it("in SecureMlWorkspace: diagnostics to the workspace's Log Analytics, the policy names the workspace's storage account", async () => {
        const w = await renderWorkspace({ egress: "firewall" });
        const diag = w.one("monitor:DiagnosticSetting");
        assert.strictEqual(diag.inputs.workspaceId, w.one("operationalinsights:Workspace").id);
        const sep = w.one("network:ServiceEndpointPolicy");
        const defs = sep.inputs.serviceEndpointPolicyDefinitions as Rule[];
        assert.deepStrictEqual(defs[0].serviceResources, [w.one("storage:StorageAccount").id]);
    });
});

describe("egress: none and nat", () => {
    it("none: both compute NSGs end in VNet-allow + deny-all, keep the NAT gateway, and get the service endpoint policy", async () => {
        const r = await renderNetwork({ egress: "none" });
        for (const nsg of ["ml-training-nsg", "ml-scoring-nsg"]) {
            const outbound = (r.one(t.nsg, nsg).inputs.securityRules as Rule[]).filter(
                (x) => x.direction === "Outbound",
            );
            assert.deepStrictEqual(
                outbound.slice(-2).map((x) => [x.name, x.priority, x.access]),
                [
                    ["AllowVirtualNetworkOutbound", 4000, "Allow"],
                    ["DenyAllOutbound", 4096, "Deny"],
                ],
                nsg,
            );
        }
        assert.strictEqual(r.all(t.firewall).length, 0);
        assert.strictEqual(r.subnet("training").natGateway.id, r.one(t.nat).id);
        assert.strictEqual(r.subnet("scoring").natGateway.id, r.one(t.nat).id);
        assert.deepStrictEqual(r.subnet("training").serviceEndpointPolicies, [{ id: r.one(t.sep).id }]);
    });

    it("lockDownEgress: true is the old name of none", async () => {
        const a = await renderNetwork({ lockDownEgress: true });
        const b = await renderNetwork({ egress: "none" });
        assert.deepStrictEqual(
            a.one(t.nsg, "ml-training-nsg").inputs.securityRules,
            b.one(t.nsg, "ml-training-nsg").inputs.securityRules,
        );
        assert.strictEqual(a.all(t.sep).length, 1);
    });

    it("nat (the default): NAT gateway on both compute subnets, no deny, no firewall, no service endpoint policy, 443 only to Storage", async () => {
        const r = await renderNetwork({});
        assert.strictEqual(r.all(t.firewall).length + r.all(t.sep).length + r.all(t.routeTable).length, 0);
        const rules = r.one(t.nsg, "ml-training-nsg").inputs.securityRules as Rule[];
        assert.ok(!rules.some((x) => x.access === "Deny"));
        assert.strictEqual(rules.find((x) => x.name === "AllowStorageOutbound")!.destinationPortRange, "443");
        assert.strictEqual(r.subnet("AzureFirewallSubnet"), undefined);
    });

    it("storageFirewallBetween: true adds 445 to the Storage rule", async () => {
        const r = await renderNetwork({ storageFirewallBetween: true });
        const rules = r.one(t.nsg, "ml-scoring-nsg").inputs.securityRules as Rule[];
        assert.deepStrictEqual(rules.find((x) => x.name === "AllowStorageOutbound")!.destinationPortRanges, [
            "443",
            "445",
        ]);
    });
});

describe("egress arguments are validated before anything is registered", () => {
    const bad: [Partial<MlNetworkArgs> | Record<string, unknown>, string, RegExp][] = [
        [{ egress: "proxy" }, "egress", /must be one of nat, firewall, none/],
        [{ egress: "firewall", lockDownEgress: true }, "lockDownEgress", /old name of egress: none/],
        [{ egress: "none", lockDownEgress: false }, "lockDownEgress", /disagrees with egress = "none"/],
        [{ egress: "firewall", extraEgressHosts: ["*"] }, "extraEgressHosts[0]", /bare wildcard/],
        [{ egress: "firewall", extraEgressHosts: ["ok.example.com", "*."] }, "extraEgressHosts[1]", /bare wildcard/],
        [{ egress: "firewall", extraEgressHosts: ["*.com"] }, "extraEgressHosts[0]", /whole top-level domain/],
        [{ egress: "firewall", extraEgressHosts: ["https://x.org/a"] }, "extraEgressHosts[0]", /host name only/],
        [
            { egress: "firewall", egressHostGroups: ["java"] },
            "egressHostGroups",
            /list of python, conda, r, vscode, microsoft/,
        ],
        [{ egress: "nat", extraEgressHosts: ["pypi.org"] }, "extraEgressHosts", /egress is "nat"/],
        [{ egressHostGroups: ["python"] }, "egressHostGroups", /egress is "nat"/],
        [{ egress: "none", firewallSubnetPrefix: "10.20.3.128/26" }, "firewallSubnetPrefix", /egress is "none"/],
        [{ egress: "firewall", natGateway: true }, "natGateway", /whose own public IP serves egress/],
        [{ egress: "firewall", firewallSubnetPrefix: "10.20.3.128/27" }, "firewallSubnetPrefix", /\/26 or larger/],
        [{ egress: "firewall", firewallSubnetPrefix: "10.20.2.0/26" }, "firewallSubnetPrefix", /overlap/],
        [
            { egress: "firewall", addressSpace: "10.20.0.0/23", enableScoringSubnet: false },
            "addressSpace",
            /too small for the default firewallSubnetPrefix/,
        ],
    ];
    for (const [args, argument, rule] of bad) {
        it(`${JSON.stringify(args)} → ${argument}`, () => {
            assert.throws(
                () => planMlNetwork({ ...base, ...(args as Partial<MlNetworkArgs>) }),
                (e: unknown) =>
                    e instanceof InvalidArgumentError && e.argument === argument && rule.test(e.message) ? true : false,
            );
        });
    }

    it("SecureMlWorkspace reports them under its own name and registers nothing", async () => {
        const { error, registered } = await renderFailure({ egress: "firewall", extraEgressHosts: ["*"] });
        assert.strictEqual(error.component, "SecureMlWorkspace");
        assert.strictEqual(error.argument, "extraEgressHosts[0]");
        assert.strictEqual(registered.filter((r) => r.type !== "pulumi:pulumi:Stack").length, 0);
    });

    it("egress with existing network ids is an error, not silently ignored", async () => {
        const existing = {
            existingVnetId: "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v",
            existingTrainingSubnetId:
                "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/t",
            existingPrivateEndpointSubnetId:
                "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/p",
        };
        const { error, registered } = await renderFailure({ ...existing, egress: "firewall" });
        assert.strictEqual(error.argument, "egress");
        assert.match(error.message, /existing network ids were given/);
        assert.strictEqual(registered.filter((r) => r.type !== "pulumi:pulumi:Stack").length, 0);
        const ok = await renderWorkspace({ ...existing, egress: "nat" });
        assert.strictEqual(ok.ofType("network:VirtualNetwork").length, 0);
    });

    it("a firewall subnet prefix given as an Output is accepted", () => {
        const plan = planMlNetwork({
            ...base,
            egress: "firewall",
            firewallSubnetPrefix: pulumi.output("10.20.3.128/26"),
        });
        assert.strictEqual(plan.egress, "firewall");
    });
});

describe("isolation: managed", () => {
    it("the VNet carries only the private endpoints; the cluster has no subnet; the workspace approves only the catalogue's hosts and the PE rules", async () => {
        const w = await renderWorkspace({ isolation: "managed" });
        const vnet = w.one("network:VirtualNetwork");
        assert.deepStrictEqual(
            (vnet.inputs.subnets as Rule[]).map((s) => s.name),
            ["private-endpoints"],
        );
        assert.strictEqual(w.ofType("network:NatGateway").length, 0);
        assert.strictEqual(w.ofType("network:NetworkSecurityGroup").length, 1, "only the PE subnet's NSG");
        const cluster = w.one("machinelearningservices:Compute");
        const props = (cluster.inputs.properties as Rule).properties as Rule;
        assert.strictEqual(props.subnet, undefined);
        assert.strictEqual(props.enableNodePublicIp, false);
        const settings = w.one("machinelearningservices:Workspace").inputs.managedNetwork as Rule;
        assert.strictEqual(settings.isolationMode, "AllowOnlyApprovedOutbound");
        const rules = settings.outboundRules as Record<string, Rule>;
        const fqdns = Object.values(rules)
            .filter((r) => r.type === "FQDN")
            .map((r) => r.destination);
        assert.deepStrictEqual(
            [...fqdns].sort(),
            [...allowedEgressHostNames(["python", "conda"], "westeurope")].sort(),
        );
        assert.strictEqual(rules["python-pypi-org"].destination, "pypi.org");
        assert.strictEqual(rules["conda-any-anaconda-org"].destination, "*.anaconda.org");
        const storage = w.one("storage:StorageAccount").id;
        // Azure's required rules cover the workspace, key vault, registry and storage blob/file: no user rule for them.
        const endpoints = Object.entries(rules).filter(([, r]) => r.type === "PrivateEndpoint");
        assert.deepStrictEqual(
            endpoints.map(([n]) => n),
            ["storage-queue", "storage-table"],
        );
        assert.deepStrictEqual(rules["storage-queue"], {
            type: "PrivateEndpoint",
            category: "UserDefined",
            destination: { serviceResourceId: storage, subresourceTarget: "queue", sparkEnabled: false },
        });
        assert.deepStrictEqual(rules["storage-table"], {
            type: "PrivateEndpoint",
            category: "UserDefined",
            destination: { serviceResourceId: storage, subresourceTarget: "table", sparkEnabled: false },
        });
    });

    it("managed without queue/table endpoints: no user-defined private-endpoint rule at all", async () => {
        const w = await renderWorkspace({ isolation: "managed", storagePrivateEndpoints: ["blob", "file"] });
        const settings = w.one("machinelearningservices:Workspace").inputs.managedNetwork as Rule;
        const rules = settings.outboundRules as Record<string, Rule>;
        assert.deepStrictEqual(
            Object.values(rules).filter((r) => r.type === "PrivateEndpoint"),
            [],
        );
        assert.strictEqual(rules["python-pypi-org"].destination, "pypi.org");
    });

    it("the customer VNet mode says so: managedNetwork Disabled", async () => {
        const w = await renderWorkspace({});
        const settings = w.one("machinelearningservices:Workspace").inputs.managedNetwork as Rule;
        assert.strictEqual(settings.isolationMode, "Disabled");
        assert.strictEqual(settings.outboundRules, undefined);
    });

    const bad: [Record<string, unknown>, string, RegExp][] = [
        [{ isolation: "hybrid" }, "isolation", /must be one of customerVnet, managed/],
        [{ isolation: "managed", egress: "firewall" }, "egress", /managed network/],
        [{ isolation: "managed", trainingSubnetPrefix: "10.0.0.0/24" }, "trainingSubnetPrefix", /managed network/],
        [{ isolation: "managed", nodePublicIp: true }, "nodePublicIp", /no public IP/],
        [{ isolation: "managed", extraEgressHosts: ["*"] }, "extraEgressHosts[0]", /bare wildcard/],
    ];
    for (const [args, argument, rule] of bad) {
        it(`${JSON.stringify(args)} → ${argument}, nothing registered`, async () => {
            const { error, registered } = await renderFailure(args);
            assert.strictEqual(error.argument, argument);
            assert.match(error.message, rule);
            assert.strictEqual(registered.filter((r) => r.type !== "pulumi:pulumi:Stack").length, 0);
        });
    }
});

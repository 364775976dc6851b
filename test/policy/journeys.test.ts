import * as assert from "assert";
import { renderStack } from "../../cli/plan";
import { readProject } from "../../cli/project";
import { formatReport } from "../../cli/report";
import { HopId, JourneyId, journeys } from "../../components/catalog/journeys";
import { PlanJourney, PlanResource } from "../../policy/plan";
import { runPack } from "../../policy/runner";
import { journeysOfPlan } from "../../policy/rules/stack/journeys/plan-resources";
import { repoRoot } from "../cli/helpers";
import { renderWorkspace } from "../components/workspace-helpers";
import { firstPreview } from "./helpers";

/**
 * The journeys (components/catalog/journeys.ts) over the package's own stacks: every journey passes (or
 * says why it does not apply), and for every hop of the catalogue one mutation of a passing stack
 * breaks exactly that hop, first, with what was found and the hop's fix.
 */

type Stack = PlanResource[];

const clone = (s: Stack): Stack => JSON.parse(JSON.stringify(s));
const named = (s: Stack, name: string) => {
    const r = s.find((x) => x.name === name);
    assert.ok(r, `no resource "${name}"`);
    return r;
};
const ofType = (s: Stack, token: string) => s.filter((r) => r.type === `azure-native:${token}`);
/** Removes a resource and every reference to it. */
function remove(s: Stack, name: string): Stack {
    const gone = named(s, name).urn;
    return s
        .filter((r) => r.urn !== gone)
        .map((r) => ({
            ...r,
            dependencies: r.dependencies.filter((d) => d !== gone),
            propertyDependencies: Object.fromEntries(
                Object.entries(r.propertyDependencies).map(([k, v]) => [k, v.filter((d) => d !== gone)]),
            ),
        }));
}
/** Drops `from`'s dependency edges to the resources named. */
function undepend(s: Stack, from: string, ...names: string[]): Stack {
    const urns = new Set(names.map((n) => named(s, n).urn));
    const r = named(s, from);
    r.dependencies = r.dependencies.filter((d) => !urns.has(d));
    for (const k of Object.keys(r.propertyDependencies))
        r.propertyDependencies[k] = r.propertyDependencies[k].filter((d) => !urns.has(d));
    return s;
}

async function outcomeOf(s: Stack, journey: JourneyId, subject?: RegExp): Promise<PlanJourney> {
    const found = (await journeysOfPlan(s)).filter(
        (o) => o.journey === journey && (!subject || subject.test(o.subject)),
    );
    assert.ok(found.length > 0, `no ${journey} outcome`);
    return found[0];
}

function assertBrokenAt(o: PlanJourney, hop: HopId, detail: RegExp) {
    const last = o.hops[o.hops.length - 1];
    assert.strictEqual(o.status, "fail", `${o.journey}: expected a failure at ${hop}:\n${JSON.stringify(o, null, 1)}`);
    assert.strictEqual(last.hop, hop, `${o.journey}: broke at ${last.hop} (${last.detail}), expected ${hop}`);
    assert.match(last.detail, detail);
    const fix = journeys.find((j) => j.id === o.journey)!.hops.find((h) => h.id === hop)!.fix;
    assert.strictEqual(o.fix, fix);
    for (const h of o.hops.slice(0, -1)) assert.strictEqual(h.status, "pass", `${h.hop} before ${hop}: ${h.detail}`);
}

const project = readProject(repoRoot);
const alice = "11111111-2222-4333-8444-555555555555";
const stacks: Record<string, Stack> = {};

describe("journeys: hop by hop over the stacks", function () {
    this.timeout(180000);

    before(async () => {
        for (const name of ["dev", "staging", "prod", "managed"]) stacks[name] = await renderStack(project, name);
        // A firewall stack with a compute instance: the instance waits for the firewall, its rules and its route.
        stacks.firewallInstance = (
            await renderWorkspace({
                egress: "firewall",
                dataScientists: [{ principalId: alice, principalType: "User" }],
                computeInstances: [{ name: "ci-alice", assignedUserObjectId: alice }],
            })
        ).resources;
    });

    for (const name of ["dev", "staging", "prod", "managed"]) {
        it(`${name}: every journey passes or says why it does not apply`, async () => {
            const outcomes = await journeysOfPlan(stacks[name]);
            assert.deepStrictEqual(
                [...new Set(outcomes.map((o) => o.journey))].sort(),
                journeys.map((j) => j.id).sort(),
            );
            for (const o of outcomes) {
                assert.ok(o.status === "pass" || o.status === "n/a", `${name}: ${JSON.stringify(o, null, 1)}`);
                if (o.status === "pass")
                    assert.deepStrictEqual(
                        o.hops.map((h) => h.hop),
                        journeys.find((j) => j.id === o.journey)!.hops.map((h) => h.id),
                    );
            }
        });
    }

    it("the report prints each journey and its hops, and the plan's journeys are the pack's", async () => {
        const resources = stacks.prod;
        const { evaluate } = await import("../../cli/policy");
        const plan = await evaluate("secure-azureml", "prod", resources);
        assert.deepStrictEqual(plan.journeys, await journeysOfPlan(resources));
        const text = formatReport(plan, "prod");
        assert.match(text, /^Journeys \(hop by hop/m);
        assert.match(text, /^ {2}image-build: An environment image builds/m);
        assert.match(text, /^ {4}PASS workspace "ml-workspace" on cluster "ml-image-build"$/m);
        assert.match(
            text,
            /^ {9}egress: mcr\.microsoft\.com, westeurope\.data\.mcr\.microsoft\.com, pypi\.org.* through the Azure Firewall/m,
        );
        assert.match(text, /^ {4}N\/A {2}workspace "ml-workspace": not applicable: no managed network/m);
    });

    it("a broken hop is an advisory violation of the journey's policy, naming the hop and the fix", async () => {
        const s = remove(clone(stacks.prod), "ml-compute-storage-blob");
        const violations = (await runPack(s)).filter((v) => v.policy === "journey-datastore-read-write");
        assert.strictEqual(violations.length, 1);
        assert.strictEqual(violations[0].enforcementLevel, "advisory");
        assert.strictEqual(violations[0].urn, named(s, "ml-image-build").urn);
        assert.match(
            violations[0].message,
            /breaks at hop "rbac": the identity of "ml-image-build" \("ml-compute-identity"\) holds no Storage Blob Data Contributor on "ml-storage"\. Fix: Grant/,
        );
    });

    // --- One failing case per hop; the passing case is the same hop in the stack it starts from. ---
    interface HopCase {
        journey: JourneyId;
        hop: HopId;
        base: string;
        subject?: RegExp;
        breakIt: (s: Stack) => Stack;
        detail: RegExp;
    }

    const peSubnetPrefix = (s: Stack) => {
        const vnet = ofType(s, "network:VirtualNetwork")[0];
        return (vnet.inputs.subnets as { name: string; addressPrefix: string }[]).find(
            (x) => x.name === "private-endpoints",
        )!.addressPrefix;
    };
    const denyOutbound = (s: Stack, nsg: string, destination: string) => {
        const r = named(s, nsg);
        (r.inputs.securityRules as unknown[]).unshift({
            name: "DenyTest",
            priority: 100,
            direction: "Outbound",
            access: "Deny",
            protocol: "Tcp",
            sourceAddressPrefix: "*",
            sourcePortRange: "*",
            destinationAddressPrefix: destination,
            destinationPortRange: "443",
        });
        return s;
    };
    const dropRoute = (s: Stack) => {
        const rt = ofType(s, "network:RouteTable")[0];
        s.push({
            urn: "urn:pulumi:prod::secure-azureml::azure-native:network:Route::drop-pe",
            type: "azure-native:network:Route",
            name: "drop-pe",
            id: null,
            custom: true,
            parent: null,
            dependencies: [rt.urn],
            propertyDependencies: { routeTableName: [rt.urn] },
            inputs: {
                resourceGroupName: "rg",
                routeTableName: rt.name,
                addressPrefix: peSubnetPrefix(s),
                nextHopType: "None",
            },
        });
        return s;
    };
    const appRule = (s: Stack, rule: string) => {
        const rcg = ofType(s, "network:FirewallPolicyRuleCollectionGroup")[0];
        for (const c of rcg.inputs.ruleCollections as { rules: { name: string; targetFqdns?: string[] }[] }[])
            for (const r of c.rules) if (r.name === rule) return r;
        throw new Error(`no rule ${rule}`);
    };

    const cases: HopCase[] = [
        // studio-access, from prod's jump box
        {
            journey: "studio-access",
            hop: "way-in",
            base: "prod",
            breakIt: (s) => remove(s, "ml-bastion"),
            detail: /no Azure Bastion host in VNet "ml-vnet" reaches jump box "ml-jump-box"/,
        },
        {
            journey: "studio-access",
            hop: "way-in",
            base: "prod",
            breakIt: (s) => undepend(s, "ml-jump-box", "ml-fw", "ml-fw-rules", "ml-route-default-to-firewall"),
            detail: /jump box "ml-jump-box" does not wait for its subnet's way out \("ml-fw", "ml-fw-rules", "ml-route-default-to-firewall"\): the VM's subnet has no default outbound access/,
        },
        {
            journey: "studio-access",
            hop: "dns",
            base: "prod",
            breakIt: (s) => remove(s, "ml-privatelink.notebooks.azure.net-link"),
            detail: /zone privatelink\.notebooks\.azure\.net \(used by "ml-amlworkspace-pe"\) is not linked to VNet "ml-vnet" \(Azure DNS, the jump box's resolver\)/,
        },
        {
            journey: "studio-access",
            hop: "route",
            base: "prod",
            breakIt: dropRoute,
            detail: /route table "ml-compute-rt" drops the private endpoints' .* \(10\.130\.4\.0\/24 → next hop None\)/,
        },
        {
            journey: "studio-access",
            hop: "nsg",
            base: "prod",
            breakIt: (s) => denyOutbound(s, "ml-jump-box-nsg", "VirtualNetwork"),
            detail: /NSG "ml-jump-box-nsg" of .*"jump-box" denies TCP 443 out to .*"private-endpoints" \(securityRules\[0\] "DenyTest"\)/,
        },
        {
            journey: "studio-access",
            hop: "firewall",
            base: "prod",
            breakIt: (s) => {
                const r = appRule(s, "Allow-jump-box");
                r.targetFqdns = r.targetFqdns!.filter((f) => f !== "ml.azure.com");
                return s;
            },
            detail: /has no rule that lets .*"jump-box" reach ml\.azure\.com over HTTPS/,
        },
        {
            journey: "studio-access",
            hop: "private-endpoint",
            base: "prod",
            breakIt: (s) => remove(remove(s, "ml-file-pe-dns"), "ml-file-pe"),
            detail: /the default storage has no file private endpoint in VNet "ml-vnet"/,
        },
        {
            journey: "studio-access",
            hop: "rbac",
            base: "prod",
            breakIt: (s) => remove(s, "ml-person0-jump-box-nic-reader"),
            detail: /^Group 00000000-0000-0000-0000-000000000000 lacks Reader on "ml-jump-box-nic"$/,
        },
        // studio-access through managed's point-to-site VPN: its clients resolve through the DNS Private Resolver
        {
            journey: "studio-access",
            hop: "dns",
            base: "managed",
            breakIt: (s) => remove(s, "ml-dns-inbound"),
            detail: /^VPN clients do not use the VNet's private DNS zones, and no DNS Private Resolver inbound endpoint in this stack answers for them$/,
        },
        {
            journey: "studio-access",
            hop: "nsg",
            base: "managed",
            breakIt: (s) => {
                const nsg = named(s, "ml-pe-nsg");
                const vpn = named(s, "ml-vpn").inputs as {
                    vpnClientConfiguration: { vpnClientAddressPool: { addressPrefixes: string[] } };
                };
                nsg.inputs.securityRules = [
                    {
                        name: "DenyVpnClients",
                        priority: 100,
                        direction: "Inbound",
                        access: "Deny",
                        protocol: "Tcp",
                        sourceAddressPrefix: vpn.vpnClientConfiguration.vpnClientAddressPool.addressPrefixes[0],
                        sourcePortRange: "*",
                        destinationAddressPrefix: "*",
                        destinationPortRange: "443",
                    },
                ];
                return s;
            },
            detail: /NSG "ml-pe-nsg" of .*"private-endpoints" denies TCP 443 in from the VPN client pool of "ml-vpn" \(securityRules\[0\] "DenyVpnClients"\)/,
        },
        // datastore-read-write, from prod's image-build cluster
        {
            journey: "datastore-read-write",
            hop: "compute",
            base: "prod",
            breakIt: (s) => remove(remove(s, "ml-image-build"), "ml-training"),
            detail: /workspace "ml-workspace" has no compute cluster to run a job on/,
        },
        {
            journey: "datastore-read-write",
            subject: /^cluster "ml-image-build"/,
            hop: "dns",
            base: "prod",
            breakIt: (s) => remove(s, "ml-privatelink.blob.core.windows.net-link"),
            detail: /zone privatelink\.blob\.core\.windows\.net \(used by "ml-blob-pe"\) is not linked to VNet "ml-vnet" \(the compute's\)/,
        },
        {
            journey: "datastore-read-write",
            subject: /^cluster "ml-image-build"/,
            hop: "route",
            base: "prod",
            breakIt: dropRoute,
            detail: /drops the private endpoints' .* → next hop None/,
        },
        {
            journey: "datastore-read-write",
            subject: /^cluster "ml-image-build"/,
            hop: "nsg",
            base: "prod",
            breakIt: (s) => denyOutbound(s, "ml-training-nsg", "10.130.4.0/24"),
            detail: /NSG "ml-training-nsg" of .*"training" denies TCP 443 out to .*"private-endpoints"/,
        },
        {
            journey: "datastore-read-write",
            subject: /^cluster "ml-image-build"/,
            hop: "private-endpoint",
            base: "prod",
            breakIt: (s) => remove(remove(s, "ml-file-pe-dns"), "ml-file-pe"),
            detail: /the default storage has no file private endpoint in VNet "ml-vnet"/,
        },
        {
            journey: "datastore-read-write",
            subject: /^cluster "ml-image-build"/,
            hop: "rbac",
            base: "prod",
            breakIt: (s) => remove(s, "ml-compute-storage-blob"),
            detail: /holds no Storage Blob Data Contributor on "ml-storage"/,
        },
        // image-build, from prod (firewall) and managed (FQDN rules)
        {
            journey: "image-build",
            hop: "compute",
            base: "prod",
            breakIt: (s) => {
                delete named(s, "ml-workspace").inputs.imageBuildCompute;
                return s;
            },
            detail: /names no compute cluster of its own as imageBuildCompute \(unset\)/,
        },
        {
            journey: "image-build",
            hop: "private-endpoint",
            base: "prod",
            breakIt: (s) => remove(s, "ml-privatelink.azurecr.io-link"),
            detail: /zone privatelink\.azurecr\.io \(used by "ml-registry-pe"\) is not linked/,
        },
        {
            journey: "image-build",
            hop: "nsg",
            base: "prod",
            breakIt: (s) => denyOutbound(s, "ml-training-nsg", "Internet"),
            detail: /NSG "ml-training-nsg" denies TCP 443 out to microsoftcontainerregistry\.westeurope \(securityRules\[0\] "DenyTest"\)/,
        },
        {
            journey: "image-build",
            hop: "egress",
            base: "prod",
            breakIt: (s) => {
                appRule(s, "Allow-python").targetFqdns = ["pytorch.org"];
                return s;
            },
            detail: /the Azure Firewall .* has no rule that lets .*"training" reach pypi\.org over HTTPS/,
        },
        {
            journey: "image-build",
            hop: "egress",
            base: "managed",
            breakIt: (s) => {
                const rules = named(s, "ml-workspace").inputs.managedNetwork as {
                    outboundRules: Record<string, unknown>;
                };
                for (const [k, v] of Object.entries(rules.outboundRules))
                    if ((v as { destination?: string }).destination === "pypi.org") delete rules.outboundRules[k];
                return s;
            },
            detail: /the managed network \(AllowOnlyApprovedOutbound\) has no FQDN outbound rule for pypi\.org/,
        },
        // compute-instance-start, from dev (NAT) and a firewall stack
        {
            journey: "compute-instance-start",
            hop: "private-endpoint",
            base: "dev",
            breakIt: (s) => undepend(s, "ml-ci-dev-notebooks", "ml-vault-pe", "ml-vault-pe-dns"),
            detail: /"ml-ci-dev-notebooks" does not depend on the vault private endpoint "ml-vault-pe"/,
        },
        {
            journey: "compute-instance-start",
            hop: "dns",
            base: "dev",
            breakIt: (s) => undepend(s, "ml-ci-dev-notebooks", "ml-blob-pe-dns"),
            detail: /does not depend on the DNS zone group of "ml-blob-pe" \("ml-blob-pe-dns"\)/,
        },
        {
            journey: "compute-instance-start",
            hop: "egress",
            base: "firewallInstance",
            breakIt: (s) => {
                const instance = ofType(s, "machinelearningservices:Compute").find(
                    (c) => (c.inputs.properties as { computeType: string }).computeType === "ComputeInstance",
                )!;
                return undepend(s, instance.name, "mlw-fw", "mlw-fw-rules", "mlw-route-default-to-firewall");
            },
            detail: /does not wait for its subnet's way out \("mlw-fw", "mlw-fw-rules", "mlw-route-default-to-firewall"\)/,
        },
        // online-endpoint, from managed
        {
            journey: "online-endpoint",
            hop: "private-endpoint",
            base: "managed",
            breakIt: (s) => {
                named(s, "ml-workspace").inputs.publicNetworkAccess = "Enabled";
                return s;
            },
            detail: /has publicNetworkAccess Enabled: the endpoint's scoring URI is public too/,
        },
    ];

    for (const c of cases) {
        it(`${c.journey} / ${c.hop}: passes on ${c.base}, and breaks there first when broken`, async () => {
            const passing = await outcomeOf(stacks[c.base], c.journey, c.subject);
            const hop = passing.hops.find((h) => h.hop === c.hop);
            assert.ok(hop && hop.status === "pass", `${c.base}: ${JSON.stringify(passing, null, 1)}`);
            assertBrokenAt(await outcomeOf(c.breakIt(clone(stacks[c.base])), c.journey, c.subject), c.hop, c.detail);
        });
    }

    it("online-endpoint / mode: a workspace without a managed network says why the journey does not apply", async () => {
        const managed = await outcomeOf(stacks.managed, "online-endpoint");
        assert.strictEqual(managed.hops[0].hop, "mode");
        assert.strictEqual(managed.hops[0].status, "pass");
        const s = clone(stacks.managed);
        delete named(s, "ml-workspace").inputs.managedNetwork;
        const o = await outcomeOf(s, "online-endpoint");
        assert.strictEqual(o.status, "n/a");
        assert.match(
            o.note!,
            /^no managed network: managed online deployments get only the legacy per-deployment managed VNet \(create each with egress_public_network_access: disabled\), which Microsoft does not recommend; not available there: .*MLflow no-code deployment/,
        );
    });

    it("a subnet's NAT gateway outside the stack is not taken for the stack's other one (the way out cannot be told)", async () => {
        const s = clone(stacks.dev);
        const vnet = named(s, "ml-vnet");
        const subnets = vnet.inputs.subnets as { name: string; natGateway?: { id: string } }[];
        const jumpBox = subnets.find((x) => x.name === "jump-box")!;
        // The training subnet keeps the stack's ml-nat; the jump box's names a hub's NAT gateway by id.
        jumpBox.natGateway = { id: jumpBox.natGateway!.id.replace(/\/ml-nat$/, "/hub-nat") };
        const o = await outcomeOf(s, "studio-access");
        const last = o.hops[o.hops.length - 1];
        assert.deepStrictEqual([o.status, last.hop], ["unknown", "firewall"], JSON.stringify(o, null, 1));
        assert.match(
            last.detail,
            /the NAT gateway of network:VirtualNetwork "ml-vnet" subnet "jump-box" is outside this stack/,
        );
        // The training subnet's way out is still the stack's NAT gateway.
        assert.strictEqual((await outcomeOf(s, "image-build")).status, "pass");
    });

    it("studio-access / way-in: a Linux jump box has no browser, and a stack with no way in says so", async () => {
        const linux = clone(stacks.prod);
        const vm = named(linux, "ml-jump-box");
        delete (vm.inputs.osProfile as Record<string, unknown>).windowsConfiguration;
        (vm.inputs.osProfile as Record<string, unknown>).linuxConfiguration = { disablePasswordAuthentication: true };
        (vm.inputs.storageProfile as { imageReference: Record<string, string> }).imageReference = {
            publisher: "Canonical",
            offer: "0001-com-ubuntu-server-jammy",
            sku: "22_04-lts-gen2",
            version: "latest",
        };
        delete (vm.inputs.storageProfile as { osDisk?: Record<string, unknown> }).osDisk?.osType;
        assertBrokenAt(
            await outcomeOf(linux, "studio-access"),
            "way-in",
            /runs Linux without a desktop: there is no browser on it for the studio/,
        );
        const none = remove(remove(clone(stacks.prod), "ml-jump-box-entra-login"), "ml-jump-box");
        const vpnless = ofType(none, "network:VirtualNetworkGateway").reduce((acc, g) => remove(acc, g.name), none);
        assertBrokenAt(
            await outcomeOf(vpnless, "studio-access"),
            "way-in",
            /nothing in this stack lets a person into the workspace's VNet "ml-vnet"/,
        );
    });

    it("a first preview (every id unknown): no journey of a stack fails, and a hop not known yet names what, with no fix", async () => {
        for (const name of ["dev", "staging", "prod", "managed"]) {
            for (const o of await journeysOfPlan(firstPreview(stacks[name]))) {
                assert.notStrictEqual(o.status, "fail", `${name}: ${JSON.stringify(o, null, 1)}`);
                if (o.status === "unknown") {
                    assert.strictEqual(o.fix, undefined);
                    assert.match(o.hops[o.hops.length - 1].detail, /not known yet|outside this stack/);
                }
            }
        }
    });

    it("every hop of the catalogue has a failing case above", () => {
        const covered = new Set(cases.map((c) => `${c.journey}/${c.hop}`).concat(["online-endpoint/mode"]));
        for (const j of journeys) for (const h of j.hops) assert.ok(covered.has(`${j.id}/${h.id}`), `${j.id}/${h.id}`);
    });
});

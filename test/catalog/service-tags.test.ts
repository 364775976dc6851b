import * as assert from "assert";
import * as fc from "fast-check";
import { AzureCloud, azureClouds } from "../../components/catalog/clouds";
import { azureRegions } from "../../components/catalog/regions";
import {
    applicableRequirements,
    denyAllOutboundRule,
    inboundRequirements,
    outboundRequirements,
    requiredNsgRules,
    SecurityRule,
    serviceTagFor,
} from "../../components/catalog/service-tags";

/** A rule reduced to what the source tables specify, so rows compare regardless of naming and order. */
type Flow = [direction: string, protocol: string, source: string, destination: string, ports: string];

function flow(rule: SecurityRule): Flow {
    const ports = rule.destinationPortRanges ?? [rule.destinationPortRange ?? ""];
    return [rule.direction, rule.protocol, rule.sourceAddressPrefix, rule.destinationAddressPrefix, ports.join(",")];
}

const sorted = (flows: Flow[]) => flows.map((f) => f.join(" | ")).sort();

// Written by hand from the source document's tables and its "no public IP" Important box, for
// westeurope; a wrong catalogue row fails here even if it is self-consistent.
const outboundWestEurope: Flow[] = [
    ["Outbound", "Tcp", "VirtualNetwork", "AzureActiveDirectory", "80,443"],
    ["Outbound", "Tcp", "VirtualNetwork", "AzureMachineLearning", "443,8787,18881"],
    ["Outbound", "Udp", "VirtualNetwork", "AzureMachineLearning", "5831"],
    ["Outbound", "Tcp", "VirtualNetwork", "BatchNodeManagement.westeurope", "443"],
    ["Outbound", "Tcp", "VirtualNetwork", "AzureResourceManager", "443"],
    ["Outbound", "Tcp", "VirtualNetwork", "Storage.westeurope", "443,445"],
    ["Outbound", "Tcp", "VirtualNetwork", "AzureFrontDoor.FrontEnd", "443"],
    ["Outbound", "Tcp", "VirtualNetwork", "AzureFrontDoor.FirstParty", "443"],
    ["Outbound", "Tcp", "VirtualNetwork", "MicrosoftContainerRegistry.westeurope", "443"],
    ["Outbound", "Tcp", "VirtualNetwork", "AzureMonitor", "443"],
];
const inboundWithPublicIp: Flow[] = [
    ["Inbound", "Tcp", "BatchNodeManagement", "VirtualNetwork", "29876-29877"],
    ["Inbound", "Tcp", "AzureMachineLearning", "VirtualNetwork", "44224"],
];
const inboundNoPublicIp: Flow[] = [
    ["Inbound", "Tcp", "VirtualNetwork", "VirtualNetwork", "29876-29877"],
    ["Inbound", "Tcp", "AzureLoadBalancer", "VirtualNetwork", "44224"],
];

describe("requiredNsgRules", () => {
    it("emits exactly the document's rows for westeurope with node public IPs", () => {
        const { inbound, outbound } = requiredNsgRules({ location: "westeurope", nodePublicIp: true });
        assert.deepStrictEqual(sorted(inbound.map(flow)), sorted(inboundWithPublicIp));
        assert.deepStrictEqual(sorted(outbound.map(flow)), sorted(outboundWestEurope));
    });

    it("replaces the inbound rows with the no-public-IP variant and keeps the outbound ones", () => {
        const { inbound, outbound } = requiredNsgRules({ location: "westeurope", nodePublicIp: false });
        assert.deepStrictEqual(sorted(inbound.map(flow)), sorted(inboundNoPublicIp));
        assert.ok(
            !inbound.some(
                (r) =>
                    r.sourceAddressPrefix === "BatchNodeManagement" || r.sourceAddressPrefix === "AzureMachineLearning",
            ),
            "no BatchNodeManagement or AzureMachineLearning inbound without public IPs",
        );
        assert.deepStrictEqual(sorted(outbound.map(flow)), sorted(outboundWestEurope));
    });

    it("allows every rule and takes any source port", () => {
        const { inbound, outbound } = requiredNsgRules({
            location: "westeurope",
            nodePublicIp: false,
            hbiWorkspace: true,
        });
        for (const rule of [...inbound, ...outbound]) {
            assert.strictEqual(rule.access, "Allow", rule.name);
            assert.strictEqual(rule.sourcePortRange, "*", rule.name);
            assert.ok(rule.description.trim().length > 10, `${rule.name} has a description`);
        }
    });

    it("says UDP 5831 comes from current documentation, not the source document", () => {
        const udp = requiredNsgRules({ location: "westeurope", nodePublicIp: false }).outbound.find(
            (r) => r.protocol === "Udp" && r.destinationAddressPrefix === "AzureMachineLearning",
        );
        assert.ok(udp, "AzureMachineLearning UDP rule present");
        assert.strictEqual(udp.destinationPortRange, "5831");
        assert.match(udp.description, /current Microsoft documentation/);
    });

    it("adds AzureKeyVault.<region> 443 only for an HBI workspace", () => {
        const plain = requiredNsgRules({ location: "westeurope", nodePublicIp: false }).outbound;
        const hbi = requiredNsgRules({ location: "westeurope", nodePublicIp: false, hbiWorkspace: true }).outbound;
        assert.ok(!plain.some((r) => r.destinationAddressPrefix.startsWith("AzureKeyVault")));
        assert.deepStrictEqual(
            sorted(hbi.map(flow)),
            sorted([...outboundWestEurope, ["Outbound", "Tcp", "VirtualNetwork", "AzureKeyVault.westeurope", "443"]]),
        );
    });

    it("omits AzureFrontDoor.FrontEnd in Azure China and keeps AzureFrontDoor.FirstParty everywhere", () => {
        for (const cloud of azureClouds) {
            const location = azureRegions[cloud][0];
            const tags = requiredNsgRules({ location, cloud, nodePublicIp: false }).outbound.map(
                (r) => r.destinationAddressPrefix,
            );
            assert.strictEqual(tags.includes("AzureFrontDoor.FrontEnd"), cloud !== "AzureChinaCloud", cloud);
            assert.ok(
                tags.includes("AzureFrontDoor.FirstParty"),
                `${cloud} keeps FirstParty (MicrosoftContainerRegistry depends on it)`,
            );
            assert.ok(tags.includes(`MicrosoftContainerRegistry.${location}`), cloud);
        }
    });

    it("builds regional tags from a normalised region name", () => {
        const tags = requiredNsgRules({ location: "West Europe", nodePublicIp: false }).outbound.map(
            (r) => r.destinationAddressPrefix,
        );
        assert.ok(tags.includes("Storage.westeurope"));
        assert.ok(tags.includes("BatchNodeManagement.westeurope"));
    });

    it("numbers each direction from 100 in steps of 10, above the deny-all's 4096", () => {
        const { inbound, outbound } = requiredNsgRules({
            location: "westeurope",
            nodePublicIp: true,
            hbiWorkspace: true,
        });
        assert.deepStrictEqual(
            inbound.map((r) => r.priority),
            [100, 110],
        );
        assert.deepStrictEqual(
            outbound.map((r) => r.priority),
            outbound.map((_, i) => 100 + 10 * i),
        );
        assert.ok(outbound.every((r) => r.priority < denyAllOutboundRule.priority));
    });

    it("emits one rule per catalogue row with the row's own tag, ports and protocol", () => {
        const rules = requiredNsgRules({ location: "westeurope", nodePublicIp: true, hbiWorkspace: true });
        const all = [...rules.inbound, ...rules.outbound];
        for (const row of [...inboundRequirements, ...outboundRequirements]) {
            if (!row.appliesWhen({ cloud: "AzureCloud", nodePublicIp: true, hbiWorkspace: true })) continue;
            const rule = all.find((r) => r.name === `Allow${row.key}`);
            assert.ok(rule, `row ${row.key} emitted`);
            const tag = serviceTagFor(row, "westeurope");
            assert.strictEqual(
                row.direction === "Inbound" ? rule.sourceAddressPrefix : rule.destinationAddressPrefix,
                row.direction === "Inbound" ? row.source : tag,
                row.key,
            );
            assert.deepStrictEqual(flow(rule)[4].split(","), [...row.ports], row.key);
            assert.strictEqual(rule.protocol, row.protocol, row.key);
        }
    });

    it("has a deny-all that really denies everything, at the lowest custom priority", () => {
        assert.deepStrictEqual(flow(denyAllOutboundRule), ["Outbound", "*", "*", "*", "*"]);
        assert.strictEqual(denyAllOutboundRule.access, "Deny");
        assert.strictEqual(denyAllOutboundRule.priority, 4096);
    });

    it("for any region and flag combination: unique priorities, every applicable row exactly once", () => {
        const regionOfCloud = fc
            .constantFrom(...azureClouds)
            .chain((cloud: AzureCloud) =>
                fc.record({ cloud: fc.constant(cloud), location: fc.constantFrom(...azureRegions[cloud]) }),
            );
        fc.assert(
            fc.property(
                regionOfCloud,
                fc.boolean(),
                fc.boolean(),
                ({ cloud, location }, nodePublicIp, hbiWorkspace) => {
                    const opts = { location, cloud, nodePublicIp, hbiWorkspace };
                    const { inbound, outbound } = requiredNsgRules(opts);
                    for (const [direction, rules] of [
                        ["Inbound", inbound],
                        ["Outbound", outbound],
                    ] as const) {
                        assert.strictEqual(
                            new Set(rules.map((r) => r.priority)).size,
                            rules.length,
                            `${direction} priorities unique`,
                        );
                        assert.ok(
                            rules.every((r) => r.direction === direction && r.priority >= 100 && r.priority < 4096),
                        );
                    }
                    const names = [...inbound, ...outbound].map((r) => r.name).sort();
                    const expected = applicableRequirements(opts)
                        .map((row) => `Allow${row.key}`)
                        .sort();
                    assert.deepStrictEqual(names, expected);
                    assert.strictEqual(inbound.length, 2);
                    const regional = outbound.filter((r) => r.destinationAddressPrefix.includes("."));
                    assert.ok(
                        regional.every(
                            (r) =>
                                r.destinationAddressPrefix.startsWith("AzureFrontDoor.") ||
                                r.destinationAddressPrefix.endsWith(`.${location}`),
                        ),
                    );
                    assert.strictEqual(
                        outbound.some((r) => r.destinationAddressPrefix === `AzureKeyVault.${location}`),
                        hbiWorkspace,
                    );
                },
            ),
            { numRuns: 200 },
        );
    });
});

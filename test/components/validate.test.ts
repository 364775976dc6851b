import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { render } from "../../cli/recording-engine";
import { MlNetwork } from "../../components/network/network";
import { MlNetworkArgs } from "../../components/network/network-args";
import { InvalidArgumentError } from "../../components/validate";

const base: MlNetworkArgs = { resourceGroupName: "rg", location: "westeurope" };

interface BadCase {
    title: string;
    args: Partial<MlNetworkArgs> | Record<string, unknown>;
    argument: string;
    /** How the value appears in the message (it is JSON-encoded there). */
    value: string;
    rule: RegExp;
}

const cases: BadCase[] = [
    {
        title: "overlapping subnets",
        args: { trainingSubnetPrefix: "10.0.0.0/23", privateEndpointSubnetPrefix: "10.0.1.0/24" },
        argument: "privateEndpointSubnetPrefix",
        value: "10.0.1.0/24",
        rule: /overlaps trainingSubnetPrefix \(10\.0\.0\.0\/23\)/,
    },
    {
        title: "an explicit subnet overlapping a defaulted one",
        args: { trainingSubnetPrefix: "10.0.0.0/22" },
        argument: "privateEndpointSubnetPrefix",
        value: "10.0.1.0/24",
        rule: /default: the second \/24.*overlaps trainingSubnetPrefix/,
    },
    {
        title: "Docker's bridge range as the address space",
        args: { addressSpace: "172.17.0.0/16" },
        argument: "addressSpace",
        value: "172.17.0.0/16",
        rule: /overlaps 172\.17\.0\.0\/16, Docker's default bridge/,
    },
    {
        title: "an address space containing Docker's bridge range",
        args: { addressSpace: "172.16.0.0/12" },
        argument: "addressSpace",
        value: "172.16.0.0/12",
        rule: /Docker's default bridge/,
    },
    {
        title: "a subnet in 172.17.x",
        args: { trainingSubnetPrefix: "172.17.1.0/24" },
        argument: "trainingSubnetPrefix",
        value: "172.17.1.0/24",
        rule: /overlaps 172\.17\.0\.0\/16, Docker's default bridge/,
    },
    {
        title: "a subnet outside the address space",
        args: { trainingSubnetPrefix: "10.1.0.0/24" },
        argument: "trainingSubnetPrefix",
        value: "10.1.0.0/24",
        rule: /must lie inside the address space 10\.0\.0\.0\/16/,
    },
    {
        title: "an unparsable CIDR",
        args: { trainingSubnetPrefix: "10.0.0.300/24" },
        argument: "trainingSubnetPrefix",
        value: "10.0.0.300/24",
        rule: /must be an IPv4 CIDR block/,
    },
    {
        title: "an address space that is not a CIDR",
        args: { addressSpace: "10.0.0.0" },
        argument: "addressSpace",
        value: "10.0.0.0",
        rule: /must be an IPv4 CIDR block/,
    },
    {
        title: "host bits set",
        args: { privateEndpointSubnetPrefix: "10.0.1.7/24" },
        argument: "privateEndpointSubnetPrefix",
        value: "10.0.1.7/24",
        rule: /host bits set; the block starts at 10\.0\.1\.0\/24/,
    },
    {
        title: "a training subnet too small for maxComputeNodes",
        args: { trainingSubnetPrefix: "10.0.0.0/28", maxComputeNodes: 12 },
        argument: "trainingSubnetPrefix",
        value: "10.0.0.0/28",
        rule: /11 usable addresses \(Azure reserves 5.*needs 12.*maxComputeNodes = 12/,
    },
    {
        title: "a default training subnet too small for maxComputeNodes",
        args: { maxComputeNodes: 252 },
        argument: "trainingSubnetPrefix",
        value: "10.0.0.0/24",
        rule: /251 usable addresses.*needs 252/,
    },
    {
        title: "a private-endpoint subnet below /27",
        args: { privateEndpointSubnetPrefix: "10.0.1.0/28" },
        argument: "privateEndpointSubnetPrefix",
        value: "10.0.1.0/28",
        rule: /needs 27:.*private endpoints/,
    },
    {
        title: "a Bastion /27",
        args: { enableBastion: true, bastionSubnetPrefix: "10.0.3.0/27" },
        argument: "bastionSubnetPrefix",
        value: "10.0.3.0/27",
        rule: /is a \/27; this subnet must be a \/26 or larger/,
    },
    {
        title: "a Bastion prefix without enableBastion",
        args: { bastionSubnetPrefix: "10.0.3.0/26" },
        argument: "bastionSubnetPrefix",
        value: "10.0.3.0/26",
        rule: /enableBastion is not true/,
    },
    {
        title: "a scoring prefix without enableScoringSubnet",
        args: { scoringSubnetPrefix: "10.0.2.0/24" },
        argument: "scoringSubnetPrefix",
        value: "10.0.2.0/24",
        rule: /enableScoringSubnet is not true/,
    },
    {
        title: "an unknown region",
        args: { location: "westeurop" },
        argument: "location",
        value: "westeurop",
        rule: /is not a known AzureCloud region/,
    },
    {
        title: "a region of another cloud",
        args: { location: "chinanorth3" },
        argument: "location",
        value: "chinanorth3",
        rule: /is a region of AzureChinaCloud, not of AzureCloud/,
    },
    {
        title: "a bad cloud name",
        args: { cloud: "AzurePublic" },
        argument: "cloud",
        value: "AzurePublic",
        rule: /must be one of AzureCloud, AzureChinaCloud, AzureUSGovernment/,
    },
    {
        title: "a non-integer maxComputeNodes",
        args: { maxComputeNodes: 2.5 },
        argument: "maxComputeNodes",
        value: "2.5",
        rule: /must be a whole number from 1 to 65531/,
    },
    {
        title: "zero maxComputeNodes",
        args: { maxComputeNodes: 0 },
        argument: "maxComputeNodes",
        value: "0",
        rule: /must be a whole number from 1/,
    },
    {
        title: "an address space too small for the default private-endpoint subnet",
        args: { addressSpace: "10.0.0.0/24" },
        argument: "addressSpace",
        value: "10.0.0.0/24",
        rule: /too small for the default privateEndpointSubnetPrefix.*use a \/23 or larger/,
    },
    {
        title: "an address space too small for the default Bastion subnet",
        args: { addressSpace: "10.0.0.0/23", enableBastion: true },
        argument: "addressSpace",
        value: "10.0.0.0/23",
        rule: /too small for the default bastionSubnetPrefix \(the first \/26 of the fourth \/24.*use a \/22 or larger/,
    },
    {
        title: "an Output address space without explicit prefixes",
        args: { addressSpace: pulumi.output("10.0.0.0/16") },
        argument: "trainingSubnetPrefix",
        value: "undefined",
        rule: /must be given when addressSpace is not known at construction/,
    },
    {
        title: "no NAT gateway for nodes without public IPs",
        args: { natGateway: false },
        argument: "natGateway",
        value: "false",
        rule: /cannot be false while nodePublicIp is false.*Important box/,
    },
    {
        title: "a flag from config as a string",
        args: { enableBastion: "true" },
        argument: "enableBastion",
        value: '"true"',
        rule: /must be true or false/,
    },
    {
        title: "an empty resource group name",
        args: { resourceGroupName: "" },
        argument: "resourceGroupName",
        value: '""',
        rule: /must be a non-empty resource group name/,
    },
];

/** Renders a program that constructs the network and keeps what it throws, so the recording can be inspected. */
async function renderFailing(args: Record<string, unknown>): Promise<{ error: unknown; registered: string[] }> {
    let error: unknown;
    const { resources } = await render(
        () => {
            try {
                new MlNetwork("bad", { ...base, ...args } as MlNetworkArgs);
            } catch (e) {
                error = e;
            }
        },
        { project: "proj", stack: "validate" },
    );
    return {
        error,
        registered: resources.filter((r) => r.type !== "pulumi:pulumi:Stack").map((r) => `${r.type}::${r.name}`),
    };
}

describe("MlNetwork argument validation", () => {
    for (const c of cases) {
        it(`rejects ${c.title} and registers nothing`, async () => {
            const { error, registered } = await renderFailing(c.args);
            assert.ok(error instanceof InvalidArgumentError, `expected InvalidArgumentError, got ${String(error)}`);
            assert.strictEqual(error.component, "MlNetwork");
            assert.ok(error.message.includes(c.argument), `message names ${c.argument}: ${error.message}`);
            assert.ok(error.message.includes(c.value), `message shows the value ${c.value}: ${error.message}`);
            assert.match(error.message, c.rule);
            assert.ok(error.argument.startsWith(c.argument), `argument field is ${c.argument}: ${error.argument}`);
            assert.deepStrictEqual(registered, [], "nothing but the stack was registered");
        });
    }

    it("has at least a dozen distinct bad inputs", () => {
        assert.ok(cases.length >= 12);
        assert.strictEqual(new Set(cases.map((c) => c.title)).size, cases.length);
    });

    it("fails a render whose program throws, and the next render still works", async () => {
        await assert.rejects(
            render(
                () => {
                    new MlNetwork("bad", { ...base, addressSpace: "172.17.0.0/16" });
                },
                { project: "proj", stack: "validate" },
            ),
            (e: unknown) => e instanceof InvalidArgumentError && e.argument === "addressSpace",
        );
        const { resources } = await render(
            () => {
                new MlNetwork("good", base);
            },
            { project: "proj", stack: "validate" },
        );
        assert.ok(resources.some((r) => r.type === "azure-native:network:VirtualNetwork" && r.name === "good-vnet"));
    });

    it("accepts the edges of each rule", async () => {
        const { error, registered } = await renderFailing({
            addressSpace: "10.0.0.0/22",
            maxComputeNodes: 251,
            enableScoringSubnet: true,
            enableBastion: true,
            privateEndpointSubnetPrefix: "10.0.1.0/27",
        });
        assert.strictEqual(error, undefined);
        assert.ok(registered.includes("azure-native:network:BastionHost::bad-bastion"));
    });

    it("checks what it can of explicit prefixes when the address space is an Output", async () => {
        const ok = await renderFailing({
            addressSpace: pulumi.output("10.0.0.0/16"),
            trainingSubnetPrefix: "10.0.0.0/24",
            privateEndpointSubnetPrefix: "10.0.1.0/24",
        });
        assert.strictEqual(ok.error, undefined);
        const bad = await renderFailing({
            addressSpace: pulumi.output("10.0.0.0/16"),
            trainingSubnetPrefix: "172.17.0.0/24",
            privateEndpointSubnetPrefix: "10.0.1.0/24",
        });
        assert.ok(bad.error instanceof InvalidArgumentError && bad.error.argument === "trainingSubnetPrefix");
        assert.deepStrictEqual(bad.registered, []);
    });

    it("allows a NAT gateway with node public IPs (a fixed egress address for allow-lists)", async () => {
        const { error } = await renderFailing({ nodePublicIp: true, natGateway: true });
        assert.strictEqual(error, undefined);
    });
});

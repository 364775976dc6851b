import * as assert from "assert";
import fc from "fast-check";
import { mermaidDiagram } from "../../cli/diagram";
import { formatReport } from "../../cli/report";
import { T } from "../../cli/topology";
import type { PlanResource } from "../../policy/plan";

/**
 * The Mermaid diagram and the report's network sections at any size (issue 14): each VNet's subnets
 * and each subnet's endpoints are grouped once, not filtered per VNet and per subnet (quadratic:
 * 60,000 endpoints in 30,000 subnets never finished). Every node is declared once, in its subnet.
 */

const rg = "/subscriptions/s/resourceGroups/rg/providers";
const vnetId = (v: number) => `${rg}/Microsoft.Network/virtualNetworks/v${v}`;

function resource(
    urn: string,
    type: string,
    id: string | null,
    inputs: Record<string, unknown>,
    deps = {},
): PlanResource {
    return {
        urn: `urn:pulumi:dev::p::${type}::${urn}`,
        type,
        name: urn,
        id,
        custom: true,
        parent: null,
        dependencies: [],
        propertyDependencies: deps,
        inputs,
    };
}

/**
 * `vnets` VNets with standalone subnets; each endpoint in the subnet `subnetOf[i]` names (by id), or
 * in none (-1), pointing at one storage account through its id.
 */
function network(subnetsPerVnet: number[], subnetOf: number[]): { resources: PlanResource[]; subnetKey: string[] } {
    const resources: PlanResource[] = [];
    const subnetKey: string[] = [];
    const subnetIds: string[] = [];
    subnetsPerVnet.forEach((count, v) => {
        const vnet = resource(`v${v}`, T.vnet, vnetId(v), {
            virtualNetworkName: `v${v}`,
            addressSpace: { addressPrefixes: [`10.${v}.0.0/16`] },
        });
        resources.push(vnet);
        for (let s = 0; s < count; s++) {
            const id = `${vnetId(v)}/subnets/s${s}`;
            const subnet = resource(
                `v${v}-s${s}`,
                T.subnet,
                id,
                { virtualNetworkName: `v${v}`, subnetName: `s${s}`, addressPrefix: `10.${v}.${s % 256}.0/24` },
                { virtualNetworkName: [vnet.urn] },
            );
            resources.push(subnet);
            subnetKey.push(`v${v}/s${s}`);
            subnetIds.push(id);
        }
    });
    const storageId = `${rg}/Microsoft.Storage/storageAccounts/sa`;
    resources.push(resource("sa", T.storage, storageId, { accountName: "sa" }));
    subnetOf.forEach((s, i) => {
        resources.push(
            resource(`pe${i}`, T.pe, null, {
                privateEndpointName: `pe${i}`,
                ...(s >= 0 && subnetIds.length ? { subnet: { id: subnetIds[s % subnetIds.length] } } : {}),
                privateLinkServiceConnections: [{ privateLinkServiceId: storageId, groupIds: ["blob"] }],
            }),
        );
    });
    return { resources, subnetKey };
}

/** Which subgraph (VNet, subnet) each line of the diagram sits in. */
function nesting(diagram: string) {
    const peIn = new Map<string, string | null>();
    const subnetIn = new Map<string, string>();
    let vnet: string | null = null;
    let subnet: string | null = null;
    for (const line of diagram.split("\n")) {
        const v = /^ {2}subgraph vnet\d+\["VNet (\S+) /.exec(line);
        const s = /^ {4}subgraph snet\d+\["Subnet (\S+) /.exec(line);
        const pe = /^ +pe\d+\["PE (\S+)<br\/>blob"\]$/.exec(line);
        if (v) vnet = v[1];
        else if (s) {
            subnet = `${vnet}/${s[1]}`;
            assert.ok(!subnetIn.has(subnet), `subnet ${subnet} drawn once`);
            subnetIn.set(subnet, vnet!);
        } else if (line === "    end") subnet = null;
        else if (line === "  end") vnet = null;
        else if (pe) {
            assert.ok(!peIn.has(pe[1]), `${pe[1]} declared once`);
            peIn.set(pe[1], subnet);
        }
    }
    return { peIn, subnetIn };
}

describe("cli: diagram and network report at any size", () => {
    it("declares every subnet once in its VNet and every endpoint once in its subnet", () => {
        const shape = fc.tuple(
            fc.array(fc.nat({ max: 6 }), { minLength: 1, maxLength: 4 }),
            fc.array(fc.integer({ min: -1, max: 30 }), { maxLength: 60 }),
        );
        fc.assert(
            fc.property(shape, ([perVnet, subnetOf]) => {
                const { resources, subnetKey } = network(perVnet, subnetOf);
                const diagram = mermaidDiagram(resources);
                const { peIn, subnetIn } = nesting(diagram);
                assert.strictEqual(subnetIn.size, subnetKey.length);
                for (const key of subnetKey) assert.strictEqual(subnetIn.get(key), key.split("/")[0]);
                assert.strictEqual(peIn.size, subnetOf.length);
                subnetOf.forEach((s, i) => {
                    const expected = s >= 0 && subnetKey.length ? subnetKey[s % subnetKey.length] : null;
                    assert.strictEqual(peIn.get(`pe${i}`), expected, `pe${i}`);
                });
                const edges = diagram.split("\n").filter((l) => /^ {2}pe\d+ -->\|blob\| svc\d+$/.test(l));
                assert.strictEqual(edges.length, subnetOf.length, "one private-link edge per endpoint");
                assert.strictEqual(
                    diagram.split("\n").filter((l) => l.includes('[("Storage account<br/>sa")]')).length,
                    subnetOf.length ? 1 : 0,
                );
            }),
            { numRuns: 200 },
        );
    });

    it("60,000 endpoints over 30,000 subnets of one VNet: drawn whole (hang guard, not a timing)", () => {
        const subnetOf = Array.from({ length: 60_000 }, (_, i) => (i * 7) % 30_000);
        const { resources } = network([30_000], subnetOf);
        const diagram = mermaidDiagram(resources);
        const { peIn, subnetIn } = nesting(diagram);
        assert.strictEqual(subnetIn.size, 30_000);
        assert.strictEqual(peIn.size, 60_000);
        assert.strictEqual(peIn.get("pe59999"), `v0/s${(59_999 * 7) % 30_000}`);
        const report = formatReport(
            {
                schemaVersion: 1,
                project: "p",
                stack: "dev",
                resources,
                violations: [],
                summary: { resources: resources.length, mandatory: 0, advisory: 0 },
            },
            "t",
        );
        const lines = report.split("\n");
        assert.strictEqual(
            lines.filter((l) => /^Subnet s\d+ 10\.0\.\d+\.0\/24 {2}\(NSG: no NSG\)$/.test(l)).length,
            30_000,
        );
        assert.strictEqual(
            lines.filter((l) => /^ {2}pe\d+ +blob +sa \(storage:StorageAccount\) +\(no DNS zones\)$/.test(l)).length,
            60_000,
        );
    });
});

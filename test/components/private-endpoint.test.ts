import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { render } from "../../cli/recording-engine";
import { azureClouds } from "../../components/catalog/clouds";
import { privateDnsZoneNames, privateLinkGroupIds } from "../../components/catalog/dns-zones";
import { createPrivateEndpoint } from "../../components/network/private-endpoint";

const zoneId = (zone: string) =>
    `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/${zone}`;
const subnetId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/pe";
const targetId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/sa";

class Owner extends pulumi.ComponentResource {
    constructor(name: string) {
        super("test:index:Owner", name, {});
    }
}

describe("createPrivateEndpoint", function () {
    this.timeout(60000);

    for (const cloud of azureClouds) {
        for (const groupId of privateLinkGroupIds) {
            it(`${cloud} ${groupId}: one connection for the group id and a zone group with exactly the catalogue's zones`, async () => {
                const zones = privateDnsZoneNames(groupId, cloud);
                const allZones = Object.fromEntries(
                    privateLinkGroupIds.flatMap((g) => privateDnsZoneNames(g, cloud)).map((z) => [z, zoneId(z)]),
                );
                const { resources } = await render(
                    () => {
                        const owner = new Owner("owner");
                        createPrivateEndpoint(
                            "pe",
                            {
                                resourceGroupName: "rg",
                                location: "westeurope",
                                subnetId,
                                privateLinkServiceId: targetId,
                                groupId,
                                cloud,
                                privateDnsZoneIds: allZones,
                                tags: { team: "ml" },
                            },
                            { parent: owner },
                        );
                    },
                    { project: "p", stack: "s" },
                );
                const ownerUrn = resources.find((r) => r.type === "test:index:Owner")!.urn;
                const pe = resources.find((r) => r.type === "azure-native:network:PrivateEndpoint")!;
                const group = resources.find((r) => r.type === "azure-native:network:PrivateDnsZoneGroup")!;
                assert.strictEqual((pe.inputs.subnet as any).id, subnetId);
                assert.deepStrictEqual(pe.inputs.privateLinkServiceConnections, [
                    { name: groupId, privateLinkServiceId: targetId, groupIds: [groupId] },
                ]);
                assert.deepStrictEqual(pe.inputs.tags, { team: "ml" });
                assert.strictEqual(group.inputs.privateEndpointName, "pe");
                assert.strictEqual(group.inputs.privateDnsZoneGroupName, "default");
                assert.deepStrictEqual(
                    group.inputs.privateDnsZoneConfigs,
                    zones.map((z) => ({ name: z.replace(/\./g, "-"), privateDnsZoneId: zoneId(z) })),
                );
                assert.ok(
                    group.propertyDependencies.privateEndpointName.includes(pe.urn),
                    "the group follows its endpoint",
                );
                assert.strictEqual(pe.parent, ownerUrn);
                assert.strictEqual(group.parent, ownerUrn);
            });
        }
    }

    it("refuses to create an endpoint whose zones are missing", () => {
        assert.throws(
            () =>
                createPrivateEndpoint(
                    "pe",
                    {
                        resourceGroupName: "rg",
                        location: "westeurope",
                        subnetId,
                        privateLinkServiceId: targetId,
                        groupId: "amlworkspace",
                        privateDnsZoneIds: { "privatelink.api.azureml.ms": zoneId("privatelink.api.azureml.ms") },
                    },
                    {},
                ),
            /no zone id for privatelink\.notebooks\.azure\.net/,
        );
    });
});

import * as assert from "assert";
import { render } from "../../cli/recording-engine";
import { createPrivateDns, PrivateDns } from "../../components/network/dns";

const vnetId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v";
const hubZone = (zone: string) =>
    `/subscriptions/hub/resourceGroups/dns/providers/Microsoft.Network/privateDnsZones/${zone}`;

describe("createPrivateDns", function () {
    this.timeout(60000);

    async function run(zoneNames: string[], existingZoneIds?: Record<string, string>) {
        let dns: PrivateDns | undefined;
        const { resources, outputs } = await render(
            () => {
                dns = createPrivateDns(
                    "ws",
                    { resourceGroupName: "rg", vnetId, zoneNames, existingZoneIds, tags: { env: "test" } },
                    {},
                );
                return { zoneIds: dns.zoneIds };
            },
            { project: "p", stack: "s" },
        );
        return { resources, outputs: outputs as { zoneIds: Record<string, string> }, dns: dns! };
    }

    it("creates each zone once, in location global, linked to the VNet without registration", async () => {
        const { resources, outputs } = await run([
            "privatelink.blob.core.windows.net",
            "privatelink.azurecr.io",
            "privatelink.blob.core.windows.net",
        ]);
        const zones = resources.filter((r) => r.type === "azure-native:privatedns:PrivateZone");
        const links = resources.filter((r) => r.type === "azure-native:privatedns:VirtualNetworkLink");
        assert.deepStrictEqual(
            zones.map((z) => z.inputs.privateZoneName),
            ["privatelink.blob.core.windows.net", "privatelink.azurecr.io"],
        );
        for (const zone of zones) {
            assert.strictEqual(zone.inputs.location, "global");
            assert.deepStrictEqual(zone.inputs.tags, { env: "test" });
            const link = links.filter((l) => l.inputs.privateZoneName === zone.inputs.privateZoneName);
            assert.strictEqual(link.length, 1);
            assert.deepStrictEqual(link[0].inputs.virtualNetwork, { id: vnetId });
            assert.strictEqual(link[0].inputs.registrationEnabled, false);
            assert.strictEqual(link[0].inputs.location, "global");
            assert.ok(link[0].propertyDependencies.privateZoneName.includes(zone.urn));
            assert.strictEqual(outputs.zoneIds[zone.inputs.privateZoneName as string], zone.id);
        }
        assert.strictEqual(links.length, 2);
    });

    it("uses a given zone id and creates neither zone nor link for it", async () => {
        const { resources, outputs } = await run(["privatelink.vaultcore.azure.net", "privatelink.azurecr.io"], {
            "privatelink.vaultcore.azure.net": hubZone("privatelink.vaultcore.azure.net"),
        });
        const names = (type: string) => resources.filter((r) => r.type === type).map((r) => r.inputs.privateZoneName);
        assert.deepStrictEqual(names("azure-native:privatedns:PrivateZone"), ["privatelink.azurecr.io"]);
        assert.deepStrictEqual(names("azure-native:privatedns:VirtualNetworkLink"), ["privatelink.azurecr.io"]);
        assert.strictEqual(
            outputs.zoneIds["privatelink.vaultcore.azure.net"],
            hubZone("privatelink.vaultcore.azure.net"),
        );
        assert.match(
            outputs.zoneIds["privatelink.azurecr.io"],
            /resourceGroups\/rg\/.*privateDnsZones\/privatelink\.azurecr\.io$/,
        );
    });
});

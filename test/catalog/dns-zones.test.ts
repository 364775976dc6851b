import * as assert from "assert";
import { azureClouds } from "../../components/catalog/clouds";
import { privateDnsZoneNames, privateLinkGroupIds } from "../../components/catalog/dns-zones";

describe("privateDnsZoneNames", () => {
    const publicCloud: Record<string, string[]> = {
        amlworkspace: ["privatelink.api.azureml.ms", "privatelink.notebooks.azure.net"],
        blob: ["privatelink.blob.core.windows.net"],
        file: ["privatelink.file.core.windows.net"],
        queue: ["privatelink.queue.core.windows.net"],
        table: ["privatelink.table.core.windows.net"],
        dfs: ["privatelink.dfs.core.windows.net"],
        vault: ["privatelink.vaultcore.azure.net"],
        registry: ["privatelink.azurecr.io"],
    };

    for (const [groupId, zones] of Object.entries(publicCloud)) {
        it(`gives ${zones.join(" + ")} for ${groupId} in the public cloud`, () => {
            assert.deepStrictEqual(privateDnsZoneNames(groupId as never), zones);
        });
    }

    it("uses vaultcore, never the vault.azure.net zone that environment()-built templates get wrong", () => {
        for (const cloud of azureClouds) {
            const [zone] = privateDnsZoneNames("vault", cloud);
            assert.match(zone, /^privatelink\.vaultcore\./);
        }
    });

    it("gives the Azure China names", () => {
        assert.deepStrictEqual(privateDnsZoneNames("amlworkspace", "AzureChinaCloud"), [
            "privatelink.api.ml.azure.cn",
            "privatelink.notebooks.chinacloudapi.cn",
        ]);
        assert.deepStrictEqual(privateDnsZoneNames("blob", "AzureChinaCloud"), [
            "privatelink.blob.core.chinacloudapi.cn",
        ]);
        assert.deepStrictEqual(privateDnsZoneNames("vault", "AzureChinaCloud"), ["privatelink.vaultcore.azure.cn"]);
        assert.deepStrictEqual(privateDnsZoneNames("registry", "AzureChinaCloud"), ["privatelink.azurecr.cn"]);
    });

    it("gives the Azure US Government names", () => {
        assert.deepStrictEqual(privateDnsZoneNames("amlworkspace", "AzureUSGovernment"), [
            "privatelink.api.ml.azure.us",
            "privatelink.notebooks.usgovcloudapi.net",
        ]);
        assert.deepStrictEqual(privateDnsZoneNames("file", "AzureUSGovernment"), [
            "privatelink.file.core.usgovcloudapi.net",
        ]);
        assert.deepStrictEqual(privateDnsZoneNames("vault", "AzureUSGovernment"), [
            "privatelink.vaultcore.usgovcloudapi.net",
        ]);
        assert.deepStrictEqual(privateDnsZoneNames("registry", "AzureUSGovernment"), ["privatelink.azurecr.us"]);
    });

    it("never shares a zone between two group ids of one cloud, except Azure Monitor's blob zone, which IS the storage blob zone", () => {
        for (const cloud of azureClouds) {
            const all = privateLinkGroupIds
                .filter((g) => g !== "azuremonitor")
                .flatMap((g) => privateDnsZoneNames(g, cloud));
            assert.strictEqual(new Set(all).size, all.length, cloud);
            const monitor = privateDnsZoneNames("azuremonitor", cloud);
            assert.deepStrictEqual(
                monitor.filter((z) => all.includes(z)),
                privateDnsZoneNames("blob", cloud),
                `${cloud}: azuremonitor shares exactly the blob zone`,
            );
        }
    });

    it("gives Azure Monitor private link its five zones per cloud (a zone group holds at most five)", () => {
        assert.deepStrictEqual(privateDnsZoneNames("azuremonitor"), [
            "privatelink.monitor.azure.com",
            "privatelink.oms.opinsights.azure.com",
            "privatelink.ods.opinsights.azure.com",
            "privatelink.agentsvc.azure-automation.net",
            "privatelink.blob.core.windows.net",
        ]);
        assert.deepStrictEqual(privateDnsZoneNames("azuremonitor", "AzureUSGovernment"), [
            "privatelink.monitor.azure.us",
            "privatelink.oms.opinsights.azure.us",
            "privatelink.ods.opinsights.azure.us",
            "privatelink.agentsvc.azure-automation.us",
            "privatelink.blob.core.usgovcloudapi.net",
        ]);
        for (const cloud of azureClouds) assert.strictEqual(privateDnsZoneNames("azuremonitor", cloud).length, 5);
    });

    it("rejects an unknown group id with a message naming it", () => {
        assert.throws(() => privateDnsZoneNames("sqlServer" as never), /unknown group id "sqlServer"/);
    });
});

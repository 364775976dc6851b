import * as assert from "assert";
import { PlanResource } from "../../policy/plan";
import { clone, find, firstPreview, ids, names, secureStack, setInput, summary, violations } from "./helpers";

/** A deliberately insecure stack, caught rule by rule. */
function insecureStack(): PlanResource[] {
    const s = clone(secureStack());
    const storage = find(s, "storage");
    setInput(storage, "networkRuleSet.defaultAction", "Allow"); // public storage
    setInput(storage, "publicNetworkAccess", "Enabled");
    setInput(find(s, "registry"), "sku.name", "Standard"); // a Standard registry
    setInput(find(s, "vnet"), "addressSpace.addressPrefixes", ["172.17.0.0/16"]); // the Docker bridge range
    setInput(find(s, "training"), "addressPrefix", "172.17.1.0/24");
    setInput(find(s, "pe"), "addressPrefix", "172.17.2.0/24");
    setInput(find(s, "training-nsg"), "securityRules", [
        {
            // SSH open to the Internet
            name: "AllowSsh",
            priority: 300,
            direction: "Inbound",
            access: "Allow",
            protocol: "Tcp",
            sourceAddressPrefix: "Internet",
            sourcePortRange: "*",
            destinationAddressPrefix: "*",
            destinationPortRange: "22",
        },
    ]);
    const zone = find(s, "zone-privatelink.vaultcore.azure.net"); // a key vault PE on privatelink.vault.azure.net
    setInput(zone, "privateZoneName", "privatelink.vault.azure.net");
    zone.id = ids.zone("privatelink.vault.azure.net");
    setInput(find(s, "vault-pe-dns"), "privateDnsZoneConfigs", [
        { name: "vault", privateDnsZoneId: ids.zone("privatelink.vault.azure.net") },
    ]);
    setInput(find(s, "workspace"), "imageBuildCompute", undefined); // no image-build compute
    return s;
}

const expected = [
    "acr-premium-sku",
    "ml-dependencies-isolated",
    "ml-image-build-compute",
    "nsg-no-internet-management-ports",
    "nsg-no-unrestricted-inbound",
    "private-endpoint-dns-zones",
    "storage-default-deny",
    "storage-public-network-disabled",
    "vnet-no-docker-bridge-range",
];

describe("a deliberately insecure stack", () => {
    for (const [mode, build] of [
        ["with ids", insecureStack],
        ["first preview", () => firstPreview(insecureStack())],
    ] as const) {
        it(`is caught rule by rule [${mode}]`, async () => {
            const vs = await violations(build());
            assert.deepStrictEqual(names(vs), expected, summary(vs));
            assert.deepStrictEqual(names(vs.filter((v) => v.enforcementLevel === "advisory")), [
                "storage-public-network-disabled",
            ]);
            const messages = summary(vs);
            for (const s of [
                'storage:StorageAccount "storage": networkRuleSet.defaultAction is "Allow"',
                'containerregistry:Registry "registry": sku.name is "Standard"',
                'network:VirtualNetwork "vnet": addressSpace.addressPrefixes[0] "172.17.0.0/16" overlaps 172.17.0.0/16',
                'network:Subnet "training": addressPrefix "172.17.1.0/24"',
                'network:NetworkSecurityGroup "training-nsg": securityRules[0] "AllowSsh"',
                'zone "privatelink.vault.azure.net"',
                'machinelearningservices:Workspace "workspace": imageBuildCompute is not set',
                "its containerRegistry fails acr-premium-sku",
                "its storageAccount fails storage-default-deny",
            ]) {
                assert.ok(messages.includes(s), `${s} in:\n${messages}`);
            }
        });
    }
});

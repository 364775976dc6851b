import * as assert from "assert";
import { PlanResource, unknownValue } from "../../policy/plan";
import { T, clone, find, ids, resource, secureStack, summary, violationsOf } from "./helpers";
import { StackCase, itChecksStackCases } from "./stack-cases";

/**
 * DNS blind spots (issue 19): a zone link or a zone group that belongs to something outside the stack
 * (a hub's zone or endpoint, even of the same name in another resource group) proves nothing about the
 * stack's own endpoints, and a link or zone group that cannot be told yet makes the verdict advisory,
 * never a silent pass.
 */

type Stack = PlanResource[];
const blobZone = "privatelink.blob.core.windows.net";
const hubVnetId =
    "/subscriptions/00000000-0000-4000-a000-000000000002/resourceGroups/hub/providers/Microsoft.Network/virtualNetworks/hub";
const without = (stack: Stack, ...names: string[]) => stack.filter((r) => !names.includes(r.name));

/** A VirtualNetworkLink written with literal names (no property dependencies). */
function link(name: string, inputs: Record<string, unknown>): PlanResource {
    return resource({
        type: T.link,
        name,
        inputs: { virtualNetworkLinkName: name, location: "global", registrationEnabled: false, ...inputs },
    });
}

/** A zone group of an endpoint outside the stack, registering in the stack's blob zone. */
function externalZoneGroup(peName: string, resourceGroupName: string): PlanResource {
    return resource({
        type: T.zoneGroup,
        name: `${peName}-${resourceGroupName}-dns`,
        inputs: {
            privateDnsZoneGroupName: "default",
            privateEndpointName: peName,
            resourceGroupName,
            privateDnsZoneConfigs: [{ name: "blob", privateDnsZoneId: ids.zone(blobZone) }],
        },
    });
}

const noLink = [
    'privatedns:PrivateZone "zone-privatelink.blob.core.windows.net"',
    'no virtualNetworkLink to its VNet "vnet"',
];

const cases: StackCase[] = [
    // --- (a) private-dns-zones-linked ---
    {
        policy: "private-dns-zones-linked",
        label: "blob link to the workload VNet replaced by a link to a hub VNet",
        build: () => [
            ...without(clone(secureStack()), `link-${blobZone}`),
            link("hub-blob", { privateZoneName: blobZone, resourceGroupName: "rg", virtualNetwork: { id: hubVnetId } }),
        ],
        expect: [[...noLink, "it is linked only to VNet /subscriptions/00000000-0000-4000-a000-000000000002"]],
        // firstPreview makes the hub's id unknown too: then the link may be the VNet's (advisory, below).
        preview: "skips",
    },
    {
        policy: "private-dns-zones-linked",
        label: "blob link replaced by a link of the hub's same-named zone (another resource group) to the workload VNet",
        build: () => [
            ...without(clone(secureStack()), `link-${blobZone}`),
            link("hub-zone-blob", {
                privateZoneName: blobZone,
                resourceGroupName: "hub-rg",
                virtualNetwork: { id: ids.vnet },
            }),
        ],
        expect: [noLink],
    },
    {
        policy: "private-dns-zones-linked",
        label: "compliant: the workload link kept beside a hub link and a hub zone's link",
        build: () => [
            ...clone(secureStack()),
            link("hub-blob", { privateZoneName: blobZone, resourceGroupName: "rg", virtualNetwork: { id: hubVnetId } }),
            link("hub-zone-blob", {
                privateZoneName: blobZone,
                resourceGroupName: "hub-rg",
                virtualNetwork: { id: hubVnetId },
            }),
        ],
        expect: [],
    },

    // --- (b) private-endpoint-dns-zones ---
    {
        policy: "private-endpoint-dns-zones",
        label: "blob PE without a zone group, next to an external PE's zone group",
        build: () => [...without(clone(secureStack()), "blob-pe-dns"), externalZoneGroup("hub-blob-pe", "hub-rg")],
        expect: [['network:PrivateEndpoint "blob-pe"', "no private DNS zone group", blobZone]],
    },
    {
        policy: "private-endpoint-dns-zones",
        label: "blob PE without a zone group, next to the zone group of a same-named PE in another resource group",
        build: () => [...without(clone(secureStack()), "blob-pe-dns"), externalZoneGroup("blob-pe", "hub-rg")],
        expect: [['network:PrivateEndpoint "blob-pe"', "no private DNS zone group", blobZone]],
    },
    {
        policy: "private-endpoint-dns-zones",
        label: "compliant: every PE with its zone group, beside an external PE's zone group",
        build: () => [...clone(secureStack()), externalZoneGroup("hub-blob-pe", "hub-rg")],
        expect: [],
    },
];

describe("DNS blind spots (issue 19)", () => {
    itChecksStackCases(cases);

    it("a link whose zone is not known yet makes a zone without its VNet's link advisory, naming the link", async () => {
        const s = [
            ...without(clone(secureStack()), `link-${blobZone}`),
            link("unknown-zone", {
                privateZoneName: unknownValue,
                resourceGroupName: "hub-rg",
                virtualNetwork: { id: hubVnetId },
            }),
        ];
        const vs = await violationsOf("private-dns-zones-linked", s);
        assert.deepStrictEqual(
            vs.map((v) => [v.enforcementLevel, v.message]),
            [
                [
                    "advisory",
                    "can't run policy 'private-dns-zones-linked' during preview: cannot verify: " +
                        'privatedns:PrivateZone "zone-privatelink.blob.core.windows.net" (privatelink.blob.core.windows.net) is used by network:PrivateEndpoint "blob-pe" in VNet "vnet", which no known link reaches; whether privatedns:VirtualNetworkLink "unknown-zone" does cannot be told yet',
                ],
            ],
            summary(vs),
        );
    });

    it("a zone group whose endpoint is not known yet makes a PE without a zone group advisory, naming it", async () => {
        const zg = externalZoneGroup("x", "rg");
        zg.inputs.privateEndpointName = unknownValue;
        const s = [...without(clone(secureStack()), "blob-pe-dns"), zg];
        const vs = await violationsOf("private-endpoint-dns-zones", s);
        assert.deepStrictEqual(
            vs.map((v) => [v.enforcementLevel, v.message]),
            [
                [
                    "advisory",
                    "can't run policy 'private-endpoint-dns-zones' during preview: cannot verify: " +
                        'network:PrivateEndpoint "blob-pe" (group id blob) has no zone group of its own yet; network:PrivateDnsZoneGroup "x-rg-dns" may be its, but whose endpoint it is cannot be told yet',
                ],
            ],
            summary(vs),
        );
        assert.ok(find(s, "blob-pe"));
    });
});

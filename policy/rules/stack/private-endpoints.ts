import { StackValidationPolicy } from "@pulumi/policy";
import { PrivateLinkGroupId, isPrivateLinkGroupId, privateDnsZoneNames, storageGroupIds } from "../catalog";
import { Res, indexOf } from "../graph";
import { UNKNOWN, configOf, describe, get, stackRule, tokens } from "../util";
import { cloudFor, cloudSchema, computesByWorkspace, groupIdsOf } from "./common";

/** Private endpoints, their DNS zone groups and zone links, across the stack. */

const learn = "https://learn.microsoft.com/azure/machine-learning/how-to-secure-workspace-vnet";

function requirePrivateEndpoint(
    resources: Res[],
    type: string,
    groupIds: string[],
    report: (m: string, urn: string) => void,
) {
    const index = indexOf(resources);
    for (const target of index.ofType(type)) {
        const missing = groupIds.filter((g) => {
            const pes = index.privateEndpointsFor(target, g);
            return pes !== UNKNOWN && pes.length === 0;
        });
        if (missing.length > 0) {
            report(
                `${describe(target.type, target.name)} has no private endpoint for ${missing.map((g) => `"${g}"`).join(", ")} (a network:PrivateEndpoint whose privateLinkServiceConnections[].privateLinkServiceId is this resource and whose groupIds hold the group id).`,
                target.urn,
            );
        }
    }
}

export const mlWorkspacePrivateEndpoint: StackValidationPolicy = stackRule(
    {
        name: "ml-workspace-private-endpoint",
        description: "Every Azure Machine Learning workspace has a private endpoint with group id amlworkspace.",
        enforcementLevel: "mandatory",
        severity: "high",
        remediationSteps:
            'Add a network:PrivateEndpoint in the workspace\'s VNet with privateLinkServiceConnections: [{ privateLinkServiceId: workspace.id, groupIds: ["amlworkspace"] }] and a zone group for privatelink.api.azureml.ms and privatelink.notebooks.azure.net.',
        sources: { azurePolicy: ["45e05259-1eb5-4f70-9574-baf73e9d219b"], learn },
    },
    (args, report) => requirePrivateEndpoint(args.resources, tokens.workspace, ["amlworkspace"], report),
);

export const storagePrivateEndpoints: StackValidationPolicy = stackRule(
    {
        name: "storage-private-endpoints",
        description:
            "Every storage account has private endpoints for the required sub-resources (blob and file by default; queue and table are needed for ParallelRunStep).",
        enforcementLevel: "mandatory",
        severity: "high",
        remediationSteps:
            "Add a network:PrivateEndpoint per required group id (blob, file; queue and table for ParallelRunStep) with privateLinkServiceId set to the storage account's id.",
        sources: {
            azurePolicy: ["6edd7eda-6dd8-40f7-810d-67160c639cd9"],
            checkov: ["CKV2_AZURE_33"],
            learn: `${learn}#secure-azure-storage-accounts`,
        },
        configSchema: {
            properties: {
                requiredGroupIds: {
                    type: "array",
                    items: { type: "string", enum: [...storageGroupIds] },
                    default: ["blob", "file"],
                    description: "The storage sub-resources that must each have a private endpoint.",
                },
            },
        },
    },
    (args, report) => {
        const { requiredGroupIds } = configOf<{ requiredGroupIds?: string[] }>(storagePrivateEndpoints, args);
        requirePrivateEndpoint(args.resources, tokens.storage, requiredGroupIds ?? ["blob", "file"], report);
    },
);

export const keyvaultPrivateEndpoint: StackValidationPolicy = stackRule(
    {
        name: "keyvault-private-endpoint",
        description: "Every key vault has a private endpoint (group id vault).",
        enforcementLevel: "mandatory",
        severity: "high",
        remediationSteps:
            'Add a network:PrivateEndpoint with groupIds ["vault"] in the same VNet as the workspace\'s private endpoint, and a zone group for privatelink.vaultcore.azure.net.',
        sources: {
            azurePolicy: ["a6abeaec-4d90-4a02-805f-6b26c4d3fbe9"],
            checkov: ["CKV2_AZURE_32"],
            learn: `${learn}#secure-azure-key-vault`,
        },
    },
    (args, report) => requirePrivateEndpoint(args.resources, tokens.vault, ["vault"], report),
);

export const acrPrivateEndpoint: StackValidationPolicy = stackRule(
    {
        name: "acr-private-endpoint",
        description: "Every container registry has a private endpoint (group id registry).",
        enforcementLevel: "mandatory",
        severity: "high",
        remediationSteps:
            "Add a network:PrivateEndpoint with groupIds [\"registry\"] in the VNet of the storage account's and compute's subnets (the registry must be Premium), and a zone group for privatelink.azurecr.io.",
        sources: {
            azurePolicy: ["e8eef0a8-67cf-4eb4-9386-14b0e78733d4"],
            learn: `${learn}#enable-azure-container-registry-acr`,
        },
    },
    (args, report) => requirePrivateEndpoint(args.resources, tokens.registry, ["registry"], report),
);

export const privateEndpointDnsZones: StackValidationPolicy = stackRule(
    {
        name: "private-endpoint-dns-zones",
        description:
            "Each private endpoint has a DNS zone group of its own (another endpoint's, one outside the stack among them, does not register its addresses) holding exactly the private DNS zones of its group id and cloud (amlworkspace: privatelink.api.azureml.ms + privatelink.notebooks.azure.net; vault: privatelink.vaultcore.azure.net, not privatelink.vault.azure.net; …).",
        enforcementLevel: "mandatory",
        severity: "high",
        remediationSteps:
            'Give each private endpoint a network:PrivateDnsZoneGroup whose privateDnsZoneConfigs name exactly the zones from Microsoft\'s "Azure Private Endpoint private DNS zone values" (privateDnsZoneNames(groupId, cloud) in this package).',
        sources: {
            azurePolicy: [
                "ee40564d-486e-4f68-a5ca-7a621edae0fb",
                "75973700-529f-4de2-b794-fb9b6781b6b0",
                "6df98d03-368a-4438-8730-a93c4d7693d6",
                "ac673a9a-f77d-4846-b2d8-a57f8e1c01d4",
                "e9585a95-5b8c-4d03-b193-dc7eb5ac4c32",
            ],
            learn: "https://learn.microsoft.com/azure/private-link/private-endpoint-dns",
        },
        configSchema: { properties: { ...cloudSchema } },
    },
    (args, report, advise) => {
        const index = indexOf(args.resources);
        const config = configOf<{ cloud?: string }>(privateEndpointDnsZones, args);
        for (const pe of index.ofType(tokens.privateEndpoint)) {
            const groupIds = groupIdsOf(pe);
            if (groupIds === UNKNOWN) continue;
            const known = groupIds.filter(isPrivateLinkGroupId) as PrivateLinkGroupId[];
            if (known.length === 0) continue;
            const targets = index.targetsOf(pe).map((t) => t.target);
            const cloud = cloudFor(index, config, pe, ...targets);
            const expected = [...new Set(known.flatMap((g) => privateDnsZoneNames(g, cloud)))];
            const groups = index.zoneGroupsOf(pe);
            const who = describe(pe.type, pe.name);
            // Every endpoint needs a zone group of its own: another endpoint's (one outside the stack
            // among them) registers only that endpoint's addresses. Only a zone group whose endpoint
            // cannot be told yet may be this one's.
            if (groups === UNKNOWN) {
                advise(
                    `${who} (group id ${known.join(", ")}) has no zone group of its own yet; ${index
                        .unresolvedZoneGroups()
                        .map((zg) => describe(zg.type, zg.name))
                        .join(", ")} may be its, but whose endpoint it is cannot be told yet`,
                );
                continue;
            }
            if (groups.length === 0) {
                report(
                    `${who} (group id ${known.join(", ")}) has no private DNS zone group; it must register in ${expected.join(" and ")}.`,
                    pe.urn,
                );
                continue;
            }
            const zones = groups.flatMap((zg) => index.zonesOf(zg).map((z) => ({ ...z, zg })));
            const expectedLower = new Set(expected.map((z) => z.toLowerCase()));
            for (const z of zones) {
                if (typeof z.name === "string" && !expectedLower.has(z.name.toLowerCase())) {
                    report(
                        `${who} (group id ${known.join(", ")}): zone group "${z.zg.name}" ${z.label} names zone "${z.name}", which is not a ${cloud} zone for that group id; expected exactly ${expected.join(" and ")}.`,
                        pe.urn,
                    );
                }
            }
            if (zones.some((z) => z.name === UNKNOWN)) continue;
            const actual = new Set(zones.map((z) => (z.name as string).toLowerCase()));
            const missing = expected.filter((z) => !actual.has(z.toLowerCase()));
            if (missing.length > 0) {
                report(
                    `${who} (group id ${known.join(", ")}): its private DNS zone group lacks ${missing.join(" and ")}; expected exactly ${expected.join(" and ")}.`,
                    pe.urn,
                );
            }
        }
    },
);

export const privateDnsZonesLinked: StackValidationPolicy = stackRule(
    {
        name: "private-dns-zones-linked",
        description:
            "Every private DNS zone a private endpoint registers in (when the zone is in this stack) is linked to the private endpoint's VNet, so names resolve to the private addresses there. A zone linked only to other VNets is a violation unless the policy config lists one of them as a hub (hubVnetIds), whose resolver the spoke may use: that is reported as advisory, as are zone groups naming zones outside the stack (their links cannot be seen) and links whose zone or VNet is not known yet. A link of a same-named zone in another resource group (a hub's) is not a link of the stack's zone.",
        enforcementLevel: "mandatory",
        severity: "high",
        remediationSteps:
            "Add a privatedns:VirtualNetworkLink from the zone to the VNet of the private endpoint (registrationEnabled: false); in hub-and-spoke, list the hub VNet's id in hubVnetIds and make the spoke use the hub's DNS resolver.",
        sources: { learn: "https://learn.microsoft.com/azure/private-link/private-endpoint-dns" },
        configSchema: {
            properties: {
                hubVnetIds: {
                    type: "array",
                    items: { type: "string" },
                    default: [],
                    description:
                        "ARM ids (or names) of hub VNets: a zone linked to one of them, not to the private endpoint's VNet, is advisory (resolution then depends on peering and the spoke's DNS servers, which the stack does not prove).",
                },
            },
        },
    },
    (args, report, advise) => {
        const index = indexOf(args.resources);
        const { hubVnetIds } = configOf<{ hubVnetIds?: string[] }>(privateDnsZonesLinked, args);
        const hubs = new Set((hubVnetIds ?? []).map((h) => h.toLowerCase()));
        const isHub = (vnetKey: string) => {
            if (hubs.has(vnetKey)) return true;
            const r = index.vnetOfKey(vnetKey);
            if (!r) return [...hubs].some((h) => vnetKey.endsWith(`/${h}`) || vnetKey === `name:${h}`);
            const id = r.id ?? get(r.props, "id");
            const name = get(r.props, "virtualNetworkName");
            return (
                (typeof id === "string" && hubs.has(id.toLowerCase())) ||
                (typeof name === "string" && hubs.has(name.toLowerCase())) ||
                hubs.has(r.name.toLowerCase())
            );
        };
        const seen = new Set<string>();
        for (const pe of index.ofType(tokens.privateEndpoint)) {
            const vnet = index.vnetOfPe(pe);
            if (vnet === UNKNOWN || vnet === undefined) continue;
            const groups = index.zoneGroupsOf(pe);
            if (groups === UNKNOWN) continue;
            for (const zg of groups) {
                for (const z of index.zonesOf(zg)) {
                    if (!z.zone) {
                        if (typeof z.name === "string")
                            advise(
                                `${describe(zg.type, zg.name)} ${z.label} names zone "${z.name}" outside this stack; its links to ${index.vnetLabel(vnet)} cannot be seen`,
                            );
                        continue;
                    }
                    const key = `${z.zone.urn}|${vnet}`;
                    if (seen.has(key)) continue;
                    seen.add(key);
                    const { vnets, uncertain } = index.linkedVnets(z.zone);
                    if (vnets.has(vnet)) continue;
                    const zoneName = get(z.zone.props, "privateZoneName");
                    const label = `${describe(z.zone.type, z.zone.name)} (${typeof zoneName === "string" ? zoneName : "zone"})`;
                    // A link whose zone or VNet is not known yet may be the one to the endpoint's VNet:
                    // not proof of one, so advisory, never a silent pass.
                    if (uncertain.length > 0) {
                        advise(
                            `${label} is used by ${describe(pe.type, pe.name)} in ${index.vnetLabel(vnet)}, which no known link reaches; whether ${uncertain.map((l) => describe(l.type, l.name)).join(", ")} does cannot be told yet`,
                        );
                        continue;
                    }
                    const hubLinks = [...vnets].filter(isHub);
                    if (hubLinks.length > 0) {
                        advise(
                            `${label} is used by ${describe(pe.type, pe.name)} in ${index.vnetLabel(vnet)} but linked only to hub ${hubLinks.map((v) => index.vnetLabel(v)).join(", ")}; resolution depends on peering and the spoke's DNS servers`,
                        );
                        continue;
                    }
                    const others =
                        vnets.size > 0
                            ? ` (it is linked only to ${[...vnets].map((v) => index.vnetLabel(v)).join(", ")})`
                            : "";
                    report(
                        `${label} is used by ${describe(pe.type, pe.name)} but has no virtualNetworkLink to its ${index.vnetLabel(vnet)}${others}.`,
                        z.zone.urn,
                    );
                }
            }
        }
    },
);

export const mlPrivateEndpointsSameVnet: StackValidationPolicy = stackRule(
    {
        name: "ml-private-endpoints-same-vnet",
        description:
            "The workspace's private endpoint and the private endpoints of its storage, key vault and registry are in one VNet, and the registry's private endpoint is in the VNet of the workspace's compute (source document: studio with storage behind a PE; key vault in the same network as the workspace PE; ACR PE in the VNet of storage and compute).",
        enforcementLevel: "mandatory",
        severity: "medium",
        remediationSteps:
            "Put all private endpoints of the workspace and its dependencies in one VNet (they may be in different subnets), and the compute subnet in the same VNet.",
        sources: { learn: `${learn}#limitations` },
    },
    (args, report) => {
        const index = indexOf(args.resources);
        const { byWorkspace } = computesByWorkspace(index);
        const vnetsOfPes = (pes: Res[] | typeof UNKNOWN) => {
            const out = new Map<string, Res>();
            if (pes === UNKNOWN) return out;
            for (const pe of pes) {
                const v = index.vnetOfPe(pe);
                if (typeof v === "string") out.set(v, pe);
            }
            return out;
        };
        const pesOf = (target: Res) => [
            ...new Set(
                ["amlworkspace", "blob", "file", "queue", "table", "dfs", "vault", "registry"].flatMap((g) => {
                    const p = index.privateEndpointsFor(target, g);
                    return p === UNKNOWN ? [] : p;
                }),
            ),
        ];
        for (const ws of index.ofType(tokens.workspace)) {
            const wsVnets = vnetsOfPes(pesOf(ws));
            if (wsVnets.size === 0) continue;
            const wsVnetList = [...wsVnets.keys()].map((v) => index.vnetLabel(v)).join(", ");
            const deps: [string, string][] = [
                ["storageAccount", tokens.storage],
                ["keyVault", tokens.vault],
                ["containerRegistry", tokens.registry],
            ];
            let registryVnets = new Map<string, Res>();
            for (const [key, type] of deps) {
                const dep = index.resolve(ws, key, get(ws.props, key), [type]);
                if (!dep || dep === UNKNOWN) continue;
                const depVnets = vnetsOfPes(pesOf(dep));
                if (type === tokens.registry) registryVnets = depVnets;
                for (const [vnet, pe] of depVnets) {
                    if (!wsVnets.has(vnet)) {
                        report(
                            `${describe(pe.type, pe.name)} of ${describe(dep.type, dep.name)} is in ${index.vnetLabel(vnet)}, but the private endpoint of ${describe(ws.type, ws.name)} is in ${wsVnetList}; they must share one VNet.`,
                            pe.urn,
                        );
                    }
                }
            }
            if (registryVnets.size === 0) continue;
            for (const compute of byWorkspace.get(ws) ?? []) {
                const subnet = index.subnetOf(
                    compute,
                    "properties",
                    get(compute.props, "properties.properties.subnet.id"),
                );
                if (!subnet || subnet === UNKNOWN || subnet.vnetKey === UNKNOWN) continue;
                if (!registryVnets.has(subnet.vnetKey)) {
                    report(
                        `${describe(compute.type, compute.name)} runs in ${index.vnetLabel(subnet.vnetKey)}, but the registry's private endpoint is in ${[...registryVnets.keys()].map((v) => index.vnetLabel(v)).join(", ")}; the source document requires the same VNet.`,
                        compute.urn,
                    );
                }
            }
        }
    },
);

export const privateEndpointPolicies = [
    mlWorkspacePrivateEndpoint,
    storagePrivateEndpoints,
    keyvaultPrivateEndpoint,
    acrPrivateEndpoint,
    privateEndpointDnsZones,
    privateDnsZonesLinked,
    mlPrivateEndpointsSameVnet,
];

/**
 * Which address prefixes of an NSG rule contain which others: service tags, `*` and CIDRs, as typed
 * data. The policy pack's effective-access evaluation uses it to see that a deny on a super-tag
 * (`AzureCloud`, `Internet`) shadows an allow on a tag inside it (`AzureMachineLearning`, `Storage`).
 *
 * Source: Microsoft Learn, "Virtual network service tags"
 * (https://learn.microsoft.com/azure/virtual-network/service-tags-overview): `AzureCloud` is "all
 * datacenter public IP addresses"; `Internet` is "the IP address space that's outside the virtual
 * network and reachable by the public internet", which "includes the address space owned by Azure";
 * `VirtualNetwork` is the VNet's address space, peered and on-premises spaces (no service tag's
 * public ranges); regional tags (`Storage.westeurope`) are the part of the global tag in that region.
 *
 * What cannot be known offline: the tags' IP prefixes (Microsoft publishes them weekly in the "Azure IP
 * Ranges and Service Tags" file and they change); so whether a public CIDR intersects a service tag,
 * and whether tags of different services share addresses, are not decidable here. Those relations are
 * `"unknown"`, which the pack reports as advisory, never as a mandatory violation.
 */

/** How an outer prefix relates to an inner one. */
export type TagRelation = "covers" | "overlaps" | "disjoint" | "unknown";

/** Prefixes that stand for every address. */
export const everyAddressPrefixes: readonly string[] = ["*", "Any", "0.0.0.0/0", "::/0"];

/** Tags that never hold a service's public ranges (Microsoft Learn: not inside `Internet`). */
export const nonPublicTags: readonly string[] = ["VirtualNetwork", "AzureLoadBalancer"];

/**
 * Service tags of services hosted in Azure datacenters: their ranges are inside `AzureCloud` (and the
 * regional variants inside `AzureCloud.<region>`). Only the tags the pack's catalogues use; any other
 * tag is `"unknown"` under `AzureCloud`.
 */
export const azureCloudMemberTags: readonly string[] = [
    "AzureMachineLearning",
    "BatchNodeManagement",
    "AzureResourceManager",
    "Storage",
    "MicrosoftContainerRegistry",
    "AzureMonitor",
    "AzureKeyVault",
    "GatewayManager",
];

/**
 * Tags whose ranges are Microsoft's but not documented to be within Azure datacenters (Entra ID's and
 * Front Door's global edge): under `AzureCloud` they may or may not intersect, so `"unknown"`.
 */
export const azureCloudUncertainTags: readonly string[] = [
    "AzureActiveDirectory",
    "AzureFrontDoor.FrontEnd",
    "AzureFrontDoor.FirstParty",
    "AzureFrontDoor.Backend",
];

/** One containment fact, for documentation and the tests that iterate over them. */
export interface TagContainment {
    outer: string;
    inner: string;
    relation: TagRelation;
    why: string;
}

/** The facts the relation below implements, as a table (tests iterate over it). */
export const tagContainments: readonly TagContainment[] = [
    ...everyAddressPrefixes.map((outer) => ({
        outer,
        inner: "AzureMachineLearning",
        relation: "covers" as const,
        why: "every address",
    })),
    { outer: "Internet", inner: "AzureMachineLearning", relation: "covers", why: "Internet includes Azure's space" },
    { outer: "Internet", inner: "Storage.westeurope", relation: "covers", why: "Internet includes Azure's space" },
    { outer: "Internet", inner: "VirtualNetwork", relation: "disjoint", why: "not public" },
    { outer: "AzureCloud", inner: "AzureMachineLearning", relation: "covers", why: "datacenter addresses" },
    { outer: "AzureCloud", inner: "Storage.westeurope", relation: "covers", why: "datacenter addresses" },
    { outer: "AzureCloud", inner: "AzureActiveDirectory", relation: "unknown", why: "not documented inside" },
    { outer: "AzureCloud.westeurope", inner: "Storage.westeurope", relation: "covers", why: "same region" },
    { outer: "AzureCloud.westeurope", inner: "Storage.northeurope", relation: "disjoint", why: "other region" },
    { outer: "AzureCloud.westeurope", inner: "AzureMachineLearning", relation: "unknown", why: "part in region" },
    { outer: "Storage", inner: "Storage.westeurope", relation: "covers", why: "regional subset" },
    { outer: "Storage.westeurope", inner: "Storage", relation: "overlaps", why: "regional subset" },
    { outer: "Storage.northeurope", inner: "Storage.westeurope", relation: "disjoint", why: "other region" },
    { outer: "VirtualNetwork", inner: "Storage", relation: "disjoint", why: "no service tags" },
    { outer: "Storage", inner: "AzureMachineLearning", relation: "disjoint", why: "different services" },
    { outer: "20.0.0.0/8", inner: "AzureMachineLearning", relation: "unknown", why: "tag ranges change weekly" },
    { outer: "10.0.0.0/8", inner: "AzureMachineLearning", relation: "disjoint", why: "private space" },
];

const lowerSet = (xs: readonly string[]) => new Set(xs.map((x) => x.toLowerCase()));
const every = lowerSet(everyAddressPrefixes);
const nonPublic = lowerSet(nonPublicTags);
const cloudMembers = lowerSet(azureCloudMemberTags);
const cloudUncertain = lowerSet(azureCloudUncertainTags);

/** `Storage.westeurope` → `["storage", "westeurope"]`; `AzureFrontDoor.FrontEnd` is a global tag. */
function split(tag: string): [string, string | undefined] {
    const t = tag.trim().toLowerCase();
    if (cloudUncertain.has(t)) return [t, undefined];
    const dot = t.indexOf(".");
    return dot < 0 ? [t, undefined] : [t.slice(0, dot), t.slice(dot + 1)];
}

/**
 * How the outer service tag (or `*`/`Any`) relates to the inner service tag. CIDRs are related by the
 * caller (the pack's CIDR module): a private CIDR is disjoint from every service tag, a public one is
 * `"unknown"` (see the file comment).
 */
export function tagRelation(outer: string, inner: string): TagRelation {
    const o = outer.trim().toLowerCase();
    const i = inner.trim().toLowerCase();
    if (every.has(o)) return "covers";
    if (o === i) return "covers";
    if (nonPublic.has(o) || nonPublic.has(i)) return "disjoint";
    if (o === "internet") return "covers";
    if (i === "internet") return "overlaps"; // a public tag is part of the Internet
    const [oBase, oRegion] = split(o);
    const [iBase, iRegion] = split(i);
    if (oBase === "azurecloud") {
        if (iBase === "azurecloud")
            return oRegion === undefined ? "covers" : iRegion === undefined ? "overlaps" : "disjoint";
        if (cloudUncertain.has(i)) return "unknown";
        if (!cloudMembers.has(iBase)) return "unknown";
        if (oRegion === undefined) return "covers";
        if (iRegion === undefined) return "unknown";
        return oRegion === iRegion ? "covers" : "disjoint";
    }
    if (oBase !== iBase) return "disjoint";
    if (oRegion === undefined) return "covers"; // `Storage` contains `Storage.westeurope`
    if (iRegion === undefined) return "overlaps"; // `Storage.westeurope` is part of `Storage`
    return oRegion === iRegion ? "covers" : "disjoint";
}

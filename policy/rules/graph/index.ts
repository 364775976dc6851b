import type { PolicyResource } from "@pulumi/policy";
import { parseCidr, Cidr } from "../catalog";
import { NsgRuleView, sortRules, viewRule } from "../nsg";
import { UNKNOWN, Unknown, get, isUnknownValue, list, raw, tokens } from "../util";

/**
 * The stack as a graph, built once per stack run (WeakMap-cached on the resources array, so the
 * stack rules of one run share it). Every relation is resolved the same way: through the URNs in
 * `propertyDependencies` first (known in a first preview), then through ARM ids, then through names,
 * and `UNKNOWN` when none of those can tell yet.
 */

/** A resource as the stack rules see it: the SDK's PolicyResource, plus the id when the runner knows it. */
export type Res = PolicyResource & { id?: string | null };

/** The input that holds each type's own (physical) name. */
const nameInputs: Record<string, string> = {
    [tokens.vnet]: "virtualNetworkName",
    [tokens.nsg]: "networkSecurityGroupName",
    [tokens.securityRule]: "securityRuleName",
    [tokens.privateEndpoint]: "privateEndpointName",
    [tokens.zoneGroup]: "privateDnsZoneGroupName",
    [tokens.privateZone]: "privateZoneName",
    [tokens.vnetLink]: "virtualNetworkLinkName",
    [tokens.storage]: "accountName",
    [tokens.vault]: "vaultName",
    [tokens.registry]: "registryName",
    [tokens.workspace]: "workspaceName",
    [tokens.compute]: "computeName",
    [tokens.appInsights]: "resourceName",
    [tokens.resourceGroup]: "resourceGroupName",
    [tokens.managedCluster]: "resourceName",
};

/** ARM resource types (lower case) → token. */
const armTypes: Record<string, string> = {
    "microsoft.network/virtualnetworks": tokens.vnet,
    "microsoft.network/virtualnetworks/subnets": tokens.subnet,
    "microsoft.network/networksecuritygroups": tokens.nsg,
    "microsoft.network/privateendpoints": tokens.privateEndpoint,
    "microsoft.network/privatednszones": tokens.privateZone,
    "microsoft.storage/storageaccounts": tokens.storage,
    "microsoft.keyvault/vaults": tokens.vault,
    "microsoft.containerregistry/registries": tokens.registry,
    "microsoft.machinelearningservices/workspaces": tokens.workspace,
    "microsoft.machinelearningservices/workspaces/computes": tokens.compute,
    "microsoft.insights/components": tokens.appInsights,
    "microsoft.containerservice/managedclusters": tokens.managedCluster,
};

export interface ParsedId {
    token?: string;
    name: string;
    names: string[];
    resourceGroup?: string;
}

/** `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s`. */
export function parseArmId(id: string): ParsedId | undefined {
    const parts = id.split("/").filter((p) => p !== "");
    const rgIndex = parts.findIndex((p) => p.toLowerCase() === "resourcegroups");
    const resourceGroup = rgIndex >= 0 ? parts[rgIndex + 1] : undefined;
    const providerIndex = parts.map((p) => p.toLowerCase()).lastIndexOf("providers");
    if (providerIndex < 0) {
        if (rgIndex >= 0 && parts.length === rgIndex + 2) {
            return {
                token: tokens.resourceGroup,
                name: parts[rgIndex + 1],
                names: [parts[rgIndex + 1]],
                resourceGroup,
            };
        }
        return undefined;
    }
    const rest = parts.slice(providerIndex + 1);
    if (rest.length < 3) return undefined;
    const types = [rest[0]];
    const names: string[] = [];
    for (let i = 1; i + 1 < rest.length; i += 2) {
        types.push(rest[i]);
        names.push(rest[i + 1]);
    }
    const armType = `${types[0]}/${types.slice(1).join("/")}`.toLowerCase();
    return { token: armTypes[armType], name: names[names.length - 1], names, resourceGroup };
}

/** The last segment of an ARM id (a zone id's zone name, a compute id's compute name). */
export function lastSegment(id: string): string {
    const parts = id.split("/").filter((p) => p !== "");
    return parts[parts.length - 1] ?? "";
}

export interface SubnetInfo {
    /** For messages: `Subnet "training"` or `VirtualNetwork "vnet" subnet "training"`. */
    label: string;
    name: string | Unknown;
    /** The VNet: its URN when it is in the stack, its lower-case id otherwise. */
    vnetKey: string | Unknown;
    vnet?: Res;
    /** The standalone Subnet resource, or the VNet that holds it inline. */
    owner: Res;
    props: Record<string, unknown> | undefined;
    prefixes: Cidr[] | undefined;
}

export type Resolved = Res | Unknown | undefined;

export class StackIndex {
    readonly byUrn = new Map<string, Res>();
    readonly byType = new Map<string, Res[]>();
    private readonly byId = new Map<string, Res>();
    private readonly byName = new Map<string, Res[]>();
    private rulesByNsg?: Map<Res, Res[]>;
    private unresolvedRules = 0;
    private peIndex?: {
        byTarget: Map<Res, { pe: Res; groupIds: string[] }[]>;
        byPe: Map<Res, { target: Res; groupIds: string[] }[]>;
        unresolvedGroups: Set<string>;
    };
    private zoneGroupIndex?: { byPe: Map<Res, Res[]>; unresolved: number };
    private linkIndex?: { byZone: Map<Res, Res[]>; unresolved: number };
    private subnetList?: SubnetInfo[];
    private readonly memos = new Map<string, unknown>();

    constructor(readonly resources: Res[]) {
        for (const r of resources) {
            this.byUrn.set(r.urn, r);
            let ofType = this.byType.get(r.type);
            if (!ofType) this.byType.set(r.type, (ofType = []));
            ofType.push(r);
            const id = idOf(r);
            if (id) this.byId.set(id.toLowerCase(), r);
            const name = physicalName(r);
            if (name) {
                const key = `${r.type}|${name.toLowerCase()}`;
                const named = this.byName.get(key);
                if (named) named.push(r);
                else this.byName.set(key, [r]);
            }
        }
    }

    /** A value derived from the whole stack, computed once per index. */
    memo<T>(key: string, compute: () => T): T {
        if (!this.memos.has(key)) this.memos.set(key, compute());
        return this.memos.get(key) as T;
    }

    /** A label for a VNet key (URN of a VNet in the stack, or a lower-case id). */
    vnetLabel(key: string): string {
        const r = this.byUrn.get(key);
        return r ? `VNet "${r.name}"` : key.startsWith("name:") ? `VNet "${key.slice(5)}"` : `VNet ${key}`;
    }

    ofType(type: string): Res[] {
        return this.byType.get(type) ?? [];
    }

    /** A resource by its ARM id or (for `…Name` inputs) by its name, among `types`. */
    lookup(value: unknown, types: readonly string[]): Res | undefined {
        if (typeof value !== "string" || value === "" || isUnknownValue(value)) return undefined;
        const byId = this.byId.get(value.toLowerCase());
        if (byId && types.includes(byId.type)) return byId;
        if (value.startsWith("/")) {
            const parsed = parseArmId(value);
            if (!parsed?.token || !types.includes(parsed.token)) return undefined;
            const key = parsed.token === tokens.subnet ? parsed.names.join("/") : parsed.name;
            const named = this.unique(`${parsed.token}|${key.toLowerCase()}`);
            // A resource of the same name whose own id is known and different is another resource (a
            // hub's zone of the same name in another subscription), not this one.
            const namedId = named ? idOf(named) : undefined;
            if (namedId && namedId.toLowerCase() !== value.toLowerCase()) return undefined;
            return named;
        }
        for (const type of types) {
            const found = this.unique(`${type}|${value.toLowerCase()}`);
            if (found) return found;
        }
        return undefined;
    }

    private unique(key: string): Res | undefined {
        const found = this.byName.get(key);
        return found && found.length === 1 ? found[0] : undefined;
    }

    /**
     * The resource an input refers to. URNs in `propertyDependencies[key]` first; then the id or name
     * in `value`. `UNKNOWN` when that cannot be told yet; `undefined` when the value is known and names
     * something outside the stack (or nothing is set).
     */
    resolve(from: Res, key: string, value: unknown, types: readonly string[]): Resolved {
        // Outputs-only resources (an import, a refresh) have no `…Name` input naming their parent: the
        // parent is in their own ARM id (`…/networkSecurityGroups/nsg/securityRules/rule`).
        if (value === undefined && parentNameKeys.has(key)) value = parentIdOf(from);
        const deps = (from.propertyDependencies?.[key] ?? []).filter((d) => types.includes(d.type));
        const uniqueDeps = [...new Set(deps)];
        if (uniqueDeps.length === 1) return uniqueDeps[0];
        // A child with neither its parent's name nor its own id: the parent cannot be told.
        if (value === undefined && parentNameKeys.has(key) && uniqueDeps.length === 0) return UNKNOWN;
        const found = this.lookup(value, types);
        if (uniqueDeps.length > 1) return found && uniqueDeps.includes(found) ? found : UNKNOWN;
        if (found) return found;
        if (isUnknownValue(value)) return UNKNOWN;
        return undefined;
    }

    /** A resource's location, or its resource group's. */
    locationOf(r: Res | undefined): string | Unknown | undefined {
        if (!r) return undefined;
        const loc = get(r.props, "location");
        if (loc === UNKNOWN) return UNKNOWN;
        if (typeof loc === "string" && loc !== "") return loc;
        const rg = this.resolve(r, "resourceGroupName", get(r.props, "resourceGroupName"), [tokens.resourceGroup]);
        if (rg === UNKNOWN) return UNKNOWN;
        if (rg) {
            const rgLoc = get(rg.props, "location");
            if (rgLoc === UNKNOWN) return UNKNOWN;
            if (typeof rgLoc === "string" && rgLoc !== "") return rgLoc;
        }
        return undefined;
    }

    // --- Subnets -------------------------------------------------------------------------------

    /** Every subnet of the stack: standalone Subnet resources and VNets' inline `subnets`. */
    subnets(): SubnetInfo[] {
        if (this.subnetList) return this.subnetList;
        const out: SubnetInfo[] = [];
        const standaloneIds = new Set<string>();
        for (const s of this.ofType(tokens.subnet)) {
            out.push(this.standaloneSubnet(s));
            const id = idOf(s);
            if (id) standaloneIds.add(id.toLowerCase());
        }
        for (const v of this.ofType(tokens.vnet)) {
            const items = list(get(v.props, "subnets"));
            if (items === UNKNOWN) continue;
            for (const item of items) {
                // A VNet's outputs list every subnet, also those managed as Subnet resources: one is enough.
                const id = get(item, "id");
                if (typeof id === "string" && standaloneIds.has(id.toLowerCase())) continue;
                out.push(this.inlineSubnet(v, item));
            }
        }
        return (this.subnetList = out);
    }

    private standaloneSubnet(s: Res): SubnetInfo {
        const props = raw<Record<string, unknown>>(s.props);
        const vnet = this.resolve(s, "virtualNetworkName", get(props, "virtualNetworkName"), [tokens.vnet]);
        const parsedId = idOf(s) ? parseArmId(idOf(s)!) : undefined;
        const fromId = parsedId?.token === tokens.subnet ? parsedId.names : undefined;
        const vnetName = get(props, "virtualNetworkName") ?? fromId?.[0];
        const name = get(props, "subnetName") ?? fromId?.[1];
        return {
            label: `network:Subnet "${s.name}"`,
            name: typeof name === "string" ? name : name === UNKNOWN ? UNKNOWN : s.name,
            vnetKey:
                vnet === UNKNOWN
                    ? UNKNOWN
                    : vnet
                      ? vnet.urn
                      : typeof vnetName === "string"
                        ? `name:${vnetName.toLowerCase()}`
                        : UNKNOWN,
            vnet: vnet && vnet !== UNKNOWN ? vnet : undefined,
            owner: s,
            props,
            prefixes: prefixesOf(props),
        };
    }

    private inlineSubnet(v: Res, item: unknown): SubnetInfo {
        const props = (isUnknownValue(item) ? undefined : raw<Record<string, unknown>>(item)) ?? undefined;
        const name = get(props, "name");
        return {
            label: `network:VirtualNetwork "${v.name}" subnet ${typeof name === "string" ? `"${name}"` : "(unnamed)"}`,
            name: name === UNKNOWN ? UNKNOWN : typeof name === "string" ? name : UNKNOWN,
            vnetKey: v.urn,
            vnet: v,
            owner: v,
            props,
            prefixes: props ? prefixesOf(props) : undefined,
        };
    }

    /**
     * Scale (issue 14): `subnets()` grouped by owner, built once. Replaces scanning every subnet per
     * lookup (`subnets().find(s => s.owner === x)`), which made a stack of 100,000 resources quadratic;
     * each list keeps `subnets()`' order, so every lookup returns what the scan returned.
     */
    private subnetsByOwner?: Map<Res, SubnetInfo[]>;

    private subnetsOwnedBy(owner: Res): SubnetInfo[] {
        if (!this.subnetsByOwner) {
            this.subnetsByOwner = new Map();
            for (const s of this.subnets()) {
                const list = this.subnetsByOwner.get(s.owner);
                if (list) list.push(s);
                else this.subnetsByOwner.set(s.owner, [s]);
            }
        }
        return this.subnetsByOwner.get(owner) ?? [];
    }

    /** The subnet an input (`subnet`, `properties`) refers to through its `subnet.id`-like value. */
    subnetOf(from: Res, key: string, idValue: unknown): SubnetInfo | Unknown | undefined {
        const target = this.resolve(from, key, idValue, [tokens.subnet, tokens.vnet]);
        if (target === UNKNOWN) return UNKNOWN;
        if (target?.type === tokens.subnet) {
            return this.subnetsOwnedBy(target)[0];
        }
        const parsed = typeof idValue === "string" && !isUnknownValue(idValue) ? parseArmId(idValue) : undefined;
        if (target?.type === tokens.vnet) {
            const subnetName = parsed?.token === tokens.subnet ? parsed.name : undefined;
            const inline = subnetName
                ? this.subnetsOwnedBy(target).find(
                      (s) =>
                          s.owner === target &&
                          typeof s.name === "string" &&
                          s.name.toLowerCase() === subnetName.toLowerCase(),
                  )
                : undefined;
            if (inline) return inline;
            return {
                label: `network:VirtualNetwork "${target.name}" subnet ${subnetName ?? "(unknown)"}`,
                name: subnetName ?? UNKNOWN,
                vnetKey: target.urn,
                vnet: target,
                owner: target,
                props: undefined,
                prefixes: undefined,
            };
        }
        if (parsed?.token === tokens.subnet) {
            // A subnet outside the stack: its VNet is known by id.
            const vnetId = (idValue as string).split("/").slice(0, -2).join("/").toLowerCase();
            const vnet = this.lookup(vnetId, [tokens.vnet]);
            return {
                label: `subnet ${idValue as string}`,
                name: parsed.name,
                vnetKey: vnet ? vnet.urn : vnetId,
                vnet,
                owner: from,
                props: undefined,
                prefixes: undefined,
            };
        }
        return undefined;
    }

    /** The NSG a subnet names: the resource, `UNKNOWN`, `undefined` (none), or `external` (outside the stack). */
    nsgOf(subnet: SubnetInfo): Res | Unknown | undefined | "external" {
        if (!subnet.props) return UNKNOWN;
        const ref = get(subnet.props, "networkSecurityGroup");
        if (ref === UNKNOWN) return UNKNOWN;
        if (ref === undefined || ref === null) return undefined;
        const id = get(ref, "id");
        if (subnet.owner.type === tokens.subnet) {
            const nsg = this.resolve(subnet.owner, "networkSecurityGroup", id, [tokens.nsg]);
            return nsg === undefined ? (id ? "external" : undefined) : nsg;
        }
        // Inline in a VNet: the `subnets` property's dependencies hold every subnet's NSG together.
        const found = this.lookup(id, [tokens.nsg]);
        if (found) return found;
        if (id !== UNKNOWN && typeof id === "string") return "external";
        const deps = [
            ...new Set((subnet.owner.propertyDependencies?.["subnets"] ?? []).filter((d) => d.type === tokens.nsg)),
        ];
        const withNsg = this.subnetsOwnedBy(subnet.owner).filter(
            (s) => s.props && get(s.props, "networkSecurityGroup") !== undefined,
        );
        return deps.length === 1 && withNsg.length === 1 ? deps[0] : UNKNOWN;
    }

    // --- NSG rules ------------------------------------------------------------------------------

    private buildRules(): Map<Res, Res[]> {
        const byNsg = new Map<Res, Res[]>();
        for (const rule of this.ofType(tokens.securityRule)) {
            const nsg = this.nsgOfRule(rule);
            // A rule whose NSG is known to be outside the stack does not change the stack's NSGs.
            if (nsg === undefined) continue;
            if (nsg === UNKNOWN) {
                this.unresolvedRules++;
                continue;
            }
            const rules = byNsg.get(nsg);
            if (rules) rules.push(rule);
            else byNsg.set(nsg, [rule]);
        }
        return byNsg;
    }

    /** An NSG's rules, inline and standalone, sorted and followed by Azure's defaults; `UNKNOWN` if incomplete. */
    effectiveRules(nsg: Res): NsgRuleView[] | Unknown {
        this.rulesByNsg ??= this.buildRules();
        const inline = list(get(nsg.props, "securityRules"));
        if (inline === UNKNOWN || this.unresolvedRules > 0) return UNKNOWN;
        const views = inline
            .map((_, i) => get(inline, String(i)))
            .map((r, i) => viewRule(r, `securityRules[${i}] "${String(get(r, "name") ?? i)}"`));
        for (const s of this.rulesByNsg.get(nsg) ?? []) {
            views.push(viewRule(s.props, `network:SecurityRule "${s.name}"`, s.urn));
        }
        return sortRules(views);
    }

    /** The standalone SecurityRule resources attached to an NSG of the stack. */
    standaloneRulesOf(nsg: Res): Res[] {
        this.rulesByNsg ??= this.buildRules();
        return this.rulesByNsg.get(nsg) ?? [];
    }

    /** Whether some standalone SecurityRule's NSG cannot be told yet. */
    hasUnresolvedRules(): boolean {
        this.rulesByNsg ??= this.buildRules();
        return this.unresolvedRules > 0;
    }

    /**
     * The NSG a standalone SecurityRule belongs to: through `networkSecurityGroupName` (its URN, name, or
     * the rule's own id), else the one NSG among its dependencies, else its Pulumi parent.
     */
    nsgOfRule(rule: Res): Resolved {
        const nsg = this.resolve(rule, "networkSecurityGroupName", get(rule.props, "networkSecurityGroupName"), [
            tokens.nsg,
        ]);
        if (nsg !== UNKNOWN) return nsg;
        const deps = [...new Set((rule.dependencies ?? []).filter((d) => d.type === tokens.nsg))];
        if (deps.length === 1) return deps[0];
        const parent = (rule as { parent?: Res }).parent;
        return parent?.type === tokens.nsg ? parent : UNKNOWN;
    }

    /** The subnets that name an NSG. */
    subnetsUsing(nsg: Res): { subnets: SubnetInfo[]; uncertain: boolean } {
        const subnets: SubnetInfo[] = [];
        let uncertain = false;
        for (const s of this.subnets()) {
            const n = this.nsgOf(s);
            if (n === nsg) subnets.push(s);
            else if (n === UNKNOWN) uncertain = true;
        }
        return { subnets, uncertain };
    }

    // --- Private endpoints ------------------------------------------------------------------------

    private static readonly peTargets = [tokens.storage, tokens.vault, tokens.registry, tokens.workspace];

    private buildPes() {
        const byTarget = new Map<Res, { pe: Res; groupIds: string[] }[]>();
        const byPe = new Map<Res, { target: Res; groupIds: string[] }[]>();
        const unresolvedGroups = new Set<string>();
        for (const pe of this.ofType(tokens.privateEndpoint)) {
            for (const key of ["privateLinkServiceConnections", "manualPrivateLinkServiceConnections"]) {
                const conns = list(get(pe.props, key));
                if (conns === UNKNOWN) {
                    unresolvedGroups.add("*");
                    continue;
                }
                for (const conn of conns) {
                    const ids = list(get(conn, "groupIds"));
                    const groupIds =
                        ids === UNKNOWN
                            ? ["*"]
                            : ids.map((g) => (typeof g === "string" && !isUnknownValue(g) ? g.toLowerCase() : "*"));
                    const target = this.resolve(pe, key, get(conn, "privateLinkServiceId"), StackIndex.peTargets);
                    if (target === UNKNOWN) {
                        groupIds.forEach((g) => unresolvedGroups.add(g));
                        continue;
                    }
                    if (!target) continue;
                    const entries = byTarget.get(target);
                    if (entries) entries.push({ pe, groupIds });
                    else byTarget.set(target, [{ pe, groupIds }]);
                    const ofPe = byPe.get(pe);
                    if (ofPe) ofPe.push({ target, groupIds });
                    else byPe.set(pe, [{ target, groupIds }]);
                }
            }
        }
        return { byTarget, byPe, unresolvedGroups };
    }

    /** The private endpoints of `target` for `groupId`; `UNKNOWN` if none is known but an unresolved PE might be. */
    privateEndpointsFor(target: Res, groupId: string): Res[] | Unknown {
        this.peIndex ??= this.buildPes();
        const g = groupId.toLowerCase();
        const found = (this.peIndex.byTarget.get(target) ?? [])
            .filter((e) => e.groupIds.includes(g) || e.groupIds.includes("*"))
            .map((e) => e.pe);
        if (found.length > 0) return [...new Set(found)];
        return this.peIndex.unresolvedGroups.has(g) || this.peIndex.unresolvedGroups.has("*") ? UNKNOWN : [];
    }

    /** The PE's target resources and group ids. */
    targetsOf(pe: Res): { target: Res; groupIds: string[] }[] {
        this.peIndex ??= this.buildPes();
        return this.peIndex.byPe.get(pe) ?? [];
    }

    /** The VNet of a private endpoint's subnet. */
    vnetOfPe(pe: Res): string | Unknown | undefined {
        const subnet = this.subnetOf(pe, "subnet", get(pe.props, "subnet.id"));
        if (subnet === UNKNOWN) return UNKNOWN;
        return subnet?.vnetKey;
    }

    // --- DNS zone groups and links ------------------------------------------------------------------

    private buildZoneGroups() {
        const byPe = new Map<Res, Res[]>();
        let unresolved = 0;
        for (const zg of this.ofType(tokens.zoneGroup)) {
            const pe = this.resolve(zg, "privateEndpointName", get(zg.props, "privateEndpointName"), [
                tokens.privateEndpoint,
            ]);
            if (!pe || pe === UNKNOWN) {
                unresolved++;
                continue;
            }
            const groups = byPe.get(pe);
            if (groups) groups.push(zg);
            else byPe.set(pe, [zg]);
        }
        return { byPe, unresolved };
    }

    /** A PE's zone groups; `UNKNOWN` if it has none known but some zone group is unresolved. */
    zoneGroupsOf(pe: Res): Res[] | Unknown {
        this.zoneGroupIndex ??= this.buildZoneGroups();
        const found = this.zoneGroupIndex.byPe.get(pe) ?? [];
        if (found.length === 0 && this.zoneGroupIndex.unresolved > 0) return UNKNOWN;
        return found;
    }

    /**
     * The zones a zone group registers in: each with its name (from the zone resource or the id's last
     * segment) and the zone resource when it is in the stack. Unresolvable entries are `UNKNOWN`.
     */
    zonesOf(zg: Res): { name: string | Unknown; zone?: Res; label: string }[] {
        const configs = list(get(zg.props, "privateDnsZoneConfigs"));
        if (configs === UNKNOWN) return [{ name: UNKNOWN, label: "privateDnsZoneConfigs" }];
        const depZones = [
            ...new Set(
                (zg.propertyDependencies?.["privateDnsZoneConfigs"] ?? []).filter((d) => d.type === tokens.privateZone),
            ),
        ];
        const out: { name: string | Unknown; zone?: Res; label: string }[] = [];
        const pending: number[] = [];
        configs.forEach((cfg, i) => {
            const id = get(cfg, "privateDnsZoneId");
            const label = `privateDnsZoneConfigs[${i}].privateDnsZoneId`;
            if (typeof id === "string" && id !== "") {
                const zone = this.lookup(id, [tokens.privateZone]);
                const zoneName = zone ? get(zone.props, "privateZoneName") : undefined;
                out.push({ name: typeof zoneName === "string" ? zoneName : lastSegment(id), zone, label });
            } else {
                out.push({ name: UNKNOWN, label });
                pending.push(out.length - 1);
            }
        });
        // Ids not known yet: the URNs of the zones tell which zones they are.
        const unmatched = depZones.filter((z) => !out.some((o) => o.zone === z));
        if (pending.length > 0 && pending.length === unmatched.length) {
            const names = unmatched.map((z) => get(z.props, "privateZoneName"));
            const sorted = unmatched.map((z, k) => ({ z, n: names[k] }));
            pending.forEach((slot, k) => {
                const { z, n } = sorted[k];
                out[slot] = { name: typeof n === "string" ? n : UNKNOWN, zone: z, label: out[slot].label };
            });
        }
        return out;
    }

    private buildLinks() {
        const byZone = new Map<Res, Res[]>();
        let unresolved = 0;
        for (const link of this.ofType(tokens.vnetLink)) {
            const zone = this.resolve(link, "privateZoneName", get(link.props, "privateZoneName"), [
                tokens.privateZone,
            ]);
            if (!zone || zone === UNKNOWN) {
                unresolved++;
                continue;
            }
            const links = byZone.get(zone);
            if (links) links.push(link);
            else byZone.set(zone, [link]);
        }
        return { byZone, unresolved };
    }

    /** The VNets a zone is linked to; `uncertain` when some link's zone or VNet is unknown. */
    linkedVnets(zone: Res): { vnets: Set<string>; uncertain: boolean } {
        this.linkIndex ??= this.buildLinks();
        const vnets = new Set<string>();
        let uncertain = this.linkIndex.unresolved > 0;
        for (const link of this.linkIndex.byZone.get(zone) ?? []) {
            const id = get(link.props, "virtualNetwork.id");
            const vnet = this.resolve(link, "virtualNetwork", id, [tokens.vnet]);
            if (vnet === UNKNOWN) uncertain = true;
            else if (vnet) vnets.add(vnet.urn);
            else if (typeof id === "string") vnets.add(id.toLowerCase());
        }
        return { vnets, uncertain };
    }
}

const indexes = new WeakMap<readonly Res[], StackIndex>();

/** The index of a stack run's resources, built once per resources array. */
export function indexOf(resources: readonly Res[]): StackIndex {
    let index = indexes.get(resources);
    if (!index) {
        index = new StackIndex(resources as Res[]);
        indexes.set(resources, index);
    }
    return index;
}

/** Inputs that name a resource's parent; outputs-only resources carry the parent in their id instead. */
const parentNameKeys = new Set([
    "networkSecurityGroupName",
    "privateEndpointName",
    "privateZoneName",
    "workspaceName",
    "virtualNetworkName",
]);

/** The id of a child resource's parent (its id without the last type/name pair). */
export function parentIdOf(r: Res): string | undefined {
    const id = idOf(r);
    if (!id) return undefined;
    const parts = id.split("/");
    const providers = parts.map((p) => p.toLowerCase()).lastIndexOf("providers");
    // A child has at least provider/type/name/childType/childName after "providers".
    if (providers < 0 || parts.length - providers - 1 < 5) return undefined;
    return parts.slice(0, -2).join("/");
}

export function idOf(r: Res): string | undefined {
    const id = r.id ?? get(r.props, "id");
    return typeof id === "string" && id !== "" && !isUnknownValue(id) ? id : undefined;
}

export function physicalName(r: Res): string | undefined {
    const input = nameInputs[r.type];
    if (r.type === tokens.subnet) {
        const vnet = get(r.props, "virtualNetworkName");
        const subnet = get(r.props, "subnetName");
        if (typeof vnet === "string" && typeof subnet === "string") return `${vnet}/${subnet}`;
        const id = idOf(r);
        const parsed = id ? parseArmId(id) : undefined;
        return parsed?.token === tokens.subnet ? parsed.names.join("/") : undefined;
    }
    const value = input ? get(r.props, input) : undefined;
    if (typeof value === "string" && value !== "") return value;
    const id = idOf(r);
    return id ? lastSegment(id) : undefined;
}

function prefixesOf(props: Record<string, unknown>): Cidr[] | undefined {
    const single = get(props, "addressPrefix");
    const many = list(get(props, "addressPrefixes"));
    if (single === UNKNOWN || many === UNKNOWN) return undefined;
    const all = [single, ...many].filter((v): v is string => typeof v === "string" && !isUnknownValue(v));
    const parsed = all.map(parseCidr).filter((c): c is Cidr => c !== undefined);
    return parsed.length > 0 ? parsed : undefined;
}

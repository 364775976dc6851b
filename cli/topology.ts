import { PlanResource, unknownValue } from "../policy/plan";
import { planIndex } from "./plan-index";

/**
 * The network a set of resources describes, as the report and the diagram show it: VNets and their
 * subnets (inline in the VNet or standalone), each subnet's NSG and rules, NAT gateways, private
 * endpoints with their target service and DNS zones, Bastion hosts, compute clusters.
 *
 * Resources are related through known ARM ids first, then through the URNs in
 * `propertyDependencies` (what a preview with unknown ids still has), then through names.
 */

export const T = {
    vnet: "azure-native:network:VirtualNetwork",
    subnet: "azure-native:network:Subnet",
    nsg: "azure-native:network:NetworkSecurityGroup",
    rule: "azure-native:network:SecurityRule",
    nat: "azure-native:network:NatGateway",
    bastion: "azure-native:network:BastionHost",
    pe: "azure-native:network:PrivateEndpoint",
    zoneGroup: "azure-native:network:PrivateDnsZoneGroup",
    zone: "azure-native:privatedns:PrivateZone",
    zoneLink: "azure-native:privatedns:VirtualNetworkLink",
    storage: "azure-native:storage:StorageAccount",
    vault: "azure-native:keyvault:Vault",
    registry: "azure-native:containerregistry:Registry",
    workspace: "azure-native:machinelearningservices:Workspace",
    compute: "azure-native:machinelearningservices:Compute",
} as const;

export interface NsgRule {
    name: string;
    priority: number | string;
    direction: string;
    access: string;
    protocol: string;
    source: string;
    destination: string;
    ports: string;
}

export interface SubnetView {
    key: string;
    name: string;
    prefix: string;
    id: string | null;
    vnet: PlanResource | undefined;
    /** The standalone Subnet resource, when the subnet is not inline in its VNet. */
    resource?: PlanResource;
    nsg: PlanResource | undefined;
    nsgRules: NsgRule[];
    natGateway: PlanResource | undefined;
}

export interface PrivateEndpointView {
    resource: PlanResource;
    groupIds: string[];
    target: PlanResource | undefined;
    targetId: string;
    subnet: SubnetView | undefined;
    zones: string[];
}

export interface Topology {
    vnets: PlanResource[];
    subnets: SubnetView[];
    privateEndpoints: PrivateEndpointView[];
    bastions: { resource: PlanResource; subnet: SubnetView | undefined }[];
    computes: { resource: PlanResource; subnet: SubnetView | undefined }[];
}

export const isUnknown = (v: unknown) => v === unknownValue;

/** A value for display: the unknown sentinel shows as "(unknown)", lists are comma-joined. */
export function show(value: unknown, fallback = ""): string {
    if (value === undefined || value === null || value === "") return fallback;
    if (isUnknown(value)) return "(unknown)";
    if (Array.isArray(value)) return value.map((v) => show(v)).join(",");
    if (typeof value === "object") return JSON.stringify(value);
    return String(value);
}

const get = (obj: unknown, ...path: string[]): unknown =>
    path.reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), obj);

const knownString = (v: unknown): v is string => typeof v === "string" && v !== "" && !isUnknown(v);

/** `key → values` in insertion order. */
function multiMap<K, V>(): { add(key: K, value: V): void; get(key: K): V[] } {
    const map = new Map<K, V[]>();
    return {
        add(key, value) {
            const list = map.get(key);
            if (list) list.push(value);
            else map.set(key, [value]);
        },
        get: (key) => map.get(key) ?? [],
    };
}

/**
 * The members of `lists` (each in input order) once each, in the order of `position`: what filtering
 * the whole input by "matches any of these relations" returned, from indexes instead of a scan.
 */
function union<V>(position: ReadonlyMap<V, number>, ...lists: (readonly V[])[]): V[] {
    const all = new Set<V>();
    for (const list of lists) for (const v of list) all.add(v);
    return [...all].sort((a, b) => position.get(a)! - position.get(b)!);
}

/**
 * Linear in the number of resources: every relation goes through an index built once (a stack of
 * 100,000 resources is read from a file anyone can write, and must not take quadratic time).
 */
export function analyse(resources: PlanResource[]): Topology {
    // The report and the diagram both draw the same stack: analyse it once.
    let topology = analysed.get(resources);
    if (!topology) analysed.set(resources, (topology = analyseOnce(resources)));
    return topology;
}

const analysed = new WeakMap<PlanResource[], Topology>();

function analyseOnce(resources: PlanResource[]): Topology {
    const { byUrn, byId, ofType, position } = planIndex(resources);

    /** The resource a property refers to: by known id, else by the URNs the property depends on. */
    const ref = (from: PlanResource, prop: string, id: unknown, types: readonly string[]): PlanResource | undefined => {
        if (knownString(id)) {
            const hit = byId.get(id.toLowerCase());
            if (hit) return hit;
        }
        for (const urn of from.propertyDependencies[prop] ?? []) {
            const hit = byUrn.get(urn);
            if (hit && types.includes(hit.type)) return hit;
        }
        return undefined;
    };

    /**
     * Resources of `type` that belong to `owner`: parented by it or depending on it through `prop`; only
     * when neither relation exists, those naming it in input `prop` (when `owner` has a known name in
     * `ownerNameInput`) within the same resource group. A name is unique only inside its resource group,
     * and recorded plans carry names (the provider's auto-names), so an unscoped name match would join
     * every same-named endpoint of a large stack to every other.
     */
    const belonging = (type: string, prop: string) => {
        const byParent = multiMap<string, PlanResource>();
        const byDep = multiMap<string, PlanResource>();
        const byName = multiMap<string, PlanResource>();
        const nameKey = (r: PlanResource, name: string) => `${show(r.inputs.resourceGroupName, "")}\u0000${name}`;
        for (const r of ofType(type)) {
            if (r.parent) byParent.add(r.parent, r);
            for (const urn of new Set(r.propertyDependencies[prop] ?? [])) byDep.add(urn, r);
            const name = r.inputs[prop];
            if (typeof name === "string") byName.add(nameKey(r, name), r);
        }
        return (owner: PlanResource, ownerName: unknown): PlanResource[] => {
            const related = union(position, byParent.get(owner.urn), byDep.get(owner.urn));
            if (related.length > 0 || !knownString(ownerName)) return related;
            return byName.get(nameKey(owner, ownerName));
        };
    };
    const rulesOf = belonging(T.rule, "networkSecurityGroupName");
    const zoneGroupsOf = belonging(T.zoneGroup, "privateEndpointName");

    const rulesMemo = new Map<PlanResource, NsgRule[]>();
    const nsgRules = (nsg: PlanResource | undefined): NsgRule[] => {
        if (!nsg) return [];
        const memo = rulesMemo.get(nsg);
        if (memo) return memo;
        const inline = (get(nsg.inputs, "securityRules") as Record<string, unknown>[] | undefined) ?? [];
        const nsgName = get(nsg.inputs, "networkSecurityGroupName");
        const standalone = rulesOf(nsg, nsgName).map((r): Record<string, unknown> => ({ name: r.name, ...r.inputs }));
        const all: Record<string, unknown>[] = [...(Array.isArray(inline) ? inline : []), ...standalone];
        const rules = all
            .map((rule) => ({
                name: show(rule.name ?? rule.securityRuleName),
                priority: typeof rule.priority === "number" ? rule.priority : show(rule.priority),
                direction: show(rule.direction),
                access: show(rule.access),
                protocol: show(rule.protocol),
                source: show(rule.sourceAddressPrefix ?? rule.sourceAddressPrefixes, "*"),
                destination: show(rule.destinationAddressPrefix ?? rule.destinationAddressPrefixes, "*"),
                ports: show(rule.destinationPortRange ?? rule.destinationPortRanges, "*"),
            }))
            .sort((a, b) => a.direction.localeCompare(b.direction) || Number(a.priority) - Number(b.priority));
        rulesMemo.set(nsg, rules);
        return rules;
    };

    const subnets: SubnetView[] = [];
    const vnets = [...ofType(T.vnet)];
    const vnetByName = new Map<string, PlanResource>();
    for (const v of vnets) {
        const name = v.inputs.virtualNetworkName;
        if (knownString(name) && !vnetByName.has(name)) vnetByName.set(name, v);
    }
    for (const vnet of vnets) {
        const inline = get(vnet.inputs, "subnets");
        for (const s of Array.isArray(inline) ? (inline as Record<string, unknown>[]) : []) {
            const name = show(s.name, "(unnamed)");
            const nsg = ref(vnet, "subnets", get(s, "networkSecurityGroup", "id"), [T.nsg]);
            subnets.push({
                key: `${vnet.urn}/${name}`,
                name,
                prefix: show(s.addressPrefix ?? s.addressPrefixes),
                id: vnet.id ? `${vnet.id}/subnets/${name}` : null,
                vnet,
                nsg: knownString(get(s, "networkSecurityGroup", "id")) ? nsg : undefined,
                nsgRules: [],
                natGateway: knownString(get(s, "natGateway", "id"))
                    ? ref(vnet, "subnets", get(s, "natGateway", "id"), [T.nat])
                    : undefined,
            });
        }
    }
    for (const s of ofType(T.subnet)) {
        const vnetName = s.inputs.virtualNetworkName;
        const vnet =
            ref(s, "virtualNetworkName", undefined, [T.vnet]) ??
            (knownString(vnetName) ? vnetByName.get(vnetName) : undefined);
        const name = show(s.inputs.subnetName, s.name);
        subnets.push({
            key: s.urn,
            name,
            prefix: show(s.inputs.addressPrefix ?? s.inputs.addressPrefixes),
            id: s.id,
            vnet,
            resource: s,
            nsg: ref(s, "networkSecurityGroup", get(s.inputs, "networkSecurityGroup", "id"), [T.nsg]),
            nsgRules: [],
            natGateway: ref(s, "natGateway", get(s.inputs, "natGateway", "id"), [T.nat]),
        });
    }
    for (const s of subnets) s.nsgRules = nsgRules(s.nsg);

    // The first subnet with a given id, and the first standalone subnet of a given resource URN.
    const subnetById = new Map<string, number>();
    const subnetByUrn = new Map<string, number>();
    subnets.forEach((s, i) => {
        const id = s.id?.toLowerCase();
        if (id !== undefined && !subnetById.has(id)) subnetById.set(id, i);
        if (s.resource && !subnetByUrn.has(s.resource.urn)) subnetByUrn.set(s.resource.urn, i);
    });

    /** The subnet an id points at, or (ids unknown) the only subnet of the VNet a property depends on. */
    const subnetOf = (from: PlanResource, prop: string, id: unknown): SubnetView | undefined => {
        if (knownString(id)) {
            const hit = subnetById.get(id.toLowerCase());
            if (hit !== undefined) return subnets[hit];
        }
        // The first subnet, in subnet order, whose resource the property depends on.
        let first: number | undefined;
        for (const urn of from.propertyDependencies[prop] ?? []) {
            const i = subnetByUrn.get(urn);
            if (i !== undefined && (first === undefined || i < first)) first = i;
        }
        return first === undefined ? undefined : subnets[first];
    };

    const zonesOf = (pe: PlanResource): string[] => {
        const groups = zoneGroupsOf(pe, pe.inputs.privateEndpointName);
        const zones: string[] = [];
        for (const g of groups) {
            const configs = get(g.inputs, "privateDnsZoneConfigs");
            for (const c of Array.isArray(configs) ? (configs as Record<string, unknown>[]) : []) {
                const id = c.privateDnsZoneId;
                const zone = knownString(id) ? byId.get(id.toLowerCase()) : undefined;
                if (zone && knownString(zone.inputs.privateZoneName)) zones.push(zone.inputs.privateZoneName);
                else if (knownString(id)) zones.push(id.slice(id.lastIndexOf("/") + 1));
            }
            if (zones.length === 0) {
                for (const urn of g.propertyDependencies.privateDnsZoneConfigs ?? []) {
                    const zone = byUrn.get(urn);
                    if (zone?.type === T.zone) zones.push(show(zone.inputs.privateZoneName, zone.name));
                }
            }
        }
        return zones;
    };

    const serviceTypes = [T.storage, T.vault, T.registry, T.workspace];
    const privateEndpoints: PrivateEndpointView[] = ofType(T.pe).map((pe) => {
        const connections = [
            ...((get(pe.inputs, "privateLinkServiceConnections") as Record<string, unknown>[] | undefined) ?? []),
            ...((get(pe.inputs, "manualPrivateLinkServiceConnections") as Record<string, unknown>[] | undefined) ?? []),
        ];
        const targetId = connections.map((c) => c.privateLinkServiceId).find((v) => v !== undefined);
        const target =
            ref(pe, "privateLinkServiceConnections", targetId, serviceTypes) ??
            ref(pe, "manualPrivateLinkServiceConnections", targetId, serviceTypes);
        return {
            resource: pe,
            groupIds: connections.flatMap((c) => (Array.isArray(c.groupIds) ? c.groupIds.map((g) => show(g)) : [])),
            target,
            targetId: show(targetId),
            subnet: subnetOf(pe, "subnet", get(pe.inputs, "subnet", "id")),
            zones: zonesOf(pe),
        };
    });

    const bastions = ofType(T.bastion).map((b) => {
        const configs = get(b.inputs, "ipConfigurations");
        const id = Array.isArray(configs) ? get(configs[0], "subnet", "id") : undefined;
        return { resource: b, subnet: subnetOf(b, "ipConfigurations", id) };
    });
    const computes = ofType(T.compute).map((c) => ({
        resource: c,
        subnet: subnetOf(c, "properties", get(c.inputs, "properties", "properties", "subnet", "id")),
    }));
    return { vnets, subnets, privateEndpoints, bastions, computes };
}

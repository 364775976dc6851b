import { Cidr, parseCidr } from "../catalog";
import { UNKNOWN, Unknown, get, isUnknownValue, list, raw, tokens } from "../util";
import { Res, dependenciesAt, idOf, parseArmId } from "./ids";
import { ResourceLookup } from "./lookup";

/** The stack's subnets (standalone Subnet resources and VNets' inline `subnets`) and the NSG each names. */

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

export class SubnetIndex {
    private subnetList?: SubnetInfo[];

    constructor(private readonly stack: ResourceLookup) {}

    /** Every subnet of the stack: standalone Subnet resources and VNets' inline `subnets`. */
    subnets(): SubnetInfo[] {
        if (this.subnetList) return this.subnetList;
        const out: SubnetInfo[] = [];
        const standaloneIds = new Set<string>();
        for (const s of this.stack.ofType(tokens.subnet)) {
            out.push(this.standaloneSubnet(s));
            const id = idOf(s);
            if (id) standaloneIds.add(id.toLowerCase());
        }
        for (const v of this.stack.ofType(tokens.vnet)) {
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
        const vnet = this.stack.resolve(s, "virtualNetworkName", get(props, "virtualNetworkName"), [tokens.vnet]);
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
        const target = this.stack.resolve(from, key, idValue, [tokens.subnet, tokens.vnet]);
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
            const vnet = this.stack.lookup(vnetId, [tokens.vnet]);
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
            const nsg = this.stack.resolve(subnet.owner, "networkSecurityGroup", id, [tokens.nsg]);
            return nsg === undefined ? (id ? "external" : undefined) : nsg;
        }
        // Inline in a VNet: the `subnets` property's dependencies hold every subnet's NSG together.
        const found = this.stack.lookup(id, [tokens.nsg]);
        if (found) return found;
        if (id !== UNKNOWN && typeof id === "string") return "external";
        const deps = [...new Set(dependenciesAt(subnet.owner, "subnets").filter((d) => d.type === tokens.nsg))];
        const withNsg = this.subnetsOwnedBy(subnet.owner).filter(
            (s) => s.props && get(s.props, "networkSecurityGroup") !== undefined,
        );
        return deps.length === 1 && withNsg.length === 1 ? deps[0] : UNKNOWN;
    }
}

function prefixesOf(props: Record<string, unknown>): Cidr[] | undefined {
    const single = get(props, "addressPrefix");
    const many = list(get(props, "addressPrefixes"));
    if (single === UNKNOWN || many === UNKNOWN) return undefined;
    const all = [single, ...many].filter((v): v is string => typeof v === "string" && !isUnknownValue(v));
    const parsed = all.map(parseCidr).filter((c): c is Cidr => c !== undefined);
    return parsed.length > 0 ? parsed : undefined;
}

import { Memo, UNKNOWN, Unknown, get, list, memoWithHidden, tokens } from "../util";
import { Res, dependenciesAt, groupOf, lastSegment } from "./ids";
import { ResourceLookup } from "./lookup";

/**
 * Whether a child (a link, a zone group) found its parent by name alone but names another resource
 * group: a zone or private endpoint of the same name in another group (a hub's) is another resource.
 */
function otherGroup(child: Res, parent: Res, key: string): boolean {
    if (dependenciesAt(child, key).includes(parent)) return false;
    const a = groupOf(child);
    const b = groupOf(parent);
    return a !== undefined && b !== undefined && a !== b;
}

/**
 * The VNets a zone is linked to (URN in the stack, else lower-case id), the links to each, and the
 * links that might link it elsewhere but cannot be told yet.
 */
export interface LinkedVnets {
    vnets: Set<string>;
    links: Map<string, Res[]>;
    uncertain: Res[];
}

/** Private DNS: each private endpoint's zone groups, the zones they name, and the VNets each zone is linked to. */
export class DnsIndex {
    private zoneGroupIndex?: { byPe: Map<Res, Res[]>; unresolved: Res[] };
    private linkIndex?: { byZone: Map<Res, Res[]>; unresolved: Res[] };

    constructor(private readonly stack: ResourceLookup) {}

    /**
     * Zone groups by private endpoint. A zone group whose endpoint is known to be outside the stack
     * (its name or id names none of the stack's, or one in another resource group) belongs to no
     * endpoint here: it is not "unresolved", so it hides no endpoint's missing zone group. Only a zone
     * group whose endpoint cannot be told yet is.
     */
    private buildZoneGroups() {
        const byPe = new Map<Res, Res[]>();
        const unresolved: Res[] = [];
        for (const zg of this.stack.ofType(tokens.zoneGroup)) {
            const pe = this.stack.resolve(zg, "privateEndpointName", get(zg.props, "privateEndpointName"), [
                tokens.privateEndpoint,
            ]);
            if (pe === UNKNOWN) {
                unresolved.push(zg);
                continue;
            }
            if (!pe || otherGroup(zg, pe, "privateEndpointName")) continue;
            const groups = byPe.get(pe);
            if (groups) groups.push(zg);
            else byPe.set(pe, [zg]);
        }
        return { byPe, unresolved };
    }

    /** A PE's zone groups; `UNKNOWN` if it has none known but some zone group's endpoint cannot be told yet. */
    zoneGroupsOf(pe: Res): Res[] | Unknown {
        this.zoneGroupIndex ??= this.buildZoneGroups();
        const found = this.zoneGroupIndex.byPe.get(pe) ?? [];
        if (found.length === 0 && this.zoneGroupIndex.unresolved.length > 0) return UNKNOWN;
        return found;
    }

    /** The zone groups whose private endpoint cannot be told yet (for messages). */
    unresolvedZoneGroups(): Res[] {
        this.zoneGroupIndex ??= this.buildZoneGroups();
        return this.zoneGroupIndex.unresolved;
    }

    /**
     * The zones a zone group registers in: each with its name (from the zone resource or the id's last
     * segment) and the zone resource when it is in the stack. Unresolvable entries are `UNKNOWN`.
     */
    zonesOf(zg: Res): { name: string | Unknown; zone?: Res; label: string }[] {
        // Asked per private endpoint by several policies: worked out once per zone group (read-only).
        return memoWithHidden(this.zones, zg, () => this.buildZonesOf(zg));
    }
    private readonly zones = new Map<Res, Memo<{ name: string | Unknown; zone?: Res; label: string }[]>>();

    private buildZonesOf(zg: Res): { name: string | Unknown; zone?: Res; label: string }[] {
        const configs = list(get(zg.props, "privateDnsZoneConfigs"));
        if (configs === UNKNOWN) return [{ name: UNKNOWN, label: "privateDnsZoneConfigs" }];
        const depZones = [
            ...new Set(dependenciesAt(zg, "privateDnsZoneConfigs").filter((d) => d.type === tokens.privateZone)),
        ];
        const out: { name: string | Unknown; zone?: Res; label: string }[] = [];
        const pending: number[] = [];
        configs.forEach((cfg, i) => {
            const id = get(cfg, "privateDnsZoneId");
            const label = `privateDnsZoneConfigs[${i}].privateDnsZoneId`;
            if (typeof id === "string" && id !== "") {
                const zone = this.stack.lookup(id, [tokens.privateZone]);
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

    /**
     * Links by zone. As for zone groups, a link of a zone outside the stack (a hub's zone of the same
     * name in another resource group among them) is no link of the stack's zones; only a link whose
     * zone cannot be told yet makes every zone's links uncertain.
     */
    private buildLinks() {
        const byZone = new Map<Res, Res[]>();
        const unresolved: Res[] = [];
        for (const link of this.stack.ofType(tokens.vnetLink)) {
            const zone = this.stack.resolve(link, "privateZoneName", get(link.props, "privateZoneName"), [
                tokens.privateZone,
            ]);
            if (zone === UNKNOWN) {
                unresolved.push(link);
                continue;
            }
            if (!zone || otherGroup(link, zone, "privateZoneName")) continue;
            const links = byZone.get(zone);
            if (links) links.push(link);
            else byZone.set(zone, [link]);
        }
        return { byZone, unresolved };
    }

    /**
     * The VNets a zone is linked to; `uncertain` names the links that might link it to another VNet
     * but cannot be told yet (a link whose zone, or one of this zone's links whose VNet, is unknown).
     */
    linkedVnets(zone: Res): LinkedVnets {
        // Once per zone: each private endpoint registering in it asks (callers only read the result).
        return memoWithHidden(this.linked, zone, () => this.buildLinkedVnets(zone));
    }
    private readonly linked = new Map<Res, Memo<LinkedVnets>>();

    private buildLinkedVnets(zone: Res): LinkedVnets {
        this.linkIndex ??= this.buildLinks();
        const vnets = new Set<string>();
        const uncertain = [...this.linkIndex.unresolved];
        const links = new Map<string, Res[]>();
        for (const link of this.linkIndex.byZone.get(zone) ?? []) {
            const id = get(link.props, "virtualNetwork.id");
            const vnet = this.stack.resolve(link, "virtualNetwork", id, [tokens.vnet]);
            if (vnet === UNKNOWN) {
                uncertain.push(link);
                continue;
            }
            const key = vnet ? vnet.urn : typeof id === "string" ? id.toLowerCase() : undefined;
            if (key === undefined) continue;
            vnets.add(key);
            const same = links.get(key);
            if (same) same.push(link);
            else links.set(key, [link]);
        }
        return { vnets, uncertain, links };
    }
}

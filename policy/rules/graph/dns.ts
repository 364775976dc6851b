import { UNKNOWN, Unknown, get, list, tokens } from "../util";
import { Res, lastSegment } from "./ids";
import { ResourceLookup } from "./lookup";

/** Private DNS: each private endpoint's zone groups, the zones they name, and the VNets each zone is linked to. */
export class DnsIndex {
    private zoneGroupIndex?: { byPe: Map<Res, Res[]>; unresolved: number };
    private linkIndex?: { byZone: Map<Res, Res[]>; unresolved: number };

    constructor(private readonly stack: ResourceLookup) {}

    private buildZoneGroups() {
        const byPe = new Map<Res, Res[]>();
        let unresolved = 0;
        for (const zg of this.stack.ofType(tokens.zoneGroup)) {
            const pe = this.stack.resolve(zg, "privateEndpointName", get(zg.props, "privateEndpointName"), [
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

    private buildLinks() {
        const byZone = new Map<Res, Res[]>();
        let unresolved = 0;
        for (const link of this.stack.ofType(tokens.vnetLink)) {
            const zone = this.stack.resolve(link, "privateZoneName", get(link.props, "privateZoneName"), [
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
            const vnet = this.stack.resolve(link, "virtualNetwork", id, [tokens.vnet]);
            if (vnet === UNKNOWN) uncertain = true;
            else if (vnet) vnets.add(vnet.urn);
            else if (typeof id === "string") vnets.add(id.toLowerCase());
        }
        return { vnets, uncertain };
    }
}

import { Memo, UNKNOWN, Unknown, get, isUnknownValue, list, memoWithHidden, tokens } from "../util";
import { Res } from "./ids";
import { ResourceLookup } from "./lookup";
import { SubnetIndex } from "./subnets";

/** Each private endpoint's targets and group ids, both ways, and the VNet it sits in. */

const peTargets = [tokens.storage, tokens.vault, tokens.registry, tokens.workspace];

export class PrivateEndpointIndex {
    private peIndex?: {
        byTarget: Map<Res, { pe: Res; groupIds: string[] }[]>;
        byPe: Map<Res, { target: Res; groupIds: string[] }[]>;
        unresolvedGroups: Set<string>;
    };

    constructor(
        private readonly stack: ResourceLookup,
        private readonly subnetIndex: SubnetIndex,
    ) {}

    private buildPes() {
        const byTarget = new Map<Res, { pe: Res; groupIds: string[] }[]>();
        const byPe = new Map<Res, { target: Res; groupIds: string[] }[]>();
        const unresolvedGroups = new Set<string>();
        for (const pe of this.stack.ofType(tokens.privateEndpoint)) {
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
                    const target = this.stack.resolve(pe, key, get(conn, "privateLinkServiceId"), peTargets);
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

    /**
     * The private endpoints of `target` for `groupId`; `UNKNOWN` if none is known but an unresolved PE
     * might be. Asked of the same target and group by many rules and journeys: found once per pair
     * (the list is shared, so callers only read it).
     */
    privateEndpointsFor(target: Res, groupId: string): readonly Res[] | Unknown {
        let byGroup = this.endpointsByTarget.get(target);
        if (!byGroup) this.endpointsByTarget.set(target, (byGroup = new Map()));
        let found = byGroup.get(groupId);
        if (found === undefined) byGroup.set(groupId, (found = this.findPrivateEndpoints(target, groupId)));
        return found;
    }
    private readonly endpointsByTarget = new Map<Res, Map<string, readonly Res[] | Unknown>>();

    private findPrivateEndpoints(target: Res, groupId: string): readonly Res[] | Unknown {
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
        return memoWithHidden(this.vnets, pe, () => this.findVnetOfPe(pe));
    }
    private readonly vnets = new Map<Res, Memo<string | Unknown | undefined>>();

    private findVnetOfPe(pe: Res): string | Unknown | undefined {
        const subnet = this.subnetIndex.subnetOf(pe, "subnet", get(pe.props, "subnet.id"));
        if (subnet === UNKNOWN) return UNKNOWN;
        return subnet?.vnetKey;
    }
}

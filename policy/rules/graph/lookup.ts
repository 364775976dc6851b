import { UNKNOWN, Unknown, get, isUnknownValue, tokens } from "../util";
import {
    Res,
    Resolved,
    dependenciesAt,
    groupOf,
    idOf,
    parentIdOf,
    parentNameKeys,
    parseArmId,
    physicalName,
} from "./ids";

/**
 * The stack's resources by URN, type, ARM id and physical name, and the one way every relation is
 * resolved: through the URNs in `propertyDependencies` first (known in a first preview), then through
 * ARM ids, then through names, and `UNKNOWN` when none of those can tell yet.
 */
export class ResourceLookup {
    readonly byType = new Map<string, Res[]>();
    private readonly memos = new Map<string, unknown>();

    constructor(readonly resources: Res[]) {
        for (const r of resources) {
            let ofType = this.byType.get(r.type);
            if (!ofType) this.byType.set(r.type, (ofType = []));
            ofType.push(r);
        }
    }

    /**
     * A type's resources by lower-case ARM id, and by physical name, each built on the first lookup of
     * that type: most relations resolve through `propertyDependencies` first, lookups ask for one or two
     * types (subnets, zones, NSGs), and maps of every resource's long id and name strings were a tenth
     * of a stack run.
     */
    private idsOf(type: string): Map<string, Res> {
        let ids = this.idIndex.get(type);
        if (!ids) {
            ids = new Map();
            for (const r of this.ofType(type)) {
                const id = idOf(r);
                if (id) ids.set(id.toLowerCase(), r);
            }
            this.idIndex.set(type, ids);
        }
        return ids;
    }
    private readonly idIndex = new Map<string, Map<string, Res>>();

    private namesOf(type: string): Map<string, Res[]> {
        let names = this.nameIndex.get(type);
        if (!names) {
            names = new Map();
            for (const r of this.ofType(type)) {
                const name = physicalName(r)?.toLowerCase();
                if (!name) continue;
                const named = names.get(name);
                if (named) named.push(r);
                else names.set(name, [r]);
            }
            this.nameIndex.set(type, names);
        }
        return names;
    }
    private readonly nameIndex = new Map<string, Map<string, Res[]>>();

    /** A value derived from the whole stack, computed once per index. */
    memo<T>(key: string, compute: () => T): T {
        if (!this.memos.has(key)) this.memos.set(key, compute());
        return this.memos.get(key) as T;
    }

    /** The VNet a VNet key names when it is the URN of one in the stack (SubnetInfo.vnetKey). */
    vnetOfKey(key: string): Res | undefined {
        // Only VNets are asked by key: a map of the stack's 10,000 URNs would be built for a few dozen.
        this.vnetsByUrn ??= new Map(this.ofType(tokens.vnet).map((v) => [v.urn, v]));
        return this.vnetsByUrn.get(key);
    }
    private vnetsByUrn?: Map<string, Res>;

    /** A label for a VNet key (URN of a VNet in the stack, or a lower-case id). */
    vnetLabel(key: string): string {
        const r = this.vnetOfKey(key);
        return r ? `VNet "${r.name}"` : key.startsWith("name:") ? `VNet "${key.slice(5)}"` : `VNet ${key}`;
    }

    ofType(type: string): Res[] {
        return this.byType.get(type) ?? [];
    }

    /** A resource by its ARM id or (for `…Name` inputs) by its name, among `types`. */
    lookup(value: unknown, types: readonly string[]): Res | undefined {
        if (typeof value !== "string" || value === "" || isUnknownValue(value)) return undefined;
        const lower = value.toLowerCase();
        // Indexed loops here and in distinctOfTypes: asked thousands of times, mostly before the JIT
        // optimises them, where a for-of allocates an iterator and a result per step.
        for (let i = 0; i < types.length; i++) {
            const byId = this.idsOf(types[i]).get(lower);
            if (byId) return byId;
        }
        if (value.startsWith("/")) {
            const parsed = parseArmId(value);
            if (!parsed?.token || !types.includes(parsed.token)) return undefined;
            const key = parsed.token === tokens.subnet ? parsed.names.join("/") : parsed.name;
            const named = this.unique(parsed.token, key.toLowerCase());
            // A resource of the same name whose own id is known and different is another resource (a
            // hub's zone of the same name in another subscription), not this one; without its id (the
            // analyzer's resources have none), one whose resource group is known and different is too.
            if (!named) return undefined;
            const namedId = idOf(named);
            if (namedId) return namedId.toLowerCase() === lower ? named : undefined;
            const group = groupOf(named);
            const wanted = parsed.resourceGroup?.toLowerCase();
            return group !== undefined && wanted !== undefined && group !== wanted ? undefined : named;
        }
        for (let i = 0; i < types.length; i++) {
            const found = this.unique(types[i], lower);
            if (found) return found;
        }
        return undefined;
    }

    private unique(type: string, name: string): Res | undefined {
        const found = this.namesOf(type).get(name);
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
        const uniqueDeps = distinctOfTypes(dependenciesAt(from, key), types);
        if (uniqueDeps !== undefined && !Array.isArray(uniqueDeps)) return uniqueDeps;
        // A child with neither its parent's name nor its own id: the parent cannot be told.
        if (value === undefined && parentNameKeys.has(key) && uniqueDeps === undefined) return UNKNOWN;
        const found = this.lookup(value, types);
        if (uniqueDeps !== undefined) return found && uniqueDeps.includes(found) ? found : UNKNOWN;
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
}

/**
 * The distinct resources of `types` among `deps`: undefined when none, the one when one (a relation's
 * usual case, which allocates nothing), else all of them in order.
 */
function distinctOfTypes(deps: readonly Res[], types: readonly string[]): Res | Res[] | undefined {
    let first: Res | undefined;
    let all: Res[] | undefined;
    for (let i = 0; i < deps.length; i++) {
        const d = deps[i];
        if (!types.includes(d.type) || d === first) continue;
        if (first === undefined) first = d;
        else if (!all) all = [first, d];
        else if (!all.includes(d)) all.push(d);
    }
    return all ?? first;
}

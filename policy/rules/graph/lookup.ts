import { UNKNOWN, Unknown, get, isUnknownValue, tokens } from "../util";
import { Res, Resolved, dependenciesAt, idOf, parentIdOf, parentNameKeys, parseArmId, physicalName } from "./ids";

/**
 * The stack's resources by URN, type, ARM id and physical name, and the one way every relation is
 * resolved: through the URNs in `propertyDependencies` first (known in a first preview), then through
 * ARM ids, then through names, and `UNKNOWN` when none of those can tell yet.
 */
export class ResourceLookup {
    readonly byUrn = new Map<string, Res>();
    readonly byType = new Map<string, Res[]>();
    private readonly memos = new Map<string, unknown>();

    constructor(readonly resources: Res[]) {
        for (const r of resources) {
            this.byUrn.set(r.urn, r);
            let ofType = this.byType.get(r.type);
            if (!ofType) this.byType.set(r.type, (ofType = []));
            ofType.push(r);
        }
    }

    /**
     * Resources by lower-case ARM id, and by type and physical name, each built on its first use: most
     * relations resolve through `propertyDependencies` first, an id lookup mostly hits, and these maps
     * of every resource's long id and name strings were a tenth of a stack run.
     */
    private get byId(): Map<string, Res> {
        if (!this.idIndex) {
            this.idIndex = new Map();
            for (const r of this.resources) {
                const id = idOf(r);
                if (id) this.idIndex.set(id.toLowerCase(), r);
            }
        }
        return this.idIndex;
    }
    private idIndex?: Map<string, Res>;

    private get byName(): Map<string, Res[]> {
        if (!this.nameIndex) {
            this.nameIndex = new Map();
            for (const r of this.resources) {
                const name = physicalName(r);
                if (!name) continue;
                const key = `${r.type}|${name.toLowerCase()}`;
                const named = this.nameIndex.get(key);
                if (named) named.push(r);
                else this.nameIndex.set(key, [r]);
            }
        }
        return this.nameIndex;
    }
    private nameIndex?: Map<string, Res[]>;

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
        const uniqueDeps = distinctOfTypes(dependenciesAt(from, key), types);
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
}

/** The distinct resources of `types` among `deps`, in order (no allocation but the result). */
function distinctOfTypes(deps: readonly Res[], types: readonly string[]): Res[] {
    const out: Res[] = [];
    for (const d of deps) if (types.includes(d.type) && !out.includes(d)) out.push(d);
    return out;
}

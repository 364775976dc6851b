import type { PlanResource } from "../policy/plan";

/**
 * Synthetic stacks for the policy benchmark: the dev plan's resources cloned until the stack holds about
 * `target` resources, each clone rewritten so that every relation stays inside the clone and nothing
 * collides across clones:
 *
 * - URNs (the resource's own, `parent`, `dependencies`, `propertyDependencies`) map to the clone's;
 *   logical names get a `-c<n>` suffix (so do URNs);
 * - each resource group name becomes `<name>-c<n>`: every ARM id, `resourceGroupName` input and
 *   string that embeds them moves to the clone's group, so ids stay unique and consistent;
 * - the globally unique names (storage account, key vault, registry) keep their length and character
 *   set with their last three characters replaced by the clone's number in base 36, everywhere they
 *   occur (ids, name inputs, login servers, endpoints).
 *
 * Private DNS zone names, subnet names and the like are left alone: each clone has its own zones in its
 * own resource group, as a second copy of the stack in another group would. The stack resource and
 * providers (`pulumi:` types) are shared, not cloned. A valid plan stays valid: the synthetic stack
 * should produce the base plan's violations times the number of clones (zero mandatory for dev).
 */

const globalNameInputs: Record<string, string> = {
    "azure-native:storage:StorageAccount": "accountName",
    "azure-native:keyvault:Vault": "vaultName",
    "azure-native:containerregistry:Registry": "registryName",
};

export interface Synthetic {
    resources: PlanResource[];
    copies: number;
}

export function synthesize(base: PlanResource[], target: number): Synthetic {
    const shared = base.filter((r) => r.type.startsWith("pulumi:"));
    const clonable = base.filter((r) => !r.type.startsWith("pulumi:"));
    if (clonable.length === 0) throw new Error("synthesize: the base plan has no resources to clone");
    const copies = Math.max(1, Math.round((target - shared.length) / clonable.length));
    if (copies > 36 ** 3) throw new Error(`synthesize: ${copies} copies exceed the ${36 ** 3} distinct name suffixes`);

    const groups = new Set<string>();
    const globals = new Set<string>();
    for (const r of clonable) {
        const group = r.inputs?.resourceGroupName;
        if (typeof group === "string" && group !== "") groups.add(group);
        for (const id of [r.id, ...stringsIn(r.inputs)]) {
            const m = typeof id === "string" ? /\/resourceGroups\/([^/]+)/i.exec(id) : null;
            if (m) groups.add(m[1]);
        }
        const input = globalNameInputs[r.type];
        const name = input ? r.inputs?.[input] : undefined;
        if (typeof name === "string" && name.length >= 4) globals.add(name);
    }
    // Longest first, so a name that contains another is replaced whole.
    const tokens = [...groups, ...globals].sort((a, b) => b.length - a.length);
    const pattern = tokens.length > 0 ? new RegExp(tokens.map(escapeRegExp).join("|"), "g") : undefined;

    const out: PlanResource[] = [...shared.map((r) => structuredClone(r))];
    for (let n = 0; n < copies; n++) {
        const tag = `c${n}`;
        const suffix = n.toString(36).padStart(3, "0");
        const urns = new Map(clonable.map((r) => [r.urn, `${r.urn}-${tag}`]));
        const replacement = new Map<string, string>();
        for (const g of groups) replacement.set(g, `${g}-${tag}`);
        for (const g of globals) replacement.set(g, g.slice(0, -3) + suffix);
        const rewrite = (s: string): string => {
            const urn = urns.get(s);
            if (urn !== undefined) return urn;
            return pattern ? s.replace(pattern, (m) => replacement.get(m) ?? m) : s;
        };
        for (const r of clonable) {
            out.push({
                ...r,
                urn: urns.get(r.urn)!,
                name: `${r.name}-${tag}`,
                id: r.id === null ? null : rewrite(r.id),
                parent: r.parent === null ? null : rewrite(r.parent),
                dependencies: r.dependencies.map(rewrite),
                propertyDependencies: Object.fromEntries(
                    Object.entries(r.propertyDependencies).map(([k, v]) => [k, v.map(rewrite)]),
                ),
                inputs: mapStrings(r.inputs, rewrite) as Record<string, unknown>,
            });
        }
    }
    return { resources: out, copies };
}

function mapStrings(value: unknown, f: (s: string) => string): unknown {
    if (typeof value === "string") return f(value);
    if (Array.isArray(value)) return value.map((v) => mapStrings(v, f));
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, f)]));
    }
    return value;
}

function stringsIn(value: unknown): string[] {
    if (typeof value === "string") return [value];
    if (Array.isArray(value)) return value.flatMap(stringsIn);
    if (value !== null && typeof value === "object") return Object.values(value).flatMap(stringsIn);
    return [];
}

function escapeRegExp(s: string): string {
    return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

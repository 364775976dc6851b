import type { PlanResource } from "../policy/plan";

/**
 * A plan's resources by URN, by ARM id (lower case) and by type, built once per resources array and
 * shared by the report's topology, its egress section and the diagram: each indexed a stack of
 * 100,000 resources for itself before (three maps of 100,000 long keys each).
 */
export interface PlanIndex {
    byUrn: ReadonlyMap<string, PlanResource>;
    /** By `id.toLowerCase()`: ARM ids are case-insensitive. */
    byId: ReadonlyMap<string, PlanResource>;
    /** The resources of a type, in the plan's order. */
    ofType(type: string): readonly PlanResource[];
    /** Each resource's position in the plan. */
    position: ReadonlyMap<PlanResource, number>;
}

export function planIndex(resources: readonly PlanResource[]): PlanIndex {
    let index = indexes.get(resources);
    if (!index) indexes.set(resources, (index = build(resources)));
    return index;
}

const indexes = new WeakMap<readonly PlanResource[], PlanIndex>();

function build(resources: readonly PlanResource[]): PlanIndex {
    const byUrn = new Map<string, PlanResource>();
    const byId = new Map<string, PlanResource>();
    const byType = new Map<string, PlanResource[]>();
    const position = new Map<PlanResource, number>();
    resources.forEach((r, i) => {
        byUrn.set(r.urn, r);
        if (r.id) byId.set(r.id.toLowerCase(), r);
        const list = byType.get(r.type);
        if (list) list.push(r);
        else byType.set(r.type, [r]);
        position.set(r, i);
    });
    return { byUrn, byId, ofType: (type) => byType.get(type) ?? [], position };
}

import type { PlanResource } from "../policy/plan";
import { provisioningTime } from "./provisioning-times";

/**
 * The estimated wall time of a first `pulumi up`: the longest chain through the plan's dependency graph,
 * each resource weighted with its type's provisioning time (components and the stack weigh 0). The
 * engine creates a resource once everything it depends on exists, so with unlimited parallelism the
 * deployment takes as long as its heaviest chain.
 *
 * Two graphs of the same stack are compared: `declared` uses each resource's `dependencies` (every
 * input's resources plus `dependsOn`), `data` only the union of its `propertyDependencies` (what its
 * inputs really need). A ratio above 1 means an ordering-only edge (a `dependsOn`, typically on a whole
 * component) makes the deployment wait for something it does not use.
 */

export interface ChainStep {
    name: string;
    type: string;
    minutes: number;
    /** Finish time of this step along the chain. */
    at: number;
}

export interface CriticalPath {
    minutes: number;
    /** The heaviest chain, first resource first; only resources that take time. */
    chain: ChainStep[];
}

export type EdgeSet = (resource: PlanResource) => Iterable<string>;

/** A custom parent must exist before its child is created (the SDK waits for the parent's URN). */
function parentEdge(resource: PlanResource, byUrn: Map<string, PlanResource>): string[] {
    const parent = resource.parent ? byUrn.get(resource.parent) : undefined;
    return parent?.custom ? [parent.urn] : [];
}

export const declaredEdges: EdgeSet = (r) => r.dependencies ?? [];
export const dataEdges: EdgeSet = (r) => new Set(Object.values(r.propertyDependencies ?? {}).flat());

export function criticalPath(resources: PlanResource[], edges: EdgeSet): CriticalPath {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const finish = new Map<string, number>();
    const via = new Map<string, string | undefined>();
    const visiting = new Set<string>();

    const visit = (urn: string): number => {
        const known = finish.get(urn);
        if (known !== undefined) return known;
        const resource = byUrn.get(urn);
        if (!resource) return 0; // outside the plan (e.g. an existing resource): already there
        if (visiting.has(urn)) throw new Error(`dependency cycle through ${urn}`);
        visiting.add(urn);
        let start = 0;
        let before: string | undefined;
        for (const dep of new Set([...edges(resource), ...parentEdge(resource, byUrn)])) {
            const t = visit(dep);
            if (t > start) {
                start = t;
                before = dep;
            }
        }
        visiting.delete(urn);
        const end = start + provisioningTime(resource.type, resource.custom).minutes;
        finish.set(urn, end);
        via.set(urn, before);
        return end;
    };

    let last: string | undefined;
    let total = 0;
    for (const r of resources) {
        const t = visit(r.urn);
        if (t > total) {
            total = t;
            last = r.urn;
        }
    }
    const chain: ChainStep[] = [];
    for (let urn = last; urn !== undefined; urn = via.get(urn)) {
        const r = byUrn.get(urn)!;
        const minutes = provisioningTime(r.type, r.custom).minutes;
        if (minutes > 0) chain.unshift({ name: r.name, type: r.type, minutes, at: finish.get(urn)! });
    }
    return { minutes: total, chain };
}

/** Ordering-only edges (in `dependencies`, not in `propertyDependencies`): "<dependent> waits for <dependency>". */
export function orderingOnlyEdges(resources: PlanResource[]): { from: string; to: string }[] {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const out: { from: string; to: string }[] = [];
    for (const r of resources) {
        const data = new Set(dataEdges(r));
        for (const dep of declaredEdges(r)) {
            if (!data.has(dep)) out.push({ from: r.name, to: byUrn.get(dep)?.name ?? dep });
        }
    }
    return out;
}

/** Short form of a type token for the report: `network:BastionHost`. */
export function shortType(type: string): string {
    return type.replace(/^azure-native:/, "");
}

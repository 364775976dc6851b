import type { PlanResource } from "../policy/plan";

/**
 * The resource tree as `pulumi preview` draws it, built in time and output linear in the number of
 * resources, without recursion: a stack is read from a file anyone can write, so a parent chain
 * 10,000 deep or 130,000 children of one parent must not overflow the call stack or take minutes.
 *
 * - Leaf siblings of one type share a row (eight private DNS zones are one row), so the tree fits a
 *   screen; a resource with children always has a row of its own.
 * - Every resource appears in exactly one row, children after their parent. A resource whose parent
 *   is not in the stack is a root; resources whose parents form a cycle (hostile input) are drawn
 *   from the first of them in input order, marked `(parent cycle)`.
 * - Below `maxDrawnDepth` levels the indentation stops growing (each deeper row says its depth), so a
 *   deep chain costs a bounded width per row rather than a width growing with its depth.
 */

/** Levels drawn with their own indentation; deeper rows keep this indentation and show their depth. */
export const maxDrawnDepth = 24;

export interface TreeRow {
    /** 0 for a root. */
    depth: number;
    /** The drawn prefix: indentation and the branch (`├─ `, `└─ `), plus the depth beyond `maxDrawnDepth`. */
    prefix: string;
    /** One resource, or leaf siblings of one type, in input order. */
    members: PlanResource[];
    /** The first member's parents form a cycle, so it is drawn as a root. */
    cycle?: boolean;
}

interface Frame {
    entries: PlanResource[][];
    next: number;
    depth: number;
    /** The indentation of this level's rows (without their branch). */
    indent: string;
}

export function treeRows(resources: readonly PlanResource[]): TreeRow[] {
    const present = new Set<string>();
    for (const r of resources) present.add(r.urn);
    // Children of each parent URN in input order; null holds the roots.
    const children = new Map<string | null, PlanResource[]>();
    for (const r of resources) {
        const parent = r.parent && present.has(r.parent) ? r.parent : null;
        const list = children.get(parent);
        if (list) list.push(r);
        else children.set(parent, [r]);
    }
    const placed = new Set<PlanResource>();
    // A URN's children are drawn once, under the first row that holds it (a duplicated URN, which
    // `audit` rejects, would otherwise draw them twice).
    const expanded = new Set<string>();

    /** A parent's children as rows: leaves of one type grouped, in order of first appearance. */
    const entriesOf = (parent: string | null): PlanResource[][] => {
        const entries: PlanResource[][] = [];
        const leafGroups = new Map<string, PlanResource[]>();
        for (const r of children.get(parent) ?? []) {
            if (placed.has(r)) continue;
            placed.add(r);
            if (children.has(r.urn)) {
                entries.push([r]);
                continue;
            }
            const group = leafGroups.get(r.type);
            if (group) group.push(r);
            else {
                const fresh = [r];
                leafGroups.set(r.type, fresh);
                entries.push(fresh);
            }
        }
        return entries;
    };

    const rows: TreeRow[] = [];
    const draw = (roots: PlanResource[][], cycle: boolean) => {
        const stack: Frame[] = [{ entries: roots, next: 0, depth: 0, indent: "" }];
        while (stack.length > 0) {
            const frame = stack[stack.length - 1];
            if (frame.next >= frame.entries.length) {
                stack.pop();
                continue;
            }
            const members = frame.entries[frame.next++];
            const last = frame.next === frame.entries.length;
            const branch = frame.depth === 0 ? "" : last ? "└─ " : "├─ ";
            const deep = frame.depth > maxDrawnDepth ? `(depth ${frame.depth}) ` : "";
            rows.push({
                depth: frame.depth,
                prefix: `${frame.indent}${branch}${deep}`,
                members,
                ...(cycle && frame.depth === 0 ? { cycle: true } : {}),
            });
            const head = members[0];
            if (members.length === 1 && children.has(head.urn) && !expanded.has(head.urn)) {
                expanded.add(head.urn);
                const entries = entriesOf(head.urn);
                if (entries.length === 0) continue;
                const indent =
                    frame.depth === 0 || frame.depth >= maxDrawnDepth
                        ? frame.indent
                        : frame.indent + (last ? "   " : "│  ");
                stack.push({ entries, next: 0, depth: frame.depth + 1, indent });
            }
        }
    };

    draw(entriesOf(null), false);
    // Whatever is left sits on a parent cycle: draw each cycle from its first resource in input order.
    if (placed.size < resources.length) {
        const byUrn = new Map<string, PlanResource>();
        for (const r of resources) if (!byUrn.has(r.urn)) byUrn.set(r.urn, r);
        for (const r of resources) {
            if (placed.has(r)) continue;
            // Up the parents to the first resource seen twice: that one is on the cycle. The walk only
            // crosses unplaced resources, all of which the draw below places, so the total stays linear.
            const seen = new Set<PlanResource>();
            let onCycle = r;
            while (!seen.has(onCycle)) {
                seen.add(onCycle);
                const up = onCycle.parent ? byUrn.get(onCycle.parent) : undefined;
                if (!up || placed.has(up)) break;
                onCycle = up;
            }
            placed.add(onCycle);
            draw([[onCycle]], true);
            if (!placed.has(r)) {
                placed.add(r);
                draw([[r]], true);
            }
        }
    }
    return rows;
}

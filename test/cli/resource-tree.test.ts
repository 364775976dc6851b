import * as assert from "assert";
import fc from "fast-check";
import { formatReport } from "../../cli/report";
import { maxDrawnDepth, treeRows, TreeRow } from "../../cli/resource-tree";
import type { PlanJson, PlanResource } from "../../policy/plan";

/**
 * The resource tree at any shape and size (issue 14): every resource in exactly one row, children
 * after their parents, no recursion (a 10,000-deep chain), linear grouping (130,000 children of one
 * parent). Shapes come from fast-check; the oracle is the tree's earlier recursive, quadratic
 * implementation, which is right wherever it finishes.
 */

const types = ["azure-native:network:PrivateEndpoint", "azure-native:privatedns:PrivateZone", "x:y:Z"];
const urnOf = (i: number) => `urn:pulumi:dev::p::t::r${i}`;
const missing = "urn:pulumi:dev::p::t::not-in-the-stack";

function res(i: number, type: string, parent: string | null, protect = false): PlanResource {
    return {
        urn: urnOf(i),
        type,
        name: `r${i}`,
        id: null,
        custom: true,
        parent,
        dependencies: [],
        propertyDependencies: {},
        inputs: {},
        protect,
    };
}

/** The earlier implementation, recursive and quadratic: the oracle for stacks without parent cycles. */
function reference(resources: PlanResource[]): { prefix: string; members: PlanResource[]; depth: number }[] {
    const urns = new Set(resources.map((r) => r.urn));
    const children = new Map<string | null, PlanResource[]>();
    for (const r of resources) {
        const parent = r.parent && urns.has(r.parent) ? r.parent : null;
        children.set(parent, [...(children.get(parent) ?? []), r]);
    }
    const rows: { prefix: string; members: PlanResource[]; depth: number }[] = [];
    const walk = (parent: string | null, prefix: string, depth: number) => {
        const entries: PlanResource[][] = [];
        for (const r of children.get(parent) ?? []) {
            const group = children.has(r.urn)
                ? undefined
                : entries.find((e) => e[0].type === r.type && !children.has(e[0].urn));
            if (group) group.push(r);
            else entries.push([r]);
        }
        entries.forEach((group, i) => {
            const last = i === entries.length - 1;
            rows.push({ prefix: prefix + (parent === null ? "" : last ? "└─ " : "├─ "), members: group, depth });
            walk(group[0].urn, parent === null ? prefix : prefix + (last ? "   " : "│  "), depth + 1);
        });
    };
    walk(null, "", 0);
    return rows;
}

/** A stack without parent cycles: each resource's parent is an earlier one, none, or outside the stack; then shuffled. */
const acyclic = fc
    .array(fc.tuple(fc.nat(), fc.nat({ max: types.length - 1 }), fc.nat(), fc.boolean()), {
        minLength: 1,
        maxLength: 80,
    })
    .map((specs) => {
        const made = specs.map(([p, t, , protect], i) => {
            const pick = p % (i + 2); // 0: no parent, 1: outside the stack, 2..: an earlier resource
            const parent = pick === 0 ? null : pick === 1 ? missing : urnOf(pick - 2);
            return res(i, types[t], parent, protect);
        });
        // Input order need not put parents first.
        return made
            .map((r, i) => ({ r, key: specs[i][2] }))
            .sort((a, b) => a.key - b.key)
            .map((x) => x.r);
    });

/** Chains (each resource the parent of the next), fans (one parent, many children), and both. */
const chain = (n: number, type = types[2]) =>
    Array.from({ length: n }, (_, i) => res(i, type, i ? urnOf(i - 1) : null));
const fan = (n: number, typeOf: (i: number) => string) =>
    Array.from({ length: n }, (_, i) => res(i, i ? typeOf(i) : types[2], i ? urnOf(0) : null));
const shapes = fc.oneof(
    acyclic,
    fc.integer({ min: 1, max: 60 }).map((n) => chain(n)),
    fc
        .tuple(fc.integer({ min: 2, max: 200 }), fc.nat({ max: types.length - 1 }))
        .map(([n, k]) => fan(n, (i) => types[(i * k) % types.length])),
    // A chain hanging off a fan's children, and fan children of a chain's end.
    fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 })).map(([d, w]) => {
        const out = chain(d);
        for (let j = 0; j < w; j++) out.push(res(d + j, types[j % 2], urnOf(d - 1)));
        return out;
    }),
);

/** Row index of each resource; asserts each appears in exactly one row. */
function placement(resources: PlanResource[], rows: TreeRow[]): Map<PlanResource, number> {
    const at = new Map<PlanResource, number>();
    rows.forEach((row, i) => {
        for (const m of row.members) {
            assert.ok(!at.has(m), `${m.urn} appears in rows ${at.get(m)} and ${i}`);
            at.set(m, i);
        }
    });
    assert.strictEqual(at.size, resources.length, "every resource has a row");
    return at;
}

function checkStructure(resources: PlanResource[], rows: TreeRow[]): void {
    const at = placement(resources, rows);
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const hasChildren = new Set(resources.map((r) => r.parent).filter((p) => p !== null));
    for (const [i, row] of rows.entries()) {
        assert.ok(
            row.members.every((m) => m.type === row.members[0].type),
            "a row holds one type",
        );
        if (row.members.length > 1)
            assert.ok(
                row.members.every((m) => !hasChildren.has(m.urn)),
                "only leaves group",
            );
        const parent = row.members[0].parent ? byUrn.get(row.members[0].parent) : undefined;
        if (row.depth === 0) {
            assert.ok(!parent || row.cycle, "a root row has no parent in the stack, or sits on a parent cycle");
            continue;
        }
        assert.ok(parent, "a nested row's parent is in the stack");
        const p = at.get(parent)!;
        assert.ok(p < i, `parent row ${p} precedes child row ${i}`);
        assert.strictEqual(rows[p].members.length, 1, "a parent has a row of its own");
        assert.strictEqual(rows[p].depth + 1, row.depth);
        assert.ok(
            row.members.every((m) => m.parent === parent.urn),
            "a group shares one parent",
        );
    }
}

describe("cli: resource tree at any shape and size", () => {
    it("matches the earlier recursive tree row for row on stacks without cycles", () => {
        fc.assert(
            fc.property(shapes, (resources) => {
                const rows = treeRows(resources);
                const expected = reference(resources);
                assert.strictEqual(rows.length, expected.length);
                rows.forEach((row, i) => {
                    assert.deepStrictEqual(row.members, expected[i].members);
                    assert.strictEqual(row.depth, expected[i].depth);
                    if (row.depth <= maxDrawnDepth) assert.strictEqual(row.prefix, expected[i].prefix);
                    else {
                        assert.ok(row.prefix.endsWith(`(depth ${row.depth}) `), row.prefix);
                        assert.ok(row.prefix.length <= 3 * maxDrawnDepth + 3 + `(depth ${row.depth}) `.length);
                    }
                });
                checkStructure(resources, rows);
            }),
            { numRuns: 300 },
        );
    });

    it("draws every resource once even when parents form cycles (each cycle once, from its first member)", () => {
        const anyParents = fc
            .array(fc.integer({ min: -2, max: 40 }), { minLength: 1, maxLength: 40 })
            .map((ps) =>
                ps.map((p, i) => res(i, types[i % 2], p === -1 ? null : p === -2 ? missing : urnOf(p % ps.length))),
            );
        fc.assert(
            fc.property(anyParents, (resources) => {
                const rows = treeRows(resources);
                checkStructure(resources, rows);
                // Reference: a resource is on a cycle when following parents comes back to it.
                const byUrn = new Map(resources.map((r) => [r.urn, r]));
                const cycleOf = new Map<PlanResource, Set<PlanResource>>();
                for (const r of resources) {
                    const path: PlanResource[] = [];
                    let x: PlanResource | undefined = r;
                    while (x && !path.includes(x)) {
                        path.push(x);
                        x = x.parent ? byUrn.get(x.parent) : undefined;
                    }
                    if (x === r) cycleOf.set(r, new Set(path));
                }
                const cycles = new Set(
                    [...cycleOf.values()].map((s) =>
                        [...s]
                            .map((m) => m.urn)
                            .sort()
                            .join(" "),
                    ),
                );
                const cycleRows = rows.filter((row) => row.cycle);
                assert.strictEqual(cycleRows.length, cycles.size, "one cycle row per cycle");
                for (const row of cycleRows) assert.ok(cycleOf.has(row.members[0]), "a cycle row starts on the cycle");
            }),
            { numRuns: 300 },
        );
    });

    const plan = (resources: PlanResource[]): PlanJson => ({
        schemaVersion: 1,
        project: "p",
        stack: "dev",
        resources,
        violations: [],
        summary: { resources: resources.length, mandatory: 0, advisory: 0 },
    });
    const treeLines = (report: string) => report.split("\n\n")[1].split("\n");

    it("a parent chain 10,000 deep: no stack overflow, every level a row, indentation bounded", () => {
        const resources = chain(10_000);
        const lines = treeLines(formatReport(plan(resources), "t"));
        assert.strictEqual(lines.length, 1 + 10_000);
        assert.match(lines[1], /^x:y:Z +r0$/);
        assert.match(
            lines[maxDrawnDepth + 1],
            new RegExp(`^ {${3 * (maxDrawnDepth - 1)}}└─ x:y:Z +r${maxDrawnDepth}$`),
        );
        assert.match(lines[10_000], /└─ \(depth 9999\) x:y:Z +r9999$/);
        assert.ok(Math.max(...lines.map((l) => l.length)) < 200, "rows do not widen with depth");
    });

    it("130,000 children of one parent: leaves of one type are one row, parents a row each", () => {
        // Every third child has a child of its own; the others are leaves of two types.
        const resources: PlanResource[] = [res(0, types[2], null)];
        for (let i = 1; i <= 130_000; i++)
            resources.push(res(i, types[i % 3 === 0 ? 2 : i % 3 === 1 ? 1 : 0], urnOf(0)));
        for (let i = 3; i <= 130_000; i += 3) resources.push(res(200_000 + i, types[1], urnOf(i)));
        const lines = treeLines(formatReport(plan(resources), "t"));
        const parents = Math.floor(130_000 / 3);
        assert.strictEqual(lines.length, 1 + 1 + 2 + 2 * parents);
        assert.match(lines[2], /^├─ azure-native:privatedns:PrivateZone +43334 × r1, r4, r7, r10, /);
        assert.match(lines[3], /^├─ azure-native:network:PrivateEndpoint +43333 × r2, r5, /);
        assert.match(lines[4], /^├─ x:y:Z +r3$/);
        assert.match(lines[5], /^│ {2}└─ azure-native:privatedns:PrivateZone +r200003$/);
        assert.match(lines[lines.length - 1], /^ {3}└─ azure-native:privatedns:PrivateZone +r329999$/);
    });

    it("a hostile 1 MB type does not pad every other row to 1 MB", () => {
        const huge = `x:y:${"W".repeat(1_000_000)}`;
        const resources = [
            res(0, types[2], null),
            ...Array.from({ length: 200 }, (_, i) => res(i + 1, i ? types[2] : huge, urnOf(0))),
        ];
        const lines = treeLines(formatReport(plan(resources), "t"));
        assert.strictEqual(lines.filter((l) => l.length > 1000).length, 1);
    });
});

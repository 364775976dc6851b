import * as assert from "assert";
import { PlanResource } from "../../policy/plan";
import { firstPreview, summary, violationsOf } from "./helpers";

/** One policy over one stack: the mandatory violations it must report, in order. */
export interface StackCase {
    policy: string;
    label: string;
    build: () => PlanResource[];
    /** Substrings of each expected mandatory message, one array per violation; [] for a compliant stack. */
    expect: string[][];
    config?: Record<string, unknown>;
    /** What a first preview finds: the same (default), or nothing mandatory ("skips": the relation needs ids). */
    preview?: "same" | "skips";
}

export interface StackCaseOptions {
    /** How a first preview of a case's stack looks (default: every id unknown, `firstPreview`). */
    toFirstPreview?: (stack: PlanResource[]) => PlanResource[];
    /** Whether a violation may name no resource (a stack-wide finding); otherwise its URN is in the stack. */
    urnMayBeNull?: boolean;
}

/**
 * Registers one mocha test per case and mode: with ids (an update, a stack export) and as a first
 * preview (ids unknown, URNs only). Call it inside a `describe`.
 */
export function itChecksStackCases(cases: readonly StackCase[], options: StackCaseOptions = {}): void {
    const toFirstPreview = options.toFirstPreview ?? firstPreview;
    for (const c of cases) {
        for (const mode of ["with ids", "first preview (URNs only)"] as const) {
            it(`${c.policy}: ${c.label} [${mode}]`, async () => {
                const built = c.build();
                const stack = mode === "with ids" ? built : toFirstPreview(built);
                const vs = (await violationsOf(c.policy, stack, c.config)).filter(
                    (v) => v.enforcementLevel === "mandatory",
                );
                const expected = mode === "first preview (URNs only)" && c.preview === "skips" ? [] : c.expect;
                assert.strictEqual(vs.length, expected.length, summary(vs));
                expected.forEach((parts, i) => {
                    for (const p of parts) assert.ok(vs[i].message.includes(p), `"${p}" in: ${vs[i].message}`);
                    assert.ok(
                        (options.urnMayBeNull === true && vs[i].urn === null) || stack.some((r) => r.urn === vs[i].urn),
                        "the violation names a resource of the stack",
                    );
                });
            });
        }
    }
}

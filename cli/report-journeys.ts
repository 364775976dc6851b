import type { PlanJson } from "../policy/plan";
import { journeys } from "../components/catalog/journeys";
import { journeyMessage } from "../policy/rules/stack/journeys";

/**
 * The report's "Journeys" section: per journey of the catalogue (components/catalog/journeys.ts), each
 * subject's PASS, why it does not apply, or its first broken hop with the fix; a passing journey lists
 * the hops it walked, so a reader sees the path, not just the verdict.
 */
export function journeySection(plan: PlanJson): string[] {
    if (!plan.journeys || plan.journeys.length === 0) return [];
    const out = ["Journeys (hop by hop: what a person, a job and a deployment need to work)"];
    for (const journey of journeys) {
        const outcomes = plan.journeys.filter((o) => o.journey === journey.id);
        if (outcomes.length === 0) continue;
        out.push(`  ${journey.id}: ${journey.title}`);
        for (const o of outcomes) {
            const status =
                o.status === "n/a" ? "N/A " : o.status === "pass" ? "PASS" : o.status === "fail" ? "FAIL" : "??? ";
            out.push(`    ${status} ${journeyMessage(o).replace(/: PASS$/, "")}`);
            if (o.status === "pass") for (const h of o.hops) out.push(`         ${h.hop}: ${h.detail}`);
        }
    }
    return out;
}

import type { PlanJourney, PlanJourneyHop } from "../../../plan";
import { HopId, JourneyId, hopOf, journeyById } from "../../catalog";

/**
 * One journey walked over one subject (a workspace, a compute): its hops in the catalogue's order
 * (components/catalog/journeys.ts), stopping at the first that does not pass. A hop that cannot be
 * told yet (an id not known in a first preview, a resource outside the stack) is `unknown`, never a
 * pass.
 */

export type HopVerdict = { status: "pass" | "fail" | "unknown"; detail: string };

export const pass = (detail: string): HopVerdict => ({ status: "pass", detail });
export const fail = (detail: string): HopVerdict => ({ status: "fail", detail });
export const unknown = (detail: string): HopVerdict => ({ status: "unknown", detail });

/** The hops of a journey as checks, in any order: `walk` runs them in the catalogue's, up to the first that does not pass. */
export type HopChecks = Partial<Record<HopId, () => HopVerdict>>;

export function walk(journey: JourneyId, subject: string, urn: string | null, checks: HopChecks): PlanJourney {
    const hops: PlanJourneyHop[] = [];
    for (const hop of journeyById(journey).hops) {
        const check = checks[hop.id];
        // Checks may stop short only where a hop before them fails: every hop reached has its check.
        if (!check) throw new Error(`journey ${journey}: no check for hop ${hop.id}`);
        const verdict = check();
        hops.push({ hop: hop.id, ...verdict });
        if (verdict.status !== "pass") {
            // A hop that cannot be told yet has nothing to fix: it says what is not known.
            return verdict.status === "fail"
                ? { journey, subject, urn, status: "fail", hops, fix: hopOf(journey, hop.id).fix }
                : { journey, subject, urn, status: verdict.status, hops };
        }
    }
    return { journey, subject, urn, status: "pass", hops };
}

/** A journey that does not apply to the subject, and why. */
export function notApplicable(journey: JourneyId, subject: string, urn: string | null, why: string): PlanJourney {
    return { journey, subject, urn, status: "n/a", hops: [], note: why };
}

/** Of several walks (one per way in), the one that passes, else the one that got furthest. */
export function bestOf(outcomes: PlanJourney[]): PlanJourney | undefined {
    const rank = (o: PlanJourney) => (o.status === "pass" ? Infinity : o.hops.length - (o.status === "fail" ? 0.5 : 0));
    return [...outcomes].sort((a, b) => rank(b) - rank(a))[0];
}

import { StackValidationPolicy } from "@pulumi/policy";
import type { PlanJourney } from "../../../plan";
import { JourneyId, journeys } from "../../catalog";
import { Res, StackIndex, indexOf } from "../../graph";
import { UNKNOWN, get, stackRule, tokens } from "../../util";
import { computesByWorkspace } from "../common";
import { datastoreReadWrite, imageBuild } from "./compute-jobs";
import { computeInstanceStarts } from "./instance-start";
import { onlineEndpoint } from "./online-endpoint";
import { studioAccess } from "./studio-access";

/**
 * The journeys (components/catalog/journeys.ts) of every workspace of a stack, walked once per stack
 * run (memoised on the stack index, so the five journey policies and the plan report share one walk).
 */
export function journeysOf(index: StackIndex): PlanJourney[] {
    return index.memo("journeys", () => {
        const out: PlanJourney[] = [];
        const { byWorkspace } = computesByWorkspace(index);
        for (const ws of index.ofType(tokens.workspace)) {
            const dep = (key: string, type: string): Res | undefined => {
                const r = index.resolve(ws, key, get(ws.props, key), [type]);
                return r === UNKNOWN ? undefined : r;
            };
            const storage = dep("storageAccount", tokens.storage);
            const vault = dep("keyVault", tokens.vault);
            const registry = dep("containerRegistry", tokens.registry);
            const computes = byWorkspace.get(ws) ?? [];
            out.push(studioAccess(index, ws, storage));
            out.push(...datastoreReadWrite(index, ws, storage, computes));
            out.push(imageBuild(index, ws, registry, computes));
            out.push(...computeInstanceStarts(index, { workspace: ws, storage, vault, registry }, computes));
            out.push(onlineEndpoint(index, ws));
        }
        return out;
    });
}

/** The journeys of a plan's resources as the stack rules see them. */
export function journeysOfResources(resources: readonly Res[]): PlanJourney[] {
    return journeysOf(indexOf(resources));
}

/** A journey's outcome as one line: PASS, N/A with why, or the first broken hop with its fix. */
export function journeyMessage(o: PlanJourney): string {
    const hop = o.hops[o.hops.length - 1];
    if (o.status === "pass") return `${o.subject}: PASS`;
    if (o.status === "n/a") return `${o.subject}: not applicable: ${o.note}`;
    if (o.status === "unknown") return `${o.subject}: cannot be followed past hop "${hop.hop}" yet: ${hop.detail}.`;
    return `${o.subject}: breaks at hop "${hop.hop}": ${hop.detail}. Fix: ${o.fix}`;
}

function journeyPolicy(id: JourneyId): StackValidationPolicy {
    const journey = journeys.find((j) => j.id === id)!;
    return stackRule(
        {
            name: journey.policy,
            description: `${journey.title}: walked hop by hop over the stack's graph (${journey.hops.map((h) => h.id).join(" → ")}); the first hop that does not hold is reported with its fix. A hop that cannot be told yet (an id unknown in a first preview, a resource outside the stack) is advisory, never a pass.`,
            enforcementLevel: "advisory",
            severity: "medium",
            remediationSteps: `The message names the broken hop and its fix; the hops and their fixes are in components/catalog/journeys.ts.`,
            sources: { learn: journey.hops[0].source },
        },
        (args, report, advise) => {
            for (const o of journeysOf(indexOf(args.resources))) {
                if (o.journey !== id) continue;
                if (o.status === "fail") report(journeyMessage(o), o.urn ?? undefined);
                else if (o.status === "unknown") advise(journeyMessage(o));
            }
        },
    );
}

export const journeyStudioAccess = journeyPolicy("studio-access");
export const journeyDatastoreReadWrite = journeyPolicy("datastore-read-write");
export const journeyImageBuild = journeyPolicy("image-build");
export const journeyComputeInstanceStart = journeyPolicy("compute-instance-start");
export const journeyOnlineEndpoint = journeyPolicy("online-endpoint");

export const journeyPolicies = [
    journeyStudioAccess,
    journeyDatastoreReadWrite,
    journeyImageBuild,
    journeyComputeInstanceStart,
    journeyOnlineEndpoint,
];

import type { PlanJourney, PlanResource } from "../../../plan";
import { Res } from "../../graph";
import { stackResourcesOfRun } from "../../../runner";
import { journeysOfResources } from "./index";

/**
 * The journeys of a plan outside the analyzer (the plan report's section): those runPack walked over
 * the same resources, else the plan's resources as the stack rules see them (dependencies, property
 * dependencies and parents as resource references), walked here.
 */
export function journeysOfPlan(resources: readonly PlanResource[]): PlanJourney[] {
    // After runPack over the same array: its stack resources, whose index holds the journeys walked.
    const ran = stackResourcesOfRun(resources);
    if (ran) return journeysOfResources(ran as Res[]);
    const views = resources.map(
        (r) =>
            ({
                type: r.type,
                name: r.name,
                urn: r.urn,
                id: r.id ?? null,
                props: r.inputs ?? {},
                opts: {},
                dependencies: [],
                propertyDependencies: {},
            }) as unknown as Res,
    );
    const byUrn = new Map(views.map((v) => [v.urn, v]));
    resources.forEach((r, i) => {
        const v = views[i] as { parent?: Res; dependencies: Res[]; propertyDependencies: Record<string, Res[]> };
        if (r.parent && byUrn.has(r.parent)) v.parent = byUrn.get(r.parent);
        v.dependencies = (r.dependencies ?? []).map((u) => byUrn.get(u)).filter((d): d is Res => d !== undefined);
        for (const [key, urns] of Object.entries(r.propertyDependencies ?? {}))
            v.propertyDependencies[key] = urns.map((u) => byUrn.get(u)).filter((d): d is Res => d !== undefined);
    });
    return journeysOfResources(views);
}

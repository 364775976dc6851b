import type { PlanJourney, PlanResource } from "../../../plan";
import { runPolicies, stackResourcesOfRun } from "../../../runner";
import { Res } from "../../graph";
import { journeyPolicies, journeysOfResources } from "./index";

/**
 * The journeys of a plan outside the analyzer (the plan report's section): the walk the journey
 * policies memoised when runPack ran over the same resources array; else the journey policies are run
 * over it first, so the stack rules' view of the resources comes from the runner, one way.
 */
export async function journeysOfPlan(resources: readonly PlanResource[]): Promise<PlanJourney[]> {
    if (!stackResourcesOfRun(resources)) await runPolicies(journeyPolicies, resources as PlanResource[]);
    return journeysOfResources(stackResourcesOfRun(resources) as Res[]);
}

import type { PlanJourney } from "../../../plan";
import { onlineEndpointWithoutManagedNetwork } from "../../catalog";
import { Res, StackIndex } from "../../graph";
import { UNKNOWN, eqi, get } from "../../util";
import { managedMode } from "./compute-jobs";
import { fail, notApplicable, pass, unknown, walk } from "./model";

/**
 * Journey 5: a managed online endpoint deploys and is scored privately. Managed online deployments
 * run in the workspace's managed network; without one the journey does not apply, and says why
 * (components/catalog/online-endpoints.ts: only the legacy per-deployment isolation remains).
 */
export function onlineEndpoint(index: StackIndex, ws: Res): PlanJourney {
    const subject = `workspace "${ws.name}"`;
    const mode = managedMode(ws);
    if (!mode) return notApplicable("online-endpoint", subject, ws.urn, onlineEndpointWithoutManagedNetwork());
    return walk("online-endpoint", subject, ws.urn, {
        mode: () =>
            pass(
                `managed network ${mode}: deployments run in it and reach storage, key vault and registry through Azure's private endpoints`,
            ),
        "private-endpoint": () => {
            const pes = index.privateEndpointsFor(ws, "amlworkspace");
            if (pes === UNKNOWN) return unknown("the workspace's private endpoints are not known yet");
            if (pes.length === 0)
                return fail(`workspace "${ws.name}" has no amlworkspace private endpoint: scoring cannot stay private`);
            const access = get(ws.props, "publicNetworkAccess");
            if (access === UNKNOWN) return unknown("publicNetworkAccess is not known yet");
            if (!eqi(access, "Disabled"))
                return fail(
                    `workspace "${ws.name}" has publicNetworkAccess ${String(access ?? "unset (Enabled)")}: the endpoint's scoring URI is public too`,
                );
            return pass(`scoring through private endpoint "${pes[0].name}"; publicNetworkAccess Disabled`);
        },
    });
}

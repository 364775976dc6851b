import { AzureCloud, cloudOfRegion, isAzureCloud } from "../catalog";
import { Res, StackIndex } from "../graph";
import { UNKNOWN, get, tokens } from "../util";

/** Relations several stack rules share, memoised on the stack index. */

/** The workspace a compute belongs to (`workspaceName`): resource, UNKNOWN, or undefined. */
export function workspaceOfCompute(index: StackIndex, compute: Res): Res | typeof UNKNOWN | undefined {
    return index.resolve(compute, "workspaceName", get(compute.props, "workspaceName"), [tokens.workspace]);
}

/** The computes of each workspace, and whether some compute's workspace is unknown. */
export function computesByWorkspace(index: StackIndex): { byWorkspace: Map<Res, Res[]>; unresolved: boolean } {
    return index.memo("computesByWorkspace", () => {
        const byWorkspace = new Map<Res, Res[]>();
        let unresolved = false;
        for (const c of index.ofType(tokens.compute)) {
            const ws = workspaceOfCompute(index, c);
            if (ws === UNKNOWN) unresolved = true;
            if (!ws || ws === UNKNOWN) continue;
            const list = byWorkspace.get(ws);
            if (list) list.push(c);
            else byWorkspace.set(ws, [c]);
        }
        return { byWorkspace, unresolved };
    });
}

/** The cloud to check against: the configured one, else the region's cloud, else AzureCloud. */
export function cloudFor(
    index: StackIndex,
    config: { cloud?: unknown },
    ...resources: (Res | undefined)[]
): AzureCloud {
    if (isAzureCloud(config.cloud)) return config.cloud;
    for (const r of resources) {
        const loc = index.locationOf(r);
        if (typeof loc === "string") {
            const cloud = cloudOfRegion(loc);
            if (cloud) return cloud;
        }
    }
    return "AzureCloud";
}

export const cloudSchema = {
    cloud: {
        type: "string" as const,
        enum: ["AzureCloud", "AzureChinaCloud", "AzureUSGovernment"],
        description:
            "The Azure cloud. Unset: the cloud of each resource's region (its location or its resource group's), else AzureCloud.",
    },
};

/** A PE's group ids (lower case); UNKNOWN when not known yet. */
export function groupIdsOf(pe: Res): string[] | typeof UNKNOWN {
    const out: string[] = [];
    for (const key of ["privateLinkServiceConnections", "manualPrivateLinkServiceConnections"]) {
        const conns = get(pe.props, key);
        if (conns === UNKNOWN) return UNKNOWN;
        if (!Array.isArray(conns)) continue;
        for (const c of conns) {
            const ids = get(c, "groupIds");
            if (ids === UNKNOWN) return UNKNOWN;
            if (!Array.isArray(ids)) continue;
            for (const g of ids) {
                const v = get({ g }, "g");
                if (v === UNKNOWN) return UNKNOWN;
                if (typeof v === "string") out.push(v.toLowerCase());
            }
        }
    }
    return [...new Set(out)];
}

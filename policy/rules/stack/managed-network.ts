import type { ReportViolation, StackValidationArgs } from "@pulumi/policy";
import { Res, indexOf } from "../graph";
import { UNKNOWN, describe, eqi, get, tokens } from "../util";
import { workspaceOfCompute } from "./common";

/**
 * The stack phase of `ml-compute-in-vnet`: a compute cluster or instance that names no subnet is in no
 * VNet, unless its workspace (in the stack) has a managed network, which then carries the compute
 * (how-to-managed-network: "computes run in the managed virtual network"). An unknown workspace or
 * isolation mode is not a violation.
 */
const managedModes = ["AllowOnlyApprovedOutbound", "AllowInternetOutbound"];

export function managedNetworkComputeOk(args: StackValidationArgs, report: ReportViolation): void {
    const index = indexOf(args.resources as Res[]);
    for (const compute of index.ofType(tokens.compute)) {
        const type = get(compute.props, "properties.computeType");
        if (type === UNKNOWN || (!eqi(type, "AmlCompute") && !eqi(type, "ComputeInstance"))) continue;
        const subnet = get(compute.props, "properties.properties.subnet");
        if (subnet === UNKNOWN) continue;
        if (subnet !== undefined && subnet !== null && get(subnet, "id") !== undefined) continue;
        const ws = workspaceOfCompute(index, compute);
        if (ws === UNKNOWN) continue;
        if (ws) {
            const mode = get(ws.props, "managedNetwork.isolationMode");
            if (mode === UNKNOWN) continue;
            if (managedModes.some((m) => eqi(mode, m))) continue;
        }
        report(
            `${describe(compute.type, compute.name)}: properties.properties.subnet.id is not set; the ${eqi(type, "AmlCompute") ? "cluster" : "instance"} must run in a subnet of the workspace's VNet${ws ? `, or the workspace ${describe(ws.type, ws.name)} needs a managed network (managedNetwork.isolationMode AllowOnlyApprovedOutbound)` : ""}.`,
            compute.urn,
        );
    }
}

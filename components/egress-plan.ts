import * as pulumi from "@pulumi/pulumi";
import {
    allowListHostViolation,
    defaultEgressHostGroups,
    EgressHostGroup,
    egressHostGroups,
    isEgressHostGroup,
} from "./catalog/egress-hosts";
import { EgressMode, egressModes, isEgressMode } from "./catalog/egress-modes";
import { InvalidArgumentError, validateFlag } from "./validate";

/**
 * Validation of the egress arguments (`egress`, the old `lockDownEgress`, the firewall's host groups and
 * extra hosts, `storageFirewallBetween`), apart from the resources they shape. Registers nothing.
 */

/** Azure's fixed name for the Azure Firewall subnet; it takes no NSG. */
export const firewallSubnetName = "AzureFirewallSubnet";

/** The egress arguments both components take (a subset of `MlNetworkLayoutArgs`). */
export interface EgressArgs {
    egress?: EgressMode;
    lockDownEgress?: boolean;
    egressHostGroups?: EgressHostGroup[];
    extraEgressHosts?: string[];
    firewallSubnetPrefix?: pulumi.Input<string>;
    storageFirewallBetween?: boolean;
}

export interface EgressPlan {
    egress: EgressMode;
    lockDownEgress: boolean;
    egressHostGroups: EgressHostGroup[];
    extraEgressHosts: string[];
    storagePort445: boolean;
    serviceEndpointPolicy: boolean;
}

/** Validates the egress arguments and resolves `lockDownEgress` into `egress`. Throws `InvalidArgumentError`. */
export function planEgress(component: string, args: EgressArgs): EgressPlan {
    if (args.egress !== undefined && !isEgressMode(args.egress)) {
        throw new InvalidArgumentError(component, "egress", args.egress, `must be one of ${egressModes.join(", ")}`);
    }
    const lockDown =
        args.lockDownEgress === undefined
            ? undefined
            : validateFlag(component, "lockDownEgress", args.lockDownEgress, false);
    if (lockDown !== undefined && args.egress !== undefined && lockDown !== (args.egress === "none")) {
        throw new InvalidArgumentError(
            component,
            "lockDownEgress",
            args.lockDownEgress,
            `disagrees with egress = "${args.egress}": lockDownEgress is the old name of egress: none; give only egress`,
        );
    }
    const egress: EgressMode = args.egress ?? (lockDown ? "none" : "nat");

    const firewallOnly = ["egressHostGroups", "extraEgressHosts", "firewallSubnetPrefix"] as const;
    for (const key of firewallOnly) {
        if (args[key] !== undefined && egress !== "firewall") {
            throw new InvalidArgumentError(
                component,
                key,
                args[key],
                `is set but egress is "${egress}"; it shapes the Azure Firewall of egress: firewall only`,
            );
        }
    }

    let groups: EgressHostGroup[] = [...defaultEgressHostGroups];
    if (args.egressHostGroups !== undefined) {
        if (!Array.isArray(args.egressHostGroups) || !args.egressHostGroups.every(isEgressHostGroup)) {
            throw new InvalidArgumentError(
                component,
                "egressHostGroups",
                args.egressHostGroups,
                `must be a list of ${egressHostGroups.join(", ")}`,
            );
        }
        groups = [...new Set(args.egressHostGroups)];
    }

    const extra: string[] = [];
    if (args.extraEgressHosts !== undefined) {
        if (!Array.isArray(args.extraEgressHosts)) {
            throw new InvalidArgumentError(
                component,
                "extraEgressHosts",
                args.extraEgressHosts,
                "must be a list of host names",
            );
        }
        args.extraEgressHosts.forEach((host, i) => {
            const violation = allowListHostViolation(host);
            if (violation !== undefined) {
                throw new InvalidArgumentError(component, `extraEgressHosts[${i}]`, host, violation);
            }
            extra.push(host.trim().toLowerCase());
        });
    }

    const storagePort445 = validateFlag(component, "storageFirewallBetween", args.storageFirewallBetween, false);
    return {
        egress,
        lockDownEgress: egress === "none",
        egressHostGroups: groups,
        extraEgressHosts: [...new Set(extra)],
        storagePort445,
        // Restricted egress makes the storage exfiltration path the one left open; close it too.
        serviceEndpointPolicy: egress !== "nat",
    };
}

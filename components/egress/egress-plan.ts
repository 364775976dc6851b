import * as pulumi from "@pulumi/pulumi";
import {
    allowListHostViolation,
    defaultEgressHostGroups,
    EgressHostGroup,
    egressHostGroups,
    isEgressHostGroup,
} from "../catalog/egress-hosts";
import { EgressMode, egressModes, isEgressMode } from "../catalog/egress-modes";
import { InvalidArgumentError, validateFlag } from "../validate";

/**
 * Validation of the egress arguments (`egress`, the old `lockDownEgress`, the firewall's host groups and
 * extra hosts, `storageFirewallBetween`), apart from the resources they shape. Registers nothing.
 */

/** Azure's fixed name for the Azure Firewall subnet; it takes no NSG. */
export const firewallSubnetName = "AzureFirewallSubnet";

/** The egress arguments both components take (a subset of `MlNetworkLayoutArgs`). */
export interface EgressArgs {
    /**
     * How the compute subnets (training and scoring alike) reach the internet. `nat` (default): a NAT
     * gateway, outbound open beyond the NSG's service-tag rules. `firewall`: an Azure Firewall in
     * `AzureFirewallSubnet`, a 0.0.0.0/0 route to it, network rules for the document's service tags and
     * application rules for the host catalogue's `egressHostGroups`; everything else is denied, so
     * image builds still reach PyPI and conda. `none`: the NSGs end in a deny-all; image builds that
     * install public packages fail. `firewall` and `none` also put a service endpoint policy on the
     * compute subnets, so Microsoft.Storage reaches only this workspace's storage and Azure ML's.
     */
    egress?: EgressMode;
    /**
     * The old name of `egress: none` (true) or "not none" (false); kept working. Giving both with
     * different meanings is an error. Breaks pip/conda/CRAN installs from public feeds. Default false.
     */
    lockDownEgress?: boolean;
    /** The host catalogue's groups the firewall allows (`egress: firewall`). Default `microsoft`, `python`, `conda`. */
    egressHostGroups?: EgressHostGroup[];
    /** Further host names the firewall allows over HTTPS (`egress: firewall`); `*` and bare wildcards are rejected. */
    extraEgressHosts?: string[];
    /** The `AzureFirewallSubnet` (/26 or larger; `egress: firewall`). Default: the third /26 of the fourth /24 of the address space. */
    firewallSubnetPrefix?: pulumi.Input<string>;
    /**
     * Whether a firewall sits between the VNet and the storage private endpoints (e.g. they live in a hub
     * behind one): only then do the compute NSGs allow TCP 445 to `Storage.<region>` (the document's
     * footnote). Default false.
     */
    storageFirewallBetween?: boolean;
}

export interface EgressPlan {
    /** The egress mode of every compute subnet (training and scoring). */
    egress: EgressMode;
    /** True for `egress: none` (the old `lockDownEgress`): the compute NSGs end in a deny-all. */
    lockDownEgress: boolean;
    /** Firewall application-rule groups and extra hosts (`egress: firewall` only). */
    egressHostGroups: EgressHostGroup[];
    extraEgressHosts: string[];
    /** Whether the compute NSGs' `Storage.<region>` rule includes TCP 445 (a firewall before the storage endpoints). */
    storagePort445: boolean;
    /** Whether the compute subnets get the Microsoft.Storage service endpoint and a service endpoint policy. */
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

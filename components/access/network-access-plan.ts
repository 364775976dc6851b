import * as pulumi from "@pulumi/pulumi";
import { AzureCloud } from "../catalog/clouds";
import { cidrsOverlap, dockerBridgeRange, parseCidr } from "../catalog/cidr";
import type { MlNetworkArgs } from "../network/network-args";
import { InvalidArgumentError, knownValue, parseCidrArgument, validateFlag } from "../validate";

/**
 * Validation of the ways people get into the network, per the source document's "Securely connect to
 * your workspace": a jump box behind Azure Bastion, and optionally a point-to-site VPN gateway. Apart
 * from network-plan.ts so that file keeps to the address plan; planMlNetwork calls it.
 */

export const networkAccessDefaults = {
    /** Two vCPUs and 4 GiB: a browser and the Azure CLI, not training. */
    jumpBoxVmSize: "Standard_B2s",
} as const;

/**
 * The Microsoft-registered Azure VPN Client's audience for Microsoft Entra ID authentication, Azure
 * public cloud ("Typically, this value is c632b3df-fb67-4d84-bdcf-b95ad541b5c8",
 * https://learn.microsoft.com/azure/vpn-gateway/point-to-site-entra-gateway). Other clouds use other
 * audiences, which this component does not carry.
 */
export const azureVpnClientAudience = "c632b3df-fb67-4d84-bdcf-b95ad541b5c8";

export interface NetworkAccessPlan {
    jumpBox?: { vmSize: string };
    vpnGateway?: { clientAddressPool: string };
}

export function planNetworkAccess(
    component: string,
    args: MlNetworkArgs,
    context: {
        cloud: AzureCloud;
        enableBastion: boolean;
        natGateway: boolean;
        /** Whether the compute subnets egress through Azure Firewall, which the jump box then shares. */
        firewall: boolean;
        addressSpace: pulumi.Input<string>;
    },
): NetworkAccessPlan {
    const enableJumpBox = validateFlag(component, "enableJumpBox", args.enableJumpBox, false);
    const enableVpnGateway = validateFlag(component, "enableVpnGateway", args.enableVpnGateway, false);
    const plan: NetworkAccessPlan = {};

    if (!enableJumpBox) {
        for (const key of ["jumpBoxSubnetPrefix", "jumpBoxVmSize"] as const) {
            if (args[key] !== undefined) {
                throw new InvalidArgumentError(
                    component,
                    key,
                    args[key],
                    "is set but enableJumpBox is not true; set enableJumpBox: true or drop it",
                );
            }
        }
    } else {
        if (!context.enableBastion) {
            throw new InvalidArgumentError(
                component,
                "enableJumpBox",
                true,
                'needs enableBastion: true; the jump box has no public IP, and Azure Bastion is the way to it (the source document\'s "Azure VPN gateway / ExpressRoute / Azure Bastion" choice)',
            );
        }
        if (!context.natGateway && !context.firewall) {
            throw new InvalidArgumentError(
                component,
                "enableJumpBox",
                true,
                "needs an outbound path, the NAT gateway (natGateway: true) or egress: firewall: the subnets have no default outbound access, and the jump box's Entra ID login extension downloads its packages on first boot",
            );
        }
        const vmSize = args.jumpBoxVmSize ?? networkAccessDefaults.jumpBoxVmSize;
        if (typeof vmSize !== "string" || !/^[A-Za-z]+_[A-Za-z0-9_-]+$/.test(vmSize)) {
            throw new InvalidArgumentError(
                component,
                "jumpBoxVmSize",
                vmSize,
                "must be an Azure VM size such as Standard_B2s",
            );
        }
        plan.jumpBox = { vmSize };
    }

    if (!enableVpnGateway) {
        for (const key of ["gatewaySubnetPrefix", "vpnClientAddressPool"] as const) {
            if (args[key] !== undefined) {
                throw new InvalidArgumentError(
                    component,
                    key,
                    args[key],
                    "is set but enableVpnGateway is not true; set enableVpnGateway: true or drop it",
                );
            }
        }
        return plan;
    }
    if (context.cloud !== "AzureCloud") {
        throw new InvalidArgumentError(
            component,
            "enableVpnGateway",
            true,
            `is supported in AzureCloud only: the Microsoft-registered Azure VPN Client's Entra ID audience differs in ${context.cloud}; create the gateway yourself there`,
        );
    }
    const pool = args.vpnClientAddressPool;
    if (typeof pool !== "string") {
        throw new InvalidArgumentError(
            component,
            "vpnClientAddressPool",
            pool,
            "is required with enableVpnGateway: the addresses VPN clients get (a CIDR block outside the VNet's address space and outside every on-premises range, e.g. 172.30.0.0/24)",
        );
    }
    const parsed = parseCidrArgument(component, "vpnClientAddressPool", pool);
    if (cidrsOverlap(parsed, parseCidr(dockerBridgeRange)!)) {
        throw new InvalidArgumentError(
            component,
            "vpnClientAddressPool",
            pool,
            `overlaps ${dockerBridgeRange}, Docker's default bridge network: VPN clients would be unreachable from containers`,
        );
    }
    const space = knownValue(context.addressSpace);
    const spaceCidr = typeof space === "string" ? parseCidr(space) : undefined;
    if (spaceCidr && cidrsOverlap(parsed, spaceCidr)) {
        throw new InvalidArgumentError(
            component,
            "vpnClientAddressPool",
            pool,
            `overlaps the VNet's address space ${space}; VPN clients need addresses outside it`,
        );
    }
    plan.vpnGateway = { clientAddressPool: pool };
    return plan;
}

import * as pulumi from "@pulumi/pulumi";
import { AzureCloud } from "../catalog/clouds";
import { cidrsOverlap, dockerBridgeRange, parseCidr } from "../catalog/cidr";
import type { MlNetworkArgs } from "../network/network-args";
import { InvalidArgumentError, knownValue, parseCidrArgument, rejectSetWhileOff, validateFlag } from "../validate";
import { BastionSku, bastionSkuHasNativeClient, bastionSkus } from "../catalog/bastion";
import { JumpBoxOs, jumpBoxOses } from "../catalog/jump-box-hosts";

/**
 * Validation of the ways people get into the network, per the source document's "Securely connect to
 * your workspace": a jump box behind Azure Bastion, and optionally a point-to-site VPN gateway. Apart
 * from network-plan.ts so that file keeps to the address plan; planMlNetwork calls it.
 */

export const networkAccessDefaults = {
    /** Two vCPUs and 4 GiB: the Azure CLI and the SDK over SSH, not training. */
    jumpBoxVmSize: "Standard_B2s",
    /** Two vCPUs and 8 GiB: Windows Server's desktop, Edge with the studio, and the Azure CLI. */
    windowsJumpBoxVmSize: "Standard_B2ms",
    jumpBoxOs: "windows",
    /** Native-client tunnelling, which Entra ID RDP to the Windows jump box needs (catalog/bastion.ts). */
    bastionSku: "Standard",
} as const;

/**
 * The Microsoft-registered Azure VPN Client's audience for Microsoft Entra ID authentication, Azure
 * public cloud ("Typically, this value is c632b3df-fb67-4d84-bdcf-b95ad541b5c8",
 * https://learn.microsoft.com/azure/vpn-gateway/point-to-site-entra-gateway). Other clouds use other
 * audiences, which this component does not carry.
 */
export const azureVpnClientAudience = "c632b3df-fb67-4d84-bdcf-b95ad541b5c8";

export interface NetworkAccessPlan {
    bastion?: { sku: BastionSku; enableTunneling: boolean };
    jumpBox?: { vmSize: string; os: JumpBoxOs; adminSshPublicKey?: pulumi.Input<string> };
    vpnGateway?: { clientAddressPool: string };
    /** An Azure DNS Private Resolver with an inbound endpoint (what VPN clients use as DNS server). */
    dnsResolver?: true;
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

    if (!context.enableBastion)
        rejectSetWhileOff(
            component,
            args,
            ["bastionSku"],
            "is set but enableBastion is not true; set enableBastion: true or drop it",
        );
    if (context.enableBastion) {
        const sku = args.bastionSku ?? networkAccessDefaults.bastionSku;
        if (!(bastionSkus as readonly unknown[]).includes(sku)) {
            throw new InvalidArgumentError(
                component,
                "bastionSku",
                sku,
                `must be one of ${bastionSkus.join(", ")}${(sku as string) === "Developer" ? ": the Developer SKU deploys no host into AzureBastionSubnet (a shared pool), has no native client for Entra ID RDP, and is offered in a few regions only (https://learn.microsoft.com/azure/bastion/configuration-settings#developer-sku)" : ""}`,
            );
        }
        plan.bastion = { sku, enableTunneling: bastionSkuHasNativeClient(sku) };
    }

    if (!enableJumpBox) {
        rejectSetWhileOff(
            component,
            args,
            ["jumpBoxSubnetPrefix", "jumpBoxVmSize", "jumpBoxOs", "jumpBoxAdminSshPublicKey"],
            "is set but enableJumpBox is not true; set enableJumpBox: true or drop it",
        );
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
        const os = args.jumpBoxOs ?? networkAccessDefaults.jumpBoxOs;
        if (!(jumpBoxOses as readonly unknown[]).includes(os)) {
            throw new InvalidArgumentError(
                component,
                "jumpBoxOs",
                os,
                `must be one of ${jumpBoxOses.join(", ")} (windows has a desktop and a browser for the studio; linux has the CLI and SDK only)`,
            );
        }
        if (os === "windows" && plan.bastion && !plan.bastion.enableTunneling) {
            throw new InvalidArgumentError(
                component,
                "bastionSku",
                plan.bastion.sku,
                "cannot serve a Windows jump box: Microsoft Entra ID RDP through Bastion needs the native client (az network bastion rdp --auth-type AAD), which the Standard and Premium SKUs have (with tunnelling) and Basic does not; use bastionSku: Standard or jumpBoxOs: linux",
            );
        }
        const key = args.jumpBoxAdminSshPublicKey;
        if (os === "windows" && key !== undefined) {
            throw new InvalidArgumentError(
                component,
                "jumpBoxAdminSshPublicKey",
                "(a key)",
                "applies to jumpBoxOs: linux only; a Windows jump box's break-glass admin has a generated password (a secret in state)",
            );
        }
        if (os === "linux") {
            if (key === undefined) {
                throw new InvalidArgumentError(
                    component,
                    "jumpBoxAdminSshPublicKey",
                    undefined,
                    "is required with jumpBoxOs: linux: the admin account's SSH public key (break-glass; people sign in with Entra ID). No key pair is generated, so no private key lands in the stack's state",
                );
            }
            const known = knownValue(key);
            if (
                typeof known === "string" &&
                !/^(ssh-rsa|ssh-ed25519|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/=]+( .*)?$/.test(known.trim())
            ) {
                throw new InvalidArgumentError(
                    component,
                    "jumpBoxAdminSshPublicKey",
                    `${known.slice(0, 20)}...`,
                    "must be an OpenSSH public key line (ssh-rsa AAAA..., ssh-ed25519 AAAA...); never pass a private key",
                );
            }
        }
        const vmSize =
            args.jumpBoxVmSize ??
            (os === "windows" ? networkAccessDefaults.windowsJumpBoxVmSize : networkAccessDefaults.jumpBoxVmSize);
        if (typeof vmSize !== "string" || !/^[A-Za-z]+_[A-Za-z0-9_-]+$/.test(vmSize)) {
            throw new InvalidArgumentError(
                component,
                "jumpBoxVmSize",
                vmSize,
                "must be an Azure VM size such as Standard_B2s",
            );
        }
        plan.jumpBox = { vmSize, os, ...(os === "linux" ? { adminSshPublicKey: key } : {}) };
    }

    const enableDnsResolver = validateFlag(component, "enableDnsResolver", args.enableDnsResolver, enableVpnGateway);
    if (enableDnsResolver) plan.dnsResolver = true;
    else
        rejectSetWhileOff(
            component,
            args,
            ["dnsResolverSubnetPrefix"],
            "is set but enableDnsResolver is not true (it defaults to enableVpnGateway); set enableDnsResolver: true or drop it",
        );

    if (!enableVpnGateway) {
        rejectSetWhileOff(
            component,
            args,
            ["gatewaySubnetPrefix", "vpnClientAddressPool"],
            "is set but enableVpnGateway is not true; set enableVpnGateway: true or drop it",
        );
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

import * as pulumi from "@pulumi/pulumi";
import { bastionSubnetName } from "../catalog/bastion";
import { mlNetworkArgumentKeys, rejectUnknownArguments } from "../argument-keys";
import { AzureCloud } from "../catalog/clouds";
import {
    allowVirtualNetworkOutboundRule,
    denyAllOutboundRule,
    requiredNsgRules,
    SecurityRule,
} from "../catalog/service-tags";
import { EgressPlan, firewallSubnetName, planEgress } from "../egress/egress-plan";
import type { MlNetworkArgs } from "./network-args";
import { NetworkAccessPlan, planNetworkAccess } from "../access/network-access-plan";
import {
    bastionSubnetMaxPrefixLength,
    carveBlock,
    InvalidArgumentError,
    knownValue,
    parseCidrArgument,
    prefixLengthFor,
    rejectSetWhileOff,
    SubnetPlan,
    validateCount,
    validateFlag,
    validateLocation,
    validatePlacement,
    validateNetworkLayout,
} from "../validate";

/**
 * `MlNetwork`'s argument validation and defaulting, apart from the resources it builds: `planMlNetwork`
 * registers nothing, so a bad argument fails before the component exists.
 */

const component = "MlNetwork";

/** The subnets' names inside the VNet. Bastion's name is fixed by Azure. */
export const mlSubnetNames = {
    training: "training",
    privateEndpoints: "private-endpoints",
    scoring: "scoring",
    bastion: bastionSubnetName,
    firewall: firewallSubnetName,
    jumpBox: "jump-box",
    // Azure's fixed name for a virtual network gateway's subnet.
    gateway: "GatewaySubnet",
    dnsResolver: "dns-resolver-inbound",
} as const;

export const defaultAddressSpace = "10.0.0.0/16";
export const defaultMaxComputeNodes = 4;
/** Upper bound of `maxComputeNodes`: the usable addresses of a /16, the largest default-sized layout. */
export const maxComputeNodesLimit = 2 ** 16 - 5;
/**
 * The private-endpoint subnet must be a /27 or larger (27 usable addresses). One workspace's endpoints
 * take about 15 (workspace 3, storage blob/file/queue/table/dfs 5, key vault 1, registry 2 or more, and
 * the Azure Monitor private link scope's several), and the subnet is meant to be shared by workspaces.
 */
export const minPrivateEndpointAddresses = 27;

export type SubnetKey = keyof typeof mlSubnetNames;

/** Where each subnet's default comes from: an offset into the address space and a prefix length. */
const subnetDefaults: Record<
    SubnetKey,
    { argument: keyof MlNetworkArgs; offset: number; prefixLength: number; origin: string }
> = {
    training: {
        argument: "trainingSubnetPrefix",
        offset: 0,
        prefixLength: 24,
        origin: "the first /24 of addressSpace",
    },
    privateEndpoints: {
        argument: "privateEndpointSubnetPrefix",
        offset: 256,
        prefixLength: 24,
        origin: "the second /24 of addressSpace",
    },
    scoring: {
        argument: "scoringSubnetPrefix",
        offset: 512,
        prefixLength: 24,
        origin: "the third /24 of addressSpace",
    },
    bastion: {
        argument: "bastionSubnetPrefix",
        offset: 768,
        prefixLength: 26,
        origin: "the first /26 of the fourth /24 of addressSpace",
    },
    firewall: {
        argument: "firewallSubnetPrefix",
        offset: 896,
        prefixLength: 26,
        origin: "the third /26 of the fourth /24 of addressSpace",
    },
    jumpBox: {
        argument: "jumpBoxSubnetPrefix",
        offset: 832,
        prefixLength: 28,
        origin: "the /28 after the Bastion subnet (offset 832 of addressSpace)",
    },
    gateway: {
        argument: "gatewaySubnetPrefix",
        offset: 864,
        prefixLength: 27,
        origin: "the /27 at offset 864 of addressSpace",
    },
    dnsResolver: {
        argument: "dnsResolverSubnetPrefix",
        offset: 960,
        prefixLength: 28,
        origin: "the /28 at offset 960 of addressSpace (after the firewall's /26)",
    },
};

/** The arguments after validation and defaulting; the egress part is `planEgress`'s (egress-plan.ts). */
export interface MlNetworkPlan extends EgressPlan {
    cloud: AzureCloud;
    /** The normalised region when the location is known at construction. */
    region?: string;
    addressSpace: pulumi.Input<string>;
    /** Prefixes of the subnets to create; absent keys are not created. */
    subnets: Partial<Record<SubnetKey, pulumi.Input<string>>>;
    nodePublicIp: boolean;
    natGateway: boolean;
    /** Only the private-endpoint subnet (and Bastion): computes run in the workspace's managed network. */
    privateEndpointsOnly: boolean;
    hbiWorkspace: boolean;
    maxComputeNodes: number;
    /** The jump box and the VPN gateway, when asked for (network-access-plan.ts). */
    access: NetworkAccessPlan;
}

/**
 * Validates every argument and fills in the defaults. Throws `InvalidArgumentError`; it registers
 * nothing, so the constructor calls it before `super`.
 */
export function planMlNetwork(args: MlNetworkArgs): MlNetworkPlan {
    rejectUnknownArguments(component, "", args, mlNetworkArgumentKeys);
    const { cloud, region } = validatePlacement(
        component,
        args,
        "regional service tags (Storage.<region>) are built from it",
    );

    const enableScoring = validateFlag(component, "enableScoringSubnet", args.enableScoringSubnet, false);
    const enableBastion = validateFlag(component, "enableBastion", args.enableBastion, false);
    const nodePublicIp = validateFlag(component, "nodePublicIp", args.nodePublicIp, false);
    const privateEndpointsOnly = validateFlag(component, "privateEndpointsOnly", args.privateEndpointsOnly, false);
    if (privateEndpointsOnly) {
        const computeArgs = [
            "trainingSubnetPrefix",
            "enableScoringSubnet",
            "scoringSubnetPrefix",
            "egress",
            "lockDownEgress",
            "egressHostGroups",
            "extraEgressHosts",
            "firewallSubnetPrefix",
            "storageFirewallBetween",
        ] as const;
        for (const key of computeArgs) {
            if (args[key] !== undefined && args[key] !== false && !(key === "egress" && args[key] === "nat")) {
                throw new InvalidArgumentError(
                    component,
                    key,
                    args[key],
                    "shapes the compute subnets, which a private-endpoints-only network (computes in the workspace's managed network) does not have",
                );
            }
        }
        if (args.natGateway === true) {
            throw new InvalidArgumentError(
                component,
                "natGateway",
                args.natGateway,
                "cannot be true for a private-endpoints-only network: no compute subnet needs an outbound path",
            );
        }
    }
    const egress = planEgress(component, args);
    const natGateway = validateFlag(
        component,
        "natGateway",
        args.natGateway,
        !nodePublicIp && egress.egress !== "firewall" && !privateEndpointsOnly,
    );
    if (natGateway && egress.egress === "firewall") {
        throw new InvalidArgumentError(
            component,
            "natGateway",
            args.natGateway,
            "cannot be true with egress: firewall: the compute subnets send 0.0.0.0/0 to the firewall, whose own public IP serves egress; drop natGateway",
        );
    }
    const hbiWorkspace = validateFlag(component, "hbiWorkspace", args.hbiWorkspace, false);
    const maxComputeNodes =
        args.maxComputeNodes === undefined
            ? defaultMaxComputeNodes
            : validateCount(component, "maxComputeNodes", args.maxComputeNodes, 1, maxComputeNodesLimit);

    // A prefix for a subnet that is switched off is almost always a forgotten switch, so say so.
    if (!enableScoring)
        rejectSetWhileOff(
            component,
            args,
            ["scoringSubnetPrefix"],
            "is set but enableScoringSubnet is not true; set enableScoringSubnet: true or drop the prefix",
        );
    if (!enableBastion)
        rejectSetWhileOff(
            component,
            args,
            ["bastionSubnetPrefix"],
            "is set but enableBastion is not true; set enableBastion: true or drop the prefix",
        );
    if (!natGateway && !nodePublicIp && egress.egress !== "firewall" && !privateEndpointsOnly) {
        throw new InvalidArgumentError(
            component,
            "natGateway",
            args.natGateway,
            "cannot be false while nodePublicIp is false: the subnets have no default outbound access, and the source document's Important box requires compute without public IPs to have a way to the internet (a NAT gateway or a firewall through UDR, which MlNetwork does not manage)",
        );
    }

    const addressSpace = args.addressSpace ?? defaultAddressSpace;
    const access = planNetworkAccess(component, args, {
        cloud,
        enableBastion,
        natGateway,
        firewall: egress.egress === "firewall",
        addressSpace,
    });
    const knownSpace = knownValue(addressSpace);
    if (knownSpace !== undefined) {
        // Parse and check Docker's range before carving, so those errors win over "too small".
        validateNetworkLayout(component, { argument: "addressSpace", cidrs: [knownSpace as string] }, []);
    }
    const wanted: SubnetKey[] = [
        ...(privateEndpointsOnly ? [] : ["training" as const]),
        "privateEndpoints",
        ...(enableScoring ? ["scoring" as const] : []),
        ...(enableBastion ? ["bastion" as const] : []),
        ...(egress.egress === "firewall" ? ["firewall" as const] : []),
        ...(access.jumpBox ? ["jumpBox" as const] : []),
        ...(access.vpnGateway ? ["gateway" as const] : []),
        ...(access.dnsResolver ? ["dnsResolver" as const] : []),
    ];
    const subnets: MlNetworkPlan["subnets"] = {};
    const checks: SubnetPlan[] = [];
    for (const key of wanted) {
        const def = subnetDefaults[key];
        const given = args[def.argument] as pulumi.Input<string> | undefined;
        let prefix: pulumi.Input<string>;
        let argument = def.argument as string;
        if (given !== undefined) {
            prefix = given;
        } else if (knownSpace === undefined) {
            throw new InvalidArgumentError(
                component,
                def.argument,
                undefined,
                `must be given when addressSpace is not known at construction (an Output): the default, ${def.origin}, can only be carved from a known address space`,
            );
        } else {
            const carved = carveBlock(
                parseCidrArgument(component, "addressSpace", knownSpace),
                def.offset,
                def.prefixLength,
            );
            if (carved === undefined) {
                throw new InvalidArgumentError(
                    component,
                    "addressSpace",
                    knownSpace,
                    `is too small for the default ${def.argument} (${def.origin}); use a /${prefixLengthFor(def.offset + 2 ** (32 - def.prefixLength))} or larger, or give ${def.argument} explicitly`,
                );
            }
            prefix = carved;
            argument = `${def.argument} (default: ${def.origin})`;
        }
        subnets[key] = prefix;
        const cidr = knownValue(prefix);
        if (cidr !== undefined) checks.push({ argument, cidr, ...sizeRule(key, maxComputeNodes) });
        if (key === "dnsResolver" && typeof cidr === "string" && Number(cidr.split("/")[1]) < 24) {
            throw new InvalidArgumentError(
                component,
                def.argument,
                cidr,
                "is larger than a /24: a DNS Private Resolver's subnet must be /28 to /24 (https://learn.microsoft.com/azure/dns/dns-private-resolver-overview#subnet-restrictions)",
            );
        }
    }
    validateNetworkLayout(
        component,
        { argument: "addressSpace", cidrs: knownSpace === undefined ? undefined : [knownSpace as string] },
        checks,
    );

    return {
        cloud,
        region,
        addressSpace,
        subnets,
        nodePublicIp,
        natGateway,
        privateEndpointsOnly,
        ...egress,
        hbiWorkspace,
        maxComputeNodes,
        access,
    };
}

function sizeRule(
    key: SubnetKey,
    maxComputeNodes: number,
): Pick<SubnetPlan, "minUsableAddresses" | "sizeReason" | "maxPrefixLength"> {
    switch (key) {
        case "training":
            return {
                minUsableAddresses: maxComputeNodes,
                sizeReason: `each of maxComputeNodes = ${maxComputeNodes} compute nodes takes one address`,
            };
        case "privateEndpoints":
            return {
                minUsableAddresses: minPrivateEndpointAddresses,
                sizeReason:
                    "one workspace's private endpoints (workspace, storage blob/file/queue/table, key vault, registry, Azure Monitor private link) take about 15 addresses and the subnet may be shared, so a /27 is the minimum",
            };
        case "scoring":
            // What an inference target needs depends on it (AKS with Azure CNI or kubenet), so only Azure's minimum applies.
            return { minUsableAddresses: 1, sizeReason: "Azure's smallest subnet" };
        case "bastion":
            return {
                minUsableAddresses: 1,
                sizeReason: "Azure Bastion requires it",
                maxPrefixLength: bastionSubnetMaxPrefixLength,
            };
        case "firewall":
            return {
                minUsableAddresses: 1,
                sizeReason: "Azure Firewall requires an AzureFirewallSubnet of /26 or larger",
                maxPrefixLength: 26,
            };
        case "jumpBox":
            return { minUsableAddresses: 1, sizeReason: "one jump-box VM" };
        case "gateway":
            // "The gateway subnet must be /29 or larger ... we recommend /27 or larger" (VPN Gateway settings):
            // a /27 leaves room for a later ExpressRoute gateway to coexist.
            return { minUsableAddresses: 1, sizeReason: "a VPN gateway", maxPrefixLength: 27 };
        case "dnsResolver":
            // "The subnet must be a minimum of /28 address space or a maximum of /24 address space"
            // (https://learn.microsoft.com/azure/dns/dns-private-resolver-overview#subnet-restrictions).
            return {
                minUsableAddresses: 1,
                sizeReason: "a DNS Private Resolver inbound endpoint",
                maxPrefixLength: 28,
            };
    }
}

/**
 * A compute subnet's NSG rules (training and scoring alike): the document's tables for this compute
 * variant, then the deny-all of `egress: none`.
 */
export function trainingNsgRules(
    plan: Pick<MlNetworkPlan, "cloud" | "nodePublicIp" | "hbiWorkspace" | "lockDownEgress"> &
        Partial<Pick<MlNetworkPlan, "storagePort445">>,
    location: string,
): SecurityRule[] {
    const region = validateLocation(component, location, plan.cloud);
    const { inbound, outbound } = requiredNsgRules({
        location: region,
        cloud: plan.cloud,
        nodePublicIp: plan.nodePublicIp,
        hbiWorkspace: plan.hbiWorkspace,
        storagePort445: plan.storagePort445 ?? false,
    });
    const lockDown = plan.lockDownEgress ? [allowVirtualNetworkOutboundRule, denyAllOutboundRule] : [];
    return [...inbound, ...outbound, ...lockDown].map((rule) => ({ ...rule }));
}

import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import type * as azureInputs from "@pulumi/azure-native/types/input";
import { bastionNsgRules, bastionSubnetName } from "./catalog/bastion";
import { AzureCloud } from "./catalog/clouds";
import {
    allowVirtualNetworkOutboundRule,
    denyAllOutboundRule,
    requiredNsgRules,
    SecurityRule,
} from "./catalog/service-tags";
import {
    bastionSubnetMaxPrefixLength,
    carveBlock,
    InvalidArgumentError,
    knownValue,
    parseCidrArgument,
    prefixLengthFor,
    SubnetPlan,
    validateCount,
    validateLocation,
    validatePlacement,
    validateNetworkLayout,
} from "./validate";

/**
 * The network layout both components take: address space, subnets, Bastion and egress. One interface,
 * so `MlNetwork` and `SecureMlWorkspace` document these arguments once.
 */
export interface MlNetworkLayoutArgs {
    /** The VNet's address space. Must not overlap 172.17.0.0/16 (Docker's bridge). Default `10.0.0.0/16`. */
    addressSpace?: pulumi.Input<string>;
    /** The training compute subnet. Default: the first /24 of the address space. */
    trainingSubnetPrefix?: pulumi.Input<string>;
    /** The private endpoint subnet. Default: the second /24 of the address space. */
    privateEndpointSubnetPrefix?: pulumi.Input<string>;
    /** Whether to create a scoring (inference) subnet. Default false. */
    enableScoringSubnet?: boolean;
    /** The scoring subnet. Default: the third /24 of the address space. */
    scoringSubnetPrefix?: pulumi.Input<string>;
    /** Whether to create an `AzureBastionSubnet` and an Azure Bastion host for jump-box access. Default false. */
    enableBastion?: boolean;
    /** The `AzureBastionSubnet` (/26 or larger). Default: the first /26 of the fourth /24 of the address space. */
    bastionSubnetPrefix?: pulumi.Input<string>;
    /** Whether to give the training subnet a NAT gateway with a static public IP for outbound traffic. Default: true when nodes have no public IP. */
    natGateway?: boolean;
    /**
     * Whether to end the training NSG's outbound rules with a deny-all, so compute can reach only the
     * documented service tags. Breaks pip/conda/CRAN installs from public feeds; use private feeds or
     * prebuilt images. Default false.
     */
    lockDownEgress?: boolean;
}

/** Arguments of `MlNetwork`. */
export interface MlNetworkArgs extends MlNetworkLayoutArgs {
    /** The resource group that holds the network. */
    resourceGroupName: pulumi.Input<string>;
    /** The Azure region, e.g. `westeurope`. Regional service tags (`Storage.westeurope`) are built from it. */
    location: pulumi.Input<string>;
    /** The Azure cloud. Decides the service tags that apply (no `AzureFrontDoor.FrontEnd` in Azure China). Default `AzureCloud`. */
    cloud?: AzureCloud;
    /** Whether compute nodes get public IP addresses. Default false (the document's "no public IP" variant). */
    nodePublicIp?: boolean;
    /** Whether the workspace has the hbi_workspace flag; adds the `AzureKeyVault.<region>` outbound rule. Default false. */
    hbiWorkspace?: boolean;
    /** The most compute nodes the training subnet must hold (one address each). Default 4. */
    maxComputeNodes?: number;
    /** Tags for every resource. */
    tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

const component = "MlNetwork";

/** The subnets' names inside the VNet. Bastion's name is fixed by Azure. */
export const mlSubnetNames = {
    training: "training",
    privateEndpoints: "private-endpoints",
    scoring: "scoring",
    bastion: bastionSubnetName,
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

type SubnetKey = keyof typeof mlSubnetNames;

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
};

/** The arguments after validation and defaulting. */
export interface MlNetworkPlan {
    cloud: AzureCloud;
    /** The normalised region when the location is known at construction. */
    region?: string;
    addressSpace: pulumi.Input<string>;
    /** Prefixes of the subnets to create; absent keys are not created. */
    subnets: Partial<Record<SubnetKey, pulumi.Input<string>>>;
    nodePublicIp: boolean;
    natGateway: boolean;
    lockDownEgress: boolean;
    hbiWorkspace: boolean;
    maxComputeNodes: number;
}

/**
 * Validates every argument and fills in the defaults. Throws `InvalidArgumentError`; it registers
 * nothing, so the constructor calls it before `super`.
 */
export function planMlNetwork(args: MlNetworkArgs): MlNetworkPlan {
    const { cloud, region } = validatePlacement(
        component,
        args,
        "regional service tags (Storage.<region>) are built from it",
    );

    const enableScoring = flag("enableScoringSubnet", args.enableScoringSubnet, false);
    const enableBastion = flag("enableBastion", args.enableBastion, false);
    const nodePublicIp = flag("nodePublicIp", args.nodePublicIp, false);
    const natGateway = flag("natGateway", args.natGateway, !nodePublicIp);
    const lockDownEgress = flag("lockDownEgress", args.lockDownEgress, false);
    const hbiWorkspace = flag("hbiWorkspace", args.hbiWorkspace, false);
    const maxComputeNodes =
        args.maxComputeNodes === undefined
            ? defaultMaxComputeNodes
            : validateCount(component, "maxComputeNodes", args.maxComputeNodes, 1, maxComputeNodesLimit);

    // A prefix for a subnet that is switched off is almost always a forgotten switch, so say so.
    if (args.scoringSubnetPrefix !== undefined && !enableScoring) {
        throw new InvalidArgumentError(
            component,
            "scoringSubnetPrefix",
            args.scoringSubnetPrefix,
            "is set but enableScoringSubnet is not true; set enableScoringSubnet: true or drop the prefix",
        );
    }
    if (args.bastionSubnetPrefix !== undefined && !enableBastion) {
        throw new InvalidArgumentError(
            component,
            "bastionSubnetPrefix",
            args.bastionSubnetPrefix,
            "is set but enableBastion is not true; set enableBastion: true or drop the prefix",
        );
    }
    if (!natGateway && !nodePublicIp) {
        throw new InvalidArgumentError(
            component,
            "natGateway",
            args.natGateway,
            "cannot be false while nodePublicIp is false: the subnets have no default outbound access, and the source document's Important box requires compute without public IPs to have a way to the internet (a NAT gateway or a firewall through UDR, which MlNetwork does not manage)",
        );
    }

    const addressSpace = args.addressSpace ?? defaultAddressSpace;
    const knownSpace = knownValue(addressSpace);
    if (knownSpace !== undefined) {
        // Parse and check Docker's range before carving, so those errors win over "too small".
        validateNetworkLayout(component, { argument: "addressSpace", cidrs: [knownSpace as string] }, []);
    }
    const wanted: SubnetKey[] = [
        "training",
        "privateEndpoints",
        ...(enableScoring ? ["scoring" as const] : []),
        ...(enableBastion ? ["bastion" as const] : []),
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
        lockDownEgress,
        hbiWorkspace,
        maxComputeNodes,
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
    }
}

function flag(argument: string, value: unknown, fallback: boolean): boolean {
    if (value === undefined) return fallback;
    if (typeof value !== "boolean") {
        throw new InvalidArgumentError(component, argument, value, "must be true or false");
    }
    return value;
}

/** The training subnet's NSG rules: the document's tables for this compute variant, then the optional lock-down. */
export function trainingNsgRules(
    plan: Pick<MlNetworkPlan, "cloud" | "nodePublicIp" | "hbiWorkspace" | "lockDownEgress">,
    location: string,
): SecurityRule[] {
    const region = validateLocation(component, location, plan.cloud);
    const { inbound, outbound } = requiredNsgRules({
        location: region,
        cloud: plan.cloud,
        nodePublicIp: plan.nodePublicIp,
        hbiWorkspace: plan.hbiWorkspace,
    });
    const lockDown = plan.lockDownEgress ? [allowVirtualNetworkOutboundRule, denyAllOutboundRule] : [];
    return [...inbound, ...outbound, ...lockDown].map((rule) => ({ ...rule }));
}

/**
 * The network of a network-isolated Azure Machine Learning workspace, as the source document lays it
 * out: one VNet with a training subnet, a private-endpoint subnet and optionally a scoring subnet and
 * an `AzureBastionSubnet`; an NSG on every subnet; and a NAT gateway for compute without public IPs.
 *
 * - The training subnet's NSG carries exactly `requiredNsgRules` for the region and compute
 *   variant, so it passes the policy pack's `ml-compute-subnet-nsg-rules` by construction.
 * - No subnet has default outbound access (Azure retires it). Compute without public IPs therefore gets
 *   its internet path from the NAT gateway, which the document's Important box requires: images from
 *   Microsoft Container Registry and packages from PyPI or conda are fetched over it.
 * - `lockDownEgress` ends the training NSG with `DenyAllOutbound` at 4096 (after allowing traffic
 *   inside the VNet, which the private endpoints need). Compute can then reach only the documented
 *   service tags: pip, conda and CRAN installs from public feeds fail, as do images from registries
 *   other than Microsoft's and the workspace's. Use private feeds (an Azure Artifacts feed or a
 *   proxy reached through a private endpoint) and prebuilt images in the workspace's registry instead.
 *   It also closes the data exfiltration path the document warns about only in part: the
 *   `Storage.<region>` rule still reaches any storage account in the region.
 *
 * Invalid arguments throw `InvalidArgumentError` before anything is registered.
 */
export class MlNetwork extends pulumi.ComponentResource {
    /** The VNet's ARM id. */
    public readonly vnetId: pulumi.Output<string>;
    /** The VNet's name (auto-named from the component's name). */
    public readonly vnetName: pulumi.Output<string>;
    /** The training compute subnet's id; compute clusters and instances go here. */
    public readonly trainingSubnetId: pulumi.Output<string>;
    /** The private-endpoint subnet's id; every private endpoint of the workspace goes here (the document requires them in one VNet). */
    public readonly privateEndpointSubnetId: pulumi.Output<string>;
    /** The scoring subnet's id, or undefined without `enableScoringSubnet`. */
    public readonly scoringSubnetId: pulumi.Output<string | undefined>;
    /** The `AzureBastionSubnet`'s id, or undefined without `enableBastion`. */
    public readonly bastionSubnetId: pulumi.Output<string | undefined>;
    /** The training subnet's NSG id. */
    public readonly trainingNsgId: pulumi.Output<string>;
    /** The NAT gateway's id, or undefined when there is none. */
    public readonly natGatewayId: pulumi.Output<string | undefined>;
    /** The NAT gateway's public IP's id (the address outbound traffic comes from, for allow-lists), or undefined. */
    public readonly natPublicIpId: pulumi.Output<string | undefined>;
    /** The Bastion host's id, or undefined without `enableBastion`. */
    public readonly bastionHostId: pulumi.Output<string | undefined>;

    constructor(name: string, args: MlNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        const plan = planMlNetwork(args);
        // `{}`: the args hold no secrets today, but the component's inputs would be stored in state.
        super("secure-azureml:index:MlNetwork", name, {}, opts);

        const child = { parent: this };
        const common = { resourceGroupName: args.resourceGroupName, location: args.location, tags: args.tags };
        const nsg = (suffix: string, rules: pulumi.Input<SecurityRule[]>) =>
            new network.NetworkSecurityGroup(`${name}-${suffix}-nsg`, { ...common, securityRules: rules }, child);

        const trainingNsg = nsg(
            "training",
            pulumi.output(args.location).apply((location) => trainingNsgRules(plan, location)),
        );
        // Private endpoints and a scoring target need nothing beyond Azure's defaults (VNet in, VNet and internet out).
        const peNsg = nsg("pe", []);
        const scoringNsg = plan.subnets.scoring !== undefined ? nsg("scoring", []) : undefined;
        const bastionNsg =
            plan.subnets.bastion !== undefined
                ? nsg(
                      "bastion",
                      bastionNsgRules.map((rule) => ({ ...rule })),
                  )
                : undefined;

        const staticIp = (suffix: string) =>
            new network.PublicIPAddress(
                `${name}-${suffix}`,
                {
                    ...common,
                    sku: {
                        name: network.PublicIPAddressSkuName.Standard,
                        tier: network.PublicIPAddressSkuTier.Regional,
                    },
                    publicIPAllocationMethod: network.IPAllocationMethod.Static,
                    publicIPAddressVersion: network.IPVersion.IPv4,
                },
                child,
            );

        const natPublicIp = plan.natGateway ? staticIp("nat-pip") : undefined;
        const natGateway = natPublicIp
            ? new network.NatGateway(
                  `${name}-nat`,
                  {
                      ...common,
                      sku: { name: network.NatGatewaySkuName.Standard },
                      publicIpAddresses: [{ id: natPublicIp.id }],
                  },
                  child,
              )
            : undefined;

        const subnet = (
            key: SubnetKey,
            nsgId: pulumi.Input<string>,
            extra: Partial<azureInputs.network.SubnetArgs> = {},
        ): azureInputs.network.SubnetArgs => ({
            name: mlSubnetNames[key],
            addressPrefix: plan.subnets[key],
            networkSecurityGroup: { id: nsgId },
            defaultOutboundAccess: false,
            ...extra,
        });
        const egress = natGateway ? { natGateway: { id: natGateway.id } } : {};
        const subnets: azureInputs.network.SubnetArgs[] = [
            subnet("training", trainingNsg.id, egress),
            // Without this the PE subnet's NSG would not apply to the private endpoints in it.
            subnet("privateEndpoints", peNsg.id, {
                privateEndpointNetworkPolicies:
                    network.VirtualNetworkPrivateEndpointNetworkPolicies.NetworkSecurityGroupEnabled,
            }),
            ...(scoringNsg ? [subnet("scoring", scoringNsg.id, egress)] : []),
            ...(bastionNsg ? [subnet("bastion", bastionNsg.id)] : []),
        ];
        // Inline subnets only: mixing them with standalone Subnet resources makes each update delete the other's.
        const vnet = new network.VirtualNetwork(
            `${name}-vnet`,
            {
                ...common,
                addressSpace: { addressPrefixes: [plan.addressSpace] },
                subnets,
            },
            child,
        );

        const subnetId = (key: SubnetKey) => pulumi.interpolate`${vnet.id}/subnets/${mlSubnetNames[key]}`;
        const none = pulumi.output<string | undefined>(undefined);
        const bastionSubnetId = bastionNsg ? subnetId("bastion") : undefined;

        let bastionHost: network.BastionHost | undefined;
        if (bastionSubnetId) {
            const bastionIp = staticIp("bastion-pip");
            // Basic is the cheapest SKU that serves the document's jump-box scenario (browser RDP/SSH).
            bastionHost = new network.BastionHost(
                `${name}-bastion`,
                {
                    ...common,
                    sku: { name: network.BastionHostSkuName.Basic },
                    ipConfigurations: [
                        {
                            name: "bastion-ipconfig",
                            subnet: { id: bastionSubnetId },
                            publicIPAddress: { id: bastionIp.id },
                        },
                    ],
                },
                child,
            );
        }

        this.vnetId = vnet.id;
        this.vnetName = vnet.name;
        this.trainingSubnetId = subnetId("training");
        this.privateEndpointSubnetId = subnetId("privateEndpoints");
        this.scoringSubnetId = scoringNsg ? subnetId("scoring") : none;
        this.bastionSubnetId = bastionSubnetId ?? none;
        this.trainingNsgId = trainingNsg.id;
        this.natGatewayId = natGateway?.id ?? none;
        this.natPublicIpId = natPublicIp?.id ?? none;
        this.bastionHostId = bastionHost?.id ?? none;

        this.registerOutputs({
            vnetId: this.vnetId,
            vnetName: this.vnetName,
            trainingSubnetId: this.trainingSubnetId,
            privateEndpointSubnetId: this.privateEndpointSubnetId,
            scoringSubnetId: this.scoringSubnetId,
            bastionSubnetId: this.bastionSubnetId,
            trainingNsgId: this.trainingNsgId,
            natGatewayId: this.natGatewayId,
            natPublicIpId: this.natPublicIpId,
            bastionHostId: this.bastionHostId,
        });
    }
}

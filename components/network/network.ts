import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as network from "@pulumi/azure-native/network";
import type * as azureInputs from "@pulumi/azure-native/types/input";
import { ignoredPaths, virtualNetworkAzureFilled } from "../catalog/azure-filled";
import { bastionNsgRules } from "../catalog/bastion";
import { SecurityRule } from "../catalog/service-tags";
import { createEgressFirewall } from "../egress/egress-firewall";
import { firewallApplicationRules, firewallNetworkRules, internetRoutes } from "../egress/egress-rules";
import { createJumpBox, jumpBoxNsgRules } from "../access/jump-box";
import { mlSubnetNames, planMlNetwork, SubnetKey, trainingNsgRules } from "./network-plan";
import { MlNetworkArgs } from "./network-args";
import { createStaticPublicIp } from "./public-ip";
import { createStorageEndpointPolicy } from "../egress/storage-endpoint-policy";
import { validateLocation } from "../validate";
import { createVpnGateway } from "../access/vpn-gateway";
import { setComputeEgressPath } from "./compute-egress-path";
import { createDnsResolver, dnsResolverDelegation } from "../access/dns-resolver";

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
 * - `egress` treats every compute subnet (training and scoring) alike. `firewall` routes 0.0.0.0/0
 *   to an Azure Firewall that allows the document's service tags and the host catalogue's groups
 *   (image builds keep working) and denies the rest. `none` ends the NSGs with `DenyAllOutbound` at
 *   4096 (after allowing traffic inside the VNet, which the private endpoints need): pip, conda and
 *   CRAN installs from public feeds fail, as do images from registries other than Microsoft's and the
 *   workspace's. Both add a service endpoint policy, so the `Storage.<region>` path the document
 *   names for exfiltration reaches only the workspace's storage and Azure ML's; `AzureMonitor` and
 *   `AzureFrontDoor.FirstParty` stay open (see the README).
 *
 * Invalid arguments throw `InvalidArgumentError` before anything is registered.
 */
export class MlNetwork extends pulumi.ComponentResource {
    /** The VNet's ARM id. */
    public readonly vnetId: pulumi.Output<string>;
    /** The VNet's name (auto-named from the component's name). */
    public readonly vnetName: pulumi.Output<string>;
    /**
     * The training compute subnet's id; compute clusters and instances go here. Resolves to undefined
     * with `privateEndpointsOnly` (typed as a string so the common case needs no checks).
     */
    public readonly trainingSubnetId: pulumi.Output<string>;
    /** The private-endpoint subnet's id; every private endpoint of the workspace goes here (the document requires them in one VNet). */
    public readonly privateEndpointSubnetId: pulumi.Output<string>;
    /** The scoring subnet's id, or undefined without `enableScoringSubnet`. */
    public readonly scoringSubnetId: pulumi.Output<string | undefined>;
    /** The `AzureBastionSubnet`'s id, or undefined without `enableBastion`. */
    public readonly bastionSubnetId: pulumi.Output<string | undefined>;
    /** The training subnet's NSG id; resolves to undefined with `privateEndpointsOnly`. */
    public readonly trainingNsgId: pulumi.Output<string>;
    /** The NAT gateway's id, or undefined when there is none. */
    public readonly natGatewayId: pulumi.Output<string | undefined>;
    /** The NAT gateway's public IP's id (the address outbound traffic comes from, for allow-lists), or undefined. */
    public readonly natPublicIpId: pulumi.Output<string | undefined>;
    /** The Bastion host's id, or undefined without `enableBastion`. */
    public readonly bastionHostId: pulumi.Output<string | undefined>;
    /** The Azure Firewall's id, or undefined unless `egress: firewall`. */
    public readonly firewallId: pulumi.Output<string | undefined>;
    /** The Azure Firewall's private IP (the compute subnets' next hop), or undefined unless `egress: firewall`. */
    public readonly firewallPrivateIp: pulumi.Output<string | undefined>;
    /** The compute subnets' service endpoint policy's id, or undefined with `egress: nat`. */
    public readonly serviceEndpointPolicyId: pulumi.Output<string | undefined>;
    /** The jump box VM's id, or undefined without `enableJumpBox`. */
    public readonly jumpBoxVmId: pulumi.Output<string | undefined>;
    /** The jump box's network interface's id (people need Reader on it to connect through Bastion), or undefined without `enableJumpBox`. */
    public readonly jumpBoxNicId: pulumi.Output<string | undefined>;
    /** The jump box's private IP address (what Bastion connects to), or undefined without `enableJumpBox`. */
    public readonly jumpBoxPrivateIp: pulumi.Output<string | undefined>;
    /** The point-to-site VPN gateway's id, or undefined without `enableVpnGateway`. */
    public readonly vpnGatewayId: pulumi.Output<string | undefined>;
    /** The Bastion host's name (`az network bastion rdp --name`), or undefined without `enableBastion`. */
    public readonly bastionHostName: pulumi.Output<string | undefined>;
    /** The DNS Private Resolver's id, or undefined without `enableDnsResolver`. */
    public readonly dnsResolverId: pulumi.Output<string | undefined>;
    /**
     * The resolver's inbound endpoint's IP: the DNS server of the Azure VPN Client profile (`<dnsservers>`)
     * or of on-premises conditional forwarders. Undefined without `enableDnsResolver`.
     */
    public readonly dnsResolverInboundIp: pulumi.Output<string | undefined>;

    constructor(name: string, args: MlNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        const plan = planMlNetwork(args);
        // `{}`: the args hold no secrets today, but the component's inputs would be stored in state.
        super("secure-azureml:index:MlNetwork", name, {}, opts);

        const child = { parent: this };
        const common = { resourceGroupName: args.resourceGroupName, location: args.location, tags: args.tags };
        const nsg = (suffix: string, rules: pulumi.Input<SecurityRule[]>) =>
            new network.NetworkSecurityGroup(`${name}-${suffix}-nsg`, { ...common, securityRules: rules }, child);

        const computeRules = pulumi.output(args.location).apply((location) => trainingNsgRules(plan, location));
        const trainingNsg = plan.subnets.training !== undefined ? nsg("training", computeRules) : undefined;
        // Private endpoints need nothing beyond Azure's defaults (VNet in, VNet and internet out).
        const peNsg = nsg("pe", []);
        // The scoring subnet is a compute subnet too: same rules, same egress.
        const scoringNsg = plan.subnets.scoring !== undefined ? nsg("scoring", computeRules) : undefined;
        const bastionNsg =
            plan.subnets.bastion !== undefined
                ? nsg(
                      "bastion",
                      bastionNsgRules.map((rule) => ({ ...rule })),
                  )
                : undefined;
        // The jump box accepts SSH and RDP from the Bastion subnet only (jump-box.ts).
        const jumpBoxNsg =
            plan.subnets.jumpBox !== undefined
                ? nsg(
                      "jump-box",
                      pulumi.output(plan.subnets.bastion!).apply((prefix) => jumpBoxNsgRules(prefix)),
                  )
                : undefined;

        // The resolver's inbound endpoint: Azure's defaults (VirtualNetwork in, which covers VPN clients) suffice.
        const dnsResolverNsg = plan.subnets.dnsResolver !== undefined ? nsg("dns-resolver", []) : undefined;

        const staticIp = (suffix: string) => createStaticPublicIp(`${name}-${suffix}`, common, child);

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
        // --- Egress of the compute subnets (training and scoring alike) ---
        const firewallMode = plan.egress === "firewall";
        // Created before the VNet and empty; the firewall's routes are added once its IP is known.
        const routeTable = firewallMode ? new network.RouteTable(`${name}-compute-rt`, common, child) : undefined;
        const endpointPolicy = plan.serviceEndpointPolicy
            ? createStorageEndpointPolicy(
                  name,
                  { ...common, storageAccountIds: args.allowedStorageAccountIds ?? [] },
                  child,
              )
            : undefined;
        const egress: Partial<azureInputs.network.SubnetArgs> = {
            ...(natGateway ? { natGateway: { id: natGateway.id } } : {}),
            ...(routeTable ? { routeTable: { id: routeTable.id } } : {}),
            ...(endpointPolicy
                ? {
                      serviceEndpoints: [{ service: "Microsoft.Storage" }],
                      serviceEndpointPolicies: [{ id: endpointPolicy.id }],
                  }
                : {}),
        };
        const subnets: azureInputs.network.SubnetArgs[] = [
            ...(trainingNsg ? [subnet("training", trainingNsg.id, egress)] : []),
            // Without this the PE subnet's NSG would not apply to the private endpoints in it.
            subnet("privateEndpoints", peNsg.id, {
                privateEndpointNetworkPolicies:
                    network.VirtualNetworkPrivateEndpointNetworkPolicies.NetworkSecurityGroupEnabled,
            }),
            ...(scoringNsg ? [subnet("scoring", scoringNsg.id, egress)] : []),
            ...(bastionNsg ? [subnet("bastion", bastionNsg.id)] : []),
            // Azure's fixed name; Azure Firewall takes no NSG on its subnet (subnet-has-nsg exempts it).
            ...(firewallMode ? [{ name: mlSubnetNames.firewall, addressPrefix: plan.subnets.firewall }] : []),
            // The compute subnets' egress (NAT gateway, or the firewall with its own jump-box rule): the
            // Entra ID login extension installs packages on first boot.
            ...(jumpBoxNsg ? [subnet("jumpBox", jumpBoxNsg.id, egress)] : []),
            // No NSG (Azure rejects one on GatewaySubnet) and no other setting: the gateway manages it.
            ...(plan.subnets.gateway !== undefined
                ? [{ name: mlSubnetNames.gateway, addressPrefix: plan.subnets.gateway }]
                : []),
            // Delegated to the resolver, which takes the whole subnet (dns-resolver.ts).
            ...(dnsResolverNsg
                ? [subnet("dnsResolver", dnsResolverNsg.id, { delegations: [dnsResolverDelegation] })]
                : []),
        ];
        // Inline subnets only: mixing them with standalone Subnet resources makes each update delete the other's.
        const vnet = new network.VirtualNetwork(
            `${name}-vnet`,
            {
                ...common,
                addressSpace: { addressPrefixes: [plan.addressSpace] },
                subnets,
            },
            // Azure fills each service endpoint's locations (catalog/azure-filled.ts).
            { ...child, ignoreChanges: ignoredPaths(virtualNetworkAzureFilled) },
        );

        const subnetId = (key: SubnetKey) => pulumi.interpolate`${vnet.id}/subnets/${mlSubnetNames[key]}`;
        const none = pulumi.output<string | undefined>(undefined);
        const bastionSubnetId = bastionNsg ? subnetId("bastion") : undefined;

        let bastionHost: network.BastionHost | undefined;
        if (bastionSubnetId && plan.access.bastion) {
            const bastionIp = staticIp("bastion-pip");
            // Standard by default: its native client (enableTunneling) is how people sign in to the
            // Windows jump box with Entra ID (`az network bastion rdp --auth-type AAD`); Basic serves
            // the portal's browser SSH/RDP only (catalog/bastion.ts).
            bastionHost = new network.BastionHost(
                `${name}-bastion`,
                {
                    ...common,
                    sku: { name: plan.access.bastion.sku },
                    enableTunneling: plan.access.bastion.enableTunneling,
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

        const vpn = plan.access.vpnGateway
            ? createVpnGateway(
                  name,
                  {
                      ...common,
                      gatewaySubnetId: subnetId("gateway"),
                      clientAddressPool: plan.access.vpnGateway.clientAddressPool,
                      tenantId: authorization.getClientConfigOutput({ parent: this }).tenantId,
                  },
                  child,
              )
            : undefined;
        const resolver = dnsResolverNsg
            ? createDnsResolver(name, { ...common, vnetId: vnet.id, subnetId: subnetId("dnsResolver") }, child)
            : undefined;
        const firewall = routeTable
            ? createEgressFirewall(
                  name,
                  {
                      ...common,
                      subnetId: subnetId("firewall"),
                      routeTableName: routeTable.name,
                      ...firewallRules(plan, args.location),
                      region: args.location,
                      extraRoutes: internetRoutes(plan.nodePublicIp),
                      logAnalyticsWorkspaceId: args.logAnalyticsWorkspaceId,
                  },
                  child,
              )
            : undefined;
        // The compute subnets' way out (the jump box's below is the same one): a compute instance in the
        // training subnet boots, registers and pulls its images over it, so it is created after it
        // (catalog/create-time.ts; https://learn.microsoft.com/azure/machine-learning/how-to-secure-training-vnet#compute-instancecompute-cluster-with-no-public-ip).
        // The VNet carries the NAT gateway's or route table's association to the subnet.
        const egressPath = firewall
            ? [vnet, firewall.firewall, firewall.ruleCollectionGroup, firewall.defaultRoute]
            : natGateway
              ? [vnet, natGateway]
              : [];
        setComputeEgressPath(this, egressPath);
        // After the egress: the jump-box subnet has no default outbound access
        // (https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access), and its
        // VM and Entra ID login extension need the way out at create time (catalog/create-time.ts). The
        // route table's and NAT gateway's association is the VNet's inline subnet, which the NIC needs anyway.
        const jumpBox = plan.access.jumpBox
            ? createJumpBox(
                  name,
                  {
                      ...common,
                      subnetId: subnetId("jumpBox"),
                      vmSize: plan.access.jumpBox.vmSize,
                      os: plan.access.jumpBox.os,
                      adminSshPublicKey: plan.access.jumpBox.adminSshPublicKey,
                      egressPath,
                  },
                  child,
              )
            : undefined;

        this.vnetId = vnet.id;
        this.vnetName = vnet.name;
        // No training subnet (privateEndpointsOnly): the outputs resolve to undefined, as documented.
        const absent = none as pulumi.Output<string>;
        this.trainingSubnetId = trainingNsg ? subnetId("training") : absent;
        this.privateEndpointSubnetId = subnetId("privateEndpoints");
        this.scoringSubnetId = scoringNsg ? subnetId("scoring") : none;
        this.bastionSubnetId = bastionSubnetId ?? none;
        this.trainingNsgId = trainingNsg?.id ?? absent;
        this.natGatewayId = natGateway?.id ?? none;
        this.natPublicIpId = natPublicIp?.id ?? none;
        this.bastionHostId = bastionHost?.id ?? none;
        this.firewallId = firewall?.firewall.id ?? none;
        this.firewallPrivateIp = firewall?.privateIp ?? none;
        this.serviceEndpointPolicyId = endpointPolicy?.id ?? none;
        this.jumpBoxVmId = jumpBox?.vm.id ?? none;
        this.jumpBoxNicId = jumpBox?.nic.id ?? none;
        this.jumpBoxPrivateIp = jumpBox
            ? jumpBox.nic.ipConfigurations.apply((configs) => configs?.[0]?.privateIPAddress)
            : none;
        this.vpnGatewayId = vpn?.gateway.id ?? none;
        this.bastionHostName = bastionHost?.name ?? none;
        this.dnsResolverId = resolver?.resolver.id ?? none;
        this.dnsResolverInboundIp = resolver?.inboundIp ?? none;

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
            firewallId: this.firewallId,
            firewallPrivateIp: this.firewallPrivateIp,
            serviceEndpointPolicyId: this.serviceEndpointPolicyId,
            jumpBoxVmId: this.jumpBoxVmId,
            jumpBoxNicId: this.jumpBoxNicId,
            jumpBoxPrivateIp: this.jumpBoxPrivateIp,
            vpnGatewayId: this.vpnGatewayId,
            bastionHostName: this.bastionHostName,
            dnsResolverId: this.dnsResolverId,
            dnsResolverInboundIp: this.dnsResolverInboundIp,
        });
    }
}

/** The firewall's network and application rules, sourced from the compute subnets' prefixes. */
function firewallRules(plan: ReturnType<typeof planMlNetwork>, location: pulumi.Input<string>) {
    const computePrefixes = [plan.subnets.training!, ...(plan.subnets.scoring ? [plan.subnets.scoring] : [])];
    const jumpBoxPrefix = pulumi.output(plan.subnets.jumpBox);
    const options = pulumi.all([location, jumpBoxPrefix, ...computePrefixes]).apply(([loc, jumpBox, ...prefixes]) => ({
        region: validateLocation("MlNetwork", loc, plan.cloud),
        cloud: plan.cloud,
        nodePublicIp: plan.nodePublicIp,
        hbiWorkspace: plan.hbiWorkspace,
        sourceAddresses: prefixes as string[],
        groups: plan.egressHostGroups,
        extraHosts: plan.extraEgressHosts,
        jumpBoxSource: jumpBox as string | undefined,
        jumpBoxOs: plan.access.jumpBox?.os,
    }));
    return {
        networkRules: options.apply(firewallNetworkRules),
        applicationRules: options.apply(firewallApplicationRules),
    };
}

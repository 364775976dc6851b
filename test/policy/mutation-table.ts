import { denyAllOutboundRule, requiredNsgRules } from "../../components/catalog/service-tags";
import { PlanResource, PlanViolation, unknownValue } from "../../policy/plan";
import { T, clone, find, ids, location, resource, secureStack, setInput } from "./helpers";

/**
 * Issue 13's mutation table: single misconfigurations an attacker would try on the compliant stack,
 * each with the policy that must catch it and how (mandatory, or advisory when the pack cannot know),
 * and compliant variants that must stay clean. test/policy/mutations.test.ts runs it; the report's
 * "caught before/after" numbers come from running the same table against the previous pack.
 */

export type Stack = PlanResource[];

export interface Mutation {
    /** The blind-spot class of the issue. */
    klass: string;
    label: string;
    build: () => Stack;
    policy: string;
    /** How the policy must report it; null: compliant (the policy reports nothing at all). */
    level: "mandatory" | "advisory" | null;
    /** Substrings of the (first) expected message. */
    includes?: string[];
    config?: Record<string, unknown>;
}

const rule = (over: Record<string, unknown>) => ({
    name: "r",
    priority: 100,
    direction: "Inbound",
    access: "Allow",
    protocol: "Tcp",
    sourceAddressPrefix: "*",
    sourcePortRange: "*",
    destinationAddressPrefix: "*",
    destinationPortRange: "22",
    ...over,
});

function withRules(nsg: string, rules: unknown[], mutate?: (s: Stack) => void): Stack {
    const s = clone(secureStack());
    setInput(find(s, nsg), "securityRules", rules);
    mutate?.(s);
    return s;
}

/** Four rules of two /9 blocks each: each rule admits exactly a /8 (not "the Internet"), together four. */
const splitSlash9 = (priority: number, access = "Allow") =>
    [20, 22, 24, 26].map((a, i) =>
        rule({
            name: `admins-${i}`,
            priority: priority + i,
            access,
            sourceAddressPrefix: undefined,
            sourceAddressPrefixes: [`${a}.0.0.0/9`, `${a}.128.0.0/9`],
        }),
    );

/** Standalone SecurityRule resources attached to the training NSG (by name, id-derived and URN). */
function standaloneRules(s: Stack, rules: Record<string, unknown>[]): Stack {
    const nsg = find(s, "training-nsg");
    for (const r of rules) {
        const name = String(r.name);
        s.push(
            resource({
                type: T.rule,
                name: `sr-${name}`,
                id: `${ids.trainingNsg}/securityRules/${name}`,
                inputs: {
                    securityRuleName: name,
                    networkSecurityGroupName: "training-nsg",
                    resourceGroupName: "rg",
                    ...r,
                },
                deps: { networkSecurityGroupName: [nsg] },
            }),
        );
    }
    return s;
}

/** The training NSG with the document's rules and a locked-down egress (what prod emits). */
/**
 * The training NSG locked down as `egress: "none"` builds it: the document's rules, then the deny-all,
 * with the Microsoft.Storage service endpoint and a service endpoint policy on the subnet (without
 * them `compute-subnet-storage-endpoint-policy` fails the stack: Storage.<region> reaches any account).
 */
function lockedDown(extra: unknown[] = []): Stack {
    const { inbound, outbound } = requiredNsgRules({ location, nodePublicIp: false, hbiWorkspace: true });
    return withRules("training-nsg", [...inbound, ...outbound, denyAllOutboundRule, ...extra], (s) => {
        const subnet = find(s, "training");
        setInput(subnet, "serviceEndpoints", [{ service: "Microsoft.Storage" }]);
        setInput(subnet, "serviceEndpointPolicies", [
            {
                id: `${ids.trainingSubnet.split("/providers/")[0]}/providers/Microsoft.Network/serviceEndpointPolicies/sep`,
            },
        ]);
    });
}

const outboundDeny = (destination: string, priority = 100) =>
    rule({
        name: "deny-super",
        priority,
        direction: "Outbound",
        access: "Deny",
        protocol: "*",
        sourceAddressPrefix: "*",
        destinationAddressPrefix: destination,
        destinationPortRange: "*",
    });

const hubVnetId =
    "/subscriptions/00000000-0000-4000-a000-000000000002/resourceGroups/hub/providers/Microsoft.Network/virtualNetworks/hub";

function vaultZoneLinkedTo(vnetId: string): Stack {
    const s = clone(secureStack());
    const link = find(s, "link-privatelink.vaultcore.azure.net");
    setInput(link, "virtualNetwork", { id: vnetId });
    delete link.propertyDependencies.virtualNetwork;
    return s;
}

function aksStack(over: Record<string, unknown> = {}, mutate?: (s: Stack) => void): Stack {
    const s = clone(secureStack());
    const training = find(s, "training");
    s.push(
        resource({
            type: "azure-native:containerservice:ManagedCluster",
            name: "aks",
            id: `${ids.vnet.split("/providers/")[0]}/providers/Microsoft.ContainerService/managedClusters/aks`,
            inputs: {
                resourceName: "aks",
                resourceGroupName: "rg",
                location,
                dnsPrefix: "aks",
                apiServerAccessProfile: { enablePrivateCluster: true },
                agentPoolProfiles: [
                    {
                        name: "system",
                        mode: "System",
                        count: 1,
                        vmSize: "Standard_D4s_v5",
                        vnetSubnetID: ids.trainingSubnet,
                    },
                ],
                networkProfile: { networkPlugin: "azure", outboundType: "loadBalancer" },
                ...over,
            },
            deps: { agentPoolProfiles: [training] },
        }),
    );
    mutate?.(s);
    return s;
}

/** The stack as an outputs-only export reads once the reader uses `outputs`: no `…Name` parent inputs. */
export function outputsOnly(stack: Stack): Stack {
    const parentKeys = [
        "networkSecurityGroupName",
        "privateEndpointName",
        "privateZoneName",
        "workspaceName",
        "virtualNetworkName",
        "resourceGroupName",
    ];
    const subnets = stack.filter((r) => r.type === T.subnet);
    return stack.map((r) => {
        const inputs = clone(r.inputs);
        for (const k of parentKeys) delete inputs[k];
        if (r.id) inputs.id = r.id;
        inputs.name = r.id?.split("/").pop() ?? r.name;
        // Azure returns a VNet with every subnet inline, also those managed as Subnet resources.
        if (r.type === T.vnet)
            inputs.subnets = subnets.map((sn) => ({ id: sn.id, name: sn.inputs.subnetName, ...clone(sn.inputs) }));
        return { ...clone(r), inputs, propertyDependencies: {}, dependencies: [] };
    });
}

export const mutations: Mutation[] = [
    // --- Port coverage split across rules; standalone rules outranking inline denies -----------------
    {
        klass: "ports",
        label: "SSH from 0.0.0.0/1 + 128.0.0.0/1 in two inline rules",
        build: () =>
            withRules("training-nsg", [
                rule({ name: "low", sourceAddressPrefix: "0.0.0.0/1" }),
                rule({ name: "high", priority: 110, sourceAddressPrefix: "128.0.0.0/1" }),
            ]),
        policy: "nsg-no-internet-management-ports",
        level: "mandatory",
        includes: ['securityRules[0] "low"', "allows 22 from the Internet"],
    },
    {
        klass: "ports",
        label: "SSH from four rules of /9 pairs (each exactly a /8)",
        build: () => withRules("training-nsg", splitSlash9(100)),
        policy: "nsg-no-internet-management-ports",
        level: "mandatory",
        includes: ["SSH 22/tcp is reachable from 67108864 public addresses", "together they open it to the Internet"],
    },
    {
        klass: "ports",
        label: "compliant: the same /9 rules behind a deny of SSH from *",
        build: () =>
            withRules("training-nsg", [rule({ name: "deny-ssh", priority: 90, access: "Deny" }), ...splitSlash9(100)]),
        policy: "nsg-no-internet-management-ports",
        level: null,
    },
    {
        klass: "ports",
        label: "compliant: SSH from one admin /24",
        build: () => withRules("training-nsg", [rule({ sourceAddressPrefix: "203.0.113.0/24" })]),
        policy: "nsg-no-internet-management-ports",
        level: null,
    },
    {
        klass: "ports",
        label: "RDP over UDP from Internet",
        build: () =>
            withRules("training-nsg", [
                rule({ protocol: "Udp", sourceAddressPrefix: "Internet", destinationPortRange: "3389" }),
            ]),
        policy: "nsg-no-internet-management-ports",
        level: "mandatory",
        includes: ["allows 3389 from the Internet"],
    },
    {
        klass: "ports",
        label: "standalone /9 rules outrank the inline deny of SSH",
        build: () =>
            standaloneRules(
                withRules("training-nsg", [rule({ name: "deny-ssh", priority: 200, access: "Deny" })]),
                splitSlash9(100),
            ),
        policy: "nsg-no-internet-management-ports",
        level: "mandatory",
        includes: [
            'network:NetworkSecurityGroup "training-nsg" with its standalone SecurityRule resources',
            "SSH 22/tcp",
        ],
    },
    {
        klass: "ports",
        label: "standalone /9 rules related only through plain dependencies (no NSG name, no id)",
        build: () => {
            const s = standaloneRules(
                withRules("training-nsg", [rule({ name: "deny-ssh", priority: 200, access: "Deny" })]),
                splitSlash9(100),
            );
            const nsg = find(s, "training-nsg");
            for (const r of s.filter((x) => x.type === T.rule)) {
                r.id = null;
                delete r.inputs.networkSecurityGroupName;
                r.propertyDependencies = {};
                r.dependencies = [nsg.urn];
            }
            return s;
        },
        policy: "nsg-no-internet-management-ports",
        level: "mandatory",
        includes: ["with its standalone SecurityRule resources", "SSH 22/tcp"],
    },
    {
        klass: "ports",
        label: "compliant: standalone /9 rules below the inline deny",
        build: () =>
            standaloneRules(
                withRules("training-nsg", [rule({ name: "deny-ssh", priority: 90, access: "Deny" })]),
                splitSlash9(300),
            ),
        policy: "nsg-no-internet-management-ports",
        level: null,
    },
    {
        klass: "ports",
        label: "SSH from a broad 0.0.0.0/2 standalone rule",
        build: () =>
            standaloneRules(clone(secureStack()), [rule({ name: "broad", sourceAddressPrefix: "64.0.0.0/2" })]),
        policy: "nsg-no-internet-management-ports",
        level: "mandatory",
        includes: ['rule "broad"', "allows 22 from the Internet"],
    },
    {
        klass: "ports",
        label: "unrestricted inbound from 0.0.0.0/1 (any port)",
        build: () =>
            withRules("training-nsg", [rule({ sourceAddressPrefix: "0.0.0.0/1", destinationPortRange: "8080" })]),
        policy: "nsg-no-unrestricted-inbound",
        level: "mandatory",
        includes: ["allows inbound traffic from the Internet"],
    },
    {
        klass: "ports",
        label: "port 8080 from four rules of /9 pairs (any port, rules together)",
        build: () =>
            withRules(
                "training-nsg",
                splitSlash9(100).map((r) => ({ ...r, destinationPortRange: "8080" })),
            ),
        policy: "nsg-no-unrestricted-inbound",
        level: "mandatory",
        includes: ["TCP ports 8080 are reachable from more than a /8", "together they allow inbound traffic"],
    },
    {
        klass: "ports",
        label: "standalone /9 rules on 8000-8100 outrank the inline deny",
        build: () =>
            standaloneRules(
                withRules("training-nsg", [
                    rule({ name: "deny", priority: 200, access: "Deny", destinationPortRange: "*" }),
                ]),
                splitSlash9(100).map((r) => ({ ...r, destinationPortRange: "8000-8100" })),
            ),
        policy: "nsg-no-unrestricted-inbound",
        level: "mandatory",
        includes: ["with its standalone SecurityRule resources: TCP ports 8000-8100"],
    },
    {
        klass: "ports",
        label: "compliant: /9 rules on 8080 behind a deny of everything from Internet",
        build: () =>
            withRules("training-nsg", [
                rule({
                    name: "deny",
                    priority: 90,
                    access: "Deny",
                    sourceAddressPrefix: "Internet",
                    destinationPortRange: "*",
                }),
                ...splitSlash9(100).map((r) => ({ ...r, destinationPortRange: "8080" })),
            ]),
        policy: "nsg-no-unrestricted-inbound",
        level: null,
    },
    // --- Unknown sources or ports on an allow rule for management ports ------------------------------
    {
        klass: "unknown-mgmt",
        label: "allow SSH with an unknown source",
        build: () => withRules("training-nsg", [rule({ sourceAddressPrefix: unknownValue })]),
        policy: "nsg-no-internet-management-ports",
        level: "advisory",
        includes: ["securityRules[0].sourceAddressPrefix is unknown or hidden"],
    },
    {
        klass: "unknown-mgmt",
        label: "allow from Internet with an unknown port",
        build: () =>
            withRules("training-nsg", [rule({ sourceAddressPrefix: "Internet", destinationPortRange: unknownValue })]),
        policy: "nsg-no-internet-management-ports",
        level: "advisory",
        includes: ["securityRules[0].destinationPortRange is unknown or hidden"],
    },
    {
        klass: "unknown-mgmt",
        label: "allow SSH with a masked [secret] source",
        build: () => withRules("training-nsg", [rule({ sourceAddressPrefix: "[secret]" })]),
        policy: "nsg-no-internet-management-ports",
        level: "advisory",
        includes: ["securityRules[0].sourceAddressPrefix"],
    },
    {
        klass: "unknown-mgmt",
        label: "inbound allow on 8080 with a hidden source",
        build: () =>
            withRules("training-nsg", [rule({ sourceAddressPrefix: "[secret]", destinationPortRange: "8080" })]),
        policy: "nsg-no-unrestricted-inbound",
        level: "advisory",
        includes: ['securityRules[0].sourceAddressPrefix(es) of securityRules[0] "r" unknown or hidden'],
    },
    // --- Shadowing by super-tag denies ---------------------------------------------------------------
    {
        klass: "shadowing",
        label: "deny outbound AzureCloud before the required allows",
        build: () => withRules("training-nsg", [outboundDeny("AzureCloud")]),
        policy: "ml-compute-subnet-nsg-rules",
        level: "mandatory",
        includes: ["Outbound Tcp 443 to AzureMachineLearning", 'denied by securityRules[0] "deny-super"'],
    },
    {
        klass: "shadowing",
        label: "deny outbound AzureCloud.westeurope (covers Storage.westeurope)",
        build: () => withRules("training-nsg", [outboundDeny("AzureCloud.westeurope")]),
        policy: "ml-compute-subnet-nsg-rules",
        level: "mandatory",
        includes: ["to Storage.westeurope", 'denied by securityRules[0] "deny-super"'],
    },
    {
        klass: "shadowing",
        label: "deny outbound Internet before the required allows",
        build: () => withRules("training-nsg", [outboundDeny("Internet")]),
        policy: "ml-compute-subnet-nsg-rules",
        level: "mandatory",
        includes: ['denied by securityRules[0] "deny-super"'],
    },
    {
        klass: "shadowing",
        label: "deny outbound to a public /8: may intersect tags (advisory)",
        build: () => withRules("training-nsg", [outboundDeny("20.0.0.0/8")]),
        policy: "ml-compute-subnet-nsg-rules",
        level: "advisory",
        includes: ["may be denied by securityRules[0]", "cannot be known offline"],
    },
    {
        klass: "shadowing",
        label: "compliant: deny AzureCloud after the required allows",
        build: () => lockedDown([outboundDeny("AzureCloud", 4000)]),
        policy: "ml-compute-subnet-nsg-rules",
        level: null,
    },
    {
        klass: "shadowing",
        label: "compliant: deny outbound VirtualNetwork holds no service tag",
        build: () => withRules("training-nsg", [{ ...outboundDeny("VirtualNetwork"), destinationPortRange: "3389" }]),
        policy: "ml-compute-subnet-nsg-rules",
        level: null,
    },
    // --- Open outbound with restricted egress --------------------------------------------------------
    {
        klass: "egress",
        label: "restricted egress but no deny (AllowInternetOutBound)",
        build: () => clone(secureStack()),
        config: { "ml-compute-egress-restricted": { restricted: true } },
        policy: "ml-compute-egress-restricted",
        level: "mandatory",
        includes: ["TCP ports 0-65535", "default rule AllowInternetOutBound"],
    },
    {
        klass: "egress",
        label: "allow-all outbound at 150 before the deny",
        build: () =>
            lockedDown([
                rule({
                    name: "open",
                    priority: 150,
                    direction: "Outbound",
                    destinationPortRange: "*",
                    destinationAddressPrefix: "Internet",
                    protocol: "*",
                }),
            ]),
        config: { "ml-compute-egress-restricted": { restricted: true } },
        policy: "ml-compute-egress-restricted",
        level: "mandatory",
        includes: ['"open"'],
    },
    {
        klass: "egress",
        label: "compliant: the document's rules and DenyAllOutbound",
        build: () => lockedDown(),
        config: { "ml-compute-egress-restricted": { restricted: true } },
        policy: "ml-compute-egress-restricted",
        level: null,
    },
    {
        klass: "egress",
        label: "compliant: egress not restricted by config",
        build: () => clone(secureStack()),
        policy: "ml-compute-egress-restricted",
        level: null,
    },
    // --- NSGs attached from outside the component ----------------------------------------------------
    {
        klass: "external-nsg",
        label: "training subnet's NSG is outside the stack",
        build: () => {
            const s = clone(secureStack());
            const subnet = find(s, "training");
            setInput(subnet, "networkSecurityGroup", {
                id: `${hubVnetId.split("/providers/")[0]}/providers/Microsoft.Network/networkSecurityGroups/shared`,
            });
            delete subnet.propertyDependencies.networkSecurityGroup;
            return s;
        },
        policy: "ml-compute-subnet-nsg-rules",
        level: "advisory",
        includes: ["is outside this stack"],
    },
    {
        klass: "external-nsg",
        label: "training subnet swapped to a separate NSG resource that denies AzureCloud",
        build: () => {
            const s = clone(secureStack());
            const other = resource({
                type: T.nsg,
                name: "other-nsg",
                id: ids.trainingNsg.replace("training-nsg", "other-nsg"),
                inputs: {
                    networkSecurityGroupName: "other-nsg",
                    resourceGroupName: "rg",
                    securityRules: [outboundDeny("AzureCloud")],
                },
            });
            s.push(other);
            const subnet = find(s, "training");
            setInput(subnet, "networkSecurityGroup", { id: other.id });
            subnet.propertyDependencies.networkSecurityGroup = [other.urn];
            return s;
        },
        policy: "ml-compute-subnet-nsg-rules",
        level: "mandatory",
        includes: ['NSG "other-nsg"'],
    },
    {
        klass: "external-nsg",
        label: "a standalone deny rule defined outside the NSG resource",
        build: () => standaloneRules(clone(secureStack()), [outboundDeny("AzureCloud")]),
        policy: "ml-compute-subnet-nsg-rules",
        level: "mandatory",
        includes: ['network:SecurityRule "sr-deny-super"'],
    },
    // --- Firewall IP rules ---------------------------------------------------------------------------
    {
        klass: "firewall",
        label: "key vault Deny + ipRules 0.0.0.0/0 with public access enabled",
        build: () => {
            const s = clone(secureStack());
            const v = find(s, "vault");
            setInput(v, "properties.publicNetworkAccess", "Enabled");
            setInput(v, "properties.networkAcls", {
                defaultAction: "Deny",
                bypass: "AzureServices",
                ipRules: [{ value: "0.0.0.0/0" }],
            });
            return s;
        },
        policy: "keyvault-network-restricted",
        level: "mandatory",
        includes: ["properties.networkAcls.ipRules", "open to the Internet"],
    },
    {
        klass: "firewall",
        label: "key vault ipRules 0.0.0.0/1 + 128.0.0.0/1",
        build: () => {
            const s = clone(secureStack());
            const v = find(s, "vault");
            setInput(v, "properties.publicNetworkAccess", "Enabled");
            setInput(v, "properties.networkAcls", {
                defaultAction: "Deny",
                ipRules: [{ value: "0.0.0.0/1" }, { value: "128.0.0.0/1" }],
            });
            return s;
        },
        policy: "keyvault-network-restricted",
        level: "mandatory",
        includes: ['"0.0.0.0/1", "128.0.0.0/1"'],
    },
    {
        klass: "firewall",
        label: "compliant: key vault ipRules of one office /24",
        build: () => {
            const s = clone(secureStack());
            const v = find(s, "vault");
            setInput(v, "properties.publicNetworkAccess", "Enabled");
            setInput(v, "properties.networkAcls", { defaultAction: "Deny", ipRules: [{ value: "203.0.113.0/24" }] });
            return s;
        },
        policy: "keyvault-network-restricted",
        level: null,
    },
    {
        klass: "firewall",
        label: "registry Deny + ipRules 0.0.0.0/0 with public access enabled",
        build: () => {
            const s = clone(secureStack());
            const r = find(s, "registry");
            setInput(r, "publicNetworkAccess", "Enabled");
            setInput(r, "networkRuleSet", {
                defaultAction: "Deny",
                ipRules: [{ action: "Allow", iPAddressOrRange: "0.0.0.0/0" }],
            });
            return s;
        },
        policy: "acr-network-restricted",
        level: "mandatory",
        includes: ["networkRuleSet.ipRules", "open to the Internet"],
    },
    {
        klass: "firewall",
        label: "storage ipRules 0.0.0.0/2 ×4",
        build: () => {
            const s = clone(secureStack());
            setInput(
                find(s, "storage"),
                "networkRuleSet.ipRules",
                ["0", "64", "128", "192"].map((a) => ({ action: "Allow", iPAddressOrRange: `${a}.0.0.0/2` })),
            );
            return s;
        },
        policy: "storage-default-deny",
        level: "mandatory",
        includes: ["networkRuleSet.ipRules", "more than a /8"],
    },
    {
        klass: "firewall",
        label: "storage ipRules entry hidden",
        build: () => {
            const s = clone(secureStack());
            setInput(find(s, "storage"), "networkRuleSet.ipRules", [{ action: "Allow", iPAddressOrRange: "[secret]" }]);
            return s;
        },
        policy: "storage-default-deny",
        level: "advisory",
        includes: ["networkRuleSet.ipRules[0].iPAddressOrRange"],
    },
    // --- Values the engine hides; property-name casing -----------------------------------------------
    {
        klass: "hidden",
        label: 'storage defaultAction "[secret]"',
        build: () => {
            const s = clone(secureStack());
            setInput(find(s, "storage"), "networkRuleSet.defaultAction", "[secret]");
            return s;
        },
        policy: "storage-default-deny",
        level: "advisory",
        includes: ["value at .networkRuleSet.defaultAction is hidden by the engine"],
    },
    {
        klass: "hidden",
        label: "workspace publicNetworkAccess as a secret envelope",
        build: () => {
            const s = clone(secureStack());
            setInput(find(s, "workspace"), "publicNetworkAccess", {
                "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
                ciphertext: "AAABAMp1c2VyZGF0YQ==",
            });
            return s;
        },
        policy: "ml-workspace-public-network-disabled",
        level: "advisory",
        includes: ["value at .publicNetworkAccess is hidden by the engine"],
    },
    {
        klass: "hidden",
        label: "hidden destination of a deny in the compute NSG",
        build: () => withRules("training-nsg", [outboundDeny("[secret]")]),
        policy: "ml-compute-subnet-nsg-rules",
        level: "advisory",
        includes: [
            'network:NetworkSecurityGroup "training-nsg": value at .securityRules[0].destinationAddressPrefix is hidden',
        ],
    },
    {
        klass: "hidden",
        label: "an NSG rule hidden as a whole",
        build: () => withRules("training-nsg", ["[secret]"]),
        policy: "nsg-no-internet-management-ports",
        level: "advisory",
        includes: ["value at .securityRules[0] is hidden by the engine"],
    },
    {
        klass: "hidden",
        label: "compliant: a secret in a field no rule reads (tags)",
        build: () => {
            const s = clone(secureStack());
            setInput(find(s, "storage"), "tags", { owner: "[secret]" });
            return s;
        },
        policy: "storage-default-deny",
        level: null,
    },
    {
        klass: "casing",
        label: "storage PublicNetworkAccess Enabled (Pascal case)",
        build: () => {
            const s = clone(secureStack());
            const st = find(s, "storage");
            delete st.inputs.publicNetworkAccess;
            st.inputs.PublicNetworkAccess = "Enabled";
            return s;
        },
        policy: "storage-public-network-disabled",
        level: "advisory",
        includes: ['publicNetworkAccess is "Enabled"'],
    },
    {
        klass: "casing",
        label: "registry AdminUserEnabled true (Pascal case)",
        build: () => {
            const s = clone(secureStack());
            const r = find(s, "registry");
            delete r.inputs.adminUserEnabled;
            r.inputs.AdminUserEnabled = true;
            return s;
        },
        policy: "acr-admin-disabled",
        level: "mandatory",
        includes: ["adminUserEnabled is true"],
    },
    {
        klass: "casing",
        label: "compliant: storage NetworkRuleSet.DefaultAction Deny (Pascal case)",
        build: () => {
            const s = clone(secureStack());
            const st = find(s, "storage");
            delete st.inputs.networkRuleSet;
            st.inputs.NetworkRuleSet = { DefaultAction: "Deny", Bypass: "AzureServices" };
            return s;
        },
        policy: "storage-default-deny",
        level: null,
    },
    // --- DNS -----------------------------------------------------------------------------------------
    {
        klass: "dns",
        label: "vault zone linked only to a hub VNet",
        build: () => vaultZoneLinkedTo(hubVnetId),
        policy: "private-dns-zones-linked",
        level: "mandatory",
        includes: [
            "privatelink.vaultcore.azure.net",
            "it is linked only to VNet /subscriptions/00000000-0000-4000-a000-000000000002",
        ],
    },
    {
        klass: "dns",
        label: "vault zone linked only to a hub VNet listed in hubVnetIds",
        build: () => vaultZoneLinkedTo(hubVnetId),
        config: { "private-dns-zones-linked": { hubVnetIds: [hubVnetId] } },
        policy: "private-dns-zones-linked",
        level: "advisory",
        includes: ["linked only to hub", "depends on peering"],
    },
    {
        klass: "dns",
        label: "zone group names a zone outside the stack",
        build: () => {
            const s = clone(secureStack());
            const zg = find(s, "vault-pe-dns");
            const external = `${hubVnetId.split("/providers/")[0]}/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net`;
            setInput(zg, "privateDnsZoneConfigs", [{ name: "vault", privateDnsZoneId: external }]);
            delete zg.propertyDependencies.privateDnsZoneConfigs;
            return s;
        },
        policy: "private-dns-zones-linked",
        level: "advisory",
        includes: ['names zone "privatelink.vaultcore.azure.net" outside this stack', "cannot be seen"],
    },
    // --- AKS inference ---------------------------------------------------------------------------------
    {
        klass: "aks",
        label: "compliant: private AKS in the training subnet",
        build: () => aksStack(),
        policy: "ml-aks-inference-isolated",
        level: null,
    },
    {
        klass: "aks",
        label: "public AKS API server with a private workspace",
        build: () => aksStack({ apiServerAccessProfile: { enablePrivateCluster: false } }),
        policy: "ml-aks-inference-isolated",
        level: "mandatory",
        includes: ["apiServerAccessProfile.enablePrivateCluster is false"],
    },
    {
        klass: "aks",
        label: "AKS node pool without vnetSubnetID",
        build: () => aksStack({ agentPoolProfiles: [{ name: "system", mode: "System", count: 1 }] }),
        policy: "ml-aks-inference-isolated",
        level: "mandatory",
        includes: ["agentPoolProfiles[0].vnetSubnetID is not set"],
    },
    {
        klass: "aks",
        label: "AKS subnet NSG denies MicrosoftContainerRegistry",
        build: () =>
            aksStack({}, (s) =>
                setInput(find(s, "training-nsg"), "securityRules", [outboundDeny("MicrosoftContainerRegistry")]),
            ),
        policy: "ml-aks-inference-isolated",
        level: "mandatory",
        includes: ["Outbound Tcp 443 to MicrosoftContainerRegistry (mcr.microsoft.com) is denied"],
    },
    {
        klass: "aks",
        label: "AKS egress through a firewall (userDefinedRouting)",
        build: () => aksStack({ networkProfile: { networkPlugin: "azure", outboundType: "userDefinedRouting" } }),
        policy: "ml-aks-inference-isolated",
        level: "advisory",
        includes: ["userDefinedRouting", "cannot be verified"],
    },
    // --- Outputs-only exports --------------------------------------------------------------------------
    {
        klass: "outputs-only",
        label: "compliant stack read from outputs only",
        build: () => outputsOnly(secureStack()),
        policy: "ml-compute-subnet-nsg-rules",
        level: null,
    },
    {
        klass: "outputs-only",
        label: "outputs-only standalone rule (parent only in its id) denying AzureCloud",
        build: () => outputsOnly(standaloneRules(clone(secureStack()), [outboundDeny("AzureCloud")])),
        policy: "ml-compute-subnet-nsg-rules",
        level: "mandatory",
        includes: ['network:SecurityRule "sr-deny-super"'],
    },
    {
        klass: "outputs-only",
        label: "outputs-only standalone /9 rules open SSH past the inline deny",
        build: () =>
            outputsOnly(
                standaloneRules(
                    withRules("training-nsg", [rule({ name: "deny-ssh", priority: 200, access: "Deny" })]),
                    splitSlash9(100),
                ),
            ),
        policy: "nsg-no-internet-management-ports",
        level: "mandatory",
        includes: ["with its standalone SecurityRule resources", "SSH 22/tcp"],
    },
];

/** Whether a run's violations are what the mutation expects of its policy. */
export function verdict(m: Mutation, vs: PlanViolation[]): { ok: boolean; got: PlanViolation[] } {
    const got = vs.filter((v) => v.policy === m.policy);
    if (m.level === null) return { ok: got.length === 0, got };
    const match = got.filter(
        (v) => v.enforcementLevel === m.level && (m.includes ?? []).every((s) => v.message.includes(s)),
    );
    // Advisory-only classes must not be mandatory too: an unknown never yields a mandatory violation.
    const noMandatory = m.level === "advisory" ? !got.some((v) => v.enforcementLevel === "mandatory") : true;
    return { ok: match.length > 0 && noMandatory, got };
}

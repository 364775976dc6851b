import {
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { SecurityRule, bastionNsgRules, bastionSubnetName, dockerBridgeRange, overlapsDockerBridge } from "./catalog";
import { Res, indexOf } from "./graph";
import { NsgRuleView, isAnywhere, portsCover, summarise, viewRule } from "./nsg";
import { UNKNOWN, describe, get, isUnknownValue, list, metadata, raw, resourceRule, show, tokens } from "./util";

/** Network security groups, subnets and virtual networks (`azure-native:network:*`). */

const learn = "https://learn.microsoft.com/azure/machine-learning/how-to-secure-workspace-vnet";

/** The rules a resource carries: an NSG's inline `securityRules`, or a standalone SecurityRule itself. */
function rulesOf(args: Pick<ResourceValidationArgs, "type" | "props" | "name" | "urn">): NsgRuleView[] {
    const props = raw<Record<string, unknown>>(args.props) ?? {};
    if (args.type === tokens.securityRule)
        return [viewRule(props, `rule "${String(get(props, "securityRuleName") ?? args.name)}"`, args.urn)];
    if (args.type !== tokens.nsg) return [];
    const items = list(get(props, "securityRules"));
    if (items === UNKNOWN) return [];
    return items.map((r, i) => viewRule(r, `securityRules[${i}] "${String(get(r, "name") ?? i)}"`));
}

/** An inbound Allow from anywhere on the Internet; undefined when a field it depends on is unknown. */
function internetInboundAllow(rule: NsgRuleView): boolean | undefined {
    if (rule.direction === UNKNOWN || rule.access === UNKNOWN || rule.sources === UNKNOWN) return undefined;
    return rule.direction === "inbound" && rule.access === "allow" && rule.sources.some(isAnywhere);
}

const sameSet = (a: string[], b: string[]) => {
    const la = new Set(a.map((x) => x.trim().toLowerCase()));
    const lb = new Set(b.map((x) => x.trim().toLowerCase()));
    return la.size === lb.size && [...la].every((x) => lb.has(x));
};

/** The Bastion rule (from the catalogue) a rule is exactly, ignoring its name and priority. */
export function exactBastionRule(rule: NsgRuleView): SecurityRule | undefined {
    if (
        [
            rule.direction,
            rule.access,
            rule.protocol,
            rule.sources,
            rule.destinations,
            rule.sourcePorts,
            rule.destinationPorts,
        ].includes(UNKNOWN)
    ) {
        return undefined;
    }
    return bastionNsgRules.find(
        (b) =>
            rule.direction === b.direction.toLowerCase() &&
            rule.access === b.access.toLowerCase() &&
            rule.protocol === b.protocol.toLowerCase() &&
            sameSet(rule.sources as string[], [b.sourceAddressPrefix]) &&
            sameSet(rule.destinations as string[], [b.destinationAddressPrefix]) &&
            sameSet(rule.destinationPorts as string[], b.destinationPortRanges ?? [b.destinationPortRange ?? ""]) &&
            (rule.sourcePorts as string[]).every((p) => p.trim() === "*"),
    );
}

export const nsgNoInternetManagementPorts: ResourceValidationPolicy = resourceRule(
    {
        name: "nsg-no-internet-management-ports",
        description:
            "No NSG rule (inline or standalone) allows inbound SSH (22) or RDP (3389) from the Internet (`*`, `0.0.0.0/0`, `Internet`, `Any`).",
        enforcementLevel: "mandatory",
        severity: "critical",
        remediationSteps:
            "Remove the rule, or restrict its source to a known address range; reach machines through Azure Bastion or a VPN.",
        sources: {
            azurePolicy: [
                "22730e10-96f6-4aac-ad84-9383d35b5917",
                "2c89a2e5-7285-40fe-afe0-ae8654b92fab",
                "e372f825-a257-4fb8-9175-797a8a8627d6",
            ],
            checkov: ["CKV_AZURE_10", "CKV_AZURE_9"],
            learn,
        },
    },
    [tokens.nsg, tokens.securityRule],
    (_props, report, args) => {
        for (const rule of rulesOf(args)) {
            if (internetInboundAllow(rule) !== true || rule.destinationPorts === UNKNOWN || rule.protocol === UNKNOWN)
                continue;
            if (["icmp", "esp", "ah"].includes(rule.protocol)) continue;
            const ports = [22, 3389].filter((p) => portsCover(rule.destinationPorts as string[], p));
            if (ports.length > 0) {
                report(`${rule.label} (${summarise(rule)}) allows ${ports.join(" and ")} from the Internet.`);
            }
        }
    },
);

/**
 * Resource part: every inbound Allow from the Internet is a violation, except one that is exactly one
 * of Azure Bastion's documented rules. Stack part: such a Bastion rule is accepted only on an NSG that
 * is attached to `AzureBastionSubnet` (and to nothing else): the resource alone cannot tell.
 */
export const nsgNoUnrestrictedInbound: ResourceValidationPolicy & StackValidationPolicy = {
    ...metadata({
        name: "nsg-no-unrestricted-inbound",
        description:
            "No NSG rule allows inbound traffic from the whole Internet on any port, except exactly Azure Bastion's documented rules on the NSG of AzureBastionSubnet.",
        enforcementLevel: "mandatory",
        severity: "high",
        remediationSteps:
            "Restrict the source to a service tag (AzureMachineLearning, BatchNodeManagement, AzureLoadBalancer, GatewayManager) or an address range. On AzureBastionSubnet use exactly Bastion's rules (inbound Tcp 443 from Internet, …).",
        sources: {
            azurePolicy: ["9daedab3-fb2d-461e-b861-71790eead4f6"],
            checkov: ["CKV_AZURE_77", "CKV_AZURE_160"],
            trivy: ["AVD-AZU-0047"],
            learn: "https://learn.microsoft.com/azure/bastion/bastion-nsg",
        },
    }),
    validateResource: Object.assign(
        (args: ResourceValidationArgs, report: ReportViolation) => {
            if (args.type !== tokens.nsg && args.type !== tokens.securityRule) return;
            for (const rule of rulesOf(args)) {
                if (internetInboundAllow(rule) !== true) continue;
                if (exactBastionRule(rule)) continue; // checked against the subnet by the stack part
                report(
                    `${describe(args.type, args.name)}: ${rule.label} (${summarise(rule)}) allows inbound traffic from the Internet.`,
                );
            }
        },
        { __pulumiTypes: [tokens.nsg, tokens.securityRule] },
    ),
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
        const index = indexOf(args.resources as Res[]);
        const check = (nsg: Res, rule: NsgRuleView, subject: Res) => {
            const { subnets, uncertain } = index.subnetsUsing(nsg);
            const names = subnets.map((s) => s.name);
            if (names.includes(UNKNOWN)) return;
            const others = (names as string[]).filter((n) => n.toLowerCase() !== bastionSubnetName.toLowerCase());
            if (others.length === 0 && names.length > 0) return;
            if (uncertain && others.length === 0) return;
            const where = names.length === 0 ? "no subnet" : `subnet(s) ${(names as string[]).join(", ")}`;
            report(
                `${describe(subject.type, subject.name)}: ${rule.label} (${summarise(rule)}) is Azure Bastion's rule, accepted only on the NSG of ${bastionSubnetName}; NSG "${nsg.name}" is attached to ${where}.`,
                subject.urn,
            );
        };
        for (const nsg of index.ofType(tokens.nsg)) {
            for (const rule of rulesOf(nsg)) {
                if (internetInboundAllow(rule) === true && exactBastionRule(rule)) check(nsg, rule, nsg);
            }
        }
        for (const sr of index.ofType(tokens.securityRule)) {
            const [rule] = rulesOf(sr);
            if (internetInboundAllow(rule) !== true || !exactBastionRule(rule)) continue;
            const nsg = index.nsgOfRule(sr);
            if (nsg && nsg !== UNKNOWN) check(nsg, rule, sr);
        }
    },
};

/** Subnets that Azure forbids or exempts from an NSG. */
const exemptSubnets = new Set([
    "gatewaysubnet",
    "azurefirewallsubnet",
    "azurefirewallmanagementsubnet",
    "routeserversubnet",
]);

function checkSubnetNsg(name: unknown, props: unknown, where: string, report: (m: string) => void): void {
    const nsg = get(props, "networkSecurityGroup");
    if (nsg === UNKNOWN || (nsg !== undefined && nsg !== null)) {
        const id = get(nsg, "id");
        if (nsg === UNKNOWN || id === UNKNOWN || (typeof id === "string" && id !== "")) return;
    }
    if (typeof name !== "string") return; // an unknown name might be an exempt one
    if (exemptSubnets.has(name.toLowerCase())) return;
    const delegations = list(get(props, "delegations"));
    if (
        delegations !== UNKNOWN &&
        delegations.some((d) => /Microsoft\.Netapp\/volumes/i.test(String(get(d, "serviceName") ?? "")))
    )
        return;
    report(`${where} has no networkSecurityGroup.id; every subnet needs an NSG.`);
}

export const subnetHasNsg: ResourceValidationPolicy = resourceRule(
    {
        name: "subnet-has-nsg",
        description:
            "Every subnet (standalone Subnet or a VNet's inline subnets) has an NSG, except GatewaySubnet, AzureFirewallSubnet, AzureFirewallManagementSubnet, RouteServerSubnet and NetApp-delegated subnets.",
        enforcementLevel: "mandatory",
        severity: "high",
        remediationSteps:
            "Set networkSecurityGroup: { id } on the subnet (for compute subnets, an NSG carrying the source document's service-tag rules).",
        sources: { azurePolicy: ["e71308d3-144b-4262-b144-efdc3cc90517"], checkov: ["CKV2_AZURE_31"], learn },
    },
    [tokens.subnet, tokens.vnet],
    (props, report, args) => {
        if (args.type === tokens.subnet) {
            const name = get(props, "subnetName");
            checkSubnetNsg(
                name === undefined ? args.name : name,
                props,
                `subnet ${show(name === undefined ? args.name : name)}`,
                report,
            );
            return;
        }
        const subnets = list(get(props, "subnets"));
        if (subnets === UNKNOWN) return;
        subnets.forEach((s, i) => {
            if (isUnknownValue(s)) return;
            checkSubnetNsg(get(s, "name"), s, `subnets[${i}] ${show(get(s, "name"))}`, report);
        });
    },
);

export const vnetNoDockerBridgeRange: ResourceValidationPolicy = resourceRule(
    {
        name: "vnet-no-docker-bridge-range",
        description: `No VNet address space or subnet overlaps ${dockerBridgeRange}, Docker's default bridge network (the source document's Important box).`,
        enforcementLevel: "mandatory",
        severity: "high",
        remediationSteps: `Choose an address space that does not overlap ${dockerBridgeRange}, e.g. 10.0.0.0/16.`,
        sources: {
            learn: "https://learn.microsoft.com/azure/machine-learning/how-to-secure-workspace-vnet#prerequisites",
        },
    },
    [tokens.vnet, tokens.subnet],
    (props, report, args) => {
        const check = (value: unknown, where: string) => {
            if (typeof value === "string" && overlapsDockerBridge(value)) {
                report(`${where} ${show(value)} overlaps ${dockerBridgeRange} (Docker's bridge network).`);
            }
        };
        const checkPrefixes = (obj: unknown, path: string) => {
            check(get(obj, "addressPrefix"), `${path}addressPrefix`);
            const many = list(get(obj, "addressPrefixes"));
            if (many !== UNKNOWN) many.forEach((p, i) => check(p, `${path}addressPrefixes[${i}]`));
        };
        if (args.type === tokens.subnet) {
            checkPrefixes(props, "");
            return;
        }
        const space = list(get(props, "addressSpace.addressPrefixes"));
        if (space !== UNKNOWN) space.forEach((p, i) => check(p, `addressSpace.addressPrefixes[${i}]`));
        const subnets = list(get(props, "subnets"));
        if (subnets !== UNKNOWN) subnets.forEach((s, i) => checkPrefixes(s, `subnets[${i}].`));
    },
);

export const networkPolicies = [
    nsgNoInternetManagementPorts,
    nsgNoUnrestrictedInbound,
    subnetHasNsg,
    vnetNoDockerBridgeRange,
];

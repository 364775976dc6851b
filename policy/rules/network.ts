import {
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { SecurityRule, bastionNsgRules, bastionSubnetName, dockerBridgeRange, overlapsDockerBridge } from "./catalog";
import { Res, indexOf } from "./graph";
import { NsgRuleView, inlineRuleViews, portsCover, sortRules, summarise, viewRule } from "./nsg";
import {
    inboundOpenPorts,
    inboundReach,
    internetWideAddresses,
    isInternetWide,
    showAddresses,
    showPorts,
    size,
} from "./reachability";
import {
    Memo,
    UNKNOWN,
    describe,
    get,
    isUnknownValue,
    list,
    memoWithHidden,
    metadata,
    raw,
    reportHidden,
    resourceRule,
    runCache,
    show,
    stackRule,
    tokens,
    withHiddenLog,
} from "./util";

/** Network security groups, subnets and virtual networks (`azure-native:network:*`). */

const learn = "https://learn.microsoft.com/azure/machine-learning/how-to-secure-workspace-vnet";

/** The rules a resource carries: an NSG's inline `securityRules`, or a standalone SecurityRule itself. */
function rulesOf(args: Pick<ResourceValidationArgs, "type" | "props" | "name" | "urn">): NsgRuleView[] {
    const props = raw<Record<string, unknown>>(args.props) ?? {};
    if (args.type === tokens.nsg) {
        const views = inlineRuleViews(props);
        return views === UNKNOWN ? [] : views.slice();
    }
    if (args.type !== tokens.securityRule) return [];
    // Read by both NSG policies, resource and stack parts: built once per resource in a run. Keyed by
    // the inputs object, with the URN it was built for (the view's label and URN are the resource's).
    const cache = runCache<object, Memo<NsgRuleView[]> & { of: string }>("network.rulesOf");
    if (!cache || typeof props !== "object") return standaloneRuleViews(args, props);
    const of = args.urn;
    const forThis = {
        get: (key: object) => {
            const hit = cache.get(key);
            return hit?.of === of ? hit : undefined;
        },
        set: (key: object, memo: Memo<NsgRuleView[]>) => cache.set(key, { ...memo, of }),
    };
    return memoWithHidden(forThis, props, () => standaloneRuleViews(args, props)).slice();
}

function standaloneRuleViews(
    args: Pick<ResourceValidationArgs, "name" | "urn">,
    props: Record<string, unknown>,
): NsgRuleView[] {
    return [viewRule(props, `rule "${String(get(props, "securityRuleName") ?? args.name)}"`, args.urn)];
}

/**
 * An inbound Allow from the Internet: a source of every address, or sources broader than a /8 of
 * public space (`0.0.0.0/1`); undefined when a field it depends on is unknown.
 */
function internetInboundAllow(rule: NsgRuleView): boolean | undefined {
    if (rule.direction === UNKNOWN || rule.access === UNKNOWN || rule.sources === UNKNOWN) return undefined;
    if (rule.direction !== "inbound" || rule.access !== "allow") return false;
    // Asked of every rule by both NSG policies, resource and stack parts; a view never changes once built.
    let wide = internetWide.get(rule);
    if (wide === undefined) internetWide.set(rule, (wide = isInternetWide(rule.sources)));
    return wide;
}
const internetWide = new WeakMap<NsgRuleView, boolean>();

/** A prefix or port the way Azure compares them: trimmed, case-insensitive. */
const normalised = (x: string) => x.trim().toLowerCase();
const normalisedSet = (values: readonly string[]) => new Set(values.map(normalised));

/**
 * Whether a rule's list names exactly the set: each of its values is in the set, and it has as many
 * distinct values. The common miss (a value not in the set) allocates nothing.
 */
const sameSet = (values: readonly string[], set: ReadonlySet<string>) =>
    values.every((v) => set.has(normalised(v))) && normalisedSet(values).size === set.size;

/** Azure Bastion's documented rules (the catalogue) with their fields normalised once, as rule views are. */
const bastionShapes = bastionNsgRules.map((b) => ({
    rule: b,
    direction: b.direction.toLowerCase(),
    access: b.access.toLowerCase(),
    protocol: b.protocol.toLowerCase(),
    sources: normalisedSet([b.sourceAddressPrefix]),
    destinations: normalisedSet([b.destinationAddressPrefix]),
    ports: normalisedSet(b.destinationPortRanges ?? [b.destinationPortRange ?? ""]),
}));

/**
 * The Bastion rule (from the catalogue) a rule is exactly, ignoring its name and priority. Asked of
 * every rule of every NSG, by several checks: a few string comparisons against the catalogue's
 * normalised rules, cheaper than remembering the answer per rule.
 */
export function exactBastionRule(rule: NsgRuleView): SecurityRule | undefined {
    const { direction, access, protocol, sources, destinations, sourcePorts, destinationPorts } = rule;
    if (
        direction === UNKNOWN ||
        access === UNKNOWN ||
        protocol === UNKNOWN ||
        sources === UNKNOWN ||
        destinations === UNKNOWN ||
        sourcePorts === UNKNOWN ||
        destinationPorts === UNKNOWN
    ) {
        return undefined;
    }
    for (const b of bastionShapes) {
        if (direction !== b.direction || access !== b.access || protocol !== b.protocol) continue;
        if (
            sameSet(sources, b.sources) &&
            sameSet(destinations, b.destinations) &&
            sameSet(destinationPorts, b.ports) &&
            sourcePorts.every((p) => p.trim() === "*")
        )
            return b.rule;
    }
    return undefined;
}

/** The management ports: SSH and RDP (RDP also listens on UDP). */
const managementPorts: readonly { port: number; protocol: "tcp" | "udp"; name: string }[] = [
    { port: 22, protocol: "tcp", name: "SSH" },
    { port: 3389, protocol: "tcp", name: "RDP" },
    { port: 3389, protocol: "udp", name: "RDP" },
];

const managementRuleMeta = {
    name: "nsg-no-internet-management-ports",
    description:
        "No NSG lets the Internet reach SSH (22) or RDP (3389): no rule (inline or standalone) allows them from `*`, `0.0.0.0/0`, `Internet`, `Any` or sources broader than a /8 of public space, and the NSG's rules together, inline and standalone SecurityRule resources in priority order (first match wins per address), admit no more than a /8 of public addresses to them. A rule with unknown or hidden sources or ports that may open them is reported as advisory with its path.",
    enforcementLevel: "mandatory" as const,
    severity: "critical" as const,
    remediationSteps:
        "Remove the rule(s), or restrict their source to a known address range; reach machines through Azure Bastion or a VPN. Splitting the Internet over several rules or ranges (0.0.0.0/1 + 128.0.0.0/1) does not restrict it.",
    sources: {
        azurePolicy: [
            "22730e10-96f6-4aac-ad84-9383d35b5917",
            "2c89a2e5-7285-40fe-afe0-ae8654b92fab",
            "e372f825-a257-4fb8-9175-797a8a8627d6",
        ],
        checkov: ["CKV_AZURE_10", "CKV_AZURE_9"],
        learn,
    },
};

/** The single rules that open a management port to the Internet: `"22/tcp"` keys and messages. */
function singleRuleFindings(rules: NsgRuleView[]): { ports: Set<string>; messages: string[] } {
    const ports = new Set<string>();
    const messages: string[] = [];
    for (const rule of rules) {
        if (internetInboundAllow(rule) !== true || rule.destinationPorts === UNKNOWN || rule.protocol === UNKNOWN)
            continue;
        const hit = managementPorts.filter(
            (m) =>
                ["*", "any", m.protocol].includes(rule.protocol as string) &&
                portsCover(rule.destinationPorts as string[], m.port),
        );
        if (hit.length === 0) continue;
        hit.forEach((m) => ports.add(`${m.port}/${m.protocol}`));
        const shown = [...new Set(hit.map((m) => m.port))];
        messages.push(`${rule.label} (${summarise(rule)}) allows ${shown.join(" and ")} from the Internet.`);
    }
    return { ports, messages };
}

/** The rule fields whose unknown value leaves a management port's reach undecided. */
const reachFields = [
    "direction",
    "access",
    "protocol",
    "priority",
    "sourceAddressPrefix",
    "sourceAddressPrefixes",
    "destinationPortRange",
    "destinationPortRanges",
];

/**
 * Management ports the rules together open to more than a /8 of public addresses, not already named
 * by a single rule (`skip`); and the unknown fields of rules that might open them.
 */
function combinedFindings(
    custom: NsgRuleView[],
    skip: Set<string>,
): { ports: Set<string>; messages: string[]; unknown: string[] } {
    const sorted = sortRules(custom);
    const ports = new Set<string>();
    const messages: string[] = [];
    const unknown = new Set<string>();
    for (const m of managementPorts) {
        const key = `${m.port}/${m.protocol}`;
        const reach = inboundReach(sorted, m.protocol, m.port);
        const count = size(reach.addresses);
        if (count > internetWideAddresses && !skip.has(key)) {
            ports.add(key);
            messages.push(
                `${m.name} ${key} is reachable from ${count} public addresses (${showAddresses(reach.addresses)}) through ${reach.rules.map((r) => r.label).join(" + ")} (rules in priority order, first match wins): together they open it to the Internet.`,
            );
        }
        for (const rule of reach.unknownRules) {
            // Only a rule that may be an inbound allow on this port leaves it undecided.
            if (rule.direction !== UNKNOWN && rule.direction !== "inbound") continue;
            if (rule.access !== UNKNOWN && rule.access !== "allow") continue;
            if (rule.destinationPorts !== UNKNOWN && !portsCover(rule.destinationPorts, m.port)) continue;
            const fields = reachFields.filter((f) => isUnknownValue(get(rule.raw, f)));
            for (const f of fields) unknown.add(`${rule.pathPrefix ?? ""}${f}`);
        }
    }
    return {
        ports,
        messages,
        unknown: [...unknown].map(
            (path) =>
                `${path} is unknown or hidden on a rule that may allow SSH/RDP from the Internet; check it once known`,
        ),
    };
}

export const nsgNoInternetManagementPorts: ResourceValidationPolicy & StackValidationPolicy = {
    ...resourceRule(managementRuleMeta, [tokens.nsg, tokens.securityRule], (_props, report, args, advise) => {
        const rules = rulesOf(args);
        const single = singleRuleFindings(rules);
        single.messages.forEach((m) => report(m));
        if (args.type === tokens.nsg) {
            // Inline rules together; standalone rules join them in the stack part.
            const combined = combinedFindings(rules, single.ports);
            combined.messages.forEach((m) => report(m));
            combined.unknown.forEach(advise);
        } else {
            combinedFindings(rules, new Set(["22/tcp", "3389/tcp", "3389/udp"])).unknown.forEach(advise);
        }
    }),
    // Stack part: an NSG's inline rules with the standalone SecurityRule resources attached to it.
    validateStack: stackRule(managementRuleMeta, (args, report) => {
        const index = indexOf(args.resources as Res[]);
        for (const nsg of index.ofType(tokens.nsg)) {
            const standalone = index.standaloneRulesOf(nsg);
            if (standalone.length === 0) continue;
            const inline = rulesOf(nsg);
            const extra = standalone.flatMap((sr) => rulesOf(sr));
            const all = [...inline, ...extra];
            // What the resource parts already report: single rules, and the inline rules together.
            const skip = new Set([...singleRuleFindings(all).ports, ...combinedFindings(inline, new Set()).ports]);
            for (const message of combinedFindings(all, skip).messages) {
                report(
                    `${describe(nsg.type, nsg.name)} with its standalone SecurityRule resources: ${message}`,
                    nsg.urn,
                );
            }
        }
    }).validateStack,
};

/**
 * Resource part: every inbound Allow from the Internet is a violation, except one that is exactly one
 * of Azure Bastion's documented rules. Stack part: such a Bastion rule is accepted only on an NSG that
 * is attached to `AzureBastionSubnet` (and to nothing else): the resource alone cannot tell.
 */
export const nsgNoUnrestrictedInbound: ResourceValidationPolicy & StackValidationPolicy = {
    ...metadata({
        name: "nsg-no-unrestricted-inbound",
        description:
            "No NSG rule allows inbound traffic from the whole Internet (`*`, `0.0.0.0/0`, `Internet`, `Any`, or sources broader than a /8 of public space) on any port, and an NSG's rules together (inline and standalone, in priority order) admit no more than a /8 of public addresses to any port, except exactly Azure Bastion's documented rules on the NSG of AzureBastionSubnet. An inbound allow with unknown or hidden sources is advisory.",
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
            const unknown: string[] = [];
            let reported = false;
            const { hidden } = withHiddenLog(() => {
                for (const rule of rulesOf(args)) {
                    const open = internetInboundAllow(rule);
                    if (open === undefined) {
                        // An inbound allow (or a rule that may be one) whose sources are not known.
                        if (rule.direction !== "outbound" && rule.access !== "deny")
                            unknown.push(
                                `${rule.pathPrefix ?? ""}sourceAddressPrefix(es) of ${rule.label} unknown or hidden; whether it admits the Internet cannot be verified`,
                            );
                        continue;
                    }
                    if (!open) continue;
                    if (exactBastionRule(rule)) continue; // checked against the subnet by the stack part
                    reported = true;
                    report(
                        `${describe(args.type, args.name)}: ${rule.label} (${summarise(rule)}) allows inbound traffic from the Internet.`,
                    );
                }
                // No single rule is open, but the NSG's inline rules together may be.
                if (!reported && args.type === tokens.nsg) {
                    for (const message of combinedInbound(rulesOf(args))) {
                        report(`${describe(args.type, args.name)}: ${message}`);
                    }
                }
            });
            reportHidden(hidden, [raw(args.props)], undefined, unknown);
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
        // An NSG's inline rules with its standalone SecurityRule resources, when no single rule and not
        // the inline rules alone (the resource part) are open already.
        for (const nsg of index.ofType(tokens.nsg)) {
            const standalone = index.standaloneRulesOf(nsg);
            if (standalone.length === 0) continue;
            const inline = rulesOf(nsg);
            const extra = standalone.flatMap((sr) => rulesOf(sr));
            const single = [...inline, ...extra].some((r) => internetInboundAllow(r) === true && !exactBastionRule(r));
            if (single || combinedInbound(inline).length > 0) continue;
            for (const message of combinedInbound([...inline, ...extra])) {
                report(
                    `${describe(nsg.type, nsg.name)} with its standalone SecurityRule resources: ${message}`,
                    nsg.urn,
                );
            }
        }
    },
};

/**
 * Ports that the rules together (Bastion's exact rules left out: the stack part checks where they
 * are) open to more than a /8 of public addresses, by protocol.
 */
function combinedInbound(rules: NsgRuleView[]): string[] {
    const sorted = sortRules(rules.filter((r) => !exactBastionRule(r)));
    const out: string[] = [];
    for (const protocol of ["tcp", "udp"] as const) {
        const open = inboundOpenPorts(sorted, protocol);
        if (open.ports.length === 0) continue;
        out.push(
            `${protocol.toUpperCase()} ports ${showPorts(open.ports)} are reachable from more than a /8 of public addresses through ${open.rules.map((r) => r.label).join(" + ")} (rules in priority order, first match wins): together they allow inbound traffic from the Internet.`,
        );
    }
    return out;
}

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

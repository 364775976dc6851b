import { StackValidationPolicy } from "@pulumi/policy";
import { Res, StackIndex, SubnetInfo, indexOf } from "../graph";
import { egressTokens } from "../egress";
import { UNKNOWN, Unknown, eqi, get, list, stackRule, tokens } from "../util";
import { defaultRouteVerdict, routeTableOf, routesOf } from "./routes";

/**
 * Egress across the stack: the compute subnets' routes to the firewall, and their service endpoint
 * policy. A compute subnet is the subnet of an AmlCompute or ComputeInstance in the stack.
 */

const firewallPage = "https://learn.microsoft.com/azure/machine-learning/how-to-access-azureml-behind-firewall";
const exfiltrationPage = "https://learn.microsoft.com/azure/machine-learning/how-to-prevent-data-loss-exfiltration";

/** Every distinct subnet hosting an ML compute cluster or instance, with one compute for messages. */
function computeSubnets(index: StackIndex): { subnet: SubnetInfo; compute: Res }[] {
    return index.memo("egress:computeSubnets", () => {
        const out: { subnet: SubnetInfo; compute: Res }[] = [];
        const seen = new Set<string>();
        for (const compute of index.ofType(tokens.compute)) {
            const type = get(compute.props, "properties.computeType");
            if (!eqi(type, "AmlCompute") && !eqi(type, "ComputeInstance")) continue;
            const subnet = index.subnetOf(compute, "properties", get(compute.props, "properties.properties.subnet.id"));
            if (!subnet || subnet === UNKNOWN) continue;
            const key = `${subnet.owner.urn}|${typeof subnet.name === "string" ? subnet.name.toLowerCase() : "?"}`;
            if (seen.has(key)) continue;
            seen.add(key);
            out.push({ subnet, compute });
        }
        return out;
    });
}

export const computeSubnetFirewallRoute: StackValidationPolicy = stackRule(
    {
        name: "compute-subnet-firewall-route",
        description:
            "When the stack has an Azure Firewall, every compute subnet (the subnet of an AmlCompute or ComputeInstance) has a route table that sends 0.0.0.0/0 to it (next hop VirtualAppliance, the firewall's private IP). Otherwise the subnet's traffic bypasses the firewall and its allow-list.",
        enforcementLevel: "mandatory",
        severity: "high",
        remediationSteps:
            "Associate a route table with the compute subnet holding the route 0.0.0.0/0 → VirtualAppliance → the firewall's private IP (SecureMlWorkspace/MlNetwork: egress: firewall does this for training and scoring).",
        sources: { learn: `${firewallPage}#basic-configuration` },
    },
    (args, report) => {
        const index = indexOf(args.resources);
        if (index.ofType(egressTokens.firewall).length === 0) return;
        for (const { subnet, compute } of computeSubnets(index)) {
            const where = `${subnet.label} (compute "${compute.name}")`;
            const table = routeTableOf(index, subnet);
            if (table === UNKNOWN || table === "external") continue;
            if (table === undefined) {
                report(`${where} has no route table: its traffic does not go through the firewall.`, compute.urn);
                continue;
            }
            const routes = routesOf(index, table);
            if (routes === UNKNOWN) continue;
            const verdicts = routes.map((r) => defaultRouteVerdict(index, r)).filter((v) => v !== undefined);
            if (verdicts.includes("firewall") || verdicts.includes("unknown")) continue;
            report(
                verdicts.length === 0
                    ? `${where}: route table "${table.name}" has no 0.0.0.0/0 route, so traffic does not go through the firewall.`
                    : `${where}: route table "${table.name}" sends 0.0.0.0/0 to ${verdicts.join(", ")}, not to the firewall.`,
                table.urn,
            );
        }
    },
);

/** Whether an NSG's custom outbound rules end in a deny of everything (the `egress: none` shape). */
function endsInDenyAll(index: StackIndex, nsg: Res): boolean | Unknown {
    const rules = index.effectiveRules(nsg);
    if (rules === UNKNOWN) return UNKNOWN;
    return rules.some(
        (r) =>
            !r.isDefault &&
            r.direction !== UNKNOWN &&
            eqi(r.direction, "Outbound") &&
            r.access !== UNKNOWN &&
            eqi(r.access, "Deny") &&
            r.destinations !== UNKNOWN &&
            r.destinations.some((d) => d === "*" || eqi(d, "Internet") || d === "0.0.0.0/0") &&
            r.destinationPorts !== UNKNOWN &&
            r.destinationPorts.includes("*"),
    );
}

/** Whether a subnet routes 0.0.0.0/0 to a virtual appliance (a firewall, in the stack or not). */
function routesToAppliance(index: StackIndex, subnet: SubnetInfo): boolean | Unknown {
    const table = routeTableOf(index, subnet);
    if (table === UNKNOWN) return UNKNOWN;
    if (table === undefined || table === "external") return false;
    const routes = routesOf(index, table);
    if (routes === UNKNOWN) return UNKNOWN;
    if (routes.some((r) => [get(r.props, "addressPrefix"), get(r.props, "nextHopType")].includes(UNKNOWN)))
        return UNKNOWN;
    return routes.some(
        (r) => get(r.props, "addressPrefix") === "0.0.0.0/0" && eqi(get(r.props, "nextHopType"), "VirtualAppliance"),
    );
}

export const computeSubnetStorageEndpointPolicy: StackValidationPolicy = stackRule(
    {
        name: "compute-subnet-storage-endpoint-policy",
        description:
            "A compute subnet whose egress is restricted (its NSG ends in a deny-all outbound, or it routes 0.0.0.0/0 to a firewall) has the Microsoft.Storage service endpoint and a service endpoint policy: otherwise the Storage.<region> rule the document requires reaches every storage account in the region, the exfiltration path Microsoft's data exfiltration prevention page closes with that policy.",
        enforcementLevel: "mandatory",
        severity: "high",
        remediationSteps:
            "Enable the Microsoft.Storage service endpoint on the subnet and attach a service endpoint policy listing the workspace's storage accounts and the /services/Azure/MachineLearning alias (MlNetwork does this for egress: firewall and none).",
        sources: { learn: exfiltrationPage },
    },
    (args, report) => {
        const index = indexOf(args.resources);
        for (const { subnet, compute } of computeSubnets(index)) {
            if (!subnet.props) continue;
            const nsg = index.nsgOf(subnet);
            const denyAll = nsg && nsg !== UNKNOWN && nsg !== "external" ? endsInDenyAll(index, nsg) : false;
            const appliance = routesToAppliance(index, subnet);
            if (denyAll === UNKNOWN || appliance === UNKNOWN) continue;
            if (!denyAll && !appliance) continue;
            const why = denyAll ? "its NSG ends in a deny-all outbound" : "it routes 0.0.0.0/0 to a firewall";
            const where = `${subnet.label} (compute "${compute.name}"; ${why})`;
            const policies = list(get(subnet.props, "serviceEndpointPolicies"));
            const endpoints = list(get(subnet.props, "serviceEndpoints"));
            if (policies === UNKNOWN || endpoints === UNKNOWN) continue;
            if (policies.length === 0) {
                report(
                    `${where} has no service endpoint policy: Storage.<region> reaches any storage account.`,
                    compute.urn,
                );
                continue;
            }
            const storage = endpoints.some((e) => {
                const service = get(e, "service");
                return service === UNKNOWN || eqi(service, "Microsoft.Storage");
            });
            if (!storage) {
                report(
                    `${where} has a service endpoint policy but no Microsoft.Storage service endpoint, so storage traffic never passes through the policy.`,
                    compute.urn,
                );
            }
        }
    },
);

export const egressStackPolicies = [computeSubnetFirewallRoute, computeSubnetStorageEndpointPolicy];

import { StackValidationPolicy } from "@pulumi/policy";
import { Res, StackIndex, indexOf } from "../graph";
import { FlowAtom, evaluate } from "../nsg";
import { UNKNOWN, describe, eqi, get, list, stackRule, tokens } from "../util";

/**
 * AKS as an inference target of a private workspace. The source document: "When using Azure
 * Kubernetes Service (AKS) with Azure Machine Learning, allow the following traffic to the AKS VNet:
 * general inbound/outbound requirements for AKS […], outbound to mcr.microsoft.com". What a Pulumi
 * stack shows, and this rule checks: the cluster is private (its API server has no public endpoint),
 * its node pools are in a VNet subnet (not an AKS-created VNet), and the subnets' NSGs (when in the
 * stack) let TCP 443 out to MicrosoftContainerRegistry and AzureFrontDoor.FirstParty (the tag MCR
 * depends on). What it cannot show: FQDN rules on a firewall behind a route table (outboundType
 * userDefinedRouting), which is advised.
 */

const learn =
    "https://learn.microsoft.com/azure/machine-learning/how-to-secure-workspace-vnet#required-public-internet-access";

/** Outbound 443 to mcr.microsoft.com: the MicrosoftContainerRegistry tag and the Front Door tag it depends on. */
export const aksRequiredOutbound: readonly FlowAtom[] = ["MicrosoftContainerRegistry", "AzureFrontDoor.FirstParty"].map(
    (tag) => ({
        direction: "outbound" as const,
        protocol: "tcp" as const,
        port: 443,
        remote: tag.toLowerCase(),
        label: `Outbound Tcp 443 to ${tag} (mcr.microsoft.com)`,
    }),
);

function privateWorkspaces(index: StackIndex): Res[] {
    return index.ofType(tokens.workspace).filter((ws) => {
        if (eqi(get(ws.props, "publicNetworkAccess"), "Disabled")) return true;
        const pes = index.privateEndpointsFor(ws, "amlworkspace");
        return pes !== UNKNOWN && pes.length > 0;
    });
}

export const mlAksInferenceIsolated: StackValidationPolicy = stackRule(
    {
        name: "ml-aks-inference-isolated",
        description:
            "In a stack with a private Azure Machine Learning workspace, every AKS cluster (containerservice:ManagedCluster, or the cluster an AKS/Kubernetes compute attaches) is a private cluster (apiServerAccessProfile.enablePrivateCluster: true), runs its node pools in a VNet subnet (agentPoolProfiles[].vnetSubnetID), and the subnets' NSGs let TCP 443 out to MicrosoftContainerRegistry and AzureFrontDoor.FirstParty (the source document's \"Outbound to mcr.microsoft.com\"). Firewall FQDN rules behind a route table cannot be seen and are advised.",
        enforcementLevel: "mandatory",
        severity: "high",
        remediationSteps:
            "Set apiServerAccessProfile: { enablePrivateCluster: true }, put every agent pool in a subnet of the workspace's VNet (vnetSubnetID), and allow outbound Tcp 443 to MicrosoftContainerRegistry and AzureFrontDoor.FirstParty on that subnet's NSG; with outboundType userDefinedRouting, allow AKS's required FQDNs on the firewall.",
        sources: {
            azurePolicy: ["040732e8-d947-40b8-95d6-854c95024bf8"],
            checkov: ["CKV_AZURE_115"],
            learn,
        },
    },
    (args, report, advise) => {
        const index = indexOf(args.resources);
        const workspaces = privateWorkspaces(index);
        if (workspaces.length === 0) return;
        const wsNames = workspaces.map((ws) => `"${ws.name}"`).join(", ");
        const clusters = new Set(index.ofType(tokens.managedCluster));
        for (const compute of index.ofType(tokens.compute)) {
            const type = get(compute.props, "properties.computeType");
            if (!eqi(type, "AKS") && !eqi(type, "Kubernetes")) continue;
            const id = get(compute.props, "properties.resourceId");
            const cluster = index.resolve(compute, "properties", id, [tokens.managedCluster]);
            if (cluster && cluster !== UNKNOWN) clusters.add(cluster);
            else if (cluster === undefined && typeof id === "string")
                advise(
                    `${describe(compute.type, compute.name)} attaches cluster ${id}, outside this stack; whether it is private and in the VNet cannot be verified`,
                );
            else if (cluster === undefined)
                report(
                    `${describe(compute.type, compute.name)} (computeType ${JSON.stringify(type)}) with private workspace ${wsNames} names no cluster (properties.resourceId is not set).`,
                    compute.urn,
                );
        }
        for (const cluster of clusters) {
            const who = `${describe(cluster.type, cluster.name)} (with private workspace ${wsNames})`;
            const privateCluster = get(cluster.props, "apiServerAccessProfile.enablePrivateCluster");
            if (privateCluster !== UNKNOWN && privateCluster !== true) {
                report(
                    `${who}: apiServerAccessProfile.enablePrivateCluster is ${JSON.stringify(privateCluster ?? "not set")} (default false); the API server must not be public.`,
                    cluster.urn,
                );
            }
            const pools = list(get(cluster.props, "agentPoolProfiles"));
            if (pools === UNKNOWN) continue;
            pools.forEach((pool, i) => {
                const subnetId = get(pool, "vnetSubnetID");
                if (subnetId === UNKNOWN) return;
                if (typeof subnetId !== "string" || subnetId === "") {
                    report(
                        `${who}: agentPoolProfiles[${i}].vnetSubnetID is not set, so AKS creates its own VNet outside the workspace's network.`,
                        cluster.urn,
                    );
                    return;
                }
                const subnet = index.subnetOf(cluster, "agentPoolProfiles", subnetId);
                if (!subnet || subnet === UNKNOWN) return;
                const nsg = index.nsgOf(subnet);
                if (nsg === "external") {
                    advise(
                        `${who}: the NSG of ${subnet.label} is outside this stack; outbound to mcr.microsoft.com cannot be verified`,
                    );
                    return;
                }
                if (!nsg || nsg === UNKNOWN) return;
                const rules = index.effectiveRules(nsg);
                if (rules === UNKNOWN) return;
                for (const atom of aksRequiredOutbound) {
                    const v = evaluate(rules, atom, { prefixes: subnet.prefixes });
                    if (v.result === "denied")
                        report(
                            `${who}: agentPoolProfiles[${i}] subnet ${subnet.label}, NSG "${nsg.name}": ${atom.label} is ${v.partly ? "partly " : ""}denied by ${v.rule.label}; the source document requires outbound to mcr.microsoft.com.`,
                            cluster.urn,
                        );
                }
            });
            if (eqi(get(cluster.props, "networkProfile.outboundType"), "userDefinedRouting")) {
                advise(
                    `${who}: networkProfile.outboundType is userDefinedRouting, so egress goes through a firewall the stack does not show; AKS's required FQDN rules (mcr.microsoft.com, management.azure.com, login.microsoftonline.com, …) cannot be verified`,
                );
            }
        }
    },
);

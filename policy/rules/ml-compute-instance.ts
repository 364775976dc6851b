import { ResourceValidationPolicy } from "@pulumi/policy";
import { computeTypeOf } from "./ml-compute";
import { known, resourceRule, show, tokens } from "./util";

/**
 * Compute instances (`ComputeInstance`): personal VMs that hold a person's notebooks, credentials and
 * data, which is why a public IP is mandatory-off for them while the cluster rule
 * (`ml-compute-no-public-ip`) stays advisory (the source document allows clusters with public IPs).
 *
 * SSH on instances is already covered by `ml-compute-no-public-ssh` (sshSettings.sshPublicAccess must
 * be Disabled or unset), so there is no second SSH rule.
 */

const learn =
    "https://learn.microsoft.com/azure/machine-learning/how-to-secure-training-vnet#compute-instancecompute-cluster-with-no-public-ip";

export const mlComputeInstanceNoPublicIp: ResourceValidationPolicy = resourceRule(
    {
        name: "ml-compute-instance-no-public-ip",
        description:
            "Compute instances have no public IP (properties.properties.enableNodePublicIp: false); a missing value means true. An instance holds one person's notebooks and tokens and is reached through the workspace's private endpoint.",
        enforcementLevel: "mandatory",
        severity: "high",
        remediationSteps:
            "Set properties.properties.enableNodePublicIp: false and put the instance in the training subnet (properties.properties.subnet.id), which needs outbound access through a NAT gateway or a firewall.",
        sources: { checkov: ["CKV_AZURE_119"], learn },
    },
    [tokens.compute],
    (props, report) => {
        if (computeTypeOf(props) !== "computeinstance") return;
        const value = known(props, "properties.properties.enableNodePublicIp");
        if (value !== false) {
            report(
                `properties.properties.enableNodePublicIp is ${show(value)}${value === undefined ? " (default true)" : ""}; a compute instance must have no public IP: set it to false.`,
            );
        }
    },
);

export const mlComputeInstancePolicies = [mlComputeInstanceNoPublicIp];

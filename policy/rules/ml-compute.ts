import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { managedNetworkComputeOk } from "./stack/managed-network";
import { UNKNOWN, configOf, eqi, get, known, resourceRule, show, tokens } from "./util";

/**
 * Azure Machine Learning compute (`azure-native:machinelearningservices:Compute`): compute clusters
 * (`AmlCompute`) and compute instances (`ComputeInstance`). Inputs are under `properties`
 * (`properties.computeType`, `properties.disableLocalAuth`, `properties.properties.*`).
 */

const learn = "https://learn.microsoft.com/azure/machine-learning/how-to-secure-training-vnet";

/** The compute type, lower case: "amlcompute", "computeinstance", … (undefined when unknown or other). */
export function computeTypeOf(props: Record<string, unknown>): string | undefined {
    const t = known(props, "properties.computeType");
    return typeof t === "string" ? t.toLowerCase() : undefined;
}

const isVmCompute = (t: string | undefined) => t === "amlcompute" || t === "computeinstance";

export const mlComputeInVnet: ResourceValidationPolicy & StackValidationPolicy = {
    ...resourceRule(
        {
            name: "ml-compute-in-vnet",
            description:
                "Compute clusters and instances run in a subnet of the workspace's VNet (properties.properties.subnet.id is set), or in the workspace's managed network (the workspace in the stack has managedNetwork.isolationMode AllowOnlyApprovedOutbound or AllowInternetOutbound, and the compute names no subnet).",
            enforcementLevel: "mandatory",
            severity: "high",
            remediationSteps: "Set properties.properties.subnet.id to the training subnet of the workspace's VNet.",
            sources: { azurePolicy: ["7804b5c7-01dc-4723-969b-ae300cc07ff1"], learn },
        },
        [tokens.compute],
        (props, report) => {
            const type = computeTypeOf(props);
            if (!isVmCompute(type)) return;
            const subnet = get(props, "properties.properties.subnet");
            if (subnet === UNKNOWN) return;
            const id = get(subnet, "id");
            // An unknown id (the subnet is created in the same deployment) is set, just not known yet.
            if (id === UNKNOWN) return;
            // No subnet at all may mean the workspace's managed network: the stack phase decides.
            if (id === undefined) return;
            if (typeof id !== "string" || id.trim() === "") {
                report(
                    `properties.properties.subnet.id is ${show(id)}; the ${type === "amlcompute" ? "cluster" : "instance"} must run in a subnet of the workspace's VNet.`,
                );
            }
        },
    ),
    // Computes without any subnet: compliant only in a workspace whose managed network carries them.
    validateStack: (args, report) => managedNetworkComputeOk(args, report),
};

export const mlComputeNoPublicIp: ResourceValidationPolicy = resourceRule(
    {
        name: "ml-compute-no-public-ip",
        description:
            "Compute nodes get no public IP address (properties.properties.enableNodePublicIp: false), the source document's \"no public IP\" variant. Missing means true (Azure's and azure-native's default).",
        enforcementLevel: "advisory",
        severity: "medium",
        remediationSteps:
            "Set properties.properties.enableNodePublicIp: false, give the subnet outbound connectivity (NAT gateway or firewall with UDR), and allow inbound VirtualNetwork→VirtualNetwork 29876-29877 and AzureLoadBalancer→VirtualNetwork 44224 (Azure's default NSG rules already do).",
        sources: { azurePolicy: ["83a86a26-fd1f-447c-b59d-e51f44264114"], checkov: ["CKV_AZURE_119"], learn },
        configSchema: {
            properties: {
                allowNodePublicIp: {
                    type: "boolean",
                    default: false,
                    description: "Accept compute with node public IPs (the public-IP variant of the source document).",
                },
            },
        },
    },
    [tokens.compute],
    (props, report, args) => {
        const type = computeTypeOf(props);
        if (!isVmCompute(type)) return;
        if (configOf<{ allowNodePublicIp?: boolean }>(mlComputeNoPublicIp, args).allowNodePublicIp === true) return;
        const value = known(props, "properties.properties.enableNodePublicIp");
        // Default: true (azure-native injects it for AmlCompute; Azure assumes it for ComputeInstance).
        if (value !== false) {
            report(
                `properties.properties.enableNodePublicIp is ${show(value)}${value === undefined ? " (default true)" : ""}; set it to false so nodes have no public IP.`,
            );
        }
    },
);

export const mlComputeLocalAuthDisabled: ResourceValidationPolicy = resourceRule(
    {
        name: "ml-compute-local-auth-disabled",
        description:
            "Compute clusters and instances accept only Microsoft Entra ID authentication (properties.disableLocalAuth: true).",
        enforcementLevel: "mandatory",
        severity: "medium",
        remediationSteps: "Set properties.disableLocalAuth: true (Azure's default is false).",
        sources: { azurePolicy: ["e96a9a5f-07ca-471b-9bc5-6a0f33cbd68f"], checkov: ["CKV_AZURE_142"], learn },
    },
    [tokens.compute],
    (props, report) => {
        const type = computeTypeOf(props);
        if (!isVmCompute(type)) return;
        const value = known(props, "properties.disableLocalAuth");
        if (value !== true) {
            report(
                `properties.disableLocalAuth is ${show(value)}${value === undefined ? " (default false)" : ""}; set it to true.`,
            );
        }
    },
);

export const mlComputeNoPublicSsh: ResourceValidationPolicy = resourceRule(
    {
        name: "ml-compute-no-public-ssh",
        description:
            "No public SSH port on compute: clusters have remoteLoginPortPublicAccess Disabled (or NotSpecified in a VNet, which Azure closes), instances sshSettings.sshPublicAccess Disabled (the default).",
        enforcementLevel: "mandatory",
        severity: "high",
        remediationSteps:
            'Clusters: set properties.properties.remoteLoginPortPublicAccess: "Disabled". Instances: set properties.properties.sshSettings.sshPublicAccess: "Disabled" (or leave it unset). Use Bastion or a VPN for SSH.',
        sources: { azurePolicy: ["22730e10-96f6-4aac-ad84-9383d35b5917"], checkov: ["CKV_AZURE_10"], learn },
    },
    [tokens.compute],
    (props, report) => {
        const type = computeTypeOf(props);
        if (type === "amlcompute") {
            // Default: NotSpecified, which Azure documents as "closed if the cluster is in a VNet, open otherwise".
            const access = known(props, "properties.properties.remoteLoginPortPublicAccess");
            if (eqi(access, "Disabled")) return;
            if (access === undefined || eqi(access, "NotSpecified")) {
                const subnetId = get(props, "properties.properties.subnet.id");
                if (subnetId === UNKNOWN || (typeof subnetId === "string" && subnetId !== "")) return;
                report(
                    `properties.properties.remoteLoginPortPublicAccess is ${show(access)} and the cluster has no subnet, so Azure opens the public SSH port; set it to "Disabled".`,
                );
                return;
            }
            report(`properties.properties.remoteLoginPortPublicAccess is ${show(access)}; set it to "Disabled".`);
        } else if (type === "computeinstance") {
            // Default: Disabled (azure-native injects it when sshSettings is given; Azure's default otherwise).
            const access = known(props, "properties.properties.sshSettings.sshPublicAccess");
            if (access !== undefined && !eqi(access, "Disabled")) {
                report(`properties.properties.sshSettings.sshPublicAccess is ${show(access)}; set it to "Disabled".`);
            }
        }
    },
);

export const mlComputeScaleToZero: ResourceValidationPolicy = resourceRule(
    {
        name: "ml-compute-scale-to-zero",
        description:
            "Idle compute releases its nodes: clusters scale to zero (scaleSettings.minNodeCount 0), instances shut down when idle (idleTimeBeforeShutdown set).",
        enforcementLevel: "advisory",
        severity: "low",
        remediationSteps:
            'Clusters: set properties.properties.scaleSettings.minNodeCount: 0. Instances: set properties.properties.idleTimeBeforeShutdown (e.g. "PT60M").',
        sources: { azurePolicy: ["679ddf89-ab8f-48a5-9029-e76054077449"], checkov: ["CKV_AZURE_150"], learn },
    },
    [tokens.compute],
    (props, report) => {
        const type = computeTypeOf(props);
        if (type === "amlcompute") {
            // Default minNodeCount: 0.
            const min = known(props, "properties.properties.scaleSettings.minNodeCount");
            if (min !== undefined && Number(min) !== 0) {
                report(
                    `properties.properties.scaleSettings.minNodeCount is ${show(min)}; set it to 0 so the cluster scales to zero when idle.`,
                );
            }
        } else if (type === "computeinstance") {
            const idle = known(props, "properties.properties.idleTimeBeforeShutdown");
            if (typeof idle !== "string" || idle === "") {
                report(
                    `properties.properties.idleTimeBeforeShutdown is ${show(idle)}; set an idle shutdown time such as "PT60M".`,
                );
            }
        }
    },
);

export const mlComputePolicies = [
    mlComputeInVnet,
    mlComputeNoPublicIp,
    mlComputeLocalAuthDisabled,
    mlComputeNoPublicSsh,
    mlComputeScaleToZero,
];

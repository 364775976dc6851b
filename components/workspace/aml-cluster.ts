import * as pulumi from "@pulumi/pulumi";
import * as machinelearningservices from "@pulumi/azure-native/machinelearningservices";

/** How long an idle node lives before a cluster scales it down. */
export const nodeIdleTimeBeforeScaleDown = "PT120S";

/** What every cluster of the component shares; the image-build and training clusters differ only in these. */
export interface AmlClusterShape {
    vmSize: string;
    maxNodes: number;
    nodePublicIp: boolean;
    /** The training subnet; undefined in a managed network (the cluster runs in the workspace's managed VNet). */
    subnetId?: pulumi.Input<string>;
    /** The user-assigned identity jobs run as (compute-identity.ts says what it is granted). */
    identityId: pulumi.Input<string>;
}

/**
 * A compute cluster's `identity` and `properties`: Entra ID only (no local keys), dedicated nodes, no
 * SSH port, scale to zero, and the node public IP said explicitly (the SDK injects `true` when it is
 * left out).
 */
export function amlClusterInputs(cluster: AmlClusterShape) {
    return {
        identity: {
            type: machinelearningservices.ManagedServiceIdentityType.UserAssigned,
            userAssignedIdentities: [cluster.identityId],
        },
        properties: {
            computeType: "AmlCompute" as const,
            disableLocalAuth: true,
            properties: {
                vmSize: cluster.vmSize,
                vmPriority: machinelearningservices.VmPriority.Dedicated,
                ...(cluster.subnetId !== undefined ? { subnet: { id: cluster.subnetId } } : {}),
                enableNodePublicIp: cluster.nodePublicIp,
                remoteLoginPortPublicAccess: machinelearningservices.RemoteLoginPortPublicAccess.Disabled,
                scaleSettings: { minNodeCount: 0, maxNodeCount: cluster.maxNodes, nodeIdleTimeBeforeScaleDown },
                isolatedNetwork: false,
            },
        },
    };
}

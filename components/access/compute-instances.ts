import * as pulumi from "@pulumi/pulumi";
import * as machinelearningservices from "@pulumi/azure-native/machinelearningservices";
import { PartArgs } from "../common";

/**
 * Personal compute instances: one per data scientist, in the training subnet, without a public IP,
 * without SSH, running as the instances' own identity (never a cluster's), and shut down when idle.
 * https://learn.microsoft.com/azure/machine-learning/how-to-secure-training-vnet#compute-instancecompute-cluster-with-no-public-ip
 */

/** A personal compute instance (one person's notebook VM). */
export interface ComputeInstanceSpec {
    /** The instance's name: 3-24 letters, digits and hyphens, starting with a letter; unique in the Azure region. */
    name: string;
    /** The Microsoft Entra ID object id of the one user the instance belongs to (also listed in `dataScientists`). */
    assignedUserObjectId: pulumi.Input<string>;
    /** The VM size; GPU (N-series) sizes are allowed here. Default `Standard_DS3_v2`. */
    vmSize?: string;
    /** Minutes of inactivity after which the instance shuts down (15 to 4320, i.e. 3 days). Default 60. */
    idleShutdownMinutes?: number;
}

/** The validated instance (see access-plan.ts). */
export interface ComputeInstancePlan {
    name: string;
    assignedUserObjectId: pulumi.Input<string>;
    vmSize: string;
    idleShutdownMinutes: number;
}

export interface ComputeInstancesArgs extends PartArgs {
    workspaceName: pulumi.Input<string>;
    tenantId: pulumi.Input<string>;
    /** The training subnet; undefined when computes run in the workspace's managed network. */
    subnetId?: pulumi.Input<string>;
    /** The instances' identity (compute-identity.ts, kind `instance`). */
    identityId: pulumi.Input<string>;
    instances: readonly ComputeInstancePlan[];
    /** What every instance waits for: its create-time requirements and its identity's grants. */
    dependsOn: pulumi.Resource[];
}

/** ISO 8601 duration of an idle shutdown, as the service takes it (`PT60M`). */
export function idleShutdownDuration(minutes: number): string {
    return `PT${minutes}M`;
}

export function createComputeInstances(
    name: string,
    args: ComputeInstancesArgs,
    opts: pulumi.CustomResourceOptions,
): machinelearningservices.Compute[] {
    return args.instances.map(
        (instance) =>
            new machinelearningservices.Compute(
                `${name}-${instance.name}`,
                {
                    resourceGroupName: args.resourceGroupName,
                    location: args.location,
                    workspaceName: args.workspaceName,
                    computeName: instance.name,
                    identity: {
                        type: machinelearningservices.ManagedServiceIdentityType.UserAssigned,
                        userAssignedIdentities: [args.identityId],
                    },
                    properties: {
                        computeType: "ComputeInstance",
                        // Entra ID only; no local (key) authentication.
                        disableLocalAuth: true,
                        properties: {
                            vmSize: instance.vmSize,
                            ...(args.subnetId !== undefined ? { subnet: { id: args.subnetId } } : {}),
                            // No public IP: the instance is reached through the workspace's private endpoint
                            // (Jupyter, VS Code) and talks out through the training subnet's egress.
                            enableNodePublicIp: false,
                            // No SSH port at all; a terminal is in the studio, or SSH from the jump box over
                            // the VNet is still closed (no public key is registered).
                            sshSettings: { sshPublicAccess: machinelearningservices.SshPublicAccess.Disabled },
                            // Personal: only the assigned user can use it, and it runs their notebooks as them.
                            computeInstanceAuthorizationType:
                                machinelearningservices.ComputeInstanceAuthorizationType.Personal,
                            personalComputeInstanceSettings: {
                                assignedUser: { objectId: instance.assignedUserObjectId, tenantId: args.tenantId },
                            },
                            idleTimeBeforeShutdown: idleShutdownDuration(instance.idleShutdownMinutes),
                        },
                    },
                    tags: args.tags,
                },
                { ...opts, dependsOn: args.dependsOn },
            ),
    );
}

import * as pulumi from "@pulumi/pulumi";
import * as machinelearningservices from "@pulumi/azure-native/machinelearningservices";
import { namingViolation } from "../catalog/naming";
import { PartArgs } from "../common";
import { InvalidArgumentError, rejectSetWhileOff, validateCount, validateFlag } from "../validate";
import { amlClusterInputs } from "./aml-cluster";

/**
 * The shared training cluster: the compute data scientists submit jobs to. AzureML Data Scientist "can
 * perform all actions within an Azure Machine Learning workspace, except for creating or deleting
 * compute resources" (https://learn.microsoft.com/azure/machine-learning/how-to-assign-roles#default-roles),
 * so without a cluster made for them, or AzureML Compute Operator (`allowDataScientistsToCreateCompute`),
 * the people of `dataScientists` have nowhere to run a job: the image-build cluster is the workspace's
 * `imageBuildCompute` and is kept for image builds.
 *
 * Like the image-build cluster: AmlCompute, Entra ID only (no local auth), in the training subnet (or
 * the managed network), no node public IP unless `nodePublicIp`, SSH off, zero to `maxNodes` nodes. It
 * runs as the training identity (compute-identity.ts, kind `training`): the same data grants as every
 * compute identity, no role on the workspace, and not the image-build cluster's identity, so the two
 * can be granted further data sources separately.
 */

export const trainingClusterDefaults = {
    name: "training",
    vmSize: "Standard_DS3_v2",
    maxNodes: 4,
} as const;

/** Upper bound of `trainingClusterMaxNodes` (the stack config's bound too), as for the image-build cluster. */
export const trainingClusterMaxNodesLimit = 1000;

export interface TrainingClusterPlan {
    name: string;
    vmSize: string;
    maxNodes: number;
}

export interface TrainingClusterArgs {
    enableTrainingCluster?: boolean;
    trainingClusterName?: string;
    trainingClusterVmSize?: string;
    trainingClusterMaxNodes?: number;
}

const vmSizePattern = /^[A-Za-z]+_[A-Za-z0-9_-]+$/;

/**
 * Validates the training cluster's arguments. `taken` are the compute names already used in the
 * workspace (the image-build cluster, the compute instances): compute names are unique per workspace.
 */
export function planTrainingCluster(
    component: string,
    args: TrainingClusterArgs,
    taken: readonly string[],
): TrainingClusterPlan | undefined {
    const enabled = validateFlag(component, "enableTrainingCluster", args.enableTrainingCluster, false);
    if (!enabled) {
        rejectSetWhileOff(
            component,
            args,
            ["trainingClusterName", "trainingClusterVmSize", "trainingClusterMaxNodes"],
            "is set but enableTrainingCluster is not true; set enableTrainingCluster: true or drop it",
        );
        return undefined;
    }
    const name = args.trainingClusterName ?? trainingClusterDefaults.name;
    if (typeof name !== "string") {
        throw new InvalidArgumentError(component, "trainingClusterName", name, "must be a string");
    }
    const violation = namingViolation("computeCluster", name);
    if (violation !== undefined) throw new InvalidArgumentError(component, "trainingClusterName", name, violation);
    if (taken.some((t) => t.toLowerCase() === name.toLowerCase())) {
        throw new InvalidArgumentError(
            component,
            "trainingClusterName",
            name,
            `is already the name of another compute of the workspace (${taken.join(", ")}); compute names are unique per workspace`,
        );
    }
    const vmSize = args.trainingClusterVmSize ?? trainingClusterDefaults.vmSize;
    if (typeof vmSize !== "string" || !vmSizePattern.test(vmSize)) {
        throw new InvalidArgumentError(
            component,
            "trainingClusterVmSize",
            vmSize,
            "must be an Azure VM size such as Standard_DS3_v2 (GPU sizes such as Standard_NC6s_v3 are fine here)",
        );
    }
    const maxNodes =
        args.trainingClusterMaxNodes === undefined
            ? trainingClusterDefaults.maxNodes
            : validateCount(
                  component,
                  "trainingClusterMaxNodes",
                  args.trainingClusterMaxNodes,
                  1,
                  trainingClusterMaxNodesLimit,
              );
    return { name, vmSize, maxNodes };
}

export interface CreateTrainingClusterArgs extends PartArgs {
    workspaceName: pulumi.Input<string>;
    cluster: TrainingClusterPlan;
    nodePublicIp: boolean;
    /** The training subnet; undefined in a managed network. */
    subnetId?: pulumi.Input<string>;
    identityId: pulumi.Input<string>;
    /** Its create-time requirements (catalog/create-time.ts): the workspace's endpoint and the identity's grants. */
    dependsOn: pulumi.Resource[];
}

export function createTrainingCluster(
    name: string,
    args: CreateTrainingClusterArgs,
    opts: pulumi.CustomResourceOptions,
): machinelearningservices.Compute {
    const cluster = args.cluster;
    return new machinelearningservices.Compute(
        `${name}-${cluster.name}`,
        {
            resourceGroupName: args.resourceGroupName,
            location: args.location,
            workspaceName: args.workspaceName,
            computeName: cluster.name,
            ...amlClusterInputs({
                ...cluster,
                nodePublicIp: args.nodePublicIp,
                subnetId: args.subnetId,
                identityId: args.identityId,
            }),
            tags: args.tags,
        },
        { ...opts, dependsOn: args.dependsOn },
    );
}

import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import { builtInRoles } from "../catalog/roles";
import { StorageGroupId } from "../catalog/dns-zones";
import { PartArgs } from "../common";
import { grantRoles, RoleGrant } from "./roles";

/**
 * The user-assigned identities the workspace's computes run as: one for the clusters (the image-build
 * cluster), and, when there are compute instances, another for the instances, never shared with a
 * cluster. Both get the same data grants, so a job behaves the same on either; only the instances'
 * identity gets a role on the workspace itself (idle shutdown, computeInstanceWorkspaceGrant), so no
 * job on a cluster holds it. User-assigned, so the grants exist before any compute does (they do not
 * wait for a compute to be created as a system-assigned identity would).
 */

export interface ComputeIdentityArgs extends PartArgs {
    subscriptionId: pulumi.Input<string>;
    storageAccountId: pulumi.Input<string>;
    containerRegistryId: pulumi.Input<string>;
    /** The storage sub-resources that have a private endpoint: queue/table roles only when those exist. */
    storageEndpoints: readonly StorageGroupId[];
}

export interface ComputeIdentity {
    identity: managedidentity.UserAssignedIdentity;
    /** Every grant of the identity, by key; computes depend on them so they exist before the first job. */
    assignments: Record<string, authorization.RoleAssignment>;
}

/**
 * Whose identity: the image-build cluster's (`compute-…` grants), the compute instances' (`instance-…`
 * grants), or the training clusters' (`training-…` grants: the shared training cluster and the clusters
 * data scientists create themselves, training-cluster.ts).
 */
export type ComputeIdentityKind = "cluster" | "instance" | "training";
const grantPrefix: Record<ComputeIdentityKind, string> = {
    cluster: "compute",
    instance: "instance",
    training: "training",
};
const identitySuffix: Record<ComputeIdentityKind, string> = {
    cluster: "compute-identity",
    instance: "instance-identity",
    training: "training-identity",
};

export function computeIdentityGrants(
    principalId: pulumi.Input<string>,
    args: Omit<ComputeIdentityArgs, keyof PartArgs | "subscriptionId">,
    kind: ComputeIdentityKind = "cluster",
): Record<string, RoleGrant> {
    const grants: Record<string, RoleGrant> = {
        // Jobs read their inputs (snapshots, build contexts, datasets) and WRITE their outputs (models,
        // logs, artifacts) to the default blob datastore as the compute identity, since account keys
        // are off: "Model Registry and ML Flow | User-assigned managed identity | Storage Blob Data
        // Contributor" (how-to-disable-local-auth-storage#scenarios-for-role-assignments).
        "compute-storage-blob": {
            principalId,
            role: builtInRoles.storageBlobDataContributor,
            scope: args.storageAccountId,
            scopeKind: "storageAccount",
            description: "Azure ML compute: read job inputs and write job outputs (shared key access is disabled)",
        },
        // Pull the environment images at job time. The source document says a managed identity "cannot be
        // used with a compute cluster" when the registry has a private endpoint; Microsoft's current page
        // describes the split this component follows: the WORKSPACE identity builds and pushes images (it
        // has AcrPush, roles.ts), the compute identity only pulls them ("A managed identity is
        // automatically granted ACRPull role on workspace ACR to enable pulling Docker images for
        // training", how-to-identity-based-service-authentication#scenario-azure-container-registry-without-admin-user).
        // Granted here, before any compute exists, so the automatic grant finds it in place instead of
        // this one failing with 409 RoleAssignmentExists after it (computes depend on it).
        "compute-acr-pull": {
            principalId,
            role: builtInRoles.acrPull,
            scope: args.containerRegistryId,
            scopeKind: "containerRegistry",
            description: "Azure ML compute: pull environment images (the workspace builds and pushes them)",
        },
    };
    // ParallelRunStep keeps its state in queues and tables: "Parallel Run Step (PRS) | User-assigned
    // managed identity | Storage Table Data Contributor, Storage Queue Data Contributor"
    // (how-to-disable-local-auth-storage). Granted only when those endpoints exist: without them the
    // compute cannot reach queues or tables anyway, and a grant nobody can use is only attack surface.
    if (args.storageEndpoints.includes("queue")) {
        grants["compute-storage-queue"] = {
            principalId,
            role: builtInRoles.storageQueueDataContributor,
            scope: args.storageAccountId,
            scopeKind: "storageAccount",
            description: "Azure ML compute: ParallelRunStep queues (shared key access is disabled)",
        };
    }
    if (args.storageEndpoints.includes("table")) {
        grants["compute-storage-table"] = {
            principalId,
            role: builtInRoles.storageTableDataContributor,
            scope: args.storageAccountId,
            scopeKind: "storageAccount",
            description: "Azure ML compute: ParallelRunStep tables (shared key access is disabled)",
        };
    }
    const prefix = grantPrefix[kind];
    return Object.fromEntries(
        Object.entries(grants).map(([key, grant]) => [key.replace(/^compute-/, `${prefix}-`), grant]),
    );
}

/**
 * The grant the compute instances' identity adds, for idle shutdown. Microsoft: "If you configure the
 * compute instance for idle shutdown, the compute instance doesn't shut down due to inactivity unless
 * the managed identity has *contributor* access to the Azure Machine Learning workspace"
 * (https://learn.microsoft.com/azure/machine-learning/how-to-identity-based-service-authentication#access-data-for-training-jobs-on-compute-using-managed-identity,
 * and the "Assign managed identity" section of
 * https://learn.microsoft.com/azure/machine-learning/how-to-create-compute-instance). Departure: not
 * Contributor, which would let any notebook make the workspace public or delete it, but AzureML
 * Compute Operator, the built-in role whose actions are the workspace's computes
 * (`Microsoft.MachineLearningServices/workspaces/computes/*`, stop included), which is what an
 * instance shutting itself down calls
 * (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/ai-machine-learning#azureml-compute-operator).
 * If idle shutdown does not happen, the README says to grant Contributor by hand. Scoped to the
 * workspace alone, given to the instances' identity only; created after the workspace (its scope
 * must exist) and the instances wait for it.
 */
export function computeInstanceWorkspaceGrant(
    principalId: pulumi.Input<string>,
    workspaceId: pulumi.Input<string>,
): Record<string, RoleGrant> {
    return {
        "instance-workspace-compute-operator": {
            principalId,
            role: builtInRoles.azureMlComputeOperator,
            scope: workspaceId,
            scopeKind: "workspace",
            description: "Azure ML compute instances: idle shutdown stops the instance (computes/stop)",
        },
    };
}

export function createComputeIdentity(
    name: string,
    args: ComputeIdentityArgs,
    opts: pulumi.CustomResourceOptions,
    kind: ComputeIdentityKind = "cluster",
): ComputeIdentity {
    const identity = new managedidentity.UserAssignedIdentity(
        `${name}-${identitySuffix[kind]}`,
        { resourceGroupName: args.resourceGroupName, location: args.location, tags: args.tags },
        opts,
    );
    const assignments = grantRoles(
        name,
        args.subscriptionId,
        computeIdentityGrants(identity.principalId, args, kind),
        opts,
    );
    return { identity, assignments };
}

import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import { builtInRoles } from "../catalog/roles";
import { StorageGroupId } from "../catalog/dns-zones";
import { PartArgs } from "../common";
import { grantRoles, RoleGrant } from "./roles";

/**
 * The one user-assigned identity every compute of the workspace runs as: the image-build cluster and
 * the compute instances. One identity, one set of grants, so a job behaves the same on the cluster and
 * on an instance, and the grants exist before any compute does (user-assigned, so they do not wait for
 * a compute to be created as a system-assigned identity would).
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

export function computeIdentityGrants(
    principalId: pulumi.Input<string>,
    args: Omit<ComputeIdentityArgs, keyof PartArgs | "subscriptionId">,
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
    return grants;
}

/**
 * The grant compute instances add: "If the compute instance is also configured for idle shutdown, the
 * compute instance won't shut down due to inactivity unless the managed identity has contributor access
 * to the Azure Machine Learning workspace"
 * (how-to-identity-based-service-authentication#access-data-for-training-jobs-on-compute-using-managed-identity).
 * Only with compute instances (the cluster alone never needs it), and scoped to the workspace alone.
 * Created after the workspace (its scope must exist); the instances wait for it.
 */
export function computeInstanceWorkspaceGrant(
    principalId: pulumi.Input<string>,
    workspaceId: pulumi.Input<string>,
): Record<string, RoleGrant> {
    return {
        "compute-workspace-contributor": {
            principalId,
            role: builtInRoles.contributor,
            scope: workspaceId,
            scopeKind: "workspace",
            description: "Azure ML compute instances: idle shutdown needs Contributor on the workspace",
        },
    };
}

export function createComputeIdentity(
    name: string,
    args: ComputeIdentityArgs,
    opts: pulumi.CustomResourceOptions,
): ComputeIdentity {
    const identity = new managedidentity.UserAssignedIdentity(
        `${name}-compute-identity`,
        { resourceGroupName: args.resourceGroupName, location: args.location, tags: args.tags },
        opts,
    );
    const assignments = grantRoles(name, args.subscriptionId, computeIdentityGrants(identity.principalId, args), opts);
    return { identity, assignments };
}

import * as pulumi from "@pulumi/pulumi";
import type * as machinelearningservices from "@pulumi/azure-native/machinelearningservices";
import { AccessPlan } from "./access-plan";
import { PartArgs } from "../common";
import { StorageGroupId } from "../catalog/dns-zones";
import { ComputeIdentity, computeInstanceWorkspaceGrant, createComputeIdentity } from "./compute-identity";
import { createComputeInstances } from "./compute-instances";
import { peopleRoleGrants } from "./people";
import { grantRoles, workspaceRoleGrants } from "./roles";
import { selfServiceComputeGrants } from "./self-service-compute";

/**
 * What SecureMlWorkspace adds once the workspace exists: the compute instances, and the role
 * assignments of the workspace identity and of people (roles.ts and people.ts say why each one).
 */

export interface WorkspaceAccessArgs extends PartArgs {
    subscriptionId: pulumi.Input<string>;
    tenantId: pulumi.Input<string>;
    access: AccessPlan;
    workspace: machinelearningservices.Workspace;
    workspacePrincipalId: pulumi.Input<string>;
    /** What every compute instance waits for: its create-time requirements (catalog/create-time.ts). */
    computeDependsOn: pulumi.Resource[];
    /** The clusters' identity (the instances get one of their own, created here). */
    computeIdentity: ComputeIdentity;
    /** The training identity (training-cluster.ts), when there is one: self-created clusters run as it. */
    trainingIdentityId?: pulumi.Input<string>;
    /** The storage sub-resources that have a private endpoint (the instances' identity's queue/table grants). */
    storageEndpoints: readonly StorageGroupId[];
    /** Undefined when computes run in the workspace's managed network. */
    trainingSubnetId?: pulumi.Input<string>;
    storageAccountId: pulumi.Input<string>;
    storagePrivateEndpointIds: Record<string, pulumi.Input<string>>;
    keyVaultId: pulumi.Input<string>;
    containerRegistryId: pulumi.Input<string>;
    /** The jump box and its Bastion host, when the component created them. */
    jumpBox?: { vmId: pulumi.Input<string>; nicId: pulumi.Input<string>; bastionHostId: pulumi.Input<string> };
}

export function createWorkspaceAccess(
    name: string,
    args: WorkspaceAccessArgs,
    opts: pulumi.CustomResourceOptions,
): void {
    const common = { resourceGroupName: args.resourceGroupName, location: args.location, tags: args.tags };
    const instances = args.access.computeInstances;
    // The instances' own identity, never shared with a cluster: only it holds the workspace role idle
    // shutdown needs (compute-identity.ts), so no job on a cluster can act on the workspace.
    const instanceIdentity =
        instances.length > 0
            ? createComputeIdentity(
                  name,
                  {
                      ...common,
                      subscriptionId: args.subscriptionId,
                      storageAccountId: args.storageAccountId,
                      containerRegistryId: args.containerRegistryId,
                      storageEndpoints: args.storageEndpoints,
                  },
                  opts,
                  "instance",
              )
            : undefined;
    if (instanceIdentity) {
        const instanceGrants = [
            ...Object.values(instanceIdentity.assignments),
            ...Object.values(
                grantRoles(
                    name,
                    args.subscriptionId,
                    computeInstanceWorkspaceGrant(instanceIdentity.identity.principalId, args.workspace.id),
                    opts,
                ),
            ),
        ];
        createComputeInstances(
            name,
            {
                ...common,
                workspaceName: args.workspace.name,
                tenantId: args.tenantId,
                subnetId: args.trainingSubnetId,
                identityId: instanceIdentity.identity.id,
                instances,
                dependsOn: [...args.computeDependsOn, ...instanceGrants],
            },
            opts,
        );
    }

    grantRoles(
        name,
        args.subscriptionId,
        {
            ...workspaceRoleGrants({
                workspacePrincipalId: args.workspacePrincipalId,
                keyVaultId: args.keyVaultId,
                containerRegistryId: args.containerRegistryId,
                storagePrivateEndpointIds: args.storagePrivateEndpointIds,
            }),
            ...peopleRoleGrants(args.access.dataScientists, {
                workspaceId: args.workspace.id,
                storageAccountId: args.storageAccountId,
                jumpBoxVmId: args.jumpBox?.vmId,
                jumpBoxNicId: args.jumpBox?.nicId,
                bastionHostId: args.jumpBox?.bastionHostId,
            }),
            ...(args.access.allowDataScientistsToCreateCompute && args.trainingIdentityId !== undefined
                ? selfServiceComputeGrants(args.access.dataScientists, {
                      workspaceId: args.workspace.id,
                      trainingIdentityId: args.trainingIdentityId,
                  })
                : {}),
        },
        opts,
    );
}

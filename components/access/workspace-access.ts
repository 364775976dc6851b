import * as pulumi from "@pulumi/pulumi";
import type * as machinelearningservices from "@pulumi/azure-native/machinelearningservices";
import { AccessPlan } from "./access-plan";
import { PartArgs } from "../common";
import { ComputeIdentity, computeInstanceWorkspaceGrant } from "./compute-identity";
import { createComputeInstances } from "./compute-instances";
import { peopleRoleGrants } from "./people";
import { grantRoles, workspaceRoleGrants } from "./roles";

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
    /** What every compute instance waits for: its create-time requirements (catalog/create-time.ts) and the compute identity's grants. */
    computeDependsOn: pulumi.Resource[];
    computeIdentity: ComputeIdentity;
    /** Undefined when computes run in the workspace's managed network. */
    trainingSubnetId?: pulumi.Input<string>;
    storageAccountId: pulumi.Input<string>;
    storagePrivateEndpointIds: Record<string, pulumi.Input<string>>;
    keyVaultId: pulumi.Input<string>;
    containerRegistryId: pulumi.Input<string>;
    /** The jump box and its Bastion host, when the component created them. */
    jumpBox?: { vmId: pulumi.Input<string>; bastionHostId: pulumi.Input<string> };
}

export function createWorkspaceAccess(
    name: string,
    args: WorkspaceAccessArgs,
    opts: pulumi.CustomResourceOptions,
): void {
    const common = { resourceGroupName: args.resourceGroupName, location: args.location, tags: args.tags };
    const instances = args.access.computeInstances;
    const instanceGrants =
        instances.length > 0
            ? Object.values(
                  grantRoles(
                      name,
                      args.subscriptionId,
                      computeInstanceWorkspaceGrant(args.computeIdentity.identity.principalId, args.workspace.id),
                      opts,
                  ),
              )
            : [];
    createComputeInstances(
        name,
        {
            ...common,
            workspaceName: args.workspace.name,
            tenantId: args.tenantId,
            subnetId: args.trainingSubnetId,
            identityId: args.computeIdentity.identity.id,
            instances,
            dependsOn: [...args.computeDependsOn, ...instanceGrants],
        },
        opts,
    );

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
                bastionHostId: args.jumpBox?.bastionHostId,
            }),
        },
        opts,
    );
}

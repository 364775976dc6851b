import * as pulumi from "@pulumi/pulumi";
import { builtInRoles } from "../catalog/roles";
import { WorkspacePrincipal } from "./people";
import { RoleGrant } from "./roles";

/**
 * `allowDataScientistsToCreateCompute`: what a data scientist needs to create compute in the studio or
 * the SDK themselves, in a managed network.
 *
 * - AzureML Compute Operator on the workspace. AzureML Data Scientist excludes creating and deleting
 *   compute; Microsoft's page: "you can grant a workspace user both AzureML Data Scientist and AzureML
 *   Compute Operator roles to permit the user to perform experiments while creating computes in a
 *   self-service manner" (https://learn.microsoft.com/azure/machine-learning/how-to-assign-roles#default-roles).
 * - Managed Identity Operator on the training identity, so the clusters they create can run as it and
 *   have its data grants (shared key access is off: a cluster with no identity, or a new system-assigned
 *   one, cannot read the datastores): "To assign a user assigned identity to an Azure Machine Learning
 *   compute cluster, you need write permissions to create the compute and the Managed Identity Operator
 *   Role" (how-to-assign-roles#user-assigned-managed-identity-with-azure-machine-learning-compute-cluster).
 *   Scoped to that one identity: not the image-build cluster's, not the instances'.
 *
 * Not in a customer VNet: a compute there joins the training subnet, which needs
 * `Microsoft.Network/virtualNetworks/subnets/join/action` on it (how-to-assign-roles#deploy-into-a-virtual-network-or-subnet);
 * no built-in role grants only that, and Network Contributor on the subnet would let a person detach
 * its NSG or route table. The plan rejects the combination (secure-workspace-plan.ts).
 */
export function selfServiceComputeGrants(
    people: readonly WorkspacePrincipal[],
    scopes: { workspaceId: pulumi.Input<string>; trainingIdentityId: pulumi.Input<string> },
): Record<string, RoleGrant> {
    const grants: Record<string, RoleGrant> = {};
    people.forEach((person, i) => {
        const who = { principalId: person.principalId, principalType: person.principalType };
        grants[`person${i}-ws-compute-operator`] = {
            ...who,
            role: builtInRoles.azureMlComputeOperator,
            scope: scopes.workspaceId,
            scopeKind: "workspace",
            description: "Data scientist: create, start, stop and delete the workspace's compute (self-service)",
        };
        grants[`person${i}-training-identity-operator`] = {
            ...who,
            role: builtInRoles.managedIdentityOperator,
            scope: scopes.trainingIdentityId,
            scopeKind: "userAssignedIdentity",
            description: "Data scientist: run self-created clusters as the training identity (its data grants)",
        };
    });
    return grants;
}

import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import { v5 as uuidv5 } from "uuid";
import { BuiltInRole, builtInRoles, PrincipalKind, RoleScopeKind } from "../catalog/roles";

export { builtInRoles } from "../catalog/roles";
export type { BuiltInRole } from "../catalog/roles";

/** The ARM id of a built-in role definition in a subscription. */
export function roleDefinitionId(subscriptionId: pulumi.Input<string>, role: BuiltInRole): pulumi.Output<string> {
    return pulumi.interpolate`/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${role.guid}`;
}

/** This package's namespace for name-based (v5) UUIDs. Never change it: every assignment name derives from it. */
export const roleAssignmentNamespace = "4f1c8f0e-3c55-5b39-9a57-2d1f3e0b6a41";

/**
 * The role assignment's name: a UUID v5 of scope, principal and role. ARM allows one assignment per
 * (scope, principal, role); a name derived from exactly those three means a rerun, a re-import or a
 * second stack that wants the same grant addresses the SAME assignment instead of creating a second one
 * that fails with 409 RoleAssignmentExists, and a changed principal or scope gets a new name (a replace).
 * Case-insensitive like ARM ids and GUIDs.
 */
export function roleAssignmentName(scope: string, principalId: string, roleGuid: string): string {
    return uuidv5(
        `${scope.toLowerCase()}|${principalId.toLowerCase()}|${roleGuid.toLowerCase()}`,
        roleAssignmentNamespace,
    );
}

/** Who a grant is for: a managed identity (ServicePrincipal) or a person (User, Group). */
export type GrantPrincipalType = PrincipalKind | "ServicePrincipal";

export interface RoleGrant {
    /** The principal's (object) id. */
    principalId: pulumi.Input<string>;
    /** Default `ServicePrincipal` (a managed identity). */
    principalType?: GrantPrincipalType;
    role: BuiltInRole;
    /** The resource the role applies to (its ARM id). */
    scope: pulumi.Input<string>;
    /** What `scope` is, for the access model and its tests. */
    scopeKind: RoleScopeKind;
    /** Why the principal needs it; stored on the assignment so the portal shows it. */
    description: string;
}

/**
 * One role assignment. `principalType` is always given: for a managed identity it lets ARM skip the
 * Entra ID lookup that fails with `PrincipalNotFound` while a new identity is still replicating.
 * `roleAssignmentName` is deterministic (see `roleAssignmentName`).
 */
export function grantRole(
    name: string,
    subscriptionId: pulumi.Input<string>,
    grant: RoleGrant,
    opts: pulumi.CustomResourceOptions,
): authorization.RoleAssignment {
    const assignmentName = pulumi.all([grant.scope, grant.principalId]).apply(([scope, principal]) =>
        typeof scope === "string" && typeof principal === "string"
            ? roleAssignmentName(scope, principal, grant.role.guid)
            : // Only unit-test mocks that echo inputs back leave an id out; the provider then names it.
              (undefined as unknown as string),
    );
    return new authorization.RoleAssignment(
        name,
        {
            roleAssignmentName: assignmentName,
            principalId: grant.principalId,
            principalType: grant.principalType ?? authorization.PrincipalType.ServicePrincipal,
            roleDefinitionId: roleDefinitionId(subscriptionId, grant.role),
            scope: grant.scope,
            description: grant.description,
        },
        opts,
    );
}

/** Grants a list of named role grants; names are `<name>-<key>`. */
export function grantRoles(
    name: string,
    subscriptionId: pulumi.Input<string>,
    grants: Record<string, RoleGrant>,
    opts: pulumi.CustomResourceOptions,
): Record<string, authorization.RoleAssignment> {
    return Object.fromEntries(
        Object.entries(grants).map(([key, g]) => [key, grantRole(`${name}-${key}`, subscriptionId, g, opts)]),
    );
}

export interface WorkspaceRoleArgs {
    /** The workspace's system-assigned identity. */
    workspacePrincipalId: pulumi.Input<string>;
    keyVaultId: pulumi.Input<string>;
    containerRegistryId: pulumi.Input<string>;
    /** The storage account's private endpoints by group id (blob, file, ...). */
    storagePrivateEndpointIds: Record<string, pulumi.Input<string>>;
}

/**
 * What the workspace's system-assigned identity needs beyond what Azure Machine Learning assigns it
 * itself. Azure ML creates Contributor on the storage account, key vault, registry and Application
 * Insights, and the storage data roles of identity-based datastores, for its system identity; a second
 * assignment of any of those fails with 409 RoleAssignmentExists, so none is emitted here
 * (`workspaceManagedRoleAssignments` in catalog/roles.ts lists them with their sources).
 */
export function workspaceRoleGrants(args: WorkspaceRoleArgs): Record<string, RoleGrant> {
    const grants: Record<string, RoleGrant> = {
        // The document: the workspace stores the storage connection string, registry passwords and
        // datastore connection strings in its key vault. The vault uses Azure RBAC, and Contributor is a
        // control-plane role that reads no secret, so without a data role the identity cannot write them.
        // Secrets Officer covers secrets only (no keys, no certificates, no role management).
        "ws-kv-secrets": {
            principalId: args.workspacePrincipalId,
            role: builtInRoles.keyVaultSecretsOfficer,
            scope: args.keyVaultId,
            scopeKind: "keyVault",
            description: "Azure ML workspace: store connection strings and passwords in the RBAC key vault",
        },
        // The registry's admin user is disabled, so the workspace builds and pushes images with its
        // Entra ID identity ("Azure Machine Learning uses a managed identity to build and pull Docker
        // images", how-to-identity-based-service-authentication#scenario-azure-container-registry-without-admin-user).
        // AcrPush is the data-plane right for it, stated explicitly rather than left to Contributor.
        "ws-acr-push": {
            principalId: args.workspacePrincipalId,
            role: builtInRoles.acrPush,
            scope: args.containerRegistryId,
            scopeKind: "containerRegistry",
            description: "Azure ML workspace: push images it builds (registry admin user disabled)",
        },
    };
    // "Grant the workspace managed identity the Reader role for storage private endpoints ... A private
    // endpoint is necessary for both blob and file storage types ... Add the managed identity to all these
    // endpoints": without it, studio cannot preview data behind them.
    // https://learn.microsoft.com/azure/machine-learning/how-to-enable-studio-virtual-network#datastore-azure-storage-account
    for (const [groupId, peId] of Object.entries(args.storagePrivateEndpointIds)) {
        grants[`ws-${groupId}-pe-reader`] = {
            principalId: args.workspacePrincipalId,
            role: builtInRoles.reader,
            scope: peId,
            scopeKind: "privateEndpoint",
            description: `Azure ML workspace: studio data preview through the storage ${groupId} private endpoint`,
        };
    }
    return grants;
}

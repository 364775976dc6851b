import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";

/**
 * The built-in Azure roles the secure workspace's identities need. Role definition GUIDs are the same
 * in every subscription and every cloud (public, China, US Government), so they are constants here.
 */
export const builtInRoles = {
    /** Read, write and delete blobs and containers (data plane). */
    storageBlobDataContributor: {
        roleName: "Storage Blob Data Contributor",
        guid: "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
    },
    /** Read and list blobs and containers (data plane). */
    storageBlobDataReader: { roleName: "Storage Blob Data Reader", guid: "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1" },
    /** Read, write, delete and modify ACLs on Azure Files shares over REST/OAuth (data plane). */
    storageFileDataPrivilegedContributor: {
        roleName: "Storage File Data Privileged Contributor",
        guid: "69566ab7-960f-475b-8e7c-b3118f30c6bd",
    },
    /** Create, read, update and delete secrets of an RBAC key vault (no keys, no certificates, no access management). */
    keyVaultSecretsOfficer: { roleName: "Key Vault Secrets Officer", guid: "b86a8fe4-44ce-4948-aee5-eccb2c155cd7" },
    /** Push and pull images of a container registry (data plane). */
    acrPush: { roleName: "AcrPush", guid: "8311e382-0749-4cb8-b61a-304f252e45ec" },
} as const;

export type BuiltInRole = (typeof builtInRoles)[keyof typeof builtInRoles];

/** The ARM id of a built-in role definition in a subscription. */
export function roleDefinitionId(subscriptionId: pulumi.Input<string>, role: BuiltInRole): pulumi.Output<string> {
    return pulumi.interpolate`/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${role.guid}`;
}

export interface RoleGrant {
    /** The managed identity's principal (object) id. */
    principalId: pulumi.Input<string>;
    role: BuiltInRole;
    /** The resource the role applies to (its ARM id). */
    scope: pulumi.Input<string>;
    /** Why the identity needs it; stored on the assignment so the portal shows it. */
    description: string;
}

/**
 * One role assignment to a managed identity. `principalType: "ServicePrincipal"` lets ARM skip the
 * Entra ID lookup that fails with `PrincipalNotFound` while a new identity is still replicating.
 * `roleAssignmentName` is left out: azure-native generates a GUID once and keeps it in state.
 */
export function grantRole(
    name: string,
    subscriptionId: pulumi.Input<string>,
    grant: RoleGrant,
    opts: pulumi.CustomResourceOptions,
): authorization.RoleAssignment {
    return new authorization.RoleAssignment(
        name,
        {
            principalId: grant.principalId,
            principalType: authorization.PrincipalType.ServicePrincipal,
            roleDefinitionId: roleDefinitionId(subscriptionId, grant.role),
            scope: grant.scope,
            description: grant.description,
        },
        opts,
    );
}

export interface WorkspaceRoleArgs {
    subscriptionId: pulumi.Input<string>;
    /** The workspace's system-assigned identity. */
    workspacePrincipalId: pulumi.Input<string>;
    /** The image-build cluster's system-assigned identity. */
    clusterPrincipalId: pulumi.Input<string>;
    storageAccountId: pulumi.Input<string>;
    keyVaultId: pulumi.Input<string>;
    containerRegistryId: pulumi.Input<string>;
}

/**
 * The data-plane roles the workspace's identities need once account keys, the registry's admin user
 * and key vault access policies are all switched off. Control-plane roles (Contributor on the
 * dependencies) are NOT created here: Azure Machine Learning grants its system-assigned identity those
 * itself when the workspace is created, and ARM rejects a second assignment of the same role, principal
 * and scope (409 RoleAssignmentExists), so duplicating them would break `pulumi up`.
 */
export function grantWorkspaceRoles(
    name: string,
    args: WorkspaceRoleArgs,
    opts: pulumi.CustomResourceOptions,
): Record<string, authorization.RoleAssignment> {
    const grant = (suffix: string, g: RoleGrant) => grantRole(`${name}-${suffix}`, args.subscriptionId, g, opts);
    return {
        // Identity-based system datastores (systemDatastoresAuthMode "Identity") with shared key off:
        // the workspace reads and writes its default blob datastore (workspaceblobstore, artifacts,
        // snapshots, build contexts) with its own identity. The document's resource-instance rule only
        // lets the workspace through the storage firewall; it grants no data access.
        workspaceBlob: grant("ws-storage-blob", {
            principalId: args.workspacePrincipalId,
            role: builtInRoles.storageBlobDataContributor,
            scope: args.storageAccountId,
            description: "Azure ML workspace: identity-based blob datastores (shared key access is disabled)",
        }),
        // The same for the default file datastore (workspacefilestore: notebooks and code), which over
        // OAuth needs the "privileged" file role; the SMB share roles do not apply to REST access.
        workspaceFile: grant("ws-storage-file", {
            principalId: args.workspacePrincipalId,
            role: builtInRoles.storageFileDataPrivilegedContributor,
            scope: args.storageAccountId,
            description: "Azure ML workspace: identity-based file datastore (shared key access is disabled)",
        }),
        // The document: the workspace stores the storage connection string, registry passwords and
        // datastore connection strings in its key vault. The vault uses Azure RBAC, so without a data
        // role the identity cannot write them. Secrets Officer covers secrets only (no keys, no
        // certificates, no role management), which is all the workspace stores.
        workspaceSecrets: grant("ws-kv-secrets", {
            principalId: args.workspacePrincipalId,
            role: builtInRoles.keyVaultSecretsOfficer,
            scope: args.keyVaultId,
            description: "Azure ML workspace: store connection strings and passwords in the RBAC key vault",
        }),
        // The registry's admin user is disabled, so images built on the cluster are pushed with the
        // workspace's Entra ID credentials. The cluster's own identity cannot do it: the document says
        // that when the registry "uses a private endpoint ... you cannot use a managed identity with an
        // Azure Machine Learning compute cluster". AcrPush (push and pull) is the data-plane right the
        // builds need.
        workspaceAcrPush: grant("ws-acr-push", {
            principalId: args.workspacePrincipalId,
            role: builtInRoles.acrPush,
            scope: args.containerRegistryId,
            description: "Azure ML workspace: push images built on the image-build cluster (admin user disabled)",
        }),
        // Jobs on the cluster, image builds included, read their inputs (snapshots, build contexts) from
        // the default blob datastore as the cluster's identity, since account keys are off. Reader, not
        // Contributor: the image-build cluster needs to read, and results go back through the workspace.
        // Deliberately no AcrPush for the cluster (see above).
        clusterBlobRead: grant("cluster-storage-blob", {
            principalId: args.clusterPrincipalId,
            role: builtInRoles.storageBlobDataReader,
            scope: args.storageAccountId,
            description:
                "Azure ML image-build cluster: read build contexts and snapshots (shared key access is disabled)",
        }),
    };
}

/**
 * The Azure built-in roles the secure workspace assigns or the policy pack looks for, as data: name,
 * role definition GUID and the Microsoft page that publishes it. Role definition GUIDs are the same in
 * every subscription and every cloud (public, China, US Government), so they are constants here.
 * The GUIDs are the ones on Microsoft's "Azure built-in roles" pages (one page per category, linked
 * per row); test/catalog/roles.test.ts compares each row against that published table.
 */

export interface BuiltInRole {
    /** The role's name as Azure shows it. */
    roleName: string;
    /** The role definition's GUID (`/providers/Microsoft.Authorization/roleDefinitions/<guid>`). */
    guid: string;
    /** The Microsoft Learn page (built-in roles, by category) that publishes the GUID. */
    source: string;
}

const builtInRolesPage = "https://learn.microsoft.com/azure/role-based-access-control/built-in-roles";
const page = (category: string, anchor: string) => `${builtInRolesPage}/${category}#${anchor}`;

export const builtInRoles = {
    // --- Privileged (general) ---
    /** Full access, including the right to assign roles. */
    owner: {
        roleName: "Owner",
        guid: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
        source: page("privileged", "owner"),
    },
    /** Full management access, no role assignment. */
    contributor: {
        roleName: "Contributor",
        guid: "b24988ac-6180-42a0-ab88-20f7382dd24c",
        source: page("privileged", "contributor"),
    },
    /** Manages user access (role assignments) to Azure resources. */
    userAccessAdministrator: {
        roleName: "User Access Administrator",
        guid: "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
        source: page("privileged", "user-access-administrator"),
    },
    /** Manages role assignments (without the other rights of Owner). */
    roleBasedAccessControlAdministrator: {
        roleName: "Role Based Access Control Administrator",
        guid: "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
        source: page("privileged", "role-based-access-control-administrator"),
    },
    /** View all resources, change nothing. */
    reader: {
        roleName: "Reader",
        guid: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
        source: page("general", "reader"),
    },

    // --- AI + machine learning ---
    /** Work in a workspace (jobs, data, models, compute instances) without changing the workspace or its roles. */
    azureMlDataScientist: {
        roleName: "AzureML Data Scientist",
        guid: "f6c7c914-8db3-469d-8ca1-694a8f32e121",
        source: page("ai-machine-learning", "azureml-data-scientist"),
    },
    /** Create, read, update, delete, start and stop the workspace's compute; nothing else of the workspace. */
    azureMlComputeOperator: {
        roleName: "AzureML Compute Operator",
        guid: "e503ece1-11d0-4e8e-8e2c-7a6c3bf38815",
        source: page("ai-machine-learning", "azureml-compute-operator"),
    },

    // --- Storage (data plane) ---
    /** Read, write and delete blobs and containers. */
    storageBlobDataContributor: {
        roleName: "Storage Blob Data Contributor",
        guid: "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
        source: page("storage", "storage-blob-data-contributor"),
    },
    /** Read and list blobs and containers. */
    storageBlobDataReader: {
        roleName: "Storage Blob Data Reader",
        guid: "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
        source: page("storage", "storage-blob-data-reader"),
    },
    /** Read, write, delete and modify ACLs on Azure Files shares over REST/OAuth. */
    storageFileDataPrivilegedContributor: {
        roleName: "Storage File Data Privileged Contributor",
        guid: "69566ab7-960f-475b-8e7c-b3118f30c6bd",
        source: page("storage", "storage-file-data-privileged-contributor"),
    },
    /** Read, write and delete queues and queue messages. */
    storageQueueDataContributor: {
        roleName: "Storage Queue Data Contributor",
        guid: "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
        source: page("storage", "storage-queue-data-contributor"),
    },
    /** Read, write and delete tables and entities. */
    storageTableDataContributor: {
        roleName: "Storage Table Data Contributor",
        guid: "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
        source: page("storage", "storage-table-data-contributor"),
    },

    // --- Security (data plane) ---
    /** Create, read, update and delete secrets of an RBAC key vault (no keys, no certificates, no access management). */
    keyVaultSecretsOfficer: {
        roleName: "Key Vault Secrets Officer",
        guid: "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
        source: page("security", "key-vault-secrets-officer"),
    },

    // --- Containers (data plane) ---
    /** Pull images from a container registry. */
    acrPull: {
        roleName: "AcrPull",
        guid: "7f951dda-4ed3-4680-a7ca-43fe172d538d",
        source: page("containers", "acrpull"),
    },
    /** Push and pull images of a container registry. */
    acrPush: {
        roleName: "AcrPush",
        guid: "8311e382-0749-4cb8-b61a-304f252e45ec",
        source: page("containers", "acrpush"),
    },

    // --- Identity ---
    /** Read a user-assigned identity and assign it to a resource (a compute cluster a person creates). */
    managedIdentityOperator: {
        roleName: "Managed Identity Operator",
        guid: "f1a07417-d97a-45cb-824c-7a7467783830",
        source: page("identity", "managed-identity-operator"),
    },

    // --- Compute ---
    /** Sign in to a VM with Microsoft Entra ID as a regular user (the jump box). */
    virtualMachineUserLogin: {
        roleName: "Virtual Machine User Login",
        guid: "fb879df8-f326-4884-b1cf-06f3ad86be52",
        source: page("compute", "virtual-machine-user-login"),
    },
} as const satisfies Record<string, BuiltInRole>;

export type BuiltInRoleKey = keyof typeof builtInRoles;

/**
 * Roles that let their holder take over what they are assigned on: change any resource, or grant
 * themselves or others any role. People get none of these on a workspace or above it (the policy
 * `no-privileged-role-for-people-on-workspace`); they work through AzureML Data Scientist.
 */
export const privilegedRoles: readonly BuiltInRole[] = [
    builtInRoles.owner,
    builtInRoles.contributor,
    builtInRoles.userAccessAdministrator,
    builtInRoles.roleBasedAccessControlAdministrator,
];

/** The built-in role with this definition GUID (or a role definition id ending in it), if the catalogue has it. */
export function roleByGuid(guidOrId: string): BuiltInRole | undefined {
    const guid = guidOrId.split("/").pop()!.toLowerCase();
    return Object.values(builtInRoles).find((r) => r.guid === guid);
}

/**
 * The kinds of principal that a person-facing argument accepts. An `as const` object so that Pulumi's
 * schema inference turns it into an enum for other languages (see clouds.ts).
 */
export const PrincipalKind = {
    /** A Microsoft Entra ID user. */
    User: "User",
    /** A Microsoft Entra ID security group (preferred: access follows group membership). */
    Group: "Group",
} as const;
export type PrincipalKind = (typeof PrincipalKind)[keyof typeof PrincipalKind];

export const principalKinds: readonly PrincipalKind[] = ["User", "Group"];

/** The scope kinds the workspace's role assignments use (what `scope` points at). */
export type RoleScopeKind =
    | "workspace"
    | "storageAccount"
    | "keyVault"
    | "containerRegistry"
    | "applicationInsights"
    | "privateEndpoint"
    | "virtualMachine"
    | "networkInterface"
    | "bastionHost"
    | "userAssignedIdentity";

/**
 * The role assignments Azure Machine Learning creates itself for a workspace's SYSTEM-assigned identity
 * ("Role assignment creation: Managed by Microsoft"). A second assignment of the same role, principal
 * and scope fails with 409 RoleAssignmentExists, so the component never emits one of these.
 *
 * - Contributor on the storage account, key vault, container registry and Application Insights: the
 *   list Microsoft requires for a user-assigned workspace identity, which it creates itself for the
 *   system-assigned one: https://learn.microsoft.com/azure/machine-learning/how-to-identity-based-service-authentication#workspace-identity-types
 * - The storage data roles of identity-based system datastores (systemDatastoresAuthMode "identity"):
 *   "As the workspace is created, the managed identity is automatically assigned the permissions it
 *   needs to access the storage account":
 *   https://learn.microsoft.com/azure/machine-learning/how-to-disable-local-auth-storage#create-a-new-workspace
 *   (for a user-assigned identity that table names Storage Blob Data Contributor; the file datastore
 *   needs Storage File Data Privileged Contributor, the role the page gives users for it).
 */
export const workspaceManagedRoleAssignments: readonly { role: BuiltInRole; scope: RoleScopeKind }[] = [
    { role: builtInRoles.contributor, scope: "storageAccount" },
    { role: builtInRoles.contributor, scope: "keyVault" },
    { role: builtInRoles.contributor, scope: "containerRegistry" },
    { role: builtInRoles.contributor, scope: "applicationInsights" },
    { role: builtInRoles.storageBlobDataContributor, scope: "storageAccount" },
    { role: builtInRoles.storageFileDataPrivilegedContributor, scope: "storageAccount" },
];

/** A GUID as Entra ID object ids are written (any version, any case). */
export const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

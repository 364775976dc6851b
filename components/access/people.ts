import * as pulumi from "@pulumi/pulumi";
import { builtInRoles, PrincipalKind } from "../catalog/roles";
import { RoleGrant } from "./roles";

/**
 * The people who work in the workspace (data scientists, as users or, better, groups) and the roles
 * Microsoft's pages say they need when the workspace is private and the storage account has no keys.
 * None of them is Owner, Contributor or an access administrator: the policy
 * `no-privileged-role-for-people-on-workspace` holds the stack to that.
 */

/** A person or group who works in the workspace. */
export interface WorkspacePrincipal {
    /** The Microsoft Entra ID object id of the user or group (a GUID). */
    principalId: pulumi.Input<string>;
    /** `User` or `Group`. */
    principalType: PrincipalKind;
}

export interface PeopleScopes {
    workspaceId: pulumi.Input<string>;
    storageAccountId: pulumi.Input<string>;
    /** The jump box, when there is one: people sign in to it with Entra ID. */
    jumpBoxVmId?: pulumi.Input<string>;
    /** The jump box's network interface, when there is one: Bastion's Entra ID sign-in reads it. */
    jumpBoxNicId?: pulumi.Input<string>;
    /** The Bastion host, when there is a jump box: people connect through it. */
    bastionHostId?: pulumi.Input<string>;
}

/** The grants of person number `index`, keyed `person<index>-<what>`. */
export function personRoleGrants(
    index: number,
    person: WorkspacePrincipal,
    scopes: PeopleScopes,
): Record<string, RoleGrant> {
    const who = { principalId: person.principalId, principalType: person.principalType };
    const key = (what: string) => `person${index}-${what}`;
    const grants: Record<string, RoleGrant> = {
        // Work in the workspace: jobs, data assets, models, endpoints, their own compute instances; no
        // change to the workspace itself or to its role assignments.
        [key("ws-data-scientist")]: {
            ...who,
            role: builtInRoles.azureMlDataScientist,
            scope: scopes.workspaceId,
            scopeKind: "workspace",
            description: "Data scientist: work in the Azure ML workspace (no workspace or access management)",
        },
        // Shared key access is off, so the studio and the SDK reach the default datastores with the
        // person's own identity: "These users must be assigned the Storage Blob Data Contributor and
        // Storage File Data Privileged Contributor roles ... for the storage account"
        // (https://learn.microsoft.com/azure/machine-learning/how-to-disable-local-auth-storage#create-a-new-workspace);
        // studio data preview uses the user's identity too (how-to-enable-studio-virtual-network, step 2).
        [key("storage-blob")]: {
            ...who,
            role: builtInRoles.storageBlobDataContributor,
            scope: scopes.storageAccountId,
            scopeKind: "storageAccount",
            description:
                "Data scientist: datastores, data assets and studio data preview (shared key access is disabled)",
        },
        // Notebooks, their file explorer and compute instances use the file share as the person
        // ("Compute Instance | Studio: notebooks | User's identity | Storage File Data Privileged Contributor").
        [key("storage-file")]: {
            ...who,
            role: builtInRoles.storageFileDataPrivilegedContributor,
            scope: scopes.storageAccountId,
            scopeKind: "storageAccount",
            description: "Data scientist: notebooks and compute instance files (shared key access is disabled)",
        },
    };
    if (scopes.jumpBoxVmId !== undefined) {
        // Entra ID sign-in to the jump box (AADSSHLoginForLinux) as a regular user, no sudo: "Virtual
        // Machine User Login" (https://learn.microsoft.com/entra/identity/devices/howto-vm-sign-in-azure-ad-linux).
        grants[key("jump-box-login")] = {
            ...who,
            role: builtInRoles.virtualMachineUserLogin,
            scope: scopes.jumpBoxVmId,
            scopeKind: "virtualMachine",
            description: "Data scientist: sign in to the jump box with Microsoft Entra ID",
        };
    }
    // Microsoft Entra ID sign-in through Bastion needs, besides the login role, "Reader role on the
    // virtual machine", "Reader role on the NIC with private IP of the virtual machine" and "Reader role
    // on the Azure Bastion resource" (https://learn.microsoft.com/azure/bastion/bastion-entra-id-authentication#prerequisites).
    if (scopes.jumpBoxVmId !== undefined) {
        grants[key("jump-box-reader")] = {
            ...who,
            role: builtInRoles.reader,
            scope: scopes.jumpBoxVmId,
            scopeKind: "virtualMachine",
            description: "Data scientist: see the jump box to connect to it through Azure Bastion",
        };
    }
    if (scopes.jumpBoxNicId !== undefined) {
        grants[key("jump-box-nic-reader")] = {
            ...who,
            role: builtInRoles.reader,
            scope: scopes.jumpBoxNicId,
            scopeKind: "networkInterface",
            description: "Data scientist: Azure Bastion reads the jump box's NIC (its private IP) to connect",
        };
    }
    if (scopes.bastionHostId !== undefined) {
        grants[key("bastion-reader")] = {
            ...who,
            role: builtInRoles.reader,
            scope: scopes.bastionHostId,
            scopeKind: "bastionHost",
            description: "Data scientist: connect to the jump box through Azure Bastion",
        };
    }
    return grants;
}

/** Every person's grants. */
export function peopleRoleGrants(
    people: readonly WorkspacePrincipal[],
    scopes: PeopleScopes,
): Record<string, RoleGrant> {
    return Object.assign({}, ...people.map((p, i) => personRoleGrants(i, p, scopes)));
}

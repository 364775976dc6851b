import { StackValidationPolicy } from "@pulumi/policy";
import { privilegedRoles, roleByGuid } from "../catalog";
import { Res, dependenciesAt, idOf, indexOf } from "../graph";
import { UNKNOWN, describe, get, stackRule, tokens } from "../util";

/**
 * Who may do what to the workspace: no person (an Entra ID user or group) holds a role that can change
 * the workspace or its access, at the workspace or at any scope above it. People work through AzureML
 * Data Scientist (and the storage data roles); managed identities are not people and are not judged.
 */

const roleAssignmentToken = "azure-native:authorization:RoleAssignment";
const privilegedGuids = new Set(privilegedRoles.map((r) => r.guid));

/** Where a role assignment sits relative to a resource, or undefined when not at or above it. */
export function scopeRelation(assignment: Res, target: Res): "at" | "above" | undefined {
    const scopeDeps = dependenciesAt(assignment, "scope");
    if (scopeDeps.some((d) => d.urn === target.urn)) return "at";
    // The scope is the resource's resource group (the same resource in the stack).
    const rgDeps = dependenciesAt(target, "resourceGroupName");
    if (scopeDeps.some((d) => d.type === tokens.resourceGroup && rgDeps.some((r) => r.urn === d.urn))) return "above";
    const scope = get(assignment.props, "scope");
    const targetId = idOf(target);
    if (typeof scope !== "string" || scope === "" || targetId === undefined) return undefined;
    const s = scope.replace(/\/+$/, "").toLowerCase();
    const w = targetId.toLowerCase();
    if (w === s) return "at";
    if (w.startsWith(`${s}/`)) return "above";
    return undefined;
}

export const noPrivilegedRoleForPeopleOnWorkspace: StackValidationPolicy = stackRule(
    {
        name: "no-privileged-role-for-people-on-workspace",
        description:
            "No user or group is given Owner, Contributor, User Access Administrator or Role Based Access Control Administrator on an Azure ML workspace of the stack or on a scope above it (its resource group, subscription, management group): each can change the workspace's network isolation or grant itself any data. People get AzureML Data Scientist and the storage data roles instead.",
        enforcementLevel: "mandatory",
        severity: "high",
        remediationSteps:
            "Assign the person or group AzureML Data Scientist on the workspace (SecureMlWorkspace's dataScientists argument does, with the storage data roles) and keep Owner/Contributor for the deployment identity and break-glass accounts managed outside the stack (Privileged Identity Management).",
        sources: {
            learn: "https://learn.microsoft.com/azure/machine-learning/how-to-assign-roles#default-roles",
        },
    },
    (args, report) => {
        const index = indexOf(args.resources);
        const workspaces = index.ofType(tokens.workspace);
        if (workspaces.length === 0) return;
        for (const a of index.ofType(roleAssignmentToken)) {
            const principalType = get(a.props, "principalType");
            // Unknown or missing: it cannot be told that the principal is a person.
            if (typeof principalType !== "string" || !/^(user|group)$/i.test(principalType)) continue;
            const roleId = get(a.props, "roleDefinitionId");
            if (roleId === UNKNOWN || typeof roleId !== "string") continue;
            const guid = roleId.split("/").pop()!.toLowerCase();
            if (!privilegedGuids.has(guid)) continue;
            const role = roleByGuid(guid)!;
            for (const ws of workspaces) {
                const where = scopeRelation(a, ws);
                if (!where) continue;
                const principal = get(a.props, "principalId");
                report(
                    `${describe(a.type, a.name)}: gives the ${principalType.toLowerCase()} ${typeof principal === "string" ? principal : "(unknown)"} ${role.roleName} ${where === "at" ? "on" : "above"} ${describe(ws.type, ws.name)}${where === "above" ? ` (scope ${String(get(a.props, "scope"))})` : ""}; people get AzureML Data Scientist, not ${role.roleName}.`,
                    a.urn,
                );
                break;
            }
        }
    },
);

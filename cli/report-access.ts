import { columns } from "./columns";
import type { PlanResource } from "../policy/plan";
import { roleByGuid, workspaceManagedRoleAssignments } from "../components/catalog/roles";
import { show } from "./topology";

/**
 * The plan report's "Who can reach what" section: every role assignment of the stack as
 * identity → role → scope, with the reason stored on the assignment. Identities and scopes are named
 * by the resource they are (through the URNs in `propertyDependencies`, known even when ids are not),
 * people by their principal type and object id.
 */

const roleAssignmentType = "azure-native:authorization:RoleAssignment";

/** How an identity-bearing resource is named in the section. */
const identityKinds: Record<string, string> = {
    "azure-native:machinelearningservices:Workspace": "workspace identity",
    "azure-native:managedidentity:UserAssignedIdentity": "compute identity",
    "azure-native:machinelearningservices:Compute": "compute identity",
    "azure-native:compute:VirtualMachine": "VM identity",
};

export interface AccessRow {
    identity: string;
    role: string;
    scope: string;
    why: string;
}

/** One row per role assignment, sorted by identity, then role, then scope. */
export function accessRows(resources: readonly PlanResource[]): AccessRow[] {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const byId = new Map(resources.filter((r) => r.id).map((r) => [r.id!.toLowerCase(), r]));
    const named = (r: PlanResource) => `${r.name} (${r.type.replace(/^azure-native:/, "")})`;
    const referenced = (a: PlanResource, key: string): PlanResource | undefined => {
        const urns = a.propertyDependencies?.[key] ?? [];
        const found = urns.map((u) => byUrn.get(u)).filter((r): r is PlanResource => r !== undefined);
        if (found.length === 1) return found[0];
        const value = a.inputs[key];
        return typeof value === "string" ? byId.get(value.toLowerCase()) : undefined;
    };

    const rows = resources
        .filter((r) => r.type === roleAssignmentType)
        .map((a): AccessRow => {
            const type = show(a.inputs.principalType, "?");
            let identity: string;
            if (/^(user|group)$/i.test(type)) {
                identity = `${type} ${show(a.inputs.principalId, "?")}`;
            } else {
                const holder = referenced(a, "principalId");
                identity = holder
                    ? `${identityKinds[holder.type] ?? "identity"} of ${holder.name}`
                    : `${type} ${show(a.inputs.principalId, "?")}`;
            }
            const roleId = a.inputs.roleDefinitionId;
            const role =
                typeof roleId === "string"
                    ? (roleByGuid(roleId)?.roleName ?? roleId.split("/").pop()!)
                    : show(roleId, "?");
            const target = referenced(a, "scope");
            return {
                identity,
                role,
                scope: target ? named(target) : show(a.inputs.scope, "?"),
                why: show(a.inputs.description, ""),
            };
        });
    // Each row's key built once, and compared with the collator `localeCompare` uses (ECMA-402: a
    // `localeCompare` without arguments is `new Intl.Collator().compare`), not one per comparison.
    const keyed = rows.map((row) => ({ row, key: `${row.identity}\u0000${row.role}\u0000${row.scope}` }));
    const compare = new Intl.Collator().compare;
    return keyed.sort((a, b) => compare(a.key, b.key)).map((k) => k.row);
}

/** The section's lines (empty when the stack assigns no role). */
export function accessSection(resources: readonly PlanResource[]): string[] {
    const rows = accessRows(resources);
    if (rows.length === 0) return [];
    // storageAccount → storage account, applicationInsights → application insights.
    const words = (kind: string) => kind.replace(/([A-Z])/g, " $1").toLowerCase();
    const managed = [
        ...new Set(workspaceManagedRoleAssignments.map((m) => `${m.role.roleName} on its ${words(m.scope)}`)),
    ];
    return [
        "Who can reach what (role assignments: identity → role → scope)",
        ...columns([
            ["Identity", "Role", "Scope", "Why"],
            ...rows.map((r) => [r.identity, r.role, r.scope, r.why]),
        ]).map((l) => `  ${l}`),
        `  Not listed: what Azure ML assigns the workspace identity itself (${managed.join(", ")}).`,
    ];
}

import { BuiltInRole, builtInRoles } from "../../catalog";
import { Res, StackIndex } from "../../graph";
import { get } from "../../util";
import { scopeRelation } from "../access";
import { HopVerdict, fail, pass } from "./model";
import { journeyTokens } from "./paths";

/** Who holds which role where: the stack's role assignments, by principal. */

interface Grant {
    assignment: Res;
    guid: string;
    principalId: string | undefined;
    principalType: string | undefined;
}

function grantsOf(index: StackIndex): Grant[] {
    return index.memo("journeys:grants", () =>
        index.ofType(journeyTokens.roleAssignment).map((a) => {
            const roleId = get(a.props, "roleDefinitionId");
            const principalId = get(a.props, "principalId");
            const principalType = get(a.props, "principalType");
            return {
                assignment: a,
                guid: typeof roleId === "string" ? roleId.split("/").pop()!.toLowerCase() : "",
                principalId: typeof principalId === "string" ? principalId : undefined,
                principalType: typeof principalType === "string" ? principalType : undefined,
            };
        }),
    );
}

/** A role that must be held on a resource (at it or above it), any one of `roles`. */
export interface RoleNeed {
    roles: readonly BuiltInRole[];
    on: Res;
}

const label = (need: RoleNeed) => `${need.roles.map((r) => r.roleName).join(" or ")} on "${need.on.name}"`;

function holds(grants: Grant[], need: RoleNeed): boolean {
    const guids = new Set(need.roles.map((r) => r.guid));
    return grants.some((g) => guids.has(g.guid) && scopeRelation(g.assignment, need.on) !== undefined);
}

/** Whether one person (a user or group the stack grants roles to) holds every need. */
export function personHolds(index: StackIndex, needs: RoleNeed[]): HopVerdict {
    const people = new Map<string, Grant[]>();
    for (const g of grantsOf(index)) {
        if (!g.principalType || !/^(user|group)$/i.test(g.principalType)) continue;
        const key = `${g.principalType} ${g.principalId ?? "(unknown)"}`;
        const list = people.get(key);
        if (list) list.push(g);
        else people.set(key, [g]);
    }
    if (people.size === 0) return fail("no person (Entra ID user or group) is granted any role in this stack");
    let closest: { who: string; missing: RoleNeed[] } | undefined;
    for (const [who, grants] of people) {
        const missing = needs.filter((n) => !holds(grants, n));
        if (missing.length === 0) return pass(`${who} holds ${needs.map(label).join(", ")}`);
        if (!closest || missing.length < closest.missing.length) closest = { who, missing };
    }
    return fail(`${closest!.who} lacks ${closest!.missing.map(label).join(", ")}`);
}

/** Whether an identity (a user-assigned identity resource, or the resource's own system identity) holds a need. */
export function identityHolds(index: StackIndex, identity: Res, need: RoleNeed): boolean {
    const byIdentity = index.memo("journeys:grantsByIdentity", () => {
        const out = new Map<Res, Grant[]>();
        for (const g of grantsOf(index))
            for (const d of g.assignment.propertyDependencies?.["principalId"] ?? []) {
                const list = out.get(d);
                if (list) list.push(g);
                else out.set(d, [g]);
            }
        return out;
    });
    return holds(byIdentity.get(identity) ?? [], need);
}

export const roles = builtInRoles;

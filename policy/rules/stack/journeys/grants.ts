import { BuiltInRole } from "../../catalog";
import { Res, StackIndex, dependenciesAt } from "../../graph";
import { UNKNOWN, Unknown, get } from "../../util";
import { scopeRelation } from "../access";
import { HopVerdict, fail, pass, unknown } from "./model";
import { journeyTokens } from "./paths";

/** Who holds which role where: the stack's role assignments, by principal. */

interface Grant {
    assignment: Res;
    /** The role definition's GUID (lower case), or UNKNOWN when its id is not known yet. */
    guid: string | Unknown;
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
                guid: typeof roleId === "string" ? roleId.slice(roleId.lastIndexOf("/") + 1).toLowerCase() : UNKNOWN,
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

/** A principal's grants, and the same by the resource their scope names (the common case: at the resource). */
interface Holder {
    grants: Grant[];
    byScope: Map<Res, Grant[]>;
}

function holderOf(grants: Grant[]): Holder {
    const byScope = new Map<Res, Grant[]>();
    for (const g of grants)
        for (const scope of dependenciesAt(g.assignment, "scope")) {
            const list = byScope.get(scope);
            if (list) list.push(g);
            else byScope.set(scope, [g]);
        }
    return { grants, byScope };
}

/** Whether the holder has the need: true, false, or UNKNOWN when a grant whose role is not known yet might be it. */
function holds(holder: Holder, need: RoleNeed): boolean | Unknown {
    const guids = new Set<unknown>(need.roles.map((r) => r.guid));
    if ((holder.byScope.get(need.on) ?? []).some((g) => guids.has(g.guid))) return true;
    // Above the resource (its resource group, the subscription), or named by id only.
    let maybe = false;
    for (let i = 0; i < holder.grants.length; i++) {
        const g = holder.grants[i];
        if (g.guid !== UNKNOWN && !guids.has(g.guid)) continue;
        if (scopeRelation(g.assignment, need.on) === undefined) continue;
        if (g.guid !== UNKNOWN) return true;
        maybe = true;
    }
    return maybe ? UNKNOWN : false;
}

/** The people (users and groups) the stack grants roles to, by principal, built once per stack. */
function peopleOf(index: StackIndex): Map<string, Holder> {
    return index.memo("journeys:people", () => {
        const byWho = new Map<string, Grant[]>();
        for (const g of grantsOf(index)) {
            if (!g.principalType || !/^(user|group)$/i.test(g.principalType)) continue;
            const key = `${g.principalType} ${g.principalId ?? "(unknown)"}`;
            const list = byWho.get(key);
            if (list) list.push(g);
            else byWho.set(key, [g]);
        }
        return new Map([...byWho].map(([who, grants]) => [who, holderOf(grants)]));
    });
}

/** Whether one person (a user or group the stack grants roles to) holds every need. */
export function personHolds(index: StackIndex, needs: RoleNeed[]): HopVerdict {
    const people = peopleOf(index);
    if (people.size === 0) return fail("no person (Entra ID user or group) is granted any role in this stack");
    let closest: { who: string; missing: RoleNeed[] } | undefined;
    let uncertain: string | undefined;
    for (const [who, holder] of people) {
        const verdicts = needs.map((n) => holds(holder, n));
        const missing = needs.filter((_, i) => verdicts[i] === false);
        if (missing.length === 0) {
            if (!verdicts.includes(UNKNOWN)) return pass(`${who} holds ${needs.map(label).join(", ")}`);
            uncertain ??= who;
            continue;
        }
        if (!closest || missing.length < closest.missing.length) closest = { who, missing };
    }
    if (uncertain) return unknown(`the roles of ${uncertain}'s assignments are not known yet`);
    return fail(`${closest!.who} lacks ${closest!.missing.map(label).join(", ")}`);
}

/** Whether an identity (a user-assigned identity resource, or the resource's own system identity) holds a need. */
export function identityHolds(index: StackIndex, identity: Res, need: RoleNeed): boolean | Unknown {
    const byIdentity = index.memo("journeys:grantsByIdentity", () => {
        const out = new Map<Res, Grant[]>();
        for (const g of grantsOf(index))
            for (const d of dependenciesAt(g.assignment, "principalId")) {
                const list = out.get(d);
                if (list) list.push(g);
                else out.set(d, [g]);
            }
        return new Map([...out].map(([who, grants]) => [who, holderOf(grants)]));
    });
    const holder = byIdentity.get(identity);
    return holder === undefined ? false : holds(holder, need);
}

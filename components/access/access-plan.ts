import * as pulumi from "@pulumi/pulumi";
import { namingViolation } from "../catalog/naming";
import { guidPattern, principalKinds } from "../catalog/roles";
import { ComputeInstancePlan, ComputeInstanceSpec } from "./compute-instances";
import { WorkspacePrincipal } from "./people";
import { InvalidArgumentError, knownValue, validateCount, validateFlag } from "../validate";
import { computeInstanceSpecKeys, rejectUnknownArguments, workspacePrincipalKeys } from "../argument-keys";

/**
 * Validation of `SecureMlWorkspace`'s access arguments (people, compute instances, Azure Monitor private
 * link), apart from secure-workspace-plan.ts so that file keeps to the network and dependencies. It
 * registers nothing and throws `InvalidArgumentError` naming the argument, the value and the rule.
 */

/** Defaults of the access arguments. */
export const accessDefaults = {
    computeInstanceVmSize: "Standard_DS3_v2",
    idleShutdownMinutes: 60,
    monitorPrivateLink: true,
} as const;

/** The service's bounds of an instance's idle shutdown: 15 minutes to 3 days (IdleShutdownSetting). */
export const idleShutdownMinutesRange = { min: 15, max: 3 * 24 * 60 } as const;

/** The most entries of `dataScientists` and `computeInstances`: each person adds several assignments. */
export const maxPrincipals = 100;

export interface AccessArgs {
    dataScientists?: WorkspacePrincipal[];
    computeInstances?: ComputeInstanceSpec[];
    allowDataScientistsToCreateCompute?: boolean;
    monitorPrivateLink?: boolean;
}

export interface AccessPlan {
    dataScientists: WorkspacePrincipal[];
    computeInstances: ComputeInstancePlan[];
    /** AzureML Compute Operator for the people (self-service-compute.ts); the plan checks the isolation. */
    allowDataScientistsToCreateCompute: boolean;
    monitorPrivateLink: boolean;
}

const vmSizePattern = /^[A-Za-z]+_[A-Za-z0-9_-]+$/;

export function planWorkspaceAccess(component: string, args: AccessArgs): AccessPlan {
    const monitorPrivateLink = validateFlag(
        component,
        "monitorPrivateLink",
        args.monitorPrivateLink,
        accessDefaults.monitorPrivateLink,
    );

    const people = list(component, "dataScientists", args.dataScientists);
    const knownIds = new Map<string, number>();
    const dataScientists = people.map((entry, i) => {
        const argument = `dataScientists[${i}]`;
        if (entry === null || typeof entry !== "object") {
            throw new InvalidArgumentError(component, argument, entry, "must be { principalId, principalType }");
        }
        rejectUnknownArguments(component, `${argument}.`, entry, workspacePrincipalKeys);
        const person = entry as WorkspacePrincipal;
        const id = checkObjectId(component, `${argument}.principalId`, person.principalId);
        if (!(principalKinds as readonly unknown[]).includes(person.principalType)) {
            throw new InvalidArgumentError(
                component,
                `${argument}.principalType`,
                person.principalType,
                `must be one of ${principalKinds.join(", ")} (managed identities get their roles from the component)`,
            );
        }
        if (id !== undefined) {
            const key = id.toLowerCase();
            if (knownIds.has(key)) {
                throw new InvalidArgumentError(
                    component,
                    `${argument}.principalId`,
                    id,
                    `repeats dataScientists[${knownIds.get(key)}]; list each person or group once (a second identical role assignment fails with 409 RoleAssignmentExists)`,
                );
            }
            knownIds.set(key, i);
        }
        return { principalId: person.principalId, principalType: person.principalType };
    });

    const specs = list(component, "computeInstances", args.computeInstances);
    const names = new Set<string>();
    const computeInstances = specs.map((entry, i): ComputeInstancePlan => {
        const argument = `computeInstances[${i}]`;
        if (entry === null || typeof entry !== "object") {
            throw new InvalidArgumentError(
                component,
                argument,
                entry,
                "must be { name, assignedUserObjectId, vmSize?, idleShutdownMinutes? }",
            );
        }
        rejectUnknownArguments(component, `${argument}.`, entry, computeInstanceSpecKeys);
        const spec = entry as ComputeInstanceSpec;
        if (typeof spec.name !== "string") {
            throw new InvalidArgumentError(component, `${argument}.name`, spec.name, "must be a string");
        }
        const violation = namingViolation("computeInstance", spec.name);
        if (violation !== undefined)
            throw new InvalidArgumentError(component, `${argument}.name`, spec.name, violation);
        if (names.has(spec.name.toLowerCase())) {
            throw new InvalidArgumentError(component, `${argument}.name`, spec.name, "repeats another instance's name");
        }
        names.add(spec.name.toLowerCase());

        const userId = checkObjectId(component, `${argument}.assignedUserObjectId`, spec.assignedUserObjectId);
        if (userId !== undefined && !knownIds.has(userId.toLowerCase())) {
            throw new InvalidArgumentError(
                component,
                `${argument}.assignedUserObjectId`,
                userId,
                "must also be listed in dataScientists (as a User): the instance's owner needs AzureML Data Scientist and the storage data roles to use it",
            );
        }
        if (userId !== undefined && dataScientists[knownIds.get(userId.toLowerCase())!].principalType !== "User") {
            throw new InvalidArgumentError(
                component,
                `${argument}.assignedUserObjectId`,
                userId,
                "is listed in dataScientists as a Group; a compute instance belongs to one user",
            );
        }

        const vmSize = spec.vmSize ?? accessDefaults.computeInstanceVmSize;
        if (typeof vmSize !== "string" || !vmSizePattern.test(vmSize)) {
            throw new InvalidArgumentError(
                component,
                `${argument}.vmSize`,
                vmSize,
                "must be an Azure VM size such as Standard_DS3_v2 (GPU sizes such as Standard_NC6s_v3 are fine here)",
            );
        }
        const idleShutdownMinutes =
            spec.idleShutdownMinutes === undefined
                ? accessDefaults.idleShutdownMinutes
                : validateCount(
                      component,
                      `${argument}.idleShutdownMinutes`,
                      spec.idleShutdownMinutes,
                      idleShutdownMinutesRange.min,
                      idleShutdownMinutesRange.max,
                  );
        return { name: spec.name, assignedUserObjectId: spec.assignedUserObjectId, vmSize, idleShutdownMinutes };
    });

    const allowDataScientistsToCreateCompute = validateFlag(
        component,
        "allowDataScientistsToCreateCompute",
        args.allowDataScientistsToCreateCompute,
        false,
    );
    if (allowDataScientistsToCreateCompute && dataScientists.length === 0) {
        throw new InvalidArgumentError(
            component,
            "allowDataScientistsToCreateCompute",
            true,
            "grants nobody: list the people in dataScientists",
        );
    }

    return { dataScientists, computeInstances, allowDataScientistsToCreateCompute, monitorPrivateLink };
}

function list(component: string, argument: string, value: unknown): unknown[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) throw new InvalidArgumentError(component, argument, value, "must be a list");
    if (value.length > maxPrincipals) {
        throw new InvalidArgumentError(
            component,
            argument,
            `${value.length} entries`,
            `may hold at most ${maxPrincipals} entries; grant larger teams through an Entra ID group`,
        );
    }
    return value;
}

/** An Entra ID object id: a GUID when known at construction. Returns the known value. */
function checkObjectId(
    component: string,
    argument: string,
    value: pulumi.Input<string> | undefined,
): string | undefined {
    if (value === undefined) {
        throw new InvalidArgumentError(
            component,
            argument,
            value,
            "is required: the Microsoft Entra ID object id (a GUID)",
        );
    }
    const known = knownValue(value);
    if (known === undefined) return undefined;
    if (typeof known !== "string" || !guidPattern.test(known)) {
        throw new InvalidArgumentError(
            component,
            argument,
            known,
            "must be a Microsoft Entra ID object id, a GUID such as 00000000-0000-0000-0000-000000000000 (the user's or group's Object ID, not a name or an e-mail address)",
        );
    }
    return known;
}

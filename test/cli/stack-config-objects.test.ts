import * as assert from "assert";
import { checkConfigValue, workspaceConfigKeys } from "../../stacks/config";

/** The list-of-objects config keys (dataScientists, computeInstances): shape checked before rendering. */

const alice = "11111111-2222-4333-8444-555555555555";

describe("cli: stack config lists of objects", () => {
    const people = workspaceConfigKeys.dataScientists;
    const instances = workspaceConfigKeys.computeInstances;

    it("accepts the shapes the shipped stacks use, as YAML lists or as `pulumi config set --path` JSON", () => {
        assert.strictEqual(checkConfigValue(people, [{ principalId: alice, principalType: "User" }]), undefined);
        assert.strictEqual(
            checkConfigValue(people, JSON.stringify([{ principalId: alice, principalType: "Group" }])),
            undefined,
        );
        assert.strictEqual(
            checkConfigValue(instances, [{ name: "ci-a", assignedUserObjectId: alice, idleShutdownMinutes: 30 }]),
            undefined,
        );
        assert.strictEqual(checkConfigValue(instances, []), undefined);
    });

    it("names what is wrong: not a list, an unknown field, a missing field, a wrong type", () => {
        assert.match(
            checkConfigValue(people, { principalId: alice })!,
            /^must be a list of \{ principalId: string, principalType: string \}$/,
        );
        assert.match(
            checkConfigValue(people, [{ principalId: alice, principalType: "User", role: "Owner" }])!,
            /\[0\] has the unknown field "role"/,
        );
        assert.match(checkConfigValue(people, [{ principalType: "User" }])!, /\[0\] lacks "principalId"/);
        assert.match(
            checkConfigValue(instances, [{ name: "ci-a", assignedUserObjectId: alice, idleShutdownMinutes: "60" }])!,
            /\[0\]\.idleShutdownMinutes must be an integer/,
        );
        assert.match(checkConfigValue(instances, ["ci-a"])!, /\[0\] must be an object/);
    });
});

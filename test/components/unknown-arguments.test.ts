import * as assert from "assert";
import fc from "fast-check";
import { render } from "../../cli/recording-engine";
import {
    computeInstanceSpecKeys,
    mlNetworkArgumentKeys,
    secureMlWorkspaceArgumentKeys,
    workspacePrincipalKeys,
} from "../../components/argument-keys";
import { MlNetwork } from "../../components/network/network";
import { planMlNetwork } from "../../components/network/network-plan";
import { InvalidArgumentError } from "../../components/validate";
import { SecureMlWorkspace } from "../../components/workspace/secure-workspace";
import { planSecureMlWorkspace } from "../../components/workspace/secure-workspace-plan";

/**
 * Issue 19: a typo never weakens security. Other languages and transpile-only programs have no
 * compiler to catch `egres: "firewall"`, which silently kept the default NAT egress; the components
 * reject unknown keys at construction, naming the closest known one.
 */
const renderOptions = { project: "proj", stack: "unknown-arguments" };
const base = { resourceGroupName: "rg", location: "westeurope" };
const person = { principalId: "11111111-1111-1111-1111-111111111111", principalType: "User" as const };

function rejects(make: () => unknown, argument: string, value: unknown, suggestion: string | undefined): void {
    assert.throws(make, (err: unknown) => {
        assert.ok(err instanceof InvalidArgumentError, `not an InvalidArgumentError: ${String(err)}`);
        assert.strictEqual(err.argument, argument);
        assert.deepStrictEqual(err.value, value);
        if (suggestion === undefined) assert.doesNotMatch(err.rule, /did you mean/);
        else assert.match(err.rule, new RegExp(`did you mean ${suggestion.replace(/[[\].]/g, "\\$&")}\\?`));
        return true;
    });
}

describe("components: unknown argument keys are errors, with the closest known name", () => {
    it('SecureMlWorkspace { egres: "firewall" }: "egres" is not an argument; did you mean egress?', () => {
        rejects(
            () => planSecureMlWorkspace("ml", { ...base, egres: "firewall" } as never),
            "egres",
            "firewall",
            "egress",
        );
        assert.throws(
            () => planSecureMlWorkspace("ml", { ...base, egres: "firewall" } as never),
            /^InvalidArgumentError: SecureMlWorkspace: egres = "firewall": is not an argument of SecureMlWorkspace; did you mean egress\?/,
        );
    });

    it("MlNetwork { adressSpace } names addressSpace, and nothing is registered", async () => {
        rejects(
            () => planMlNetwork({ ...base, adressSpace: "10.1.0.0/16" } as never),
            "adressSpace",
            "10.1.0.0/16",
            "addressSpace",
        );
        const recorded = await render(() => {
            try {
                new MlNetwork("net", { ...base, adressSpace: "10.1.0.0/16" } as never);
            } catch {
                /* the error is asserted above; here: no resource half-made */
            }
        }, renderOptions);
        assert.deepStrictEqual(
            recorded.resources.map((r) => r.type),
            ["pulumi:pulumi:Stack"],
        );
    });

    it("a key far from every known name gets no suggestion, but the list of known names", () => {
        assert.throws(
            () => planSecureMlWorkspace("ml", { ...base, zzzzzzzzzz: 1 } as never),
            (err: unknown) =>
                err instanceof InvalidArgumentError &&
                err.argument === "zzzzzzzzzz" &&
                !/did you mean/.test(err.rule) &&
                err.rule.includes("known: resourceGroupName, location,"),
        );
    });

    it("inside lists: dataScientists[0].principalTyp and computeInstances[0].vmsize", () => {
        rejects(
            () =>
                planSecureMlWorkspace("ml", {
                    ...base,
                    dataScientists: [{ principalId: person.principalId, principalTyp: "User" }],
                } as never),
            "dataScientists[0].principalTyp",
            "User",
            "dataScientists[0].principalType",
        );
        rejects(
            () =>
                planSecureMlWorkspace("ml", {
                    ...base,
                    dataScientists: [person],
                    computeInstances: [
                        { name: "ci-ada", assignedUserObjectId: person.principalId, vmsize: "Standard_DS3_v2" },
                    ],
                } as never),
            "computeInstances[0].vmsize",
            "Standard_DS3_v2",
            "computeInstances[0].vmSize",
        );
    });

    it("SecureMlWorkspace's constructor throws before registering anything", async () => {
        let thrown: unknown;
        const recorded = await render(() => {
            try {
                new SecureMlWorkspace("ml", { ...base, egres: "firewall" } as never);
            } catch (err) {
                thrown = err;
            }
        }, renderOptions);
        assert.ok(thrown instanceof InvalidArgumentError);
        assert.deepStrictEqual(
            recorded.resources.map((r) => r.type),
            ["pulumi:pulumi:Stack"],
        );
    });

    it("every known key is accepted as a key (property: any subset of the catalogue never trips the check)", () => {
        for (const [known, plan] of [
            [mlNetworkArgumentKeys, (a: object) => planMlNetwork(a as never)],
            [secureMlWorkspaceArgumentKeys, (a: object) => planSecureMlWorkspace("ml", a as never)],
        ] as const) {
            fc.assert(
                fc.property(fc.subarray(Object.keys(known)), (keys) => {
                    const args: Record<string, unknown> = { ...base };
                    for (const key of keys) if (!(key in base)) args[key] = undefined;
                    try {
                        plan(args);
                    } catch (err) {
                        if (err instanceof InvalidArgumentError && /is not an argument/.test(err.rule)) throw err;
                    }
                }),
                { numRuns: 50 },
            );
        }
        assert.deepStrictEqual(Object.keys(workspacePrincipalKeys), ["principalId", "principalType"]);
        assert.deepStrictEqual(Object.keys(computeInstanceSpecKeys), [
            "name",
            "assignedUserObjectId",
            "vmSize",
            "idleShutdownMinutes",
        ]);
    });
});

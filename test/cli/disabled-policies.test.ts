import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { allPolicies } from "../../policy/rules";
import { fixture, run, scratchDir } from "./helpers";

/**
 * Issue 14: a policy config that turns policies off must say so, in the report, on stderr (even with
 * --quiet) and in the plan JSON's optional `disabledPolicies`; a wholly disabled pack is one line.
 */
describe("cli: a policy config that disables policies says so", () => {
    const insecure = fixture("insecure-stack-export.json");
    const names: string[] = allPolicies.map((p) => p.name);
    const total = names.length;

    async function audit(config: unknown, ...extra: string[]) {
        const dir = scratchDir();
        const configFile = path.join(dir, "config.json");
        fs.writeFileSync(configFile, JSON.stringify(config));
        const json = path.join(dir, "plan.json");
        const result = await run(["audit", insecure, "--policy-config", configFile, "--json", json, ...extra]);
        return { ...result, plan: JSON.parse(fs.readFileSync(json, "utf8")) };
    }

    it('{"all": "disabled"}: exit 0, but one line in the report and on stderr, and every name in the JSON', async () => {
        const line = `Policy pack disabled by config: all ${total} policies (nothing was checked).`;
        const r = await audit({ all: "disabled" });
        assert.strictEqual(r.code, 0);
        assert.strictEqual(r.stderr, `warning: ${line}\n`);
        const lines = r.stdout.split("\n");
        const at = lines.indexOf(line);
        assert.ok(at > 0, "the report says it");
        assert.strictEqual(lines[at + 2], "Policy violations: none");
        assert.deepStrictEqual(r.plan.disabledPolicies, names);
        assert.deepStrictEqual(r.plan.violations, []);
        assert.ok(total >= 40, `the pack has ${total} policies`);
    });

    it("says it with --quiet too (stderr), where the report is only the summary line", async () => {
        const r = await audit({ all: "disabled" }, "-q");
        assert.match(r.stdout, /^PASS: \d+ resources, 0 mandatory, 0 advisory violation\(s\)\.\n$/);
        assert.strictEqual(
            r.stderr,
            `warning: Policy pack disabled by config: all ${total} policies (nothing was checked).\n`,
        );
    });

    it("a few policies disabled (a level or an object): named, in pack order", async () => {
        const r = await audit({
            "storage-https-only": { enforcementLevel: "disabled" },
            "acr-admin-disabled": "disabled",
        });
        const expected: string[] = names.filter((n) => n === "storage-https-only" || n === "acr-admin-disabled");
        const line = `2 of ${total} policies disabled by config: ${expected.join(", ")}.`;
        assert.strictEqual(r.stderr, `warning: ${line}\n`);
        assert.ok(r.stdout.split("\n").includes(line));
        assert.deepStrictEqual(r.plan.disabledPolicies, expected);
        assert.ok(!r.plan.violations.some((v: { policy: string }) => expected.includes(v.policy)));
        assert.strictEqual(r.code, 1, "the other mandatory policies still fail the insecure stack");
    });

    it("most policies disabled: the few that ran are named instead", async () => {
        const r = await audit({ all: "disabled", "storage-default-deny": "mandatory" });
        assert.strictEqual(
            r.stderr,
            `warning: ${total - 1} of ${total} policies disabled by config; only these ran: storage-default-deny.\n`,
        );
        assert.strictEqual(r.plan.disabledPolicies.length, total - 1);
        assert.ok(r.plan.violations.length > 0);
        assert.ok(r.plan.violations.every((v: { policy: string }) => v.policy === "storage-default-deny"));
        assert.strictEqual(r.code, 1);
    });

    it("no policy disabled: no line, no warning, and the plan JSON has no disabledPolicies field", async () => {
        const r = await audit({ all: "advisory" });
        assert.strictEqual(r.stderr, "");
        assert.ok(!/disabled by config/.test(r.stdout));
        assert.ok(!("disabledPolicies" in r.plan));
        assert.deepStrictEqual(Object.keys(r.plan), [
            "schemaVersion",
            "project",
            "stack",
            "resources",
            "violations",
            "summary",
        ]);
    });
});

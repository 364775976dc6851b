import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { unknownValue } from "../../policy/plan";
import { fixture, run, scratchDir } from "./helpers";

describe("cli: audit", () => {
    const scratch = scratchDir();

    it("fails a hand-made insecure stack export (exit 1) and names each broken rule", async () => {
        const json = path.join(scratch, "insecure.json");
        const result = await run(["audit", fixture("insecure-stack-export.json"), "--json", json]);
        assert.strictEqual(result.code, 1, result.stderr);
        const plan = JSON.parse(fs.readFileSync(json, "utf8"));
        const mandatory = new Set(
            plan.violations
                .filter((v: { enforcementLevel: string }) => v.enforcementLevel === "mandatory")
                .map((v: { policy: string }) => v.policy),
        );
        const broken = {
            "vnet-no-docker-bridge-range": "vnet", // 172.17.0.0/16
            "nsg-no-internet-management-ports": "compute-nsg", // SSH open to any source
            "storage-default-deny": "data", // networkRuleSet.defaultAction Allow
            "storage-no-blob-public-access": "data", // allowBlobPublicAccess true
            "acr-premium-sku": "registry", // Standard
        };
        for (const [policy, resource] of Object.entries(broken)) {
            assert.ok(mandatory.has(policy), `${policy} not reported; got ${[...mandatory].join(", ")}`);
            assert.match(
                result.stdout,
                new RegExp(`✖ ${policy} \\[\\w+\\] ${resource} \\(`),
                `${policy} on ${resource} in the report`,
            );
        }
        assert.match(result.stdout, /^Mandatory violations \(\d+\)$/m);
        assert.match(result.stdout, /^FAIL: 7 resources, \d+ mandatory, \d+ advisory violation\(s\)\.$/m);
        assert.strictEqual(plan.project, "insecure-ml");
        assert.strictEqual(plan.stack, "legacy");
    });

    it("gives the same verdict on a plan JSON, a stack export and a preview of the same resources", async () => {
        const results = await Promise.all(
            ["small-plan.json", "small-stack-export.json", "small-preview.json"].map(async (name) => {
                const json = path.join(scratch, `${name}.out.json`);
                const r = await run(["audit", fixture(name), "--json", json]);
                return { code: r.code, violations: JSON.parse(fs.readFileSync(json, "utf8")).violations };
            }),
        );
        assert.ok(
            results[0].violations.length > 0,
            "the small fixture breaks some stack rules (no vault, no registry)",
        );
        assert.deepStrictEqual(results[1], results[0]);
        assert.deepStrictEqual(results[2], results[0]);
    });

    it("raises no mandatory violation from the unknown values of a first `pulumi preview --json` of dev", async () => {
        const doc = JSON.parse(fs.readFileSync(fixture("dev-preview-unknown-ids.json"), "utf8"));
        assert.ok(JSON.stringify(doc).split(unknownValue).length > 100, "the fixture is full of unknowns");
        const json = path.join(scratch, "preview.json");
        const result = await run(["audit", fixture("dev-preview-unknown-ids.json"), "--json", json]);
        const plan = JSON.parse(fs.readFileSync(json, "utf8"));
        const mandatory = plan.violations.filter(
            (v: { enforcementLevel: string }) => v.enforcementLevel === "mandatory",
        );
        assert.deepStrictEqual(mandatory, []);
        assert.strictEqual(result.code, 0, result.stdout);
        assert.ok(plan.resources.every((r: { custom: boolean; id: string | null }) => r.id === null));
    });

    it("applies --policy-config (here: every policy advisory) and then exits 0", async () => {
        const config = path.join(scratch, "all-advisory.json");
        fs.writeFileSync(config, JSON.stringify({ all: "advisory" }));
        const result = await run([
            "audit",
            fixture("insecure-stack-export.json"),
            "--policy-config",
            config,
            "--quiet",
        ]);
        assert.strictEqual(result.code, 0, result.stdout + result.stderr);
        assert.match(result.stdout, /^PASS: 7 resources, 0 mandatory, [1-9]\d* advisory violation\(s\)\.\n$/);
    });

    it("--quiet prints exactly the full report's last line (it is built without the rest of the report)", async () => {
        const full = await run(["audit", fixture("insecure-stack-export.json")]);
        const quiet = await run(["audit", fixture("insecure-stack-export.json"), "--quiet"]);
        assert.strictEqual(quiet.code, 1);
        assert.strictEqual(quiet.code, full.code);
        assert.match(quiet.stdout, /^FAIL: 7 resources, [1-9]\d* mandatory, \d+ advisory violation\(s\)\.\n$/);
        assert.strictEqual(quiet.stdout, full.stdout.trimEnd().split("\n").pop() + "\n");
    });
});

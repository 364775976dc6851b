import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import type { PlanJson } from "../../policy/plan";
import { fixture, npmScriptEnv, run, scratchDir, withEnv } from "./helpers";

/**
 * `secure-azureml plan --stack <s>` run in a user's Pulumi project renders that project's program
 * (test/fixtures/consumer: Pulumi.yaml `main: index.ts`, Pulumi.dev.yaml), not this package's
 * example, and checks it; the example stays available with --example.
 */
describe("cli: plan of a user's own project", () => {
    const scratch = scratchDir();
    const inDirectory = (dir: string, argv: string[]) => withEnv(npmScriptEnv(dir), () => run(argv));

    it("renders the project's program with its stack config and fails its open storage account", async () => {
        const json = path.join(scratch, "consumer.json");
        const result = await inDirectory(fixture("consumer"), ["plan", "--stack", "dev", "--json", json]);
        assert.strictEqual(result.code, 1, result.stderr);
        const plan = JSON.parse(fs.readFileSync(json, "utf8")) as PlanJson;
        assert.deepStrictEqual([plan.project, plan.stack], ["contoso-data", "dev"]);
        assert.deepStrictEqual(
            plan.resources.map((r) => r.type),
            ["pulumi:pulumi:Stack", "azure-native:resources:ResourceGroup", "azure-native:storage:StorageAccount"],
        );
        const account = plan.resources[2];
        // (The mock monitor's URNs name the stack type among the parents; the engine's leave it out.)
        assert.match(
            account.urn,
            /^urn:pulumi:dev::contoso-data::(pulumi:pulumi:Stack\$)?azure-native:storage:StorageAccount::data$/,
        );
        assert.strictEqual(account.inputs.accountName, "contosodevdata", "its own config key");
        assert.deepStrictEqual(account.inputs.tags, { owner: "[secret]" }, "a secure: value, unreadable offline");
        const mandatory = plan.violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.policy);
        assert.ok(
            mandatory.includes("storage-default-deny") && mandatory.includes("storage-no-blob-public-access"),
            mandatory.join(),
        );
        assert.match(result.stdout, /^Plan of contoso-data\/dev /m);
    });

    it("type-checks a TypeScript program as Pulumi's host does: a typo'd argument is exit 2 naming the file, line and key", async () => {
        const json = path.join(scratch, "typo.json");
        const result = await inDirectory(fixture("consumer-typo"), ["plan", "--stack", "dev", "--json", json]);
        assert.strictEqual(result.code, 2, result.stdout + result.stderr);
        assert.match(
            result.stderr,
            /index\.ts: the program does not type-check \(Pulumi's Node\.js host would refuse to run it\): 1 error: .*index\.ts:8:5: TS2561: Object literal may only specify known properties, but 'egres' does not exist in type 'SecureMlWorkspaceArgs'\. Did you mean to write 'egress'\?/,
        );
        assert.ok(!fs.existsSync(json), "no plan written for a program that does not compile");
    });

    it("plans this package's example stacks with --example, wherever it runs", async () => {
        const result = await inDirectory(fixture("consumer"), ["plan", "--stack", "dev", "--example", "--quiet"]);
        assert.strictEqual(result.code, 0, result.stderr);
        assert.match(result.stdout, /^PASS: \d+ resources, 0 mandatory/m);
    });

    it("says where it looked when there is no Pulumi project (exit 2)", async () => {
        const result = await inDirectory(scratch, ["plan", "--stack", "dev"]);
        assert.strictEqual(result.code, 2);
        assert.match(
            result.stderr,
            /^error: no Pulumi\.yaml found at or above .*: run plan in a Pulumi project, or pass --example/,
        );
    });
});

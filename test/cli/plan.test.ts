import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { mockSubscriptionId } from "../../cli/azure-mocks";
import { normalise } from "../../cli/formats";
import { projectWithStack, repoRoot, run, scratchDir } from "./helpers";

describe("cli: plan", () => {
    const scratch = scratchDir();

    for (const stack of ["dev", "staging", "prod"]) {
        it(`plans ${stack} with zero mandatory violations (exit 0)`, async () => {
            const json = path.join(scratch, `${stack}.json`);
            const result = await run(["plan", "--stack", stack, "--json", json]);
            const plan = JSON.parse(fs.readFileSync(json, "utf8"));
            const mandatory = plan.violations.filter(
                (v: { enforcementLevel: string }) => v.enforcementLevel === "mandatory",
            );
            assert.deepStrictEqual(mandatory, [], result.stdout);
            assert.strictEqual(result.code, 0);
            assert.strictEqual(result.stderr, "");
            assert.match(result.stdout, /^PASS: \d+ resources, 0 mandatory, \d+ advisory violation\(s\)\.$/m);
            // Issue 19: the report says which of its values are the mock engine's, on its second line.
            const [title, note] = result.stdout.split("\n");
            assert.strictEqual(title, `Plan of secure-azureml/${stack} (offline render, mock engine)`);
            assert.strictEqual(
                note,
                `Resource ids, the subscription (${mockSubscriptionId}) and random name suffixes below are the mock engine's stand-ins; Azure and \`pulumi up\` give others.`,
            );
            assert.ok(
                result.stdout.includes(`/subscriptions/${mockSubscriptionId}/`) || stack === "dev",
                "the note names the id the report shows",
            );
        });
    }

    it("writes the plan JSON in the documented shape", async () => {
        const json = path.join(scratch, "shape.json");
        await run(["plan", "--stack", "dev", "--json", json, "--quiet"]);
        const plan = JSON.parse(fs.readFileSync(json, "utf8"));
        assert.deepStrictEqual(Object.keys(plan), [
            "schemaVersion",
            "project",
            "stack",
            "resources",
            "violations",
            "summary",
            "journeys",
        ]);
        assert.deepStrictEqual([plan.schemaVersion, plan.project, plan.stack], [1, "secure-azureml", "dev"]);
        // Additive (schemaVersion stays 1): each journey walked, with its hops.
        for (const j of plan.journeys)
            assert.deepStrictEqual(Object.keys(j).slice(0, 5), ["journey", "subject", "urn", "status", "hops"]);
        assert.deepStrictEqual(
            plan.journeys.map((j: { journey: string; status: string }) => `${j.journey} ${j.status}`),
            [
                "studio-access pass",
                "datastore-read-write pass",
                "datastore-read-write pass",
                "image-build pass",
                "compute-instance-start pass",
                "online-endpoint n/a",
            ],
        );
        for (const r of plan.resources) {
            assert.deepStrictEqual(Object.keys(r).slice(0, 9), [
                "urn",
                "type",
                "name",
                "id",
                "custom",
                "parent",
                "dependencies",
                "propertyDependencies",
                "inputs",
            ]);
            assert.ok(r.custom ? /^\/subscriptions\/|^[0-9a-f]+$/.test(r.id) : r.id === null, `${r.urn}: ${r.id}`);
        }
        for (const v of plan.violations) {
            assert.deepStrictEqual(Object.keys(v).sort(), ["enforcementLevel", "message", "policy", "severity", "urn"]);
        }
        assert.deepStrictEqual(plan.summary, {
            resources: plan.resources.length,
            mandatory: plan.violations.filter((v: { enforcementLevel: string }) => v.enforcementLevel === "mandatory")
                .length,
            advisory: plan.violations.filter((v: { enforcementLevel: string }) => v.enforcementLevel === "advisory")
                .length,
        });
        // audit reads its own plan JSON back to the same resources
        assert.deepStrictEqual(normalise(plan, json).resources, plan.resources);
    });

    it("applies the prod config: protected data, HBI, ZRS, Bastion, egress through Azure Firewall", async () => {
        const json = path.join(scratch, "prod-config.json");
        await run(["plan", "--stack", "prod", "--json", json, "--quiet"]);
        const { resources } = JSON.parse(fs.readFileSync(json, "utf8"));
        const one = (type: string) => resources.find((r: { type: string }) => r.type === type);
        assert.strictEqual(one("azure-native:storage:StorageAccount").protect, true);
        assert.strictEqual(one("azure-native:storage:StorageAccount").inputs.sku.name, "Standard_ZRS");
        assert.strictEqual(one("azure-native:machinelearningservices:Workspace").inputs.hbiWorkspace, true);
        assert.ok(one("azure-native:network:BastionHost"));
        assert.deepStrictEqual(one("azure-native:network:AzureFirewall").inputs.sku, {
            name: "AZFW_VNet",
            tier: "Standard",
        });
        const route = one("azure-native:network:Route");
        assert.strictEqual(route.inputs.addressPrefix, "0.0.0.0/0");
        assert.strictEqual(route.inputs.nextHopType, "VirtualAppliance");
        const subnets = one("azure-native:network:VirtualNetwork").inputs.subnets as {
            name: string;
            addressPrefix: string;
            routeTable?: { id: string };
        }[];
        const table = one("azure-native:network:RouteTable");
        for (const name of ["training", "scoring"]) {
            assert.strictEqual(subnets.find((s) => s.name === name)?.routeTable?.id, table.id, name);
        }
        assert.strictEqual(subnets.find((s) => s.name === "AzureFirewallSubnet")?.addressPrefix, "10.130.6.128/26");
    });

    it("writes a Mermaid diagram of the dev network", async () => {
        const file = path.join(scratch, "dev.mmd");
        assert.strictEqual((await run(["plan", "--stack", "dev", "--diagram", file, "--quiet"])).code, 0);
        const diagram = fs.readFileSync(file, "utf8");
        assert.match(diagram, /^flowchart LR\n/);
        for (const text of [
            "VNet ml-vnet 10.110.0.0/22",
            "Subnet training",
            "Subnet private-endpoints",
            "NSG ml-training-nsg",
            "NAT gateway ml-nat",
            "Storage account",
            "Key vault",
            "Container registry",
            "ML workspace",
            "Compute ml-image-build",
        ]) {
            assert.ok(diagram.includes(text), `diagram lacks "${text}"`);
        }
        assert.strictEqual(
            (diagram.match(/ -->\|/g) ?? []).length,
            8,
            "one edge per private endpoint (Azure Monitor's included)",
        );
        // dev's way in (issue 18): Bastion and the jump box's subnet.
        assert.ok(diagram.includes("Bastion ml-bastion"), "dev's way in is Bastion");
        assert.ok(diagram.includes("Subnet jump-box 10.110.3.64/28"), "and the jump box");
    });

    it("end to end: `node bin/secure-azureml.js plan --stack dev` in a real process", function () {
        this.timeout(120000);
        const json = path.join(scratch, "e2e.json");
        const child = spawnSync(
            process.execPath,
            [path.join(repoRoot, "bin", "secure-azureml.js"), "plan", "--stack", "dev", "--json", json],
            { cwd: scratch, encoding: "utf8" },
        );
        assert.strictEqual(child.status, 0, child.stderr);
        assert.match(child.stdout, /^PASS: \d+ resources, 0 mandatory/m);
        assert.strictEqual(JSON.parse(fs.readFileSync(json, "utf8")).stack, "dev");
        const bad = spawnSync(
            process.execPath,
            [path.join(repoRoot, "bin", "secure-azureml.js"), "plan", "--stack", "nope"],
            { encoding: "utf8" },
        );
        assert.strictEqual(bad.status, 2);
        assert.match(bad.stderr, /^error: unknown stack "nope": .*known stacks: dev, managed, prod, staging\n$/);
        // a program failure: one line, exit 2, even though the SDK rejects several promises with it
        const root = projectWithStack(
            "docker",
            "config:\n  azure-native:location: westeurope\n  secure-azureml:addressSpace: 172.17.0.0/16\n",
        );
        const failing = spawnSync(
            process.execPath,
            [
                "-e",
                `require(${JSON.stringify(path.join(repoRoot, "bin", "transpile-cache.js"))}).register();
            require(${JSON.stringify(path.join(repoRoot, "cli", "main.ts"))}).main(["plan", "--stack", "docker"],
              { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s), root: ${JSON.stringify(root)} })
              .then((c) => { process.exitCode = c; });`,
            ],
            { encoding: "utf8" },
        );
        assert.strictEqual(failing.status, 2, failing.stderr);
        assert.match(
            failing.stderr,
            /^error: stack "docker": the program failed: SecureMlWorkspace: addressSpace = "172\.17\.0\.0\/16"[^\n]*\n$/,
        );
    });

    it("end to end: `npm run audit` of the insecure export exits 1", function () {
        this.timeout(120000);
        const child = spawnSync(
            "npm",
            ["run", "--silent", "audit", "--", path.join("test", "fixtures", "insecure-stack-export.json"), "--quiet"],
            { cwd: repoRoot, encoding: "utf8" },
        );
        assert.strictEqual(child.status, 1, child.stderr);
        assert.match(child.stdout, /^FAIL: 7 resources, [1-9]\d* mandatory/m);
    });
});

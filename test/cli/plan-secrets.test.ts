import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { render } from "../../cli/recording-engine";
import type { PlanJson } from "../../policy/plan";
import { maskedSecret } from "../../policy/plan";
import { projectWithStack, run, scratchDir } from "./helpers";

/**
 * `plan` with `secure:` stack config. The engine decrypts a secret and the program reads it with
 * `config.getSecret`, so it reaches the component as a secret Output; CrossGuard's analyzer then hands
 * the policies the plain value (@pulumi/policy deserialize.js). Offline the ciphertext cannot be
 * opened: the value is "[secret]", which the pack reads as unknown, and no secret envelope reaches a rule.
 */
describe("cli: plan with secret stack config", () => {
    const scratch = scratchDir();
    const location = "config:\n  azure-native:location: westeurope\n";
    const secure = (key: string) => `  secure-azureml:${key}:\n    secure: v1:c2FsdA==:Y2lwaGVydGV4dA==\n`;
    const plan = async (name: string, config: string) => {
        const json = path.join(scratch, `${name}.json`);
        const result = await run(["plan", "--stack", name, "--json", json, "--quiet"], projectWithStack(name, config));
        return {
            ...result,
            plan: result.code === 2 ? undefined : (JSON.parse(fs.readFileSync(json, "utf8")) as PlanJson),
        };
    };
    const envelopes = (p: PlanJson) =>
        p.resources
            .filter((r) => JSON.stringify(r.inputs).includes("4dabf18193072939515e22adb298388d"))
            .map((r) => r.name);
    const mandatory = (p: PlanJson) =>
        p.violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.policy);

    it('a secret workspaceName reaches the rules as "[secret]", never as an envelope, and passes like a plain one', async () => {
        const plain = await plan("plainname", `${location}  secure-azureml:workspaceName: mlw-team-a\n`);
        const secret = await plan("secretname", location + secure("workspaceName"));
        assert.strictEqual(secret.code, plain.code, secret.stderr);
        assert.deepStrictEqual(envelopes(secret.plan!), []);
        assert.deepStrictEqual(mandatory(secret.plan!), mandatory(plain.plan!));
        const workspace = secret.plan!.resources.find(
            (r) => r.type === "azure-native:machinelearningservices:Workspace",
        )!;
        assert.strictEqual(workspace.inputs.workspaceName, maskedSecret);
    });

    it("secret ids of an existing network give no mandatory violation the plain ids would not", async () => {
        const ids = {
            existingVnetId:
                "/subscriptions/00000000-0000-4000-a000-000000000001/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/hub",
            existingTrainingSubnetId:
                "/subscriptions/00000000-0000-4000-a000-000000000001/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/hub/subnets/training",
            existingPrivateEndpointSubnetId:
                "/subscriptions/00000000-0000-4000-a000-000000000001/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/hub/subnets/pe",
        };
        const plainConfig =
            location +
            Object.entries(ids)
                .map(([k, v]) => `  secure-azureml:${k}: ${v}\n`)
                .join("");
        const secretConfig = location + Object.keys(ids).map(secure).join("");
        const plain = await plan("plainnet", plainConfig);
        const secret = await plan("secretnet", secretConfig);
        assert.notStrictEqual(secret.code, 2, secret.stderr);
        assert.deepStrictEqual(envelopes(secret.plan!), []);
        for (const policy of mandatory(secret.plan!)) {
            assert.ok(mandatory(plain.plan!).includes(policy), `${policy} only with secret ids`);
        }
        const pe = secret.plan!.resources.find((r) => r.type === "azure-native:network:PrivateEndpoint")!;
        assert.strictEqual((pe.inputs.subnet as { id: string }).id, maskedSecret);
    });

    it("refuses a secret namePrefix offline with a clear line: names are derived from it at construction", async () => {
        const result = await plan("secretprefix", location + secure("namePrefix"));
        assert.strictEqual(result.code, 2);
        assert.match(
            result.stderr,
            /^error: .*Pulumi\.secretprefix\.yaml: config key "secure-azureml:namePrefix" is encrypted \(secure:\), but the program derives resource names from it at construction and an offline plan cannot decrypt it; store it in plain text/,
        );
    });

    it("with the engine's plaintext (pulumi up), a secret namePrefix names the resources", async () => {
        const { program } = await import("../../stacks/program");
        const { resources } = await render(() => program(), {
            project: "secure-azureml",
            stack: "s",
            config: { "azure-native:location": "westeurope", "secure-azureml:namePrefix": "teamx" },
            secretKeys: ["secure-azureml:namePrefix"],
        });
        const account = resources.find((r) => r.type === "azure-native:storage:StorageAccount")!;
        assert.match(String(account.inputs.accountName), /^teamx[a-z0-9]+$/);
    });
});

import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { readProject } from "../../cli/project";
import { readStackConfig, secretPlaceholder } from "../../cli/stack-config";
import { isKnownConfigKey, workspaceConfigKeys } from "../../stacks/config";
import { projectWithStack, repoRoot } from "./helpers";

describe("cli: stack config", () => {
    it("qualifies bare keys with the project, keeps strings and serialises the rest as `pulumi config` does", () => {
        const root = projectWithStack(
            "t",
            [
                "config:",
                "  azure-native:location: westeurope",
                "  hbiWorkspace: true",
                "  secure-azureml:imageBuildMaxNodes: 3",
                "  secure-azureml:tags: {team: ml}",
                "  secure-azureml:storagePrivateEndpoints: [blob, file]",
            ].join("\n"),
        );
        const { config, secretKeys } = readStackConfig(readProject(root), "t");
        assert.deepStrictEqual(config, {
            "azure-native:location": "westeurope",
            "secure-azureml:hbiWorkspace": "true",
            "secure-azureml:imageBuildMaxNodes": "3",
            "secure-azureml:tags": '{"team":"ml"}',
            "secure-azureml:storagePrivateEndpoints": '["blob","file"]',
        });
        assert.deepStrictEqual(secretKeys, []);
    });

    it("turns a `secure:` string into a placeholder and marks its key secret", () => {
        const root = projectWithStack(
            "t",
            "config:\n  azure-native:location: westeurope\n  secure-azureml:existingVnetId:\n    secure: v1:AAAABBBB\n",
        );
        const { config, secretKeys } = readStackConfig(readProject(root), "t");
        assert.strictEqual(config["secure-azureml:existingVnetId"], secretPlaceholder);
        assert.deepStrictEqual(secretKeys, ["secure-azureml:existingVnetId"]);
    });

    it("rejects a `secure:` value the program needs in plain form (exit 2 message)", () => {
        const root = projectWithStack(
            "t",
            "config:\n  azure-native:location: westeurope\n  secure-azureml:hbiWorkspace:\n    secure: v1:AAAABBBB\n",
        );
        assert.throws(
            () => readStackConfig(readProject(root), "t"),
            /"secure-azureml:hbiWorkspace" is encrypted \(secure:\)/,
        );
    });

    it("every key of the shipped stacks is one the program knows, and the address spaces do not overlap", () => {
        const spaces: string[] = [];
        for (const stack of ["dev", "staging", "prod"]) {
            const doc = parse(fs.readFileSync(path.join(repoRoot, "stacks", `Pulumi.${stack}.yaml`), "utf8"));
            for (const key of Object.keys(doc.config))
                assert.ok(isKnownConfigKey("secure-azureml", key), `${stack}: ${key}`);
            spaces.push(doc.config["secure-azureml:addressSpace"]);
        }
        const range = (cidr: string) => {
            const [ip, bits] = cidr.split("/");
            const start = ip.split(".").reduce((n, o) => n * 256 + Number(o), 0);
            return [start, start + 2 ** (32 - Number(bits)) - 1];
        };
        const ranges = [...spaces, "172.17.0.0/16"].map(range);
        for (let i = 0; i < ranges.length; i++) {
            for (let j = i + 1; j < ranges.length; j++) {
                assert.ok(ranges[i][1] < ranges[j][0] || ranges[j][1] < ranges[i][0], `${i} overlaps ${j}`);
            }
        }
    });

    it("has a config key for every SecureMlWorkspaceArgs field but resourceGroupName and location", () => {
        // The mapped type in stacks/config.ts makes this a compile error; this documents it.
        assert.ok(Object.keys(workspaceConfigKeys).length >= 20);
        assert.ok(!("location" in workspaceConfigKeys) && !("resourceGroupName" in workspaceConfigKeys));
    });
});

// The cross-language contract: the schema `pulumi package add` infers from the components (PulumiPlugin.yaml),
// computed in process with ComponentProvider. If this passes, Python, Go, .NET, Java and YAML programs get
// SecureMlWorkspace and MlNetwork with these inputs and outputs.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { getPulumiComponents } from "@pulumi/pulumi/provider/experimental";
import { azureClouds } from "../../components/catalog/clouds";
import { storageGroupIds } from "../../components/catalog/dns-zones";
import { endMarker, renderApi, startMarker } from "../../scripts/api-docs";
import { buildSchema, PackageSchema, PropertySpec, repoRoot } from "../../scripts/schema";

const entry = path.join(repoRoot, "index.ts");
const token = (component: string) => `secure-azureml:index:${component}`;
const typeRef = (name: string) => `#/types/${token(name)}`;

/** The arguments every component must accept with exactly this schema type. */
const expectedInputs: Record<string, Record<string, Partial<PropertySpec>>> = {
    MlNetwork: {
        resourceGroupName: { type: "string" },
        location: { type: "string" },
        cloud: { $ref: typeRef("AzureCloud"), plain: true },
        addressSpace: { type: "string" },
        trainingSubnetPrefix: { type: "string" },
        privateEndpointSubnetPrefix: { type: "string" },
        enableScoringSubnet: { type: "boolean", plain: true },
        enableBastion: { type: "boolean", plain: true },
        nodePublicIp: { type: "boolean", plain: true },
        natGateway: { type: "boolean", plain: true },
        lockDownEgress: { type: "boolean", plain: true },
        hbiWorkspace: { type: "boolean", plain: true },
        maxComputeNodes: { type: "number", plain: true },
        tags: { type: "object", additionalProperties: { type: "string" } },
    },
    SecureMlWorkspace: {
        resourceGroupName: { type: "string" },
        location: { type: "string" },
        cloud: { $ref: typeRef("AzureCloud"), plain: true },
        workspaceName: { type: "string" },
        namePrefix: { type: "string", plain: true },
        addressSpace: { type: "string" },
        enableBastion: { type: "boolean", plain: true },
        existingVnetId: { type: "string" },
        existingTrainingSubnetId: { type: "string" },
        existingPrivateEndpointSubnetId: { type: "string" },
        existingPrivateDnsZoneIds: { type: "object", additionalProperties: { type: "string" } },
        nodePublicIp: { type: "boolean", plain: true },
        hbiWorkspace: { type: "boolean", plain: true },
        imageBuildVmSize: { type: "string", plain: true },
        imageBuildMaxNodes: { type: "number", plain: true },
        enableTrainingCluster: { type: "boolean", plain: true },
        trainingClusterName: { type: "string", plain: true },
        trainingClusterVmSize: { type: "string", plain: true },
        trainingClusterMaxNodes: { type: "number", plain: true },
        allowDataScientistsToCreateCompute: { type: "boolean", plain: true },
        storagePrivateEndpoints: {
            type: "array",
            items: { $ref: typeRef("StorageGroupId"), plain: true },
            plain: true,
        },
        protectData: { type: "boolean", plain: true },
        tags: { type: "object", additionalProperties: { type: "string" } },
    },
};

describe("package: cross-language schema (pulumi package add)", function () {
    this.timeout(120_000);
    let schema: PackageSchema;

    before(async () => {
        schema = await buildSchema(repoRoot, entry);
    });

    it("is a source-based nodejs plugin whose entry exports the components", () => {
        const manifest = fs.readFileSync(path.join(repoRoot, "PulumiPlugin.yaml"), "utf8");
        assert.match(manifest, /^runtime:\s*nodejs\s*$/m);
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const names = getPulumiComponents(require(entry)).map((c) => c.name);
        for (const name of Object.keys(expectedInputs)) {
            assert.ok(names.includes(name), `index.ts does not export ${name} (exports: ${names.join(", ")})`);
        }
    });

    it("names the package and every component token after package.json", () => {
        assert.strictEqual(schema.name, "secure-azureml");
        for (const name of Object.keys(expectedInputs)) {
            const resource = schema.resources[token(name)];
            assert.ok(resource, `${token(name)} missing; schema has ${Object.keys(schema.resources).join(", ")}`);
            assert.strictEqual(resource.isComponent, true);
            assert.ok(resource.description, `${name} has no class doc comment`);
        }
    });

    for (const [name, inputs] of Object.entries(expectedInputs)) {
        describe(name, () => {
            it("requires exactly resourceGroupName and location", () => {
                const resource = schema.resources[token(name)];
                assert.deepStrictEqual([...(resource.requiredInputs ?? [])].sort(), ["location", "resourceGroupName"]);
            });

            it("has every documented input with its exact type", () => {
                const actual = schema.resources[token(name)].inputProperties ?? {};
                for (const [input, expected] of Object.entries(inputs)) {
                    assert.ok(actual[input], `input ${input} missing`);
                    const { description: _description, optional: _optional, ...shape } = actual[input];
                    assert.deepStrictEqual(shape, expected, `input ${input}`);
                }
            });

            it("describes every input and every output", () => {
                const resource = schema.resources[token(name)];
                const undocumented = [
                    ...Object.entries(resource.inputProperties ?? {}).map(([k, v]) => [`input ${k}`, v] as const),
                    ...Object.entries(resource.properties ?? {}).map(([k, v]) => [`output ${k}`, v] as const),
                ]
                    .filter(([, spec]) => !spec.description?.trim())
                    .map(([what]) => what);
                assert.deepStrictEqual(undocumented, []);
            });

            it("has doc comments the analyzer can read (no {@link} tags, which it renders as [object Object])", () => {
                const resource = schema.resources[token(name)];
                const garbled = [
                    ["class", resource.description] as const,
                    ...Object.entries(resource.inputProperties ?? {}).map(
                        ([k, v]) => [`input ${k}`, v.description] as const,
                    ),
                    ...Object.entries(resource.properties ?? {}).map(
                        ([k, v]) => [`output ${k}`, v.description] as const,
                    ),
                ]
                    .filter(([, text]) => text?.includes("[object Object]"))
                    .map(([what]) => what);
                assert.deepStrictEqual(garbled, []);
            });

            it("has outputs, each an id-like string or a documented type", () => {
                const outputs = schema.resources[token(name)].properties ?? {};
                assert.ok(Object.keys(outputs).length > 0, "no outputs");
                for (const [output, spec] of Object.entries(outputs)) {
                    assert.ok(spec.type || spec.$ref, `output ${output} has no type`);
                }
            });
        });
    }

    it("turns the catalogue's string unions into enums with every value", () => {
        const values = (name: string) => (schema.types?.[token(name)]?.enum ?? []).map((e) => e.value);
        assert.deepStrictEqual(values("AzureCloud"), [...azureClouds]);
        assert.deepStrictEqual(values("StorageGroupId"), [...storageGroupIds]);
    });

    // `npm run api-docs -- --check` in a test, on the schema built above: computing it again in a process
    // of its own (it was part of `npm run lint`) is another program of every file in tsconfig.json.
    it("is what README.md's API section shows (`npm run api-docs` writes it from this schema)", () => {
        const readme = fs.readFileSync(path.join(repoRoot, "README.md"), "utf8");
        const start = readme.indexOf(startMarker);
        const end = readme.indexOf(endMarker);
        assert.ok(start >= 0 && end > start, `README.md has no ${startMarker} ... ${endMarker} block`);
        assert.strictEqual(
            readme.slice(start + startMarker.length, end),
            `\n${renderApi(schema)}`,
            "README.md's API section is stale; run `npm run api-docs`",
        );
    });

    it("references only the Pulumi packages it declares as peers", () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const peers = Object.keys(require(path.join(repoRoot, "package.json")).peerDependencies ?? {});
        for (const dependency of schema.dependencies ?? []) {
            assert.ok(peers.includes(`@pulumi/${dependency.name}`), `schema depends on ${dependency.name}`);
        }
    });
});

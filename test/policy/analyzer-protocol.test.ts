import * as assert from "assert";
import { ChildProcess, execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { normalise } from "../../cli/formats";
import { planStack } from "../../cli/plan";
import { findProjectRoot, readProject } from "../../cli/project";
import { PlanResource, PlanViolation, unknownValue } from "../../policy/plan";
import { reconcileConfig, runPack } from "../../policy/runner";
import { allPolicies } from "../../policy/rules";
import { analyzerPortLine, packedPolicyPack } from "./packed-pack";

// The analyzer service and messages exactly as @pulumi/pulumi ships them, and the protobuf runtime
// they were generated against (the same module instance, or `instanceof` checks inside them fail).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const grpc = require("@grpc/grpc-js");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const services = require("@pulumi/pulumi/proto/analyzer_grpc_pb.js");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const messages = require("@pulumi/pulumi/proto/analyzer_pb.js");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Struct } = require("google-protobuf/google/protobuf/struct_pb.js");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Empty } = require("google-protobuf/google/protobuf/empty_pb.js");

/**
 * The pack as the Pulumi CLI runs it: the packed pack's `main` started as a child process, which
 * prints its port; then the engine's side of pulumi/pulumi proto/pulumi/analyzer.proto over gRPC:
 * GetPluginInfo, GetAnalyzerInfo, Configure (policy/config/production.json over the defaults of
 * each policy's configSchema, as the CLI's `ReconcilePolicyPackConfig` does), Analyze once per resource and
 * AnalyzeStack once. Properties are encoded as the engine marshals them for an analyzer
 * (pkg/resource/plugin/analyzer_plugin.go, `MarshalProperties` keeping unknowns and secrets): unknowns
 * as the unknown sentinel string, secrets as `{"4dabf181…": "1b470612…", "value": …}` objects. The
 * verdicts must be the ones `runPack` gives in process, which is what `plan` and `audit` report.
 */
describe("policy pack through the analyzer protocol", function () {
    this.timeout(240000);
    let child: ChildProcess | undefined;
    let client: any;
    const production = JSON.parse(fs.readFileSync(path.join(__dirname, "../../policy/config/production.json"), "utf8"));

    before(async () => {
        const dir = packedPolicyPack();
        child = spawn(process.execPath, ["main.js"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
        const port = await new Promise<string>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error("the analyzer printed no port within 60 s")), 60000);
            let text = "";
            let err = "";
            child!.stdout!.on("data", (d: Buffer) => {
                text += d.toString();
                if (text.includes("\n")) {
                    clearTimeout(timer);
                    resolve(text.trim());
                }
            });
            child!.stderr!.on("data", (d: Buffer) => (err += d.toString()));
            child!.on("exit", (code) => {
                clearTimeout(timer);
                reject(new Error(`the analyzer exited ${code}: ${err}`));
            });
        });
        assert.match(port, /^\d+$/);
        client = new services.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    });

    after(() => {
        client?.close();
        child?.kill("SIGKILL");
    });

    const call = <T>(method: string, request: unknown): Promise<T> =>
        new Promise((resolve, reject) => {
            const deadline = new Date(Date.now() + 60000);
            client[method](request, { deadline }, (err: Error | null, response: T) =>
                err ? reject(err) : resolve(response),
            );
        });

    const sig = "4dabf18193072939515e22adb298388d";
    const secretSig = "1b47061264138c4ac30d75fd1eb44270";
    /** Every `location` value travels as a secret, as an `additionalSecretOutputs` or secret config would send it. */
    const engineEncoding = (value: unknown, key?: string): unknown => {
        if (Array.isArray(value)) return value.map((v) => engineEncoding(v));
        if (value !== null && typeof value === "object") {
            return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, engineEncoding(v, k)]));
        }
        return key === "location" && typeof value === "string" ? { [sig]: secretSig, value } : value;
    };
    const struct = (inputs: Record<string, unknown>) => Struct.fromJavaScript(engineEncoding(inputs));

    const levels = ["advisory", "mandatory", "remediate", "disabled"];
    const severities = ["unspecified", "low", "medium", "high", "critical"];
    const asViolation = (d: any, urn: string | null): PlanViolation => {
        const description = d.getDescription();
        let message: string = d.getMessage();
        if (message.startsWith(`${description}\n`)) message = message.slice(description.length + 1);
        message = message.replace(/ from policy pack '[^']+'/, "");
        return {
            policy: d.getPolicyname(),
            enforcementLevel: levels[d.getEnforcementlevel()] as PlanViolation["enforcementLevel"],
            severity: severities[d.getSeverity()],
            urn: d.getUrn() || urn,
            message,
        };
    };

    /**
     * What the CLI sends to Configure: for each policy the analyzer lists, its configSchema's defaults,
     * overlaid with the user's config (`all`, then the policy's own entry: a level, or an object of
     * `enforcementLevel` and properties), as pulumi/pulumi pkg/resource/analyzer/config.go
     * `ReconcilePolicyPackConfig` does. Built from GetAnalyzerInfo, independently of runner.ts.
     */
    async function cliConfig(
        config: Record<string, unknown>,
    ): Promise<Map<string, { level: string; properties: Record<string, unknown> }>> {
        const info: any = await call("getAnalyzerInfo", new Empty());
        const out = new Map<string, { level: string; properties: Record<string, unknown> }>();
        for (const p of info.getPoliciesList()) {
            const name: string = p.getName();
            let level: string = levels[p.getEnforcementlevel()];
            if (typeof config.all === "string") level = config.all;
            const properties: Record<string, unknown> = {};
            const schema = p.getConfigschema()?.getProperties()?.toJavaScript() ?? {};
            for (const [key, prop] of Object.entries(schema as Record<string, { default?: unknown }>)) {
                if (prop.default !== undefined) properties[key] = prop.default;
            }
            const entry = config[name];
            if (typeof entry === "string") level = entry;
            else if (entry && typeof entry === "object") {
                for (const [key, value] of Object.entries(entry)) {
                    if (key === "enforcementLevel") level = value as string;
                    else properties[key] = value;
                }
            }
            out.set(name, { level, properties });
        }
        return out;
    }

    async function analyzeOverGrpc(resources: PlanResource[]): Promise<PlanViolation[]> {
        const reconciled = await cliConfig(production);
        const configure = new messages.ConfigureAnalyzerRequest();
        for (const [name, { level, properties }] of reconciled) {
            const pc = new messages.PolicyConfig();
            pc.setEnforcementlevel(levels.indexOf(level));
            pc.setProperties(Struct.fromJavaScript(properties));
            configure.getPolicyconfigMap().set(name, pc);
        }
        await call("configure", configure);

        const violations: PlanViolation[] = [];
        for (const r of resources) {
            const req = new messages.AnalyzeRequest();
            req.setType(r.type);
            req.setUrn(r.urn);
            req.setName(r.name);
            req.setProperties(struct(r.inputs));
            const options = new messages.AnalyzerResourceOptions();
            options.setProtect(r.protect ?? false);
            if (r.parent) options.setParent(r.parent);
            req.setOptions(options);
            const response: any = await call("analyze", req);
            violations.push(...response.getDiagnosticsList().map((d: any) => asViolation(d, r.urn)));
        }
        const stackReq = new messages.AnalyzeStackRequest();
        stackReq.setResourcesList(
            resources.map((r) => {
                const ar = new messages.AnalyzerResource();
                ar.setType(r.type);
                ar.setUrn(r.urn);
                ar.setName(r.name);
                ar.setProperties(struct(r.inputs));
                const options = new messages.AnalyzerResourceOptions();
                options.setProtect(r.protect ?? false);
                ar.setOptions(options);
                if (r.parent) ar.setParent(r.parent);
                ar.setDependenciesList(r.dependencies);
                for (const [key, urns] of Object.entries(r.propertyDependencies)) {
                    const deps = new messages.AnalyzerPropertyDependencies();
                    deps.setUrnsList(urns);
                    ar.getPropertydependenciesMap().set(key, deps);
                }
                return ar;
            }),
        );
        const stackResponse: any = await call("analyzeStack", stackReq);
        violations.push(...stackResponse.getDiagnosticsList().map((d: any) => asViolation(d, null)));
        return violations;
    }

    const key = (v: PlanViolation) => JSON.stringify([v.policy, v.enforcementLevel, v.severity, v.urn, v.message]);
    const sorted = (vs: PlanViolation[]) => vs.map(key).sort();

    it("answers GetPluginInfo with the policy SDK's version and GetAnalyzerInfo with the pack and every policy", async () => {
        const read = (file: string) => JSON.parse(fs.readFileSync(require.resolve(file), "utf8")).version;
        const plugin: any = await call("getPluginInfo", new Empty());
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        assert.strictEqual(plugin.getVersion(), require("@pulumi/policy/version").version);
        const info: any = await call("getAnalyzerInfo", new Empty());
        assert.strictEqual(info.getName(), "secure-azureml-policies");
        assert.strictEqual(info.getVersion(), read("../../policy/package.json"));
        assert.deepStrictEqual(
            info
                .getPoliciesList()
                .map((p: any) => p.getName())
                .sort(),
            allPolicies.map((p) => p.name).sort(),
        );
    });

    it("is configured as the CLI would configure it, which is what runPack reconciles", async () => {
        const fromCli = await cliConfig(production);
        const fromRunner = reconcileConfig(allPolicies, production);
        for (const [name, { level, properties }] of fromRunner) {
            assert.deepStrictEqual(fromCli.get(name), { level, properties }, name);
        }
    });

    // The analyzer hands the pack no resource ids: relations written as ARM ids (an inline subnet's NSG,
    // route table and NAT gateway) must resolve by type and name as runPack resolves them by id. Each of
    // the package's stacks: staging and prod route through the firewall, dev has the NAT gateway,
    // managed the workspace's managed network.
    for (const stack of ["dev", "staging", "prod", "managed"])
        it(`gives the ${stack} plan the verdicts runPack gives it`, async () => {
            const project = readProject(findProjectRoot(path.join(__dirname, "../..")));
            const plan = await planStack(project, stack, production);
            const overGrpc = await analyzeOverGrpc(plan.resources);
            assert.deepStrictEqual(sorted(overGrpc), sorted(await runPack(plan.resources, production)));
            assert.strictEqual(overGrpc.filter((v) => v.enforcementLevel === "mandatory").length, 0);
        });

    it("takes no same-named NSG of another resource group for the stack's, with ids or without", async () => {
        const project = readProject(findProjectRoot(path.join(__dirname, "../..")));
        const plan = await planStack(project, "dev", production);
        const vnet = plan.resources.find((r) => r.type === "azure-native:network:VirtualNetwork")!;
        const training = (vnet.inputs.subnets as { name: string; networkSecurityGroup: { id: string } }[]).find(
            (x) => x.name === "training",
        )!;
        // A hub's NSG of the same name: another resource group, so not the stack's ml-training-nsg.
        training.networkSecurityGroup.id = training.networkSecurityGroup.id.replace(
            /\/resourceGroups\/[^/]+\//,
            "/resourceGroups/rg-hub/",
        );
        const offline = await runPack(plan.resources, production);
        assert.deepStrictEqual(sorted(await analyzeOverGrpc(plan.resources)), sorted(offline));
        assert.ok(
            offline.some(
                (v) =>
                    v.enforcementLevel === "advisory" &&
                    /the NSG of .*"training" is outside this stack/.test(v.message),
            ),
            offline.map((v) => v.message).join("\n"),
        );
    });

    it("gives an insecure stack the verdicts runPack gives it, mandatory violations included", async () => {
        const { resources } = normalise(
            JSON.parse(fs.readFileSync(path.join(__dirname, "../fixtures/insecure-stack-export.json"), "utf8")),
            "insecure",
        );
        const overGrpc = await analyzeOverGrpc(resources);
        const inProcess = await runPack(resources, production);
        assert.deepStrictEqual(sorted(overGrpc), sorted(inProcess));
        const mandatory = new Set(overGrpc.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.policy));
        for (const p of ["vnet-no-docker-bridge-range", "storage-default-deny", "acr-premium-sku"])
            assert.ok(mandatory.has(p), p);
    });

    it("gives a first preview full of unknowns the verdicts runPack gives it, and no mandatory one", async () => {
        const doc = JSON.parse(
            fs.readFileSync(path.join(__dirname, "../fixtures/dev-preview-unknown-ids.json"), "utf8"),
        );
        const { resources } = normalise(doc, "preview");
        assert.ok(JSON.stringify(resources).includes(unknownValue));
        const overGrpc = await analyzeOverGrpc(resources);
        assert.deepStrictEqual(sorted(overGrpc), sorted(await runPack(resources, production)));
        assert.strictEqual(overGrpc.filter((v) => v.enforcementLevel === "mandatory").length, 0);
    });
});

/**
 * (In this file, beside the analyzer protocol's tests, so that the one packed pack serves both:
 * packedPolicyPack() packs once per process, and mocha runs each file in a process of its own.)
 *
 * `pulumi policy publish` packs policy/ like `npm pack`. The tarball must be self-contained: the
 * compiled rules plus the catalogue files they import from ../components/catalog, and a `main` that
 * runs without the TypeScript sources.
 */
describe("policy pack packaging", function () {
    this.timeout(180000);
    let unpacked = "";

    before(() => {
        unpacked = packedPolicyPack();
    });

    it("contains the compiled pack and the catalogue, and no TypeScript sources", () => {
        const files = (dir: string): string[] =>
            fs
                .readdirSync(dir, { withFileTypes: true })
                .flatMap((e) =>
                    e.name === "node_modules"
                        ? []
                        : e.isDirectory()
                          ? files(path.join(dir, e.name))
                          : [path.relative(unpacked, path.join(dir, e.name))],
                );
        const all = files(unpacked);
        for (const f of [
            "package.json",
            "PulumiPolicy.yaml",
            "main.js",
            "README.md",
            "config/production.json",
            "dist/policy/index.js",
            "dist/policy/runner.js",
            "dist/policy/rules/index.js",
            "dist/components/catalog/service-tags.js",
            "dist/components/catalog/dns-zones.js",
            "dist/components/catalog/bastion.js",
            "dist/components/catalog/regions.js",
        ]) {
            assert.ok(all.includes(f), `${f} in ${all.join(", ")}`);
        }
        assert.deepStrictEqual(
            all.filter((f) => f.endsWith(".ts")),
            [],
        );
    });

    it("loads all 59 policies from the tarball alone", () => {
        const out = execFileSync(
            process.execPath,
            ["-e", "console.log(require('./dist/policy/rules').allPolicies.length)"],
            { cwd: unpacked, encoding: "utf8" },
        );
        assert.strictEqual(out.trim(), "59");
    });

    it("starts the analyzer from `main` (prints its gRPC port, as the Pulumi CLI expects)", async () => {
        assert.match(await analyzerPortLine(unpacked, ["main.js"]), /^\d+$/);
    });
});

// The published package, used the way someone who never cloned this repository uses it: `npm pack` (which
// builds through `prepack`), install the tarball into a fresh project outside the repository, then
//   (a) plain JavaScript: require the package, construct SecureMlWorkspace under Pulumi mocks, run the
//       policy pack's runner (`secure-azureml/policy`) over what was registered;
//   (b) TypeScript against the shipped declarations only: a correct program compiles, wrong args do not,
//       with both the classic `node` resolution (Pulumi's templates) and `node16` (package exports);
//   (c) the installed package is itself a source-based Pulumi plugin: its schema builds.
// The pack is built from a copy of the working tree, so the repository's own dist/ is never touched.
import * as assert from "assert";
import { execFileSync, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildSchema, repoRoot } from "../../scripts/schema";
import { analyzerPortLine } from "../policy/packed-pack";

const tsc = path.join(repoRoot, "node_modules", "typescript", "bin", "tsc");

/** The repository's installed version of a dependency, so the consumer install is served from npm's cache. */
function installedVersion(pkg: string): string {
    return JSON.parse(fs.readFileSync(path.join(repoRoot, "node_modules", pkg, "package.json"), "utf8")).version;
}

/** The environment for child npm processes, without the parent `npm test`'s lifecycle variables. */
function childEnv(): NodeJS.ProcessEnv {
    const keep = new Set(["npm_config_cache", "npm_config_registry", "npm_config_userconfig"]);
    return Object.fromEntries(
        Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith("npm_") || keep.has(k.toLowerCase())),
    );
}

/** A user's shell: no npm lifecycle variables, no INIT_CWD (the CLI resolves relative paths against it). */
function userEnv(): NodeJS.ProcessEnv {
    const env = childEnv();
    delete env.INIT_CWD;
    return env;
}

function npm(args: string[], cwd: string): string {
    const result = spawnSync("npm", args, {
        cwd,
        env: childEnv(),
        encoding: "utf8",
        shell: process.platform === "win32",
    });
    if (result.status !== 0) {
        throw new Error(`npm ${args.join(" ")} failed in ${cwd}:\n${result.stdout}\n${result.stderr}`);
    }
    return result.stdout;
}

/** `npm`, without blocking: resolves with its stdout, rejects as `npm` throws. */
function npmAsync(args: string[], cwd: string): Promise<string> {
    return new Promise((resolve, reject) => {
        const child = spawn("npm", args, {
            cwd,
            env: childEnv(),
            shell: process.platform === "win32",
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        child.on("error", reject);
        child.on("close", (status) => {
            if (status === 0) resolve(stdout);
            else reject(new Error(`npm ${args.join(" ")} failed in ${cwd}:\n${stdout}\n${stderr}`));
        });
    });
}

/** A copy of the working tree with what a package build reads, sharing the repository's node_modules. */
function stageRepository(into: string): void {
    const skip = new Set(["node_modules", ".git", "dist", "test", "bench", ".ci", "coverage"]);
    // Build outputs anywhere (policy/dist) are rebuilt by prepack, never copied.
    for (const entry of fs.readdirSync(repoRoot)) {
        if (skip.has(entry) || entry.endsWith(".tgz")) continue;
        fs.cpSync(path.join(repoRoot, entry), path.join(into, entry), {
            recursive: true,
            filter: (src) => !src.split(path.sep).some((part) => part === "node_modules" || part === "dist"),
        });
    }
    fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(into, "node_modules"), "junction");
}

// Runs in the consumer project: everything it needs comes from the installed package and its peers.
const consumerJs = String.raw`
"use strict";
const pulumi = require("@pulumi/pulumi");
const { MockMonitor } = require("@pulumi/pulumi/runtime/mocks");
const settings = require("@pulumi/pulumi/runtime/settings");
const sam = require("secure-azureml");
const catalog = require("secure-azureml/catalog");
const { runPack } = require("secure-azureml/policy");

const subscription = "00000000-0000-4000-a000-000000000001";
const tenant = "00000000-0000-4000-a000-000000000002";
const lowerFirst = (s) => s.charAt(0).toLowerCase() + s.slice(1);
// ARM-shaped ids: /subscriptions/<uuid>/resourceGroups/<rg>/providers/Microsoft.<Module>/<kinds>/<name>.
const armId = (type, name, inputs) => {
    const [, mod, kind] = type.split(":");
    const rg = typeof inputs.resourceGroupName === "string" ? inputs.resourceGroupName : "rg";
    const own = inputs[lowerFirst(kind) + "Name"];
    const provider = mod === "privatedns" ? "Network/privateDnsZones" : mod.charAt(0).toUpperCase() + mod.slice(1) + "/" + lowerFirst(kind) + "s";
    return "/subscriptions/" + subscription + "/resourceGroups/" + rg + "/providers/Microsoft." + provider + "/" + (typeof own === "string" ? own : name);
};
const mocks = {
    newResource: (a) => {
        if (a.type.startsWith("random:")) {
            const result = "a1b2c3d4e5f6".slice(0, Number(a.inputs.length ?? 6));
            return { id: result, state: { ...a.inputs, result } };
        }
        const id = armId(a.type, a.name, a.inputs);
        const state = { ...a.inputs, name: a.inputs.name ?? a.name };
        if (a.inputs.identity) state.identity = { ...a.inputs.identity, principalId: subscription, tenantId: tenant };
        return { id, state };
    },
    call: (a) => a.token === "azure-native:authorization:getClientConfig"
        ? { clientId: tenant, objectId: tenant, subscriptionId: subscription, tenantId: tenant }
        : a.inputs,
};

// Records each registration as the plan JSON's resource shape (what runPack evaluates).
class RecordingMonitor extends MockMonitor {
    constructor(m) { super(m); this.records = []; }
    async registerResource(req, callback) {
        await super.registerResource(req, (err, res) => {
            if (!err && res) {
                const propertyDependencies = {};
                for (const [k, v] of req.getPropertydependenciesMap().entries()) propertyDependencies[k] = v.getUrnsList();
                this.records.push({
                    urn: res.getUrn(), type: req.getType(), name: req.getName(),
                    id: req.getCustom() ? res.getId() || null : null, custom: req.getCustom(),
                    parent: req.getParent() || null, dependencies: req.getDependenciesList(), propertyDependencies,
                    inputs: JSON.parse(JSON.stringify(pulumi.runtime.deserializeProperties(req.getObject()) ?? {})),
                    protect: req.getProtect ? req.getProtect() : false,
                });
            }
            callback(err, res);
        });
    }
}

(async () => {
    await pulumi.runtime.setMocks(mocks, "consumer", "dev", false);
    const monitor = new RecordingMonitor(mocks);
    settings.setMockOptions(monitor, "consumer", "dev", false);
    await pulumi.runtime.runInPulumiStack(async () => {
        new sam.SecureMlWorkspace("mlws", { resourceGroupName: "rg-ml", location: "westeurope" });
        return {};
    });
    await settings.waitForRPCs();
    const violations = await runPack(monitor.records);
    process.stdout.write(JSON.stringify({
        exports: Object.keys(sam).sort(),
        catalogExports: Object.keys(catalog).sort(),
        zones: catalog.privateDnsZoneNames("amlworkspace"),
        types: monitor.records.map((r) => r.type),
        violations,
    }));
})().catch((err) => { console.error(err && err.stack || err); process.exit(1); });
`;

// Compiles against the shipped .d.ts only (no path mapping to the sources).
const consumerGoodTs = `
import * as pulumi from "@pulumi/pulumi";
import { MlNetwork, MlNetworkArgs, SecureMlWorkspace, SecureMlWorkspaceArgs, requiredNsgRules } from "secure-azureml";
import { AzureCloud, privateDnsZoneNames } from "secure-azureml/catalog";
import { runPack } from "secure-azureml/policy";

const cloud: AzureCloud = "AzureChinaCloud";
const networkArgs: MlNetworkArgs = { resourceGroupName: pulumi.output("rg"), location: "chinanorth3", cloud, enableBastion: true };
export const net = new MlNetwork("net", networkArgs);
export const vnetId: pulumi.Output<string> = net.vnetId;
const args: SecureMlWorkspaceArgs = {
    resourceGroupName: "rg",
    location: "westeurope",
    storagePrivateEndpoints: ["blob", "file"],
    existingPrivateDnsZoneIds: { "privatelink.api.azureml.ms": pulumi.output("/zone") },
    imageBuildMaxNodes: 2,
    tags: { env: "dev" },
};
export const ws = new SecureMlWorkspace("ml", args);
export const zones: string[] = privateDnsZoneNames("vault", cloud);
export const rules = requiredNsgRules({ location: "westeurope", nodePublicIp: false }).outbound.length;
export const violations: Promise<{ policy: string }[]> = runPack([]);
`;

// Each line must be rejected: a wrong type, an unknown enum value, a missing required argument.
const consumerBadTs = `
import { SecureMlWorkspace } from "secure-azureml";
export const a = new SecureMlWorkspace("a", { resourceGroupName: "rg", location: "westeurope", enableBastion: "yes" });
export const b = new SecureMlWorkspace("b", { resourceGroupName: "rg", location: "westeurope", cloud: "AzurePublicCloud" });
export const c = new SecureMlWorkspace("c", { resourceGroupName: "rg" });
`;

function tsconfig(moduleResolution: "node" | "node16", files: string[]): object {
    return {
        compilerOptions: {
            strict: true,
            target: "ES2022",
            module: moduleResolution === "node" ? "commonjs" : "node16",
            moduleResolution,
            noEmit: true,
            skipLibCheck: true,
            types: ["node"],
            typeRoots: ["./node_modules/@types", path.join(repoRoot, "node_modules", "@types")],
        },
        files,
    };
}

interface Ran {
    status: number | null;
    stdout: string;
    stderr: string;
}

/** `node <args>` as a promise of what spawnSync returns: the checks below start together and are awaited one by one. */
function nodeAsync(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Ran> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        child.on("error", reject);
        child.on("close", (status) => resolve({ status, stdout, stderr }));
    });
}

async function typecheck(cwd: string, project: string): Promise<{ status: number | null; output: string }> {
    const result = await nodeAsync([tsc, "-p", project], { cwd });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/**
 * The package test's checks that run in child processes, started together once the package is
 * installed in `consumer`: good.ts and bad.ts against the shipped declarations with the classic
 * `node` resolution (one tsc run: two separate modules, neither changes how the other is checked,
 * and the package's declarations and its peers' load once), good.ts with `node16`, the example stack's
 * plan, and a plan of the user's own TypeScript project (type-checked with the shipped typescript).
 */
function startChecks(consumer: string) {
    fs.writeFileSync(path.join(consumer, "good.ts"), consumerGoodTs);
    fs.writeFileSync(path.join(consumer, "bad.ts"), consumerBadTs);
    fs.writeFileSync(
        path.join(consumer, "tsconfig.node.json"),
        JSON.stringify(tsconfig("node", ["good.ts", "bad.ts"])),
    );
    fs.writeFileSync(path.join(consumer, "tsconfig.good.node16.json"), JSON.stringify(tsconfig("node16", ["good.ts"])));
    const project = path.join(consumer, "infra");
    fs.mkdirSync(project, { recursive: true });
    fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: infra\nruntime: nodejs\nmain: index.ts\n");
    fs.writeFileSync(path.join(project, "Pulumi.dev.yaml"), "config: {}\n");
    fs.writeFileSync(
        path.join(project, "index.ts"),
        'import { SecureMlWorkspace } from "secure-azureml";\nexport const id = new SecureMlWorkspace("ml", { resourceGroupName: "rg", location: "westeurope" }).workspaceId;\n',
    );
    const bin = path.join(consumer, "node_modules", "secure-azureml", "bin", "secure-azureml.js");
    const started = {
        nodeResolution: typecheck(consumer, "tsconfig.node.json").then(({ status, output }) => ({
            status,
            output,
            errorLines: output.split("\n").filter((line) => /error TS\d+/.test(line)),
        })),
        node16Resolution: typecheck(consumer, "tsconfig.good.node16.json"),
        examplePlan: nodeAsync([bin, "plan", "--stack", "dev", "--example", "--quiet"], {
            cwd: consumer,
            env: userEnv(),
        }),
        userProjectPlan: nodeAsync([bin, "plan", "--stack", "dev", "--quiet"], { cwd: project, env: userEnv() }),
    };
    // A check whose test is skipped or never reached must not be an unhandled rejection.
    for (const promise of Object.values(started)) promise.catch(() => undefined);
    return started;
}

describe("package: installed from its tarball outside the repository", function () {
    this.timeout(240_000);
    let work: string;
    let consumer: string;
    let tarballFiles: string[];
    let early: ReturnType<typeof startChecks>;

    before(async function () {
        const started = Date.now();
        work = fs.mkdtempSync(path.join(os.tmpdir(), "secure-azureml-pack-"));
        const stage = path.join(work, "stage");
        consumer = path.join(work, "consumer");
        fs.mkdirSync(stage);
        fs.mkdirSync(consumer);
        stageRepository(stage);

        // Peers pinned to the repository's versions: npm serves them from its cache, no full resolution.
        const peers = ["@pulumi/pulumi", "@pulumi/azure-native", "@pulumi/random", "typescript"];
        const peerVersions = Object.fromEntries(peers.map((p) => [p, installedVersion(p)]));
        const install = [
            "install",
            "--no-audit",
            "--no-fund",
            "--prefer-offline",
            "--ignore-scripts",
            "--no-package-lock",
        ];
        const writeManifest = (dependencies: Record<string, string>) =>
            fs.writeFileSync(
                path.join(consumer, "package.json"),
                JSON.stringify({ name: "consumer", version: "1.0.0", private: true, dependencies }),
            );
        // The user's project gets its peers first (`npm install @pulumi/pulumi …`), while the package
        // builds and packs: the two are the longest steps here and need each other only at the end.
        writeManifest(peerVersions);
        const [packing, peersInstalled] = await Promise.allSettled([
            npmAsync(["pack", "--json", "--pack-destination", work], stage),
            npmAsync(install, consumer),
        ]);
        if (packing.status === "rejected") throw packing.reason;
        if (peersInstalled.status === "rejected") throw peersInstalled.reason;
        const [packed] = JSON.parse(packing.value) as { filename: string; files: { path: string }[] }[];
        tarballFiles = packed.files.map((f) => f.path);
        const tarball = path.join(work, packed.filename);

        // Then the package itself, from its tarball, into the same project (`npm install <tarball>`).
        writeManifest({ "secure-azureml": `file:${tarball}`, ...peerVersions });
        npm(install, consumer);
        console.log(`      (packed and installed in ${((Date.now() - started) / 1000).toFixed(1)} s)`);

        // The checks that are child processes (TypeScript programs, the CLI) start now, side by side:
        // each is the longest part of its test, and none reads what another writes. Each test awaits
        // its own, so what it asserts is unchanged; this file's wall time is then about its longest one.
        early = startChecks(consumer);
    });

    after(() => {
        if (work && !process.env.KEEP_PACKAGE_TEST_DIR) fs.rmSync(work, { recursive: true, force: true });
    });

    it("ships the build, the plugin manifest, the docs, the example stacks and the policy pack, and no tests, sources of the stacks or source maps", () => {
        for (const required of [
            "package.json",
            "LICENSE",
            "CHANGELOG.md",
            "PulumiPlugin.yaml",
            "dist/components/index.js",
            "dist/components/index.d.ts",
            "dist/components/catalog/index.js",
            "dist/policy/runner.js",
            "dist/policy/runner.d.ts",
            "dist/cli/main.js",
            // What the README tells an npm user to run: `plan --example`, the policy config, the pack.
            "Pulumi.yaml",
            "stacks/Pulumi.dev.yaml",
            "stacks/Pulumi.prod.yaml",
            "dist/stacks/program.js",
            "policy/main.js",
            "policy/PulumiPolicy.yaml",
            "policy/package.json",
            "policy/config/production.json",
            "dist/policy/index.js",
        ]) {
            assert.ok(tarballFiles.includes(required), `${required} is not in the tarball`);
        }
        if (fs.existsSync(path.join(repoRoot, "README.md"))) assert.ok(tarballFiles.includes("README.md"));
        const unwanted = tarballFiles.filter(
            (f) =>
                /^(test|bench|scripts|\.ci)\//.test(f) ||
                /^stacks\/.*\.ts$/.test(f) ||
                /^policy\/.*\.ts$/.test(f) ||
                /^dist\/(test|bench)\//.test(f) ||
                f === "dist/stacks/index.js" ||
                /\.(test\.[jt]s|tgz|map)$/.test(f),
        );
        assert.deepStrictEqual(unwanted, []);
    });

    it("(a) works from plain JavaScript: component under mocks, then the policy pack on what it registered", () => {
        // @pulumi/tls is an optional peer, loaded only for a jump box: the defaults run without it.
        assert.ok(!fs.existsSync(path.join(consumer, "node_modules", "@pulumi", "tls")), "@pulumi/tls was installed");
        fs.writeFileSync(path.join(consumer, "consumer.js"), consumerJs);
        const out = execFileSync(process.execPath, ["consumer.js"], { cwd: consumer, encoding: "utf8" });
        const result = JSON.parse(out) as {
            exports: string[];
            catalogExports: string[];
            zones: string[];
            types: string[];
            violations: { policy: string; enforcementLevel: string; message: string }[];
        };
        for (const name of ["SecureMlWorkspace", "MlNetwork", "requiredNsgRules", "privateDnsZoneNames"]) {
            assert.ok(result.exports.includes(name), `secure-azureml does not export ${name}`);
        }
        assert.ok(result.catalogExports.includes("requiredNsgRules"));
        assert.ok(
            !result.catalogExports.includes("SecureMlWorkspace"),
            "the catalog entry must not pull in components",
        );
        assert.deepStrictEqual(result.zones, ["privatelink.api.azureml.ms", "privatelink.notebooks.azure.net"]);
        for (const type of [
            "secure-azureml:index:SecureMlWorkspace",
            "azure-native:network:VirtualNetwork",
            "azure-native:network:PrivateEndpoint",
        ]) {
            assert.ok(result.types.includes(type), `nothing of type ${type} was registered`);
        }
        assert.ok(Array.isArray(result.violations));
        const mandatory = result.violations.filter((v) => v.enforcementLevel === "mandatory");
        assert.deepStrictEqual(mandatory, [], "the component's defaults must pass the pack");
    });

    it("(b) type-checks a TypeScript program against the shipped declarations (node and node16 resolution)", async () => {
        const { output, errorLines } = await early.nodeResolution;
        assert.deepStrictEqual(
            errorLines.filter((e) => !e.startsWith("bad.ts(")),
            [],
            `moduleResolution node: errors outside bad.ts:\n${output}`,
        );
        const { status, output: node16 } = await early.node16Resolution;
        assert.strictEqual(status, 0, `moduleResolution node16:\n${node16}`);
    });

    it("(b) rejects wrong argument types, unknown enum values and missing required arguments", async () => {
        const { status, output, errorLines } = await early.nodeResolution;
        assert.notStrictEqual(status, 0, "bad.ts compiled");
        for (const line of [3, 4, 5]) {
            assert.ok(
                errorLines.some((e) => e.startsWith(`bad.ts(${line},`)),
                `no error on line ${line} of bad.ts:\n${output}`,
            );
        }
        assert.match(output, /AzurePublicCloud/);
        assert.match(output, /location/);
    });

    describe("(d) the README's commands, as an npm user runs them in a fresh project", () => {
        const npx = (args: string[]) =>
            spawnSync(
                process.execPath,
                [path.join(consumer, "node_modules", "secure-azureml", "bin", "secure-azureml.js"), ...args],
                {
                    cwd: consumer,
                    encoding: "utf8",
                    env: userEnv(),
                },
            );

        it("npx secure-azureml --version", () => {
            const result = npx(["--version"]);
            assert.strictEqual(result.status, 0, result.stderr);
            assert.strictEqual(
                result.stdout.trim(),
                JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")).version,
            );
        });

        it("npx secure-azureml plan --stack dev --example: the shipped example stack passes", async () => {
            const result = await early.examplePlan;
            assert.strictEqual(result.status, 0, result.stdout + result.stderr);
            assert.match(result.stdout, /^PASS: \d+ resources, 0 mandatory/m);
        });

        it("npx secure-azureml audit <preview> --policy-config node_modules/secure-azureml/policy/config/production.json", () => {
            const preview = path.join(repoRoot, "test", "fixtures", "insecure-stack-export.json");
            const result = npx([
                "audit",
                preview,
                "--quiet",
                "--policy-config",
                "node_modules/secure-azureml/policy/config/production.json",
            ]);
            assert.strictEqual(result.status, 1, result.stdout + result.stderr);
            assert.match(result.stdout, /^FAIL: \d+ resources, [1-9]\d* mandatory/m);
        });

        it("npx secure-azureml plan --stack dev in the user's own TypeScript project: type-checked with the shipped typescript, rendered, passed", async () => {
            const result = await early.userProjectPlan;
            assert.strictEqual(result.status, 0, result.stdout + result.stderr);
            assert.match(result.stdout, /^PASS: \d+ resources, 0 mandatory/m);
        });

        it("pulumi preview --policy-pack node_modules/secure-azureml/policy: the shipped pack's main starts the analyzer", async () => {
            const pack = path.join(consumer, "node_modules", "secure-azureml", "policy");
            // The pack's folder as the Pulumi CLI's policy runner loads it: its package.json's main, in its cwd.
            assert.match(await analyzerPortLine(pack, ["-e", "require(process.cwd())"]), /^\d+$/);
        });
    });

    it("(c) is a source-based Pulumi plugin as installed: its schema has both components", async () => {
        const installed = path.join(consumer, "node_modules", "secure-azureml");
        const schema = await buildSchema(installed);
        for (const component of ["SecureMlWorkspace", "MlNetwork"]) {
            const resource = schema.resources[`secure-azureml:index:${component}`];
            assert.ok(resource, `${component} missing from the installed package's schema`);
            assert.deepStrictEqual([...(resource.requiredInputs ?? [])].sort(), ["location", "resourceGroupName"]);
        }
    });
});

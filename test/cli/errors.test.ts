import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { fixture, projectWithStack, repoRoot, run, scratchDir } from "./helpers";

/** Every bad input exits 2 with one line on stderr naming the problem, and no stack trace. */
describe("cli: bad usage and unreadable input exit 2 with one line", () => {
    const scratch = scratchDir();
    const write = (name: string, text: string) => {
        const file = path.join(scratch, name);
        fs.writeFileSync(file, text);
        return file;
    };
    const location = "config:\n  azure-native:location: westeurope\n";

    const cases: { title: string; argv: () => string[]; root?: () => string; message: RegExp }[] = [
        {
            title: "unknown stack (lists the known ones)",
            argv: () => ["plan", "--stack", "qa"],
            message: /^error: unknown stack "qa": .*known stacks: dev, managed, prod, staging$/,
        },
        {
            title: "missing --stack",
            argv: () => ["plan"],
            message: /required option '-s, --stack <name>' not specified/,
        },
        {
            title: "unknown flag",
            argv: () => ["plan", "--stack", "dev", "--jsn", "x"],
            message: /unknown option '--jsn'/,
        },
        { title: "unknown command", argv: () => ["apply"], message: /unknown command 'apply'/ },
        { title: "no command", argv: () => [], message: /missing command/ },
        { title: "audit without a file", argv: () => ["audit"], message: /missing required argument 'file'/ },
        {
            title: "missing file",
            argv: () => ["audit", path.join(scratch, "nope.json")],
            message: /nope\.json: no such file$/,
        },
        { title: "a directory", argv: () => ["audit", scratch], message: /is a directory/ },
        {
            title: "malformed JSON",
            argv: () => ["audit", write("bad.json", '{"version": 3, ')],
            message: /bad\.json: not valid JSON: /,
        },
        {
            title: "a file of another format",
            argv: () => ["audit", path.join(repoRoot, "package.json")],
            message:
                /package\.json: not a plan JSON, a `pulumi stack export` \(version 3 or 4\), a Pulumi checkpoint or a `pulumi preview --json` file$/,
        },
        {
            title: "an old stack export",
            argv: () => ["audit", write("v1.json", JSON.stringify({ version: 1, deployment: { resources: [] } }))],
            message: /stack export version 1 is not supported/,
        },
        {
            title: "malformed policy config",
            argv: () => ["audit", fixture("small-plan.json"), "--policy-config", write("pc.json", "[1,")],
            message: /pc\.json: not valid JSON/,
        },
        {
            title: "policy config naming no policy of the pack",
            argv: () => [
                "audit",
                fixture("small-plan.json"),
                "--policy-config",
                write("unknown-policy.json", JSON.stringify({ "no-such-policy": "mandatory" })),
            ],
            message: /^error: policy config: .*no-such-policy/,
        },
        {
            title: "policy config that is not an object",
            argv: () => ["audit", fixture("small-plan.json"), "--policy-config", write("array.json", "[]")],
            message: /array\.json: a policy config must be a JSON object/,
        },
        {
            title: "malformed stack YAML",
            argv: () => ["plan", "--stack", "bad"],
            root: () => projectWithStack("bad", "config:\n  azure-native:location: [westeurope\n"),
            message: /Pulumi\.bad\.yaml: not valid YAML: /,
        },
        {
            title: "unknown config key (with a suggestion)",
            argv: () => ["plan", "--stack", "dev"],
            root: () => projectWithStack("dev", `${location}  secure-azureml:adressSpace: 10.0.0.0/16\n`),
            message: /unknown config key "secure-azureml:adressSpace"; did you mean "secure-azureml:addressSpace"\?$/,
        },
        {
            title: "unknown config key in another namespace",
            argv: () => ["plan", "--stack", "dev"],
            root: () => projectWithStack("dev", `${location}  aws:region: us-east-1\n`),
            message: /unknown config key "aws:region"/,
        },
        {
            title: "unknown bare config key (project namespace)",
            argv: () => ["plan", "--stack", "dev"],
            root: () => projectWithStack("dev", `${location}  gpuCluster: true\n`),
            message: /unknown config key "secure-azureml:gpuCluster"/,
        },
        {
            title: "config value of the wrong type",
            argv: () => ["plan", "--stack", "dev"],
            root: () => projectWithStack("dev", `${location}  secure-azureml:enableBastion: sometimes\n`),
            message: /config key "secure-azureml:enableBastion" must be true or false, got "sometimes"$/,
        },
        {
            title: "missing azure-native:location",
            argv: () => ["plan", "--stack", "dev"],
            root: () => projectWithStack("dev", "config:\n  secure-azureml:hbiWorkspace: true\n"),
            message: /missing required config key "azure-native:location"/,
        },
        {
            title: "config the component rejects (Docker's bridge range)",
            argv: () => ["plan", "--stack", "dev"],
            root: () => projectWithStack("dev", `${location}  secure-azureml:addressSpace: 172.17.0.0/16\n`),
            message:
                /^error: stack "dev": the program failed: SecureMlWorkspace: addressSpace = "172\.17\.0\.0\/16": overlaps 172\.17\.0\.0\/16/,
        },
        {
            title: "config the component rejects (unknown region)",
            argv: () => ["plan", "--stack", "dev"],
            root: () => projectWithStack("dev", "config:\n  azure-native:location: mars\n"),
            message: /^error: stack "dev": the program failed: SecureMlWorkspace: location = "mars"/,
        },
        {
            title: "a stack file that is not a mapping",
            argv: () => ["plan", "--stack", "dev"],
            root: () => projectWithStack("dev", "- a\n- b\n"),
            message: /not a stack config file/,
        },
    ];

    for (const c of cases) {
        it(c.title, async () => {
            const result = await run(c.argv(), c.root?.());
            assert.strictEqual(result.code, 2, `exit code; stderr: ${result.stderr}`);
            const lines = result.stderr.split("\n").filter((l) => l !== "");
            assert.strictEqual(lines.length, 1, `one line on stderr, got:\n${result.stderr}`);
            assert.match(lines[0], c.message);
            assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace");
        });
    }

    it("--help exits 0 and lists both commands", async () => {
        const result = await run(["--help"]);
        assert.strictEqual(result.code, 0);
        assert.match(result.stdout, /plan \[options\]/);
        assert.match(result.stdout, /audit \[options\] <file>/);
    });
});

import * as assert from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fc from "fast-check";
import * as fs from "fs";
import * as path from "path";
import { Readable } from "stream";
import { decodeJsonBytes, findDuplicateKey } from "../../cli/formats/json-text";
import { fixture, npmScriptEnv, repoRoot, run, scratchDir, withEnv } from "./helpers";

/**
 * Input a careless user or an attacker would give `audit`: each is refused with exit 2 and one line,
 * promptly and with bounded memory, or read correctly.
 */
describe("cli: hostile and unusual input", () => {
    const scratch = scratchDir();
    const write = (name: string, content: string | Buffer) => {
        const file = path.join(scratch, name);
        fs.writeFileSync(file, content);
        return file;
    };
    const refused = async (argv: string[], message: RegExp, stdin?: NodeJS.ReadableStream) => {
        const result = await run(argv, undefined, stdin);
        assert.strictEqual(result.code, 2, `exit code; stdout: ${result.stdout}`);
        const lines = result.stderr.split("\n").filter((l) => l !== "");
        assert.strictEqual(lines.length, 1, `one line on stderr, got:\n${result.stderr}`);
        assert.match(lines[0], message);
    };
    const insecure = fs.readFileSync(fixture("insecure-stack-export.json"), "utf8");

    describe("duplicated keys", () => {
        it("refuses a duplicated top-level key whose last copy is empty (JSON.parse would keep only it)", async () => {
            const doc = JSON.parse(insecure);
            const text = `{"version": 3, "deployment": ${JSON.stringify(doc.deployment)}, "deployment": {"resources": []}}`;
            await refused(
                ["audit", write("dup-top.json", text)],
                /dup-top\.json: duplicated key "deployment" in \$; JSON\.parse would keep only the last copy/,
            );
        });

        it("refuses a duplicated key deep inside a resource, named by its path, escaped or not", async () => {
            const text = insecure.replace(
                '"allowBlobPublicAccess": true',
                '"allowBlobPublicAccess": true, "allow\\u0042lobPublicAccess": false',
            );
            assert.notStrictEqual(text, insecure, "the fixture has the property");
            await refused(
                ["audit", write("dup-deep.json", text)],
                /duplicated key "allowBlobPublicAccess" in \$\.deployment\.resources\[5\]\.inputs/,
            );
        });

        it("finds exactly the duplicates in generated documents (property test)", () => {
            const key = fc.string({ maxLength: 6 });
            fc.assert(
                fc.property(
                    fc.jsonValue(),
                    fc.dictionary(key, fc.jsonValue({ maxDepth: 2 }), { minKeys: 1 }),
                    (other, record) => {
                        const clean = JSON.stringify({ wrap: [other, record] });
                        assert.strictEqual(findDuplicateKey(clean), undefined);
                        const dupKey = Object.keys(record)[0];
                        const body = JSON.stringify(record).slice(1);
                        const dirty = `{"wrap":[${JSON.stringify(other)},{${JSON.stringify(dupKey)}:null,${body}]}`;
                        assert.deepStrictEqual(findDuplicateKey(dirty), { key: dupKey, path: "$.wrap[1]" });
                    },
                ),
                { numRuns: 300 },
            );
        });
    });

    describe("encodings", () => {
        const plan = fs.readFileSync(fixture("small-plan.json"), "utf8");
        const utf16be = (s: string) => {
            const b = Buffer.from(s, "utf16le");
            b.swap16();
            return b;
        };
        const variants: [string, Buffer][] = [
            ["utf8-bom", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(plan)])],
            [
                "utf16le-bom (Windows PowerShell `>`)",
                Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(plan, "utf16le")]),
            ],
            ["utf16be-bom", Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(plan)])],
            ["utf16le without a BOM", Buffer.from(plan, "utf16le")],
        ];
        it("decodes each to the same text", () => {
            for (const [name, bytes] of variants) assert.strictEqual(decodeJsonBytes(bytes, name), plan, name);
        });
        it("audits each with the same verdict as plain UTF-8", async () => {
            const plain = await run(["audit", fixture("small-plan.json"), "--json", "-"]);
            for (const [name, bytes] of variants) {
                const result = await run(["audit", write(`${name.replace(/\W+/g, "-")}.json`, bytes), "--json", "-"]);
                assert.strictEqual(result.code, plain.code, `${name}: ${result.stderr}`);
                assert.deepStrictEqual(JSON.parse(result.stdout).violations, JSON.parse(plain.stdout).violations, name);
            }
        });
    });

    describe("what is read", () => {
        // No writer ever opens the FIFO: a reader that blocked on it would never return, and mocha's
        // timeout is the hang guard (a time bound of our own would only measure the machine's load).
        it("refuses a FIFO instead of blocking on it", async function () {
            this.timeout(30000);
            const fifo = path.join(scratch, "preview.fifo");
            execFileSync("mkfifo", [fifo]);
            await refused(
                ["audit", fifo],
                /preview\.fifo: is a named pipe \(FIFO\); give a regular file, or `-` to read standard input/,
            );
        });

        it("refuses /dev/zero (a device) without reading it", async () => {
            await refused(["audit", "/dev/zero"], /^error: \/dev\/zero: is a device; /);
        });

        it("refuses a file larger than the input limit, and names the setting that raises it", async () => {
            const saved = process.env.SECURE_AZUREML_MAX_INPUT_MB;
            process.env.SECURE_AZUREML_MAX_INPUT_MB = "0.001";
            try {
                await refused(
                    ["audit", fixture("small-plan.json")],
                    /small-plan\.json: larger than the input limit of 0 MiB; set SECURE_AZUREML_MAX_INPUT_MB to raise it/,
                );
            } finally {
                if (saved === undefined) delete process.env.SECURE_AZUREML_MAX_INPUT_MB;
                else process.env.SECURE_AZUREML_MAX_INPUT_MB = saved;
            }
        });

        it("reads standard input for `-`, and stops an endless one at the limit", async () => {
            const ok = await run(
                ["audit", "-", "--quiet"],
                undefined,
                Readable.from([fs.readFileSync(fixture("small-plan.json"))]),
            );
            assert.match(ok.stdout, /^(PASS|FAIL): 8 resources/m);
            let produced = 0;
            const endless = new Readable({
                read() {
                    produced += 1 << 20;
                    this.push(Buffer.alloc(1 << 20, 0x20));
                },
            });
            const saved = process.env.SECURE_AZUREML_MAX_INPUT_MB;
            process.env.SECURE_AZUREML_MAX_INPUT_MB = "8";
            try {
                await refused(["audit", "-"], /^error: standard input: larger than the input limit of 8 MiB/, endless);
            } finally {
                if (saved === undefined) delete process.env.SECURE_AZUREML_MAX_INPUT_MB;
                else process.env.SECURE_AZUREML_MAX_INPUT_MB = saved;
            }
            assert.ok(produced <= 16 << 20, `read ${produced} bytes`);
        });

        it("resolves relative paths against the caller's directory (INIT_CWD under this package's npm scripts)", async () => {
            const fixtures = path.join(repoRoot, "test", "fixtures");
            const underNpm = await withEnv(npmScriptEnv(fixtures), () => run(["audit", "small-plan.json", "--quiet"]));
            assert.notStrictEqual(underNpm.code, 2, underNpm.stderr);
            // An INIT_CWD left by some other package's script is not the caller's directory.
            const other = await withEnv({ ...npmScriptEnv(fixtures), npm_package_name: "someone-else" }, () =>
                run(["audit", "small-plan.json", "--quiet"]),
            );
            assert.strictEqual(other.code, 2);
            assert.match(other.stderr, /^error: small-plan\.json: no such file$/m);
        });

        it("npm run audit from a subdirectory reads the file there (a real npm run)", function () {
            this.timeout(60000);
            const result = spawnSync("npm", ["run", "--silent", "audit", "--", "small-plan.json", "--quiet"], {
                cwd: path.join(repoRoot, "test", "fixtures"),
                env: { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}` },
                encoding: "utf8",
            });
            assert.notStrictEqual(result.status, 2, result.stderr);
            assert.match(result.stdout, /^(PASS|FAIL): 8 resources/m);
        });
    });

    describe("resources", () => {
        const plan = JSON.parse(fs.readFileSync(fixture("small-plan.json"), "utf8"));

        it("refuses duplicate URNs in a plan JSON and in a stack export", async () => {
            const dupPlan = { ...plan, resources: [...plan.resources, plan.resources[3]] };
            await refused(
                ["audit", write("dup-urn-plan.json", JSON.stringify(dupPlan))],
                /the URN urn:pulumi:dev::secure-azureml::.* appears more than once/,
            );
            const doc = JSON.parse(insecure);
            doc.deployment.resources.push(doc.deployment.resources[5]);
            await refused(
                ["audit", write("dup-urn-export.json", JSON.stringify(doc))],
                /the URN urn:pulumi:legacy::insecure-ml::azure-native:storage:StorageAccount::data appears more than once/,
            );
        });

        it("refuses a URN without a type part", async () => {
            const doc = JSON.parse(insecure);
            doc.deployment.resources[3].urn = "urn:pulumi:legacy::insecure-ml::compute-nsg";
            delete doc.deployment.resources[3].type;
            await refused(
                ["audit", write("no-type.json", JSON.stringify(doc))],
                /deployment\.resources\[3\]: "urn:pulumi:legacy::insecure-ml::compute-nsg" is not a Pulumi URN with a type part/,
            );
        });

        it("refuses zero resources in every format: nothing to audit", async () => {
            const empty: [string, unknown][] = [
                ["steps.json", { steps: [] }],
                ["export.json", { version: 3, deployment: { manifest: {}, resources: [] } }],
                ["checkpoint.json", { version: 3, checkpoint: { stack: "dev", latest: null } }],
                [
                    "plan.json",
                    {
                        ...plan,
                        resources: plan.resources.filter((r: { type: string }) => r.type === "pulumi:pulumi:Stack"),
                    },
                ],
            ];
            for (const [name, doc] of empty) {
                await refused(
                    ["audit", write(name, JSON.stringify(doc))],
                    new RegExp(
                        `${name.replace(".", "\\.")}: nothing to audit: it holds (no resources|only the stack)$`,
                    ),
                );
            }
        });
    });

    describe("plan --stack", () => {
        for (const stack of ["../../etc/passwd", "/tmp/x", "dev/../../x", "a\\b", "", "x".repeat(101), "dev prod"]) {
            it(`refuses the stack name ${JSON.stringify(stack.length > 20 ? stack.slice(0, 20) + "…" : stack)}`, async () => {
                await refused(
                    ["plan", "--stack", stack],
                    /^error: invalid stack name .*a stack name may only contain alphanumeric characters, hyphens, underscores or periods/,
                );
            });
        }
    });
});

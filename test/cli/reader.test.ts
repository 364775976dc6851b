import * as assert from "assert";
import * as fc from "fast-check";
import * as fs from "fs";
import * as path from "path";
import { normalise } from "../../cli/formats";
import { maskedSecret } from "../../policy/plan";
import { fixture, run, scratchDir } from "./helpers";

/**
 * The audit reader against real captures (test/fixtures/captures/README.md gives their provenance)
 * and the project's own fixtures changed the way Pulumi would write them.
 */
const load = (name: string) => JSON.parse(fs.readFileSync(fixture(name), "utf8"));
const capture = (name: string) => fixture(path.join("captures", name));
const sig = "4dabf18193072939515e22adb298388d";
const secretSig = "1b47061264138c4ac30d75fd1eb44270";

describe("cli: the audit reader on real Pulumi files", () => {
    const scratch = scratchDir();
    const write = (name: string, doc: unknown) => {
        const file = path.join(scratch, name);
        fs.writeFileSync(file, typeof doc === "string" ? doc : JSON.stringify(doc, null, 2));
        return file;
    };
    const oneLine = (stderr: string) => {
        const lines = stderr.split("\n").filter((l) => l !== "");
        assert.strictEqual(lines.length, 1, `one line on stderr, got:\n${stderr}`);
        return lines[0];
    };

    describe("stack exports and checkpoints", () => {
        it("reads the v3 export of Pulumi's REST API docs: project, stack, three resources, outputs-only stack kept empty", () => {
            const n = normalise(
                JSON.parse(fs.readFileSync(capture("pulumi-docs-rest-api-stack-export-v3.json"), "utf8")),
                "docs",
            );
            assert.deepStrictEqual(
                [n.format, n.project, n.stack],
                ["stack-export", "demo-aws-ts-webserver", "dev-user1"],
            );
            assert.deepStrictEqual(
                n.resources.map((r) => [r.type, r.id]),
                [
                    ["pulumi:pulumi:Stack", null],
                    ["pulumi:providers:aws", "d77c9fd7-1c06-427d-ba26-dbd8a8cbf91a"],
                    ["aws:ec2/vpc:Vpc", "vpc-04057e18647a66e24"],
                ],
            );
            assert.deepStrictEqual(
                n.resources[0].inputs,
                {},
                "the stack's outputs are program outputs, not properties",
            );
            assert.strictEqual(n.resources[2].inputs.cidrBlock, "10.0.0.0/16");
        });

        it("reads the v4 checkpoint of Pulumi's own testdata (features, checkpoint.latest, outputs-only resources)", () => {
            const n = normalise(
                JSON.parse(fs.readFileSync(capture("pulumi-testdata-checkpoint-v4.json"), "utf8")),
                "cp",
            );
            assert.deepStrictEqual([n.format, n.project, n.stack], ["checkpoint", "countdown", "foo"]);
            assert.strictEqual(n.resources.length, 6);
            const topic = n.resources.find((r) => r.name === "countDown")!;
            assert.strictEqual(topic.type, "aws:sns/topic:Topic");
            assert.strictEqual(topic.inputs.name, "countDown-9d430501c4510322", "outputs stand for the missing inputs");
            const component = n.resources.find((r) => r.type === "cloud:topic:Topic")!;
            assert.deepStrictEqual([component.custom, component.id, component.inputs], [false, null, {}]);
        });

        it("says plainly that a stack with no azure-native resource holds nothing the pack checks (exit 2)", async () => {
            for (const file of ["pulumi-docs-rest-api-stack-export-v3.json", "pulumi-testdata-checkpoint-v4.json"]) {
                const result = await run(["audit", capture(file)]);
                assert.strictEqual(result.code, 2, result.stdout);
                assert.match(
                    oneLine(result.stderr),
                    /nothing the policy pack checks: none of its \d+ resource\(s\) is an azure-native resource \(aws:/,
                );
            }
        });

        it("gives a v4 export the same verdict as the v3 one, and refuses unknown features and other versions", async () => {
            const v3 = load("small-stack-export.json");
            const v4 = { ...v3, version: 4, features: ["refreshBeforeUpdate"] };
            assert.deepStrictEqual(normalise(v4, "v4").resources, normalise(v3, "v3").resources);
            const checkpoint = { version: 4, features: ["taint"], checkpoint: { stack: "dev", latest: v3.deployment } };
            assert.deepStrictEqual(normalise(checkpoint, "cp").resources, normalise(v3, "v3").resources);
            assert.throws(
                () => normalise({ ...v4, features: ["timeTravel"] }, "x.json"),
                /x\.json: the stack export uses deployment features this reader does not know \(timeTravel\)/,
            );
            for (const version of [2, 5]) {
                assert.throws(
                    () => normalise({ ...v3, version }, "x.json"),
                    new RegExp(`stack export version ${version} is not supported \\(expected 3 or 4`),
                );
            }
        });

        it("leaves out pending deletes and pending replacements, keeps external resources by their outputs, and says so", async () => {
            const doc = load("small-stack-export.json");
            const resources = doc.deployment.resources;
            const vnet = resources.find((r: { urn: string }) => r.urn.endsWith("::ml-vnet"));
            vnet.external = true;
            const nsg = resources.find((r: { urn: string }) => r.urn.endsWith("::ml-training-nsg"));
            nsg.pendingReplacement = true;
            doc.deployment.pending_operations = [{ resource: { ...nsg }, type: "creating" }];
            const n = normalise(doc, "x");
            assert.ok(!n.resources.some((r) => r.name === "ml-training-nsg"));
            assert.deepStrictEqual(
                n.resources.filter((r) => r.external === true).map((r) => r.name),
                ["ml-vnet"],
            );
            assert.deepStrictEqual(n.notes, [
                "1 resource(s) pending deletion (old copies of replaced resources) left out",
                "1 resource(s) pending replacement (deleted, not yet re-created) left out",
                "1 external resource(s) (read with .get(), not managed by this stack) judged by their outputs where the stack refers to them, not by resource rules",
                "1 pending operation(s): an update was interrupted, and the resources it was creating or changing may differ from this state; run `pulumi refresh` and export again",
            ]);
            const result = await run(["audit", write("notes.json", doc)]);
            assert.match(result.stderr, /^note: .*notes\.json: 1 external resource\(s\)/m);
        });

        it('turns a ciphertext secret into "[secret]", opens a --show-secrets plaintext, keeps the preview\'s mask', () => {
            const doc = load("small-stack-export.json");
            const sa = doc.deployment.resources.find(
                (r: { urn: string; delete?: boolean }) => r.urn.endsWith("::ml-sa") && !r.delete,
            );
            sa.inputs.minimumTlsVersion = { [sig]: secretSig, ciphertext: "v1:AAAA:BBBB" };
            sa.inputs.kind = { [sig]: secretSig, plaintext: '"StorageV2"' };
            sa.inputs.tags = { env: maskedSecret };
            const read = normalise(doc, "x").resources.find((r) => r.name === "ml-sa")!;
            assert.deepStrictEqual(
                [read.inputs.minimumTlsVersion, read.inputs.kind, read.inputs.tags],
                [maskedSecret, "StorageV2", { env: maskedSecret }],
            );
        });
    });

    describe("previews", () => {
        it("takes ids from oldState for same and update steps, and none after a replacement", () => {
            const n = normalise(load("small-preview.json"), "p");
            const plan = normalise(load("small-plan.json"), "plan");
            const ids = (rs: typeof n.resources) => Object.fromEntries(rs.map((r) => [r.urn, r.id]));
            assert.deepStrictEqual(ids(n.resources), ids(plan.resources));
            const doc = load("small-preview.json");
            assert.ok(
                doc.steps.every(
                    (s: { op: string; newState?: { id?: string } }) =>
                        !["same", "update"].includes(s.op) || !s.newState?.id,
                ),
                "like the engine's, the fixture's new states of same/update steps carry no id",
            );
        });

        it("refuses a preview without --show-sames: N of M resources (exit 2), audits it with --allow-partial and says so", async () => {
            const doc = load("small-preview.json");
            const kept = doc.steps.filter((s: { op: string; urn: string }, i: number) => !(s.op === "same" && i > 0));
            const partial = write("partial.json", { ...doc, steps: kept });
            const all = normalise(doc, "x").resources.length;
            const shown = normalise({ ...doc, steps: kept }, "x").resources.length;
            const refused = await run(["audit", partial]);
            assert.strictEqual(refused.code, 2);
            assert.match(
                oneLine(refused.stderr),
                new RegExp(`partial\\.json: partial preview: ${shown} of ${all} resources; rerun with --show-sames`),
            );
            const allowed = await run(["audit", partial, "--allow-partial"]);
            assert.notStrictEqual(allowed.code, 2, allowed.stderr);
            assert.match(
                allowed.stderr,
                new RegExp(
                    `^warning: .*partial preview: ${shown} of ${all} resources; .*stack policies ran on this fragment only$`,
                    "m",
                ),
            );
        });

        it("refuses a preview without changeSummary and one that reported errors, unless --allow-partial", async () => {
            const doc = load("small-preview.json");
            const noSummary = write("nosummary.json", { ...doc, changeSummary: undefined });
            const r1 = await run(["audit", noSummary]);
            assert.strictEqual(r1.code, 2);
            assert.match(oneLine(r1.stderr), /has no changeSummary, so whether it holds every resource cannot be told/);
            const failed = write("failed.json", {
                ...doc,
                diagnostics: [
                    { message: "info only", severity: "info" },
                    {
                        urn: doc.steps[0].urn,
                        message: "error: Program failed with an unhandled exception:\nTypeError: x",
                        severity: "error",
                    },
                ],
            });
            const r2 = await run(["audit", failed]);
            assert.strictEqual(r2.code, 2);
            assert.match(
                oneLine(r2.stderr),
                /the preview reported 1 error\(s\) and stops where it failed: urn:pulumi:.*: error: Program failed with an unhandled exception:; fix them/,
            );
            const r3 = await run(["audit", failed, "--allow-partial"]);
            assert.notStrictEqual(r3.code, 2);
            assert.match(r3.stderr, /^warning: .*the preview reported 1 error/m);
        });

        it("keeps resources read with .get() (op read) by their outputs, marked external, as in an export, and says so", () => {
            const doc = load("small-preview.json");
            const step = doc.steps.find((s: { urn: string }) => s.urn.endsWith("::ml-vnet"));
            step.op = "read";
            step.newState.external = true;
            const n = normalise(doc, "x");
            assert.deepStrictEqual(
                n.resources.filter((r) => r.external === true).map((r) => r.name),
                ["ml-vnet"],
            );
            assert.deepStrictEqual(n.notes, [
                "1 external resource(s) (read with .get(), not managed by this stack) judged by their outputs where the stack refers to them, not by resource rules",
            ]);
        });

        it("counts exactly the unchanged resources a preview left out, whatever the mix of steps (property test)", () => {
            const ops = ["same", "update", "create", "replace", "delete"] as const;
            fc.assert(
                fc.property(
                    fc.array(fc.record({ op: fc.constantFrom(...ops), shown: fc.boolean() }), { maxLength: 25 }),
                    (specs) => {
                        const urn = (i: number) => `urn:pulumi:dev::p::azure-native:storage:StorageAccount::sa${i}`;
                        const stackUrn = "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev";
                        const state = (u: string, type: string, id?: string) => ({
                            urn: u,
                            type,
                            custom: true,
                            id,
                            inputs: {},
                        });
                        const steps: unknown[] = [
                            {
                                op: "same",
                                urn: stackUrn,
                                newState: { ...state(stackUrn, "pulumi:pulumi:Stack"), custom: false },
                            },
                        ];
                        const summary: Record<string, number> = { same: 1 };
                        let hidden = 0;
                        specs.forEach(({ op, shown }, i) => {
                            summary[op] = (summary[op] ?? 0) + 1;
                            if (op === "same" && !shown) {
                                hidden++; // what `pulumi preview --json` without --show-sames leaves out
                                return;
                            }
                            const old =
                                op === "create"
                                    ? undefined
                                    : state(urn(i), "azure-native:storage:StorageAccount", `/sa/${i}`);
                            const next =
                                op === "delete" ? undefined : state(urn(i), "azure-native:storage:StorageAccount");
                            steps.push({ op, urn: urn(i), oldState: old, newState: next });
                        });
                        const n = normalise({ steps, changeSummary: summary }, "gen");
                        const kept =
                            specs.filter((s) => s.op !== "delete" && !(s.op === "same" && !s.shown)).length + 1;
                        assert.strictEqual(n.resources.length, kept);
                        assert.strictEqual(n.total! - n.resources.length, hidden);
                        specs.forEach(({ op, shown }, i) => {
                            const r = n.resources.find((x) => x.urn === urn(i));
                            if (op === "delete" || (op === "same" && !shown)) assert.strictEqual(r, undefined);
                            else
                                assert.strictEqual(
                                    r!.id,
                                    op === "same" || op === "update" ? `/sa/${i}` : null,
                                    `${op} ${i}`,
                                );
                        });
                    },
                ),
                { numRuns: 200 },
            );
        });

        it("refuses two steps of one URN that are not one replacement", () => {
            const doc = load("small-preview.json");
            const same = doc.steps.find((s: { op: string }) => s.op === "same");
            assert.throws(
                () => normalise({ ...doc, steps: [...doc.steps, same] }, "d.json"),
                /d\.json: the URN urn:pulumi:dev::secure-azureml::pulumi:pulumi:Stack::secure-azureml-dev has steps "same" and "same"/,
            );
        });
    });

    describe("outputs-only resources (imported or refreshed)", () => {
        const outputsOnly = (doc: { deployment: { resources: Record<string, unknown>[] } }, name: string) => {
            const r = doc.deployment.resources.find((x) => (x.urn as string).endsWith(`::${name}`) && !x.delete)!;
            r.outputs = { ...(r.inputs as object), id: r.id, name };
            r.inputs = {};
        };

        it("gives a compliant stack the same verdict when its storage account has only outputs", async () => {
            const doc = load("small-stack-export.json");
            outputsOnly(doc, "ml-sa");
            const before = await run(["audit", fixture("small-stack-export.json"), "--json", "-"]);
            const after = await run(["audit", write("outputs-only-ok.json", doc), "--json", "-"]);
            assert.strictEqual(after.code, before.code);
            assert.deepStrictEqual(JSON.parse(after.stdout).violations, JSON.parse(before.stdout).violations);
        });

        it("still catches the insecure storage account of an outputs-only export with the right rule", async () => {
            const doc = load("insecure-stack-export.json");
            outputsOnly(doc, "data");
            const result = await run(["audit", write("outputs-only-bad.json", doc), "--json", "-"]);
            assert.strictEqual(result.code, 1);
            const failing = JSON.parse(result.stdout).violations.filter(
                (v: { urn: string; enforcementLevel: string }) =>
                    v.urn?.endsWith("::data") && v.enforcementLevel === "mandatory",
            );
            const policies = failing.map((v: { policy: string }) => v.policy);
            assert.ok(policies.includes("storage-default-deny"), policies.join(", "));
            assert.ok(policies.includes("storage-no-blob-public-access"), policies.join(", "));
        });
    });
});

import * as assert from "assert";
import * as fs from "fs";
import { detectFormat, normalise } from "../../cli/formats";
import { PlanResource, unknownValue } from "../../policy/plan";
import { fixture } from "./helpers";

const load = (name: string) => JSON.parse(fs.readFileSync(fixture(name), "utf8"));
const byUrn = (rs: PlanResource[]) => [...rs].sort((a, b) => a.urn.localeCompare(b.urn));

describe("cli: audit input formats", () => {
    const plan = normalise(load("small-plan.json"), "small-plan.json");
    const exported = normalise(load("small-stack-export.json"), "small-stack-export.json");
    const preview = normalise(load("small-preview.json"), "small-preview.json");

    it("detects each format", () => {
        assert.deepStrictEqual([plan.format, exported.format, preview.format], ["plan", "stack-export", "preview"]);
    });

    it("normalises a plan JSON, a stack export and a preview to the same resources", () => {
        assert.strictEqual(plan.resources.length, 8);
        assert.deepStrictEqual(byUrn(exported.resources), byUrn(plan.resources));
        assert.deepStrictEqual(byUrn(preview.resources), byUrn(plan.resources));
    });

    it("reads project and stack from the stack resource's URN", () => {
        for (const n of [plan, exported, preview]) {
            assert.deepStrictEqual([n.project, n.stack], ["secure-azureml", "dev"]);
        }
    });

    it("keeps the stack resource, drops pending deletes, deleted and replaced-away resources", () => {
        for (const n of [exported, preview]) {
            assert.ok(n.resources.some((r) => r.type === "pulumi:pulumi:Stack"));
            assert.ok(!n.resources.some((r) => r.urn.endsWith("ml-old-pip")));
            assert.strictEqual(n.resources.filter((r) => r.urn.endsWith("::ml-sa")).length, 1);
            assert.ok(!n.resources.some((r) => r.id?.endsWith("/oldsa")));
        }
    });

    it('turns an unreadable secret into "[secret]" and a --show-secrets one into its value', () => {
        const sa = exported.resources.find((r) => r.name === "ml-sa")!;
        assert.deepStrictEqual(sa.inputs.tags, { owner: "[secret]" });
        const doc = load("small-stack-export.json");
        const raw = doc.deployment.resources.find((r: { urn: string }) => r.urn.endsWith("::ml-sa"));
        raw.inputs.tags.owner = {
            "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
            plaintext: '"alice"',
        };
        const shown = normalise(doc, "x").resources.find((r) => r.name === "ml-sa")!;
        assert.deepStrictEqual(shown.inputs.tags, { owner: "alice" });
    });

    it("keeps unknown values of a preview as the sentinel and makes an unknown id null", () => {
        const doc = load("small-preview.json");
        const step = doc.steps.find((s: { urn: string }) => s.urn.endsWith("::ml-blob-pe"));
        step.op = "create";
        delete step.oldState;
        delete step.newState.id;
        step.newState.inputs.subnet.id = unknownValue;
        const pe = normalise(doc, "x").resources.find((r) => r.name === "ml-blob-pe")!;
        assert.strictEqual(pe.id, null);
        assert.deepStrictEqual(pe.inputs.subnet, { id: unknownValue });
        assert.deepStrictEqual(pe.propertyDependencies.subnet.length, 1);
    });

    it("recognises nothing else", () => {
        for (const doc of [{}, [], "text", 3, { name: "pkg", version: "1.0.0" }, { resources: {} }]) {
            assert.strictEqual(detectFormat(doc), undefined, JSON.stringify(doc));
            assert.throws(
                () => normalise(doc, "f.json"),
                /f\.json: not a plan JSON, a `pulumi stack export` \(version 3 or 4\), a Pulumi checkpoint or a `pulumi preview --json` file/,
            );
        }
        assert.throws(
            () => normalise({ version: 2, deployment: { resources: [] } }, "old.json"),
            /stack export version 2 is not supported/,
        );
        assert.throws(
            () => normalise({ schemaVersion: 7, resources: [] }, "p.json"),
            /schemaVersion 7 is not supported/,
        );
        assert.throws(
            () => normalise({ steps: [{ op: "same", newState: { type: "x" } }] }, "p.json"),
            /steps\[0\]: not a resource \(no "urn"\)/,
        );
    });
});

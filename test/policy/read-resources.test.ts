import * as assert from "assert";
import { normalise } from "../../cli/formats";
import { PlanResource } from "../../policy/plan";
import { runPack } from "../../policy/runner";
import { T, clone, secureStack, summary, violationsOf } from "./helpers";

/**
 * Resources read with `.get()` (issue 19): a stack export keeps them as `external: true` with
 * outputs only, a preview as op "read". The workspace refers to them, so the stack rules judge them by
 * their outputs; no resource rule judges them on their own (they are not this stack's to fix).
 */

/** The compliant hand-built stack as `pulumi stack export` writes it, its key vault read with `Vault.get()`. */
function exportWithReadVault(mutateVault: (outputs: Record<string, unknown>) => void = () => {}) {
    const resources = secureStack().map((r: PlanResource) => {
        const state: Record<string, unknown> = {
            urn: r.urn,
            custom: r.custom,
            type: r.type,
            id: r.id ?? undefined,
            parent: r.parent ?? undefined,
            inputs: clone(r.inputs),
            outputs: { ...clone(r.inputs), id: r.id },
            dependencies: r.dependencies,
            propertyDependencies: r.propertyDependencies,
        };
        if (r.type !== T.vault) return state;
        // A read resource: external, no inputs, the provider's outputs, no dependencies.
        const outputs = state.outputs as Record<string, unknown>;
        mutateVault(outputs);
        return { urn: r.urn, custom: true, type: r.type, id: r.id, external: true, outputs };
    });
    return { version: 3, deployment: { manifest: {}, resources } };
}

/** The same stack as a preview whose step for the key vault is a read. */
function previewWithReadVault() {
    const steps = secureStack().map((r: PlanResource) => {
        const newState = {
            urn: r.urn,
            custom: r.custom,
            type: r.type,
            id: r.id ?? undefined,
            inputs: clone(r.inputs),
            outputs: {},
            dependencies: r.dependencies,
            propertyDependencies: r.propertyDependencies,
        };
        if (r.type !== T.vault) return { op: "same", urn: r.urn, oldState: newState, newState };
        const read = { urn: r.urn, custom: true, type: r.type, id: r.id, inputs: {}, outputs: { ...clone(r.inputs) } };
        return { op: "read", urn: r.urn, newState: read };
    });
    return { steps, changeSummary: { same: steps.length - 1, read: 1 } };
}

describe("resources read with .get()", () => {
    it("a stack export's compliant read key vault passes ml-dependencies-isolated, judged by its outputs", async () => {
        const n = normalise(exportWithReadVault(), "export.json");
        const vault = n.resources.find((r) => r.type === T.vault)!;
        assert.strictEqual(vault.external, true);
        assert.strictEqual((vault.inputs.properties as Record<string, unknown>).publicNetworkAccess, "disabled");
        assert.deepStrictEqual(n.notes, [
            "1 external resource(s) (read with .get(), not managed by this stack) judged by their outputs where the stack refers to them, not by resource rules",
        ]);
        const vs = await violationsOf("ml-dependencies-isolated", n.resources);
        assert.strictEqual(vs.length, 0, summary(vs));
        // The whole pack: the read vault changes nothing in the verdict of the compliant stack.
        const all = (await runPack(n.resources)).filter((v) => v.enforcementLevel === "mandatory");
        assert.strictEqual(all.length, 0, summary(all));
    });

    it("a read key vault open to the public fails ml-dependencies-isolated on the workspace, not resource rules on the vault", async () => {
        const n = normalise(
            exportWithReadVault((o) => {
                (o.properties as Record<string, unknown>).publicNetworkAccess = "Enabled";
                (o.properties as Record<string, unknown>).networkAcls = { defaultAction: "Allow" };
            }),
            "export.json",
        );
        const vs = await violationsOf("ml-dependencies-isolated", n.resources);
        assert.ok(vs.length >= 1, summary(vs));
        for (const v of vs) {
            assert.strictEqual(v.urn, n.resources.find((r) => r.type === T.workspace)!.urn);
            assert.match(v.message, /its keyVault fails keyvault-/);
        }
        const vault = n.resources.find((r) => r.type === T.vault)!;
        const onVault = (await runPack(n.resources)).filter((v) => v.urn === vault.urn);
        assert.deepStrictEqual(onVault, [], summary(onVault));
    });

    it('a preview\'s op "read" key vault is kept by its outputs and passes ml-dependencies-isolated', async () => {
        const n = normalise(previewWithReadVault(), "preview.json");
        const vault = n.resources.find((r) => r.type === T.vault)!;
        assert.strictEqual(vault.external, true);
        assert.strictEqual(vault.id, secureStack().find((r) => r.type === T.vault)!.id);
        const vs = await violationsOf("ml-dependencies-isolated", n.resources);
        assert.strictEqual(vs.length, 0, summary(vs));
    });
});

import * as assert from "assert";
import { runPack } from "../../policy/runner";
import { firstPreview, summary } from "./helpers";
import { mutations, verdict } from "./mutation-table";

/**
 * Issue 13's mutation table (test/policy/mutation-table.ts): each single misconfiguration is caught by
 * the named policy at the named level, and each compliant variant stays clean. Every case runs twice:
 * with ids (an update, a stack export) and as a first preview (ids unknown), where nothing may become
 * mandatory that is not mandatory with ids.
 */
describe("mutation table (issue 13)", () => {
    for (const m of mutations) {
        it(`[${m.klass}] ${m.label} → ${m.level ?? "compliant"} ${m.policy}`, async () => {
            const stack = m.build();
            const vs = await runPack(stack, m.config);
            const { ok, got } = verdict(m, vs);
            assert.ok(
                ok,
                `expected ${m.level ?? "nothing"} from ${m.policy}${m.includes ? ` with ${JSON.stringify(m.includes)}` : ""}; got:\n${summary(got)}`,
            );
            // Compliant variants are clean of every mandatory violation, not only of this policy's.
            if (m.level === null) assert.strictEqual(summary(vs.filter((v) => v.enforcementLevel === "mandatory")), "");
            const preview = await runPack(firstPreview(stack), m.config);
            const mandatoryWithIds = new Set(vs.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.policy));
            const extra = preview.filter((v) => v.enforcementLevel === "mandatory" && !mandatoryWithIds.has(v.policy));
            assert.strictEqual(summary(extra), "", "a first preview adds no mandatory violation");
        });
    }
});

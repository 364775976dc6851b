// The module graph has no cycle, type-only imports included: each concern's Args live in a module that
// the plan and the component both import (network/network-args.ts, workspace/secure-workspace-args.ts),
// so no plan imports its component back. A cycle makes load order decide which side sees `undefined`.
import * as assert from "assert";
import { parseCircular, parseDependencyTree } from "dpdm";
import { repoRoot } from "../../scripts/schema";

/** Every entry point: the package, the pack, the CLI, the program and the scripts. */
const entries = [
    "index.ts",
    "policy/index.ts",
    "policy/runner.ts",
    "cli/main.ts",
    "stacks/index.ts",
    "scripts/api-docs.ts",
    "bench/main.ts",
];

describe("module graph", function () {
    this.timeout(120_000);

    it("has no import cycle, counting `import type`", async () => {
        const tree = await parseDependencyTree(entries, {
            context: repoRoot,
            // false: keep type-only imports, which TypeScript erases but which still tie two modules' designs.
            transform: false,
            skipDynamicImports: false,
            tsconfig: "tsconfig.json",
        });
        const ours = Object.keys(tree).filter((file) => !file.includes("node_modules"));
        assert.ok(
            ours.some((f) => f.endsWith("components/network/network-plan.ts")),
            `the graph reaches the components (${ours.length} files)`,
        );
        const cycles = parseCircular(tree, false).filter((cycle) => cycle.every((f) => !f.includes("node_modules")));
        assert.deepStrictEqual(cycles, [], cycles.map((c) => c.join(" → ")).join("\n"));
    });
});

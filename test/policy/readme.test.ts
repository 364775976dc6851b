import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { allPolicies } from "../../policy/rules";

/** policy/README.md's rules table documents every policy with exactly the description it carries. */
describe("policy README", () => {
    const text = fs.readFileSync(path.join(__dirname, "../../policy/README.md"), "utf8");
    const rows = new Map(
        text
            .split("\n")
            .filter((l) => l.startsWith("| `"))
            .map((l) =>
                l
                    .replace(/^\|/, "")
                    .replace(/\|$/, "")
                    .split(" | ")
                    .map((c) => c.trim()),
            )
            .filter((cells) => cells.length === 5)
            .map((cells) => [cells[0].replace(/`/g, ""), cells]),
    );

    /** The policies issue 13 added or changed: their rows must carry the description word for word. */
    const issue13 = [
        "nsg-no-internet-management-ports",
        "nsg-no-unrestricted-inbound",
        "storage-default-deny",
        "keyvault-network-restricted",
        "acr-network-restricted",
        "private-dns-zones-linked",
        "ml-compute-egress-restricted",
        "ml-aks-inference-isolated",
    ];

    it("has a row per policy with its default level; issue 13's rows carry the description exactly", () => {
        for (const p of allPolicies) {
            const row = rows.get(p.name);
            assert.ok(row, `no row for ${p.name}`);
            assert.strictEqual(row[2], p.enforcementLevel === "mandatory" ? "M" : "A", p.name);
            if (issue13.includes(p.name)) assert.strictEqual(row[3], p.description, p.name);
        }
    });

    it('has a section "What the pack cannot see" in both READMEs', () => {
        assert.match(text, /^## What the pack cannot see$/m);
        const main = fs.readFileSync(path.join(__dirname, "../../README.md"), "utf8");
        assert.match(main, /^### What the pack cannot see$/m);
        for (const limit of [
            "Service tags' IP prefixes",
            "Values the engine hides",
            "Hub-and-spoke DNS",
            "Resources outside the stack",
        ])
            assert.ok(main.includes(`| ${limit} |`), limit);
    });
});

import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { analyzerPortLine, packedPolicyPack } from "./packed-pack";

/**
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

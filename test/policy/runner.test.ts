import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PlanResource } from "../../policy/plan";
import { PolicyConfigError, reconcileConfig, runPack } from "../../policy/runner";
import { allPolicies } from "../../policy/rules";
import { clone, find, names, secureStack, setInput, summary, withoutJourneys } from "./helpers";

/** runPack: config reconciliation like the CLI's, the violation shape, and scale. */

function slightlyInsecure(): PlanResource[] {
    const s = clone(secureStack());
    setInput(find(s, "storage"), "allowSharedKeyAccess", true); // advisory storage-no-shared-key
    setInput(find(s, "registry"), "adminUserEnabled", true); // mandatory acr-admin-disabled
    return s;
}

describe("runPack", () => {
    it("reports each violation as {policy, enforcementLevel, severity, urn, message}", async () => {
        const vs = withoutJourneys(await runPack(slightlyInsecure()));
        assert.deepStrictEqual(
            vs.map((v) => Object.keys(v).sort()),
            vs.map(() => ["enforcementLevel", "message", "policy", "severity", "urn"]),
        );
        assert.deepStrictEqual(
            vs.map((v) => [v.policy, v.enforcementLevel, v.severity]),
            [
                ["storage-no-shared-key", "advisory", "medium"],
                ["acr-admin-disabled", "mandatory", "high"],
                ["ml-dependencies-isolated", "mandatory", "high"],
            ],
        );
        assert.strictEqual(vs[1].urn, find(slightlyInsecure(), "registry").urn);
    });

    const configs: [string, Record<string, unknown>, [string, string][]][] = [
        [
            "defaults",
            {},
            [
                ["storage-no-shared-key", "advisory"],
                ["acr-admin-disabled", "mandatory"],
                ["ml-dependencies-isolated", "mandatory"],
            ],
        ],
        [
            "all: mandatory",
            { all: "mandatory" },
            [
                ["storage-no-shared-key", "mandatory"],
                ["acr-admin-disabled", "mandatory"],
                ["ml-dependencies-isolated", "mandatory"],
            ],
        ],
        [
            "all: {enforcementLevel: advisory}",
            { all: { enforcementLevel: "advisory" } },
            [
                ["storage-no-shared-key", "advisory"],
                ["acr-admin-disabled", "advisory"],
                ["ml-dependencies-isolated", "advisory"],
            ],
        ],
        [
            "a policy disabled",
            { "acr-admin-disabled": "disabled" },
            [
                ["storage-no-shared-key", "advisory"],
                ["ml-dependencies-isolated", "mandatory"],
            ],
        ],
        [
            "all mandatory, one advisory",
            { all: "mandatory", "storage-no-shared-key": "advisory" },
            [
                ["storage-no-shared-key", "advisory"],
                ["acr-admin-disabled", "mandatory"],
                ["ml-dependencies-isolated", "mandatory"],
            ],
        ],
        [
            "{enforcementLevel} object",
            { "acr-admin-disabled": { enforcementLevel: "advisory" } },
            [
                ["storage-no-shared-key", "advisory"],
                ["acr-admin-disabled", "advisory"],
                ["ml-dependencies-isolated", "mandatory"],
            ],
        ],
        [
            "remediate is reported as mandatory",
            { "storage-no-shared-key": "remediate" },
            [
                ["storage-no-shared-key", "mandatory"],
                ["acr-admin-disabled", "mandatory"],
                ["ml-dependencies-isolated", "mandatory"],
            ],
        ],
        ["all disabled", { all: "disabled" }, []],
    ];
    for (const [label, config, expected] of configs) {
        it(`honours the config: ${label}`, async () => {
            const vs = withoutJourneys(await runPack(slightlyInsecure(), config));
            assert.deepStrictEqual(
                vs.map((v) => [v.policy, v.enforcementLevel]),
                expected,
            );
        });
    }

    it("overlays config properties on the schema defaults", () => {
        const r = reconcileConfig(allPolicies, { "storage-private-endpoints": { requiredGroupIds: ["blob"] } });
        assert.deepStrictEqual(r.get("storage-private-endpoints")!.properties, { requiredGroupIds: ["blob"] });
        assert.deepStrictEqual(r.get("storage-min-tls")!.properties, { minimumTlsVersion: "TLS1_2" });
        assert.deepStrictEqual(r.get("ml-compute-no-public-ip")!.properties, { allowNodePublicIp: false });
    });

    const bad: [string, Record<string, unknown>, RegExp][] = [
        ["an unknown policy", { "no-such-policy": "mandatory" }, /unknown policy "no-such-policy"/],
        ["a bad level", { "storage-min-tls": "strict" }, /enforcement level must be one of/],
        ["a bad all", { all: "everything" }, /all: enforcement level/],
        ["an unknown property", { "storage-min-tls": { minimum: "TLS1_2" } }, /unknown config property "minimum"/],
        ["a value outside the enum", { "storage-min-tls": { minimumTlsVersion: "SSL3" } }, /does not match/],
        ["a wrongly typed value", { "ml-compute-no-public-ip": { allowNodePublicIp: "yes" } }, /does not match/],
    ];
    for (const [label, config, message] of bad) {
        it(`rejects ${label} with a PolicyConfigError`, async () => {
            await assert.rejects(
                runPack(secureStack(), config),
                (e: unknown) => e instanceof PolicyConfigError && message.test((e as Error).message),
            );
        });
    }

    it("accepts policy/config/production.json, which makes every catalogue M rule mandatory", async () => {
        const config = JSON.parse(fs.readFileSync(path.join(__dirname, "../../policy/config/production.json"), "utf8"));
        const r = reconcileConfig(allPolicies, config);
        for (const p of allPolicies) {
            if (p.enforcementLevel === "mandatory") assert.strictEqual(r.get(p.name)!.level, "mandatory", p.name);
        }
        assert.deepStrictEqual(summary(withoutJourneys(await runPack(secureStack(), config))), "");
    });

    // How fast the pack is (10,000 resources under 2 s, linear growth) is the benchmark's to say:
    // `npm run bench` reports pack10kMs and packRatio against their targets (bench/main.ts). A test
    // that timed itself would fail on a loaded machine and pass on a fast one whatever the code did.
    it("10,000 resources (copies of the compliant stack in their own resource groups) give no violation", async function () {
        this.timeout(120000);
        const base = secureStack();
        const text = JSON.stringify(base);
        const large: PlanResource[] = [];
        for (let i = 0; i < Math.ceil(10000 / base.length); i++) {
            large.push(
                ...(JSON.parse(
                    text
                        .replace(/urn:pulumi:test::proj::/g, `urn:pulumi:test::proj${i}::`)
                        .replace(/\/resourceGroups\/rg/g, `/resourceGroups/rg${i}`),
                ) as PlanResource[]),
            );
        }
        assert.ok(large.length >= 10000, `${large.length} resources`);
        const vs = withoutJourneys(await runPack(large));
        assert.deepStrictEqual(names(vs), [], summary(vs.slice(0, 5)));
    });
});

import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PlanResource } from "../../policy/plan";
import type {
    PolicyResource,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationPolicy,
} from "@pulumi/policy";
import { PolicyConfigError, reconcileConfig, runPack, runPolicies } from "../../policy/runner";
import { dependenciesAt } from "../../policy/rules/graph";
import { raw } from "../../policy/rules/util";
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

    it("hands policies what the analyzer does: parent, dependencies and property dependencies as resources, props behind the SDK's proxy", async () => {
        const urn = (name: string) => `urn:pulumi:test::proj::azure-native:network:VirtualNetwork::${name}`;
        const resource = (name: string, extra: Partial<PlanResource>): PlanResource => ({
            urn: urn(name),
            type: "azure-native:network:VirtualNetwork",
            name,
            id: null,
            custom: true,
            parent: null,
            dependencies: [],
            propertyDependencies: {},
            inputs: { location: "westeurope" },
            ...extra,
        });
        const plan = [
            resource("a", {}),
            resource("b", {
                parent: urn("a"),
                dependencies: [urn("a"), urn("outside")],
                propertyDependencies: { subnets: [urn("a"), urn("outside")], location: [] },
                protect: true,
            }),
        ];
        const seen: Record<string, unknown> = {};
        await runPolicies(
            [
                <ResourceValidationPolicy>{
                    name: "probe-resource",
                    description: "records what a resource policy is handed",
                    enforcementLevel: "advisory",
                    validateResource: (args: ResourceValidationArgs) => {
                        if (args.name !== "b") return;
                        seen.optsParent = args.opts.parent;
                        seen.protect = args.opts.protect;
                        seen.location = args.props.location;
                        seen.rawIsInputs = raw(args.props) === plan[1].inputs;
                        // Read directly, props behave as the SDK's unknown-checking proxy (runPack builds it on first read).
                        const props = args.props as Record<string, unknown>;
                        seen.sdkProxy = [props.__isSpecialProxy, props.__getSpecialProxyTarget === plan[1].inputs];
                        seen.propsKeys = [Object.keys(props), "location" in props, JSON.stringify(props)];
                        seen.stackTags = args.stackTags.size;
                    },
                },
                <StackValidationPolicy>{
                    name: "probe-stack",
                    description: "records what a stack policy is handed",
                    enforcementLevel: "advisory",
                    validateStack: (args) => {
                        const [a, b] = args.resources as PolicyResource[];
                        seen.parent = b.parent === a;
                        seen.rootParent = a.parent;
                        seen.dependencies = b.dependencies.map((d) => d.name);
                        seen.subnets = dependenciesAt(b, "subnets").map((d) => d.name);
                        // The per-key read resolves the same resources as the whole record, and once the
                        // record is built hands out its lists.
                        const before = dependenciesAt(b, "subnets");
                        const record = b.propertyDependencies;
                        seen.sameList = [
                            before.length === record.subnets.length && before.every((d, i) => d === record.subnets[i]),
                            dependenciesAt(b, "subnets") === record.subnets,
                        ];
                        seen.keys = Object.keys(b.propertyDependencies).sort();
                    },
                },
            ],
            plan,
        );
        assert.deepStrictEqual(seen, {
            optsParent: urn("a"),
            protect: true,
            location: "westeurope",
            rawIsInputs: true,
            sdkProxy: [true, true],
            propsKeys: [["location"], true, '{"location":"westeurope"}'],
            stackTags: 0,
            parent: true,
            rootParent: undefined,
            dependencies: ["a"],
            subnets: ["a"],
            sameList: [true, true],
            keys: ["location", "subnets"],
        });
    });
});

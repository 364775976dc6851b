import * as assert from "assert";
import { viewRule } from "../../policy/rules/nsg";
import { UNKNOWN, get, isHiddenValue, isUnknownValue, known, withHiddenLog } from "../../policy/rules/util";

/** The pack's readers: ARM's case-insensitive property names, and values the engine hides. */
describe("policy util: reading inputs", () => {
    const envelope = (extra: Record<string, unknown>) => ({
        "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
        ...extra,
    });

    it("reads property names case-insensitively, the exact name first", () => {
        assert.strictEqual(get({ PublicNetworkAccess: "Enabled" }, "publicNetworkAccess"), "Enabled");
        assert.strictEqual(
            get({ NetworkRuleSet: { DEFAULTACTION: "Allow" } }, "networkRuleSet.defaultAction"),
            "Allow",
        );
        assert.strictEqual(
            get({ publicNetworkAccess: "Disabled", PublicNetworkAccess: "Enabled" }, "publicNetworkAccess"),
            "Disabled",
        );
        assert.strictEqual(get({ other: 1 }, "publicNetworkAccess"), undefined);
    });

    it("reads an NSG rule's fields as get() does: case-insensitively, the exact name first, hidden ones logged", () => {
        const { result: view, hidden } = withHiddenLog(() =>
            viewRule(
                {
                    Priority: 100,
                    DIRECTION: "Inbound",
                    direction: "Outbound",
                    ACCESS: "Allow",
                    Access: "Deny",
                    Protocol: "Tcp",
                    SourceAddressPrefixes: ["10.0.0.0/8"],
                    SourceAddressPrefix: "*",
                    DestinationPortRange: "[secret]",
                },
                "rule",
            ),
        );
        assert.strictEqual(view.priority, 100);
        assert.strictEqual(view.direction, "outbound"); // the exact name wins over an earlier case variant
        assert.strictEqual(view.access, "allow"); // of two case variants, the first in the object
        assert.strictEqual(view.protocol, "tcp");
        assert.deepStrictEqual(view.sources, ["*", "10.0.0.0/8"]);
        assert.strictEqual(view.destinationPorts, UNKNOWN);
        assert.deepStrictEqual(
            hidden.map((h) => h.key),
            ["destinationPortRange"],
        );
    });

    it('treats "[secret]" and secret envelopes (ciphertext, value or plaintext) as hidden and unknown', () => {
        for (const v of [
            "[secret]",
            envelope({ ciphertext: "AAAB" }),
            envelope({ value: "Disabled" }),
            envelope({ plaintext: '"Disabled"' }),
        ]) {
            assert.ok(isHiddenValue(v), JSON.stringify(v));
            assert.ok(isUnknownValue(v), JSON.stringify(v));
            assert.strictEqual(get({ a: { b: v } }, "a.b"), UNKNOWN);
            assert.strictEqual(get({ a: v }, "a.b"), UNKNOWN);
        }
        assert.ok(!isHiddenValue({ ciphertext: "no signature" }));
        assert.ok(!isHiddenValue("secret"));
    });

    it("known() reports a hidden value with its path, not as a preview unknown", () => {
        assert.throws(() => known({ networkRuleSet: { defaultAction: "[secret]" } }, "networkRuleSet.defaultAction"), {
            message:
                'cannot verify: value at .networkRuleSet.defaultAction is hidden by the engine (a secret: "[secret]" or ciphertext only), so it is not read as compliant',
        });
        assert.throws(() => known({ a: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }, "a"), {
            message: "string value at .a can't be known during preview",
        });
    });
});

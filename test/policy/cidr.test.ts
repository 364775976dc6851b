import * as assert from "assert";
import {
    dockerBridgeRange as componentRange,
    overlapsDockerBridge as componentOverlaps,
} from "../../components/validate";
import {
    cidrContains,
    cidrsOverlap,
    dockerBridgeRange,
    overlapsDockerBridge,
    parseCidr,
} from "../../policy/rules/cidr";

describe("policy CIDR arithmetic", () => {
    it("uses the component's Docker bridge range", () => {
        assert.strictEqual(dockerBridgeRange, componentRange);
    });

    const samples = [
        "172.17.0.0/16",
        "172.16.0.0/12",
        "172.17.255.0/24",
        "172.18.0.0/16",
        "172.16.0.0/16",
        "10.0.0.0/8",
        "0.0.0.0/0",
        "172.0.0.0/8",
        "172.17.0.1/32",
        "192.168.0.0/16",
        "172.17.128.0/17",
        "not-a-cidr",
        "VirtualNetwork",
    ];
    for (const s of samples) {
        it(`agrees with components/validate.ts (ipaddr.js) on ${s}`, () => {
            assert.strictEqual(overlapsDockerBridge(s), componentOverlaps(s));
        });
    }

    it("contains and overlaps", () => {
        const c = (s: string) => parseCidr(s)!;
        assert.ok(cidrContains(c("10.0.0.0/16"), c("10.0.1.0/24")));
        assert.ok(!cidrContains(c("10.0.1.0/24"), c("10.0.0.0/16")));
        assert.ok(cidrsOverlap(c("10.0.1.0/24"), c("10.0.0.0/16")));
        assert.ok(!cidrsOverlap(c("10.0.1.0/24"), c("10.0.2.0/24")));
        assert.ok(cidrContains(c("0.0.0.0/0"), c("203.0.113.7")));
        assert.strictEqual(parseCidr("10.0.0.300/24"), undefined);
    });
});

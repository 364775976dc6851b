import * as assert from "assert";
import {
    cidrContains,
    cidrsOverlap,
    dockerBridgeRange,
    isPrivate,
    overlapsDockerBridge,
    overlapsPrivate,
    parseCidr,
} from "../../components/catalog/cidr";

describe("shared CIDR arithmetic (components/catalog/cidr.ts)", () => {
    it("names Docker's bridge range", () => {
        assert.strictEqual(dockerBridgeRange, "172.17.0.0/16");
    });

    const dockerOverlap: [string, boolean][] = [
        ["172.17.0.0/16", true],
        ["172.16.0.0/12", true],
        ["172.17.255.0/24", true],
        ["172.18.0.0/16", false],
        ["172.16.0.0/16", false],
        ["10.0.0.0/8", false],
        ["0.0.0.0/0", true],
        ["172.0.0.0/8", true],
        ["172.17.0.1/32", true],
        ["192.168.0.0/16", false],
        ["172.17.128.0/17", true],
        ["not-a-cidr", false],
        ["VirtualNetwork", false],
    ];
    for (const [value, overlaps] of dockerOverlap) {
        it(`${value} ${overlaps ? "overlaps" : "does not overlap"} 172.17.0.0/16`, () => {
            assert.strictEqual(overlapsDockerBridge(value), overlaps);
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
        assert.strictEqual(parseCidr("Storage.westeurope"), undefined);
    });

    it("tells private ranges from public ones", () => {
        assert.ok(isPrivate(parseCidr("10.1.0.0/16")!));
        assert.ok(!isPrivate(parseCidr("203.0.113.0/24")!));
        assert.ok(overlapsPrivate(parseCidr("0.0.0.0/0")!));
        assert.ok(!overlapsPrivate(parseCidr("8.8.8.0/24")!));
    });
});

import * as assert from "assert";
import {
    allowedEgressHostNames,
    allowListHostViolation,
    defaultEgressHostGroups,
    egressHostGroups,
    egressHosts,
    egressHostsFor,
    hostIn,
    isWildcardAll,
} from "../../components/catalog/egress-hosts";
import { outboundRequirements } from "../../components/catalog/service-tags";

describe("catalog: egress hosts", () => {
    it("holds every host of the source document's package-repository table", () => {
        // The document's table, verbatim (it writes *pytorch.org; see the row's note).
        const documentHosts = [
            "anaconda.com",
            "*.anaconda.com",
            "*.anaconda.org",
            "pypi.org",
            "*.pythonhosted.org",
            "cloud.r-project.org",
            "*.tensorflow.org",
            "code.visualstudio.com",
            "update.code.visualstudio.com",
            "*.vo.msecnd.net",
            "marketplace.visualstudio.com",
            "vscode.blob.core.windows.net",
            "*.gallerycdn.vsassets.io",
            "raw.githubusercontent.com",
        ];
        const hosts = egressHosts.map((h) => h.host);
        for (const h of documentHosts) assert.ok(hosts.includes(h), h);
        assert.ok(hosts.includes("pytorch.org") && hosts.includes("*.pytorch.org"), "*pytorch.org, split");
    });

    for (const row of egressHosts) {
        it(`${row.host} (${row.group}) is a valid, cited row`, () => {
            assert.ok(egressHostGroups.includes(row.group));
            assert.match(row.source, /^https:\/\/learn\.microsoft\.com\//);
            assert.ok(row.purpose.length > 0 && row.ports.length > 0);
            if (row.path === "privateEndpoint") {
                assert.match(row.host, /^<storage>\./);
                return;
            }
            assert.strictEqual(allowListHostViolation(hostIn(row, "westeurope")), undefined);
            assert.ok(!isWildcardAll(row.host));
            if (row.path === "serviceTag") {
                assert.ok(
                    outboundRequirements.some((r) => r.destination === row.serviceTag),
                    `${row.serviceTag} is a tag of the document's outbound table`,
                );
            }
            if (row.group !== "microsoft") assert.strictEqual(row.required, false, "package feeds are optional");
        });
    }

    it("names each host once per group", () => {
        const keys = egressHosts.map((h) => `${h.group}|${h.host}`);
        assert.strictEqual(new Set(keys).size, keys.length);
    });

    it("never allows storage or key vault wildcards by name (they are the exfiltration paths)", () => {
        const all = allowedEgressHostNames(egressHostGroups, "westeurope");
        for (const h of [
            "*.blob.core.windows.net",
            "*.table.core.windows.net",
            "*.queue.core.windows.net",
            "*.vault.azure.net",
        ]) {
            assert.ok(!all.includes(h), h);
        }
        assert.ok(!all.some((h) => h.includes("<")), "placeholders are filled or excluded");
    });

    it("fills <region> and keeps Microsoft's public-cloud rows out of other clouds", () => {
        const row = egressHosts.find((h) => h.host === "*.<region>.batch.azure.com")!;
        assert.strictEqual(hostIn(row, "West Europe"), "*.westeurope.batch.azure.com");
        assert.strictEqual(egressHostsFor(["microsoft"], "AzureChinaCloud").length, 0);
        assert.ok(egressHostsFor(["python"], "AzureChinaCloud").length > 0);
    });

    it("defaults to what an image build needs", () => {
        assert.deepStrictEqual(defaultEgressHostGroups, ["microsoft", "python", "conda"]);
    });

    const violations: [string, RegExp][] = [
        ["*", /bare wildcard/],
        ["*.", /bare wildcard/],
        ["*.org", /whole top-level domain/],
        ["*pytorch.org", /leading '\*\.'|DNS name/],
        ["pypi.org/simple", /host name only/],
        ["a.*.org", /only as a leading/],
        ["", /non-empty/],
        ["localhost", /DNS name/],
    ];
    for (const [host, rule] of violations) {
        it(`rejects ${JSON.stringify(host)} as an allow-list entry`, () => {
            assert.match(allowListHostViolation(host) ?? "", rule);
        });
    }
    it("accepts a leading wildcard over two labels and a plain host", () => {
        assert.strictEqual(allowListHostViolation("*.pythonhosted.org"), undefined);
        assert.strictEqual(allowListHostViolation("files.example.co.uk"), undefined);
    });
});

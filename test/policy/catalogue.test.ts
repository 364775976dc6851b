import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import type { Policy } from "@pulumi/policy";
import { allPolicies } from "../../policy/rules";

/** The pack's catalogue against DESIGN.md: names (fixed), default levels, and the metadata every rule carries. */

const perResource: [string, "M" | "A"][] = [
    ["ml-workspace-public-network-disabled", "M"],
    ["ml-workspace-identity-datastores", "A"],
    ["ml-workspace-hbi", "A"],
    ["ml-compute-in-vnet", "M"],
    ["ml-compute-no-public-ip", "A"],
    ["ml-compute-local-auth-disabled", "M"],
    ["ml-compute-no-public-ssh", "M"],
    ["ml-compute-scale-to-zero", "A"],
    ["storage-default-deny", "M"],
    ["storage-public-network-disabled", "A"],
    ["storage-https-only", "M"],
    ["storage-min-tls", "M"],
    ["storage-no-blob-public-access", "M"],
    ["storage-no-shared-key", "A"],
    ["storage-no-cross-tenant-replication", "A"],
    ["keyvault-network-restricted", "M"],
    ["keyvault-public-network-disabled", "A"],
    ["keyvault-soft-delete", "M"],
    ["keyvault-purge-protection", "M"],
    ["keyvault-rbac", "A"],
    ["acr-premium-sku", "M"],
    ["acr-network-restricted", "M"],
    ["acr-public-network-disabled", "A"],
    ["acr-admin-disabled", "M"],
    ["acr-anonymous-pull-disabled", "M"],
    ["acr-trusted-services-bypass", "M"],
    ["nsg-no-internet-management-ports", "M"],
    ["nsg-no-unrestricted-inbound", "M"],
    ["subnet-has-nsg", "M"],
    ["vnet-no-docker-bridge-range", "M"],
    ["appinsights-private-ingestion", "A"],
    ["monitor-private-link-open-mode", "M"],
    // Added (issue 10: people, instances and the jump box):
    ["ml-compute-instance-no-public-ip", "M"],
    ["vm-no-public-ip", "M"],
    // Added (issue 11, egress):
    ["firewall-no-wildcard-application-rule", "M"],
    ["ml-managed-network-approved-outbound", "M"],
    ["ml-managed-network-fqdn-allowed", "M"],
];
const stack: [string, "M" | "A"][] = [
    ["ml-workspace-private-endpoint", "M"],
    ["storage-private-endpoints", "M"],
    ["keyvault-private-endpoint", "M"],
    ["acr-private-endpoint", "M"],
    ["ml-image-build-compute", "M"],
    ["private-endpoint-dns-zones", "M"],
    ["private-dns-zones-linked", "M"],
    ["ml-compute-subnet-nsg-rules", "M"],
    ["ml-private-endpoints-same-vnet", "M"],
    ["ml-dependencies-isolated", "M"],
    ["no-aci-with-private-workspace", "M"],
    // Added to DESIGN's catalogue (a rule may be added, none renamed):
    ["bastion-subnet-nsg-rules", "M"],
    // Issue 13: egress of compute subnets when the config says egress is restricted.
    ["ml-compute-egress-restricted", "M"],
    // Issue 13: AKS as an inference target of a private workspace.
    ["ml-aks-inference-isolated", "M"],
    // Added (issue 11, egress):
    ["compute-subnet-firewall-route", "M"],
    ["compute-subnet-storage-endpoint-policy", "M"],
    // Added (issue 10: people):
    ["no-privileged-role-for-people-on-workspace", "M"],
    // Added (issue 18: journeys, advisory: a broken journey is a stack that does not work, not an open door):
    ["journey-studio-access", "A"],
    ["journey-datastore-read-write", "A"],
    ["journey-image-build", "A"],
    ["journey-compute-instance-start", "A"],
    ["journey-online-endpoint", "A"],
];

const isResource = (p: Policy) => "validateResource" in p;
const isStack = (p: Policy) => "validateStack" in p;
const level = (l: "M" | "A") => (l === "M" ? "mandatory" : "advisory");

describe("policy catalogue", () => {
    it("has exactly DESIGN.md's names with their default levels: 37 per resource, 17 across the stack", () => {
        assert.deepStrictEqual(
            allPolicies.filter(isResource).map((p) => [p.name, p.enforcementLevel]),
            perResource.map(([n, l]) => [n, level(l)]),
        );
        assert.deepStrictEqual(
            allPolicies.filter((p) => isStack(p) && !isResource(p)).map((p) => [p.name, p.enforcementLevel]),
            stack.map(([n, l]) => [n, level(l)]),
        );
        assert.strictEqual(new Set(allPolicies.map((p) => p.name)).size, 59);
    });

    it("ml-compute-in-vnet is also a stack policy (a compute without a subnet is fine in a managed network)", () => {
        const p = allPolicies.find((x) => x.name === "ml-compute-in-vnet")!;
        assert.ok(isResource(p) && isStack(p));
    });

    it("nsg-no-internet-management-ports is also a stack policy (standalone rules join the NSG's inline rules)", () => {
        const p = allPolicies.find((x) => x.name === "nsg-no-internet-management-ports")!;
        assert.ok(isResource(p) && isStack(p));
    });

    it("nsg-no-unrestricted-inbound is also a stack policy (its Bastion exception depends on the subnet)", () => {
        const p = allPolicies.find((x) => x.name === "nsg-no-unrestricted-inbound")!;
        assert.ok(isResource(p) && isStack(p));
    });

    for (const p of allPolicies) {
        it(`${p.name} carries description, severity, remediation steps and its sources`, () => {
            assert.ok(p.description.length > 40, "description");
            assert.ok(["low", "medium", "high", "critical"].includes(p.severity!), "severity");
            assert.ok((p.remediationSteps ?? "").length > 20, "remediationSteps");
            assert.match(p.url ?? "", /^https:\/\//);
            assert.ok((p.tags ?? []).length > 0, "tags name the sources");
            for (const tag of p.tags!)
                assert.match(
                    tag,
                    /^(azure-policy:[0-9a-f-]{36}|checkov:CKV2?_AZURE_\d+|trivy:AVD-AZU-\d+|source:https:\/\/.+)$/,
                );
            assert.ok(
                !("enforcementLevel" in (p.configSchema?.properties ?? {})),
                "enforcementLevel is not a config property",
            );
            assert.notStrictEqual(p.name, "all");
        });
    }

    it("cites the Azure Policy built-ins and Checkov ids of policy-anchors.md", () => {
        const tags = (name: string) => allPolicies.find((p) => p.name === name)!.tags!;
        assert.ok(tags("storage-default-deny").includes("azure-policy:34c877ad-507e-4c82-993e-3452a6e0ad3c"));
        assert.ok(tags("storage-default-deny").includes("checkov:CKV_AZURE_35"));
        assert.ok(
            tags("ml-workspace-public-network-disabled").includes("azure-policy:438c38d2-3772-465a-a9cc-7a6666a275ce"),
        );
        assert.ok(tags("acr-premium-sku").includes("azure-policy:bd560fc0-3c69-498a-ae9f-aa8eb7de0e13"));
        assert.ok(tags("keyvault-purge-protection").includes("checkov:CKV_AZURE_110"));
        assert.ok(tags("nsg-no-internet-management-ports").includes("checkov:CKV_AZURE_10"));
        assert.ok(tags("vm-no-public-ip").includes("azure-policy:83a86a26-fd1f-447c-b59d-e51f44264114"));
        assert.ok(tags("vm-no-public-ip").includes("checkov:CKV_AZURE_119"));
    });

    it("has the config knobs with DESIGN's defaults", () => {
        const schema = (name: string) => allPolicies.find((p) => p.name === name)!.configSchema!.properties;
        assert.strictEqual((schema("storage-min-tls").minimumTlsVersion as { default: string }).default, "TLS1_2");
        assert.deepStrictEqual(
            (schema("storage-private-endpoints").requiredGroupIds as { default: string[] }).default,
            ["blob", "file"],
        );
        assert.strictEqual(
            (schema("ml-compute-no-public-ip").allowNodePublicIp as { default: boolean }).default,
            false,
        );
    });

    it("policy/index.ts only constructs the PolicyPack", () => {
        const source = fs.readFileSync(path.join(__dirname, "../../policy/index.ts"), "utf8").replace(/\/\/.*$/gm, "");
        assert.deepStrictEqual(source.match(/^import .*$/gm), [
            'import { PolicyPack } from "@pulumi/policy";',
            'import { allPolicies } from "./rules";',
        ]);
        assert.strictEqual(source.match(/new PolicyPack\("secure-azureml-policies"/g)?.length, 1);
        assert.match(source, /policies: allPolicies/);
    });
});

import * as assert from "assert";
import { workspaceIsolations } from "../../components/catalog/egress-modes";
import { monitorReachability } from "../../components/catalog/monitor-reachability";
import { onlineEndpointIsolation, onlineEndpointPermissions } from "../../components/catalog/online-endpoints";

/** The online-endpoint catalogue (issue 18): per isolation mode, flags, capabilities and roles, with sources. */
describe("online endpoints catalogue", () => {
    const learn =
        /^https:\/\/learn\.microsoft\.com\/azure\/(machine-learning|azure-monitor\/logs)\/[a-z0-9-]+(#[a-z0-9-]+)?$/;

    it("has one entry per isolation mode, the managed VNet recommended and the legacy method not", () => {
        assert.deepStrictEqual(Object.keys(onlineEndpointIsolation).sort(), [...workspaceIsolations].sort());
        assert.deepStrictEqual(
            Object.values(onlineEndpointIsolation).map((e) => [e.isolation, e.outbound, e.recommended]),
            [
                ["customerVnet", "legacy per-deployment managed VNet", false],
                ["managed", "workspace managed VNet", true],
            ],
        );
        assert.match(onlineEndpointIsolation.customerVnet.instead!, /isolation: "managed"/);
    });

    it("says which flags to set: inbound disabled in both, egress disabled (legacy) or left unset (managed)", () => {
        const flags = (i: keyof typeof onlineEndpointIsolation) =>
            onlineEndpointIsolation[i].flags.map((f) => `${f.on}:${f.flag.split(" ")[0]}=${f.value}`);
        assert.deepStrictEqual(flags("customerVnet"), [
            "endpoint:public_network_access=disabled",
            "deployment:egress_public_network_access=disabled",
        ]);
        assert.deepStrictEqual(flags("managed"), [
            "endpoint:public_network_access=disabled",
            "deployment:egress_public_network_access=leave unset",
        ]);
    });

    it("lists what does not work in customer-VNet mode", () => {
        assert.deepStrictEqual(
            onlineEndpointIsolation.customerVnet.capabilities.filter((c) => !c.works).map((c) => c.what),
            [
                "a deployment with egress_public_network_access enabled",
                "the key vault, other storage accounts, any resource in this VNet",
                "MLflow no-code deployment",
                "Application Insights telemetry (app_insights_enabled)",
            ],
        );
        assert.deepStrictEqual(
            onlineEndpointIsolation.managed.capabilities.filter((c) => !c.works),
            [],
        );
    });

    it("agrees with the monitor reachability catalogue on Application Insights", () => {
        for (const isolation of workspaceIsolations) {
            const telemetry = onlineEndpointIsolation[isolation].capabilities.find((c) =>
                c.what.startsWith("Application Insights"),
            )!;
            assert.strictEqual(
                telemetry.works,
                monitorReachability[isolation].applicationInsightsIngestion === "Enabled",
                isolation,
            );
        }
    });

    it("grants the workspace-scope endpoint actions through AzureML Data Scientist, and not the studio's resource-group deployment", () => {
        assert.deepStrictEqual(
            onlineEndpointPermissions.map((p) => [p.who, p.scope, p.granted]),
            [
                ["data scientist", "workspace", true],
                ["data scientist", "endpoint", true],
                ["data scientist", "resource group", false],
                ["endpoint identity", "the workspace's registry and storage", true],
            ],
        );
        const studio = onlineEndpointPermissions.find((p) => !p.granted)!;
        assert.strictEqual(studio.action, "Microsoft.Resources/deployments/write");
    });

    it("cites a Microsoft Learn page for every flag, capability, permission and telemetry path", () => {
        const sources = [
            ...Object.values(onlineEndpointIsolation).flatMap((e) => [...e.flags, ...e.capabilities]),
            ...onlineEndpointPermissions,
            ...Object.values(monitorReachability).flatMap((m) => m.paths),
        ].map((x) => x.source);
        assert.ok(sources.length >= 20, `${sources.length}`);
        for (const s of sources) assert.match(s, learn);
    });
});

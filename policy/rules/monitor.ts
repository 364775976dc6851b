import { ResourceValidationPolicy } from "@pulumi/policy";
import { UNKNOWN, eqi, get, known, list, resourceRule, show, tokens } from "./util";

/** Application Insights and Azure Monitor Private Link Scopes. */

export const appinsightsPrivateIngestion: ResourceValidationPolicy = resourceRule(
    {
        name: "appinsights-private-ingestion",
        description:
            "Application Insights accepts telemetry only through Azure Monitor Private Link (publicNetworkAccessForIngestion Disabled; the default is Enabled).",
        enforcementLevel: "advisory",
        severity: "low",
        remediationSteps:
            'Set publicNetworkAccessForIngestion: "Disabled" and scope the component into an Azure Monitor Private Link Scope in Open mode.',
        sources: { azurePolicy: ["1bc02227-0cb6-4e11-8f53-eb0b22eab7e8"] },
    },
    [tokens.appInsights],
    (props, report) => {
        const value = known(props, "publicNetworkAccessForIngestion");
        if (!eqi(value, "Disabled")) {
            report(
                `publicNetworkAccessForIngestion is ${show(value)}${value === undefined ? " (default Enabled)" : ""}; set it to "Disabled".`,
            );
        }
    },
);

export const monitorPrivateLinkOpenMode: ResourceValidationPolicy = resourceRule(
    {
        name: "monitor-private-link-open-mode",
        description:
            "An Azure Monitor Private Link Scope uses the Open access mode for ingestion and query (and in every exclusion), as the source document's warning requires.",
        enforcementLevel: "mandatory",
        severity: "high",
        remediationSteps:
            'Set accessModeSettings: { ingestionAccessMode: "Open", queryAccessMode: "Open" } and remove PrivateOnly exclusions.',
        sources: {
            learn: "https://learn.microsoft.com/azure/azure-monitor/logs/private-link-design#control-how-private-links-apply-to-your-networks",
        },
    },
    [tokens.privateLinkScope],
    (props, report) => {
        for (const key of ["ingestionAccessMode", "queryAccessMode"]) {
            const mode = known(props, `accessModeSettings.${key}`);
            if (!eqi(mode, "Open")) report(`accessModeSettings.${key} is ${show(mode)}; it must be "Open".`);
        }
        const exclusions = list(get(props, "accessModeSettings.exclusions"));
        if (exclusions === UNKNOWN) return;
        exclusions.forEach((ex, i) => {
            for (const key of ["ingestionAccessMode", "queryAccessMode"]) {
                const mode = get(ex, key);
                if (typeof mode === "string" && !eqi(mode, "Open")) {
                    report(`accessModeSettings.exclusions[${i}].${key} is ${show(mode)}; it must be "Open".`);
                }
            }
        });
    },
);

export const monitorPolicies = [appinsightsPrivateIngestion, monitorPrivateLinkOpenMode];

import type { PlanJson, PlanResource, PlanViolation } from "../policy/plan";
import { nameFromUrn } from "./formats";
import { accessSection } from "./report-access";
import { NsgRule, analyse, show } from "./topology";

/**
 * The text report a person reads: the resource tree (as `pulumi preview` draws it), each subnet's
 * NSG rules, each private endpoint with its group ids and DNS zones, the violations grouped by
 * enforcement level (mandatory first) and a summary line.
 */
export function formatReport(plan: PlanJson, title: string): string {
    const out: string[] = [];
    out.push(title, "");
    out.push(...resourceTree(plan.resources, plan.violations), "");

    const topology = analyse(plan.resources);
    for (const subnet of topology.subnets) {
        const nsgName = subnet.nsg ? subnet.nsg.name : "no NSG";
        out.push(
            `Subnet ${subnet.name} ${subnet.prefix}  (NSG: ${nsgName}${subnet.natGateway ? `, NAT: ${subnet.natGateway.name}` : ""})`,
        );
        if (subnet.nsgRules.length) out.push(...table(subnet.nsgRules).map((l) => `  ${l}`));
        else if (subnet.nsg) out.push("  (no custom rules: Azure's defaults only)");
    }
    if (topology.subnets.length) out.push("");

    if (topology.privateEndpoints.length) {
        out.push("Private endpoints");
        const rows = topology.privateEndpoints.map((pe) => [
            pe.resource.name,
            pe.groupIds.join(",") || "?",
            pe.target ? `${pe.target.name} (${shortType(pe.target.type)})` : pe.targetId || "?",
            pe.zones.join(", ") || "(no DNS zones)",
        ]);
        out.push(...columns([["Endpoint", "Group", "Service", "DNS zones"], ...rows]).map((l) => `  ${l}`), "");
    }

    out.push(...accessSection(plan.resources));
    out.push(...violationList(plan), "");
    const { resources, mandatory, advisory } = plan.summary;
    out.push(
        `${mandatory ? "FAIL" : "PASS"}: ${resources} resources, ${mandatory} mandatory, ${advisory} advisory violation(s).`,
    );
    return out.join("\n") + "\n";
}

function resourceTree(resources: PlanResource[], violations: PlanViolation[]): string[] {
    const urns = new Set(resources.map((r) => r.urn));
    const children = new Map<string | null, PlanResource[]>();
    for (const r of resources) {
        const parent = r.parent && urns.has(r.parent) ? r.parent : null;
        children.set(parent, [...(children.get(parent) ?? []), r]);
    }
    const flagged = new Map<string, number>();
    for (const v of violations)
        if (v.urn && v.enforcementLevel === "mandatory") flagged.set(v.urn, (flagged.get(v.urn) ?? 0) + 1);

    const rows: [string, string][] = [];
    const walk = (parent: string | null, prefix: string) => {
        // Leaf siblings of one type share a line (eight private DNS zones are one row), so the tree fits a screen.
        const entries: PlanResource[][] = [];
        for (const r of children.get(parent) ?? []) {
            const group = children.has(r.urn)
                ? undefined
                : entries.find((e) => e[0].type === r.type && !children.has(e[0].urn));
            if (group) group.push(r);
            else entries.push([r]);
        }
        entries.forEach((group, i) => {
            const r = group[0];
            const last = i === entries.length - 1;
            const branch = parent === null ? "" : last ? "└─ " : "├─ ";
            const flags = group.reduce((n, x) => n + (flagged.get(x.urn) ?? 0), 0);
            const marks = [
                group.some((x) => x.protect) ? "protected" : "",
                flags ? `${flags} mandatory violation(s)` : "",
            ].filter(Boolean);
            const names =
                group.length === 1
                    ? r.name
                    : `${group.length} × ${abbreviate(group.map((x) => x.name).join(", "), 70)}`;
            rows.push([`${prefix}${branch}${r.type}`, `${names}${marks.length ? `  [${marks.join(", ")}]` : ""}`]);
            walk(r.urn, parent === null ? prefix : prefix + (last ? "   " : "│  "));
        });
    };
    walk(null, "");
    return columns([["Type", "Name"], ...rows]);
}

function abbreviate(text: string, max: number): string {
    return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function table(rules: NsgRule[]): string[] {
    return columns([
        ["Prio", "Dir", "Access", "Proto", "Source", "Destination", "Ports", "Name"],
        ...rules.map((r) => [
            String(r.priority),
            r.direction,
            r.access,
            r.protocol,
            r.source,
            r.destination,
            r.ports,
            r.name,
        ]),
    ]);
}

const levelOrder = ["mandatory", "remediate", "advisory", "disabled"];

function violationList(plan: PlanJson): string[] {
    if (plan.violations.length === 0) return ["Policy violations: none"];
    const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
    const out: string[] = [];
    const levels = [...new Set(plan.violations.map((v) => v.enforcementLevel))].sort(
        (a, b) => levelOrder.indexOf(a) - levelOrder.indexOf(b),
    );
    for (const level of levels) {
        const list = plan.violations.filter((v) => v.enforcementLevel === level);
        out.push(`${level[0].toUpperCase()}${level.slice(1)} violations (${list.length})`);
        for (const v of list) {
            const r = v.urn ? byUrn.get(v.urn) : undefined;
            const where = r ? `${r.name} (${shortType(r.type)})` : v.urn ? nameFromUrn(v.urn) : "stack";
            out.push(`  ${level === "mandatory" ? "✖" : "!"} ${v.policy} [${v.severity}] ${where}: ${show(v.message)}`);
        }
    }
    return out;
}

/** `azure-native:storage:StorageAccount` → `storage:StorageAccount` */
function shortType(type: string): string {
    return type.replace(/^azure-native:/, "");
}

function columns(rows: string[][]): string[] {
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? "")].length)));
    return rows.map((r) =>
        r
            .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] + (cell.length - [...cell].length))))
            .join("  ")
            .trimEnd(),
    );
}

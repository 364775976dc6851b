import type { PlanJson, PlanResource, PlanViolation } from "../policy/plan";
import { disabledPoliciesLine } from "./disabled-policies";
import { nameFromUrn } from "./formats";
import { accessSection } from "./report-access";
import { columns } from "./columns";
import { egressSection } from "./report-egress";
import { journeySection } from "./report-journeys";
import { treeRows } from "./resource-tree";
import { NsgRule, Topology, analyse, show } from "./topology";

/**
 * The text report a person reads: the resource tree (as `pulumi preview` draws it), each subnet's
 * NSG rules, each private endpoint with its group ids and DNS zones, the policies the config turned
 * off, the violations grouped by enforcement level (mandatory first) and a summary line.
 */
export function formatReport(plan: PlanJson, title: string): string {
    const out: string[] = [title, ""];
    const topology = analyse(plan.resources);
    for (const section of reportSections) {
        const lines = section(plan, topology);
        // Not `out.push(...lines)`: a stack of 100,000 resources has more lines than a call takes arguments.
        for (const line of lines) out.push(line);
        if (lines.length > 0) out.push("");
    }
    out.push(summaryLine(plan));
    return out.join("\n") + "\n";
}

/** The report's last line, all that `--quiet` prints: PASS or FAIL and the counts. */
export function summaryLine(plan: PlanJson): string {
    const { resources, mandatory, advisory } = plan.summary;
    return `${mandatory ? "FAIL" : "PASS"}: ${resources} resources, ${mandatory} mandatory, ${advisory} advisory violation(s).`;
}

/**
 * One part of the report: its lines, without the blank line that follows it (an empty list leaves
 * the section out). A new section is a function in its own file and one entry in `reportSections`.
 */
export type ReportSection = (plan: PlanJson, topology: Topology) => string[];

function treeSection(plan: PlanJson): string[] {
    return resourceTree(plan.resources, plan.violations);
}

function subnetSection(_plan: PlanJson, topology: Topology): string[] {
    const out: string[] = [];
    for (const subnet of topology.subnets) {
        const nsgName = subnet.nsg ? subnet.nsg.name : "no NSG";
        out.push(
            `Subnet ${subnet.name} ${subnet.prefix}  (NSG: ${nsgName}${subnet.natGateway ? `, NAT: ${subnet.natGateway.name}` : ""})`,
        );
        if (subnet.nsgRules.length) for (const l of table(subnet.nsgRules)) out.push(`  ${l}`);
        else if (subnet.nsg) out.push("  (no custom rules: Azure's defaults only)");
    }
    return out;
}

function privateEndpointSection(_plan: PlanJson, topology: Topology): string[] {
    if (!topology.privateEndpoints.length) return [];
    const rows = topology.privateEndpoints.map((pe) => [
        pe.resource.name,
        pe.groupIds.join(",") || "?",
        pe.target ? `${pe.target.name} (${shortType(pe.target.type)})` : pe.targetId || "?",
        pe.zones.join(", ") || "(no DNS zones)",
    ]);
    return [
        "Private endpoints",
        ...columns([["Endpoint", "Group", "Service", "DNS zones"], ...rows]).map((l) => `  ${l}`),
    ];
}

function disabledPolicySection(plan: PlanJson): string[] {
    const line = disabledPoliciesLine(plan.disabledPolicies);
    return line ? [line] : [];
}

function violationSection(plan: PlanJson): string[] {
    return violationList(plan);
}

/** The report's sections, in order. */
const reportSections: ReportSection[] = [
    treeSection,
    subnetSection,
    (plan) => egressSection(plan.resources),
    privateEndpointSection,
    (plan) => accessSection(plan.resources),
    journeySection,
    disabledPolicySection,
    violationSection,
];

function resourceTree(resources: PlanResource[], violations: PlanViolation[]): string[] {
    const flagged = new Map<string, number>();
    for (const v of violations)
        if (v.urn && v.enforcementLevel === "mandatory") flagged.set(v.urn, (flagged.get(v.urn) ?? 0) + 1);

    const rows: string[][] = [["Type", "Name"]];
    for (const row of treeRows(resources)) {
        const r = row.members[0];
        let flags = 0;
        let protect = false;
        for (const x of row.members) {
            flags += flagged.get(x.urn) ?? 0;
            protect ||= x.protect === true;
        }
        const marks = [
            protect ? "protected" : "",
            flags ? `${flags} mandatory violation(s)` : "",
            row.cycle ? "parent cycle" : "",
        ].filter(Boolean);
        const names = row.members.length === 1 ? r.name : `${row.members.length} × ${joinAbbreviated(row.members, 70)}`;
        rows.push([`${row.prefix}${r.type}`, `${names}${marks.length ? `  [${marks.join(", ")}]` : ""}`]);
    }
    return columns(rows);
}

/** The members' names comma-joined, cut at `max` characters; reads only as many names as it shows. */
function joinAbbreviated(members: PlanResource[], max: number): string {
    let text = "";
    for (const [i, m] of members.entries()) {
        text += (i ? ", " : "") + m.name;
        if (text.length > max) break;
    }
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

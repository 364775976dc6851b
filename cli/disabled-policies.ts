import { allPolicies } from "../policy/rules";
import { reconcileConfig } from "../policy/runner";

/**
 * A policy config can silence the pack: `{"all": "disabled"}` turns every policy off and the gate
 * then passes on anything. That must never happen without a word, so the plan JSON lists the
 * disabled policies (`disabledPolicies`, optional) and the report and stderr say it in one line.
 */

/** The policies `config` sets to "disabled" (reconciled as `runPack` reconciles it), in pack order. */
export function disabledByConfig(config: Record<string, unknown> | undefined): string[] {
    if (config === undefined) return [];
    const reconciled = reconcileConfig(allPolicies, config);
    return allPolicies.map((p) => p.name).filter((name) => reconciled.get(name)?.level === "disabled");
}

/**
 * One line saying which policies did not run, or undefined when all ran. A wholly disabled pack is
 * one line, not fifty names; when most are off, the few that still ran are named instead.
 */
export function disabledPoliciesLine(disabled: readonly string[] | undefined): string | undefined {
    if (!disabled || disabled.length === 0) return undefined;
    const names = allPolicies.map((p) => p.name);
    const off = new Set(disabled);
    const total = names.length;
    if (names.every((n) => off.has(n)))
        return `Policy pack disabled by config: all ${total} policies (nothing was checked).`;
    if (off.size <= total / 2) return `${off.size} of ${total} policies disabled by config: ${[...off].join(", ")}.`;
    const ran = names.filter((n) => !off.has(n));
    return `${off.size} of ${total} policies disabled by config; only these ran: ${ran.join(", ")}.`;
}

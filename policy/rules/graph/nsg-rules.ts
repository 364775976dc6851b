import { NsgRuleView, inlineRuleViews, sortRules, viewRule } from "../nsg";
import { Memo, UNKNOWN, Unknown, get, memoWithHidden, raw, tokens } from "../util";
import { Res, Resolved } from "./ids";
import { ResourceLookup } from "./lookup";
import { SubnetIndex, SubnetInfo } from "./subnets";

/** Each NSG's rules, inline and standalone (`network:SecurityRule`), and the subnets that use it. */
export class NsgRuleIndex {
    private rulesByNsg?: Map<Res, Res[]>;
    private unresolvedRules = 0;

    constructor(
        private readonly stack: ResourceLookup,
        private readonly subnetIndex: SubnetIndex,
    ) {}

    private buildRules(): Map<Res, Res[]> {
        const byNsg = new Map<Res, Res[]>();
        for (const rule of this.stack.ofType(tokens.securityRule)) {
            const nsg = this.nsgOfRule(rule);
            // A rule whose NSG is known to be outside the stack does not change the stack's NSGs.
            if (nsg === undefined) continue;
            if (nsg === UNKNOWN) {
                this.unresolvedRules++;
                continue;
            }
            const rules = byNsg.get(nsg);
            if (rules) rules.push(rule);
            else byNsg.set(nsg, [rule]);
        }
        return byNsg;
    }

    /** An NSG's rules, inline and standalone, sorted and followed by Azure's defaults; `UNKNOWN` if incomplete. */
    effectiveRules(nsg: Res): NsgRuleView[] | Unknown {
        // Several stack policies evaluate the same NSG (and several computes share one): built once.
        const rules = memoWithHidden(this.effective, nsg, () => this.buildEffectiveRules(nsg));
        return rules === UNKNOWN ? rules : rules.slice();
    }
    private readonly effective = new Map<Res, Memo<NsgRuleView[] | Unknown>>();

    private buildEffectiveRules(nsg: Res): NsgRuleView[] | Unknown {
        this.rulesByNsg ??= this.buildRules();
        const inline = inlineRuleViews(raw(nsg.props));
        if (inline === UNKNOWN || this.unresolvedRules > 0) return UNKNOWN;
        const views = inline.slice();
        for (const s of this.rulesByNsg.get(nsg) ?? []) {
            views.push(viewRule(s.props, `network:SecurityRule "${s.name}"`, s.urn));
        }
        return sortRules(views);
    }

    /** The standalone SecurityRule resources attached to an NSG of the stack. */
    standaloneRulesOf(nsg: Res): Res[] {
        this.rulesByNsg ??= this.buildRules();
        return this.rulesByNsg.get(nsg) ?? [];
    }

    /** Whether some standalone SecurityRule's NSG cannot be told yet. */
    hasUnresolvedRules(): boolean {
        this.rulesByNsg ??= this.buildRules();
        return this.unresolvedRules > 0;
    }

    /**
     * The NSG a standalone SecurityRule belongs to: through `networkSecurityGroupName` (its URN, name, or
     * the rule's own id), else the one NSG among its dependencies, else its Pulumi parent.
     */
    nsgOfRule(rule: Res): Resolved {
        const nsg = this.stack.resolve(rule, "networkSecurityGroupName", get(rule.props, "networkSecurityGroupName"), [
            tokens.nsg,
        ]);
        if (nsg !== UNKNOWN) return nsg;
        const deps = [...new Set((rule.dependencies ?? []).filter((d) => d.type === tokens.nsg))];
        if (deps.length === 1) return deps[0];
        const parent = (rule as { parent?: Res }).parent;
        return parent?.type === tokens.nsg ? parent : UNKNOWN;
    }

    /** The subnets that name an NSG (every subnet's NSG resolved once per stack, not once per NSG asked). */
    subnetsUsing(nsg: Res): { subnets: SubnetInfo[]; uncertain: boolean } {
        if (!this.subnetsByNsg) {
            const byNsg = new Map<Res, SubnetInfo[]>();
            let uncertain = false;
            for (const s of this.subnetIndex.subnets()) {
                const n = this.subnetIndex.nsgOf(s);
                if (n === UNKNOWN) uncertain = true;
                else if (n && n !== "external") {
                    const list = byNsg.get(n);
                    if (list) list.push(s);
                    else byNsg.set(n, [s]);
                }
            }
            this.subnetsByNsg = { byNsg, uncertain };
        }
        return { subnets: this.subnetsByNsg.byNsg.get(nsg) ?? [], uncertain: this.subnetsByNsg.uncertain };
    }
    private subnetsByNsg?: { byNsg: Map<Res, SubnetInfo[]>; uncertain: boolean };
}

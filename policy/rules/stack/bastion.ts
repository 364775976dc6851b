import { StackValidationPolicy } from "@pulumi/policy";
import { bastionNsgRules, bastionSubnetName } from "../catalog";
import { indexOf } from "../graph";
import { bastionRuleAtoms } from "../nsg";
import { UNKNOWN, stackRule } from "../util";
import { blockedFlows } from "./ml";

/** Azure Bastion's subnet. */

export const bastionSubnetNsgRules: StackValidationPolicy = stackRule(
    {
        name: "bastion-subnet-nsg-rules",
        description:
            "An NSG on AzureBastionSubnet effectively allows every flow of Azure Bastion's documented NSG rules (inbound 443 from Internet and GatewayManager, …); otherwise Bastion fails to deploy. Added to the catalogue: the other NSG rules accept exactly these on that subnet.",
        enforcementLevel: "mandatory",
        severity: "medium",
        remediationSteps:
            'Give the AzureBastionSubnet NSG the rules bastionNsgRules lists (from Microsoft\'s "Working with NSG access and Azure Bastion"), with priorities above any deny.',
        sources: { learn: "https://learn.microsoft.com/azure/bastion/bastion-nsg" },
    },
    (args, report, advise) => {
        const index = indexOf(args.resources);
        const atoms = bastionNsgRules.flatMap(bastionRuleAtoms);
        for (const subnet of index.subnets()) {
            if (typeof subnet.name !== "string" || subnet.name.toLowerCase() !== bastionSubnetName.toLowerCase())
                continue;
            const nsg = index.nsgOf(subnet);
            if (nsg === undefined || nsg === UNKNOWN || nsg === "external") continue;
            const rules = index.effectiveRules(nsg);
            if (rules === UNKNOWN) continue;
            const uncertain: string[] = [];
            for (const message of blockedFlows(rules, atoms, subnet, uncertain)) {
                report(`${subnet.label}: NSG "${nsg.name}": ${message}; Azure Bastion needs it.`, nsg.urn);
            }
            uncertain.forEach((reason) => advise(`${subnet.label}: NSG "${nsg.name}": ${reason}`));
        }
    },
);

import { addressesOf, internetWideAddresses, isInternetWide, publicPart, showAddresses, size } from "./reachability";
import { Advise, UNKNOWN, get, isUnknownValue, list } from "./util";

/**
 * Service firewalls' IP rules (storage `networkRuleSet.ipRules`, key vault `networkAcls.ipRules`,
 * registry `networkRuleSet.ipRules`): a default Deny is a back door left open when the IP rules
 * together admit the Internet (`0.0.0.0/0`, or blocks broader than a /8 of public space in total).
 */

/**
 * The message when the IP rules at `listPath` (each entry's address at `field`) together admit the
 * Internet; unknown or hidden entries are advised with their path, never read as narrow.
 */
export function broadIpRules(
    props: Record<string, unknown>,
    listPath: string,
    field: string,
    advise: Advise,
): string | undefined {
    const rules = list(get(props, listPath));
    if (rules === UNKNOWN) {
        advise(`${listPath} is unknown or hidden; whether its IP rules admit the Internet cannot be verified`);
        return undefined;
    }
    const ranges: string[] = [];
    rules.forEach((rule, i) => {
        const value = get(rule, field);
        if (value === UNKNOWN || isUnknownValue(rule)) {
            advise(
                `${listPath}[${i}].${field} is unknown or hidden; whether it admits the Internet cannot be verified`,
            );
        } else if (typeof value === "string") ranges.push(value);
    });
    if (!isInternetWide(ranges)) return undefined;
    const addresses = publicPart(addressesOf(ranges));
    return `${listPath} (${ranges.map((r) => JSON.stringify(r)).join(", ")}) admit ${size(addresses)} public addresses (${showAddresses(addresses)}), more than a /8 (${internetWideAddresses}): the firewall is open to the Internet whatever its defaultAction.`;
}

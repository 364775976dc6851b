import * as pulumi from "@pulumi/pulumi";
import { AzureCloud } from "./catalog/clouds";
import { CreateTimeSubject, createTimeRequirementsOf } from "./catalog/create-time";
import { PrivateLinkGroupId, privateDnsZoneNames } from "./catalog/dns-zones";
import { PrivateEndpointResources } from "./network/private-endpoint";

/**
 * The component's side of the create-time requirements (components/catalog/create-time.ts): turns a
 * subject's requirements into the `dependsOn` list of the resources this component created. A
 * prerequisite the component did not create (a DNS zone the caller supplied, a subnet of the caller's
 * network) is the caller's to order and is left out; the policy pack checks the stack as a whole.
 */
export interface CreateTimeResources {
    /** The private endpoints (and their zone groups) by group id. */
    privateEndpoints?: Partial<Record<PrivateLinkGroupId, PrivateEndpointResources>>;
    /** The VNet links of the created private DNS zones, by zone name. */
    zoneLinks?: Readonly<Record<string, pulumi.Resource>>;
    cloud?: AzureCloud;
    /** The subject subnet's way out: NAT gateway, or firewall, its rule collection groups and the 0.0.0.0/0 route. */
    egressPath?: readonly pulumi.Resource[];
    /** The role assignments of the subject's identity. */
    identityGrants?: readonly pulumi.Resource[];
}

export function createTimeDependsOn(subject: CreateTimeSubject, available: CreateTimeResources): pulumi.Resource[] {
    const out: pulumi.Resource[] = [];
    const add = (r: pulumi.Resource | undefined) => {
        if (r !== undefined && !out.includes(r)) out.push(r);
    };
    for (const requirement of createTimeRequirementsOf(subject)) {
        for (const need of requirement.needs) {
            if (need.kind === "privateEndpoint") {
                const pe = available.privateEndpoints?.[need.groupId];
                if (!pe) continue;
                add(pe.privateEndpoint);
                if (need.zoneGroup) add(pe.zoneGroup);
                if (need.zoneLinks) {
                    for (const zone of privateDnsZoneNames(need.groupId, available.cloud ?? "AzureCloud"))
                        add(available.zoneLinks?.[zone]);
                }
            } else if (need.kind === "egressPath") {
                for (const r of available.egressPath ?? []) add(r);
            } else {
                for (const r of available.identityGrants ?? []) add(r);
            }
        }
    }
    return out;
}

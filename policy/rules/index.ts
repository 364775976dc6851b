import { Policies } from "@pulumi/policy";
import { noAciWithPrivateWorkspace } from "./container-instance";
import { egressPolicies } from "./egress";
import { keyVaultPolicies } from "./key-vault";
import { mlComputePolicies } from "./ml-compute";
import { mlComputeInstancePolicies } from "./ml-compute-instance";
import { mlWorkspacePolicies } from "./ml-workspace";
import { monitorPolicies } from "./monitor";
import { networkPolicies } from "./network";
import { registryPolicies } from "./registry";
import { mlAksInferenceIsolated } from "./stack/aks";
import { bastionSubnetNsgRules } from "./stack/bastion";
import { mlComputeEgressRestricted } from "./stack/compute-egress";
import { egressStackPolicies } from "./stack/egress";
import { mlComputeSubnetNsgRules, mlDependenciesIsolated, mlImageBuildCompute } from "./stack/ml";
import {
    acrPrivateEndpoint,
    keyvaultPrivateEndpoint,
    mlPrivateEndpointsSameVnet,
    mlWorkspacePrivateEndpoint,
    privateDnsZonesLinked,
    privateEndpointDnsZones,
    storagePrivateEndpoints,
} from "./stack/private-endpoints";
import { storagePolicies } from "./storage";
import { virtualMachinePolicies } from "./virtual-machine";
import { noPrivilegedRoleForPeopleOnWorkspace } from "./stack/access";
import { journeyPolicies } from "./stack/journeys";

export * from "./container-instance";
export * from "./egress";
export * from "./key-vault";
export * from "./ml-compute";
export * from "./ml-compute-instance";
export * from "./ml-workspace";
export * from "./monitor";
export * from "./network";
export * from "./registry";
export * from "./storage";
export * from "./virtual-machine";
export * from "./stack/access";
export * from "./stack/bastion";
export * from "./stack/egress";
export * from "./stack/ml";
export * from "./stack/private-endpoints";
export * from "./stack/compute-egress";
export * from "./stack/aks";
export * from "./stack/journeys";

/**
 * Every policy of the pack, per-resource rules first, in the order of DESIGN.md's catalogue.
 * `nsg-no-unrestricted-inbound` is a resource policy that also validates the stack (its Bastion exception
 * depends on the subnet the NSG is attached to); the Pulumi analyzer runs it in both phases.
 */
export const allPolicies: Policies = [
    ...mlWorkspacePolicies,
    ...mlComputePolicies,
    ...storagePolicies,
    ...keyVaultPolicies,
    ...registryPolicies,
    ...networkPolicies,
    ...monitorPolicies,
    ...mlComputeInstancePolicies,
    ...virtualMachinePolicies,
    mlWorkspacePrivateEndpoint,
    storagePrivateEndpoints,
    keyvaultPrivateEndpoint,
    acrPrivateEndpoint,
    mlImageBuildCompute,
    privateEndpointDnsZones,
    privateDnsZonesLinked,
    mlComputeSubnetNsgRules,
    mlPrivateEndpointsSameVnet,
    mlDependenciesIsolated,
    noAciWithPrivateWorkspace,
    bastionSubnetNsgRules,
    mlComputeEgressRestricted,
    mlAksInferenceIsolated,
    ...egressPolicies,
    ...egressStackPolicies,
    noPrivilegedRoleForPeopleOnWorkspace,
    ...journeyPolicies,
];

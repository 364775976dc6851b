import { closest, distance } from "fastest-levenshtein";
import type { WorkspacePrincipal } from "./access/people";
import type { ComputeInstanceSpec } from "./access/compute-instances";
import type { MlNetworkArgs, MlNetworkLayoutArgs } from "./network/network-args";
import type { SecureMlWorkspaceArgs } from "./workspace/secure-workspace-args";
import { InvalidArgumentError } from "./validate";

/**
 * Every argument name each component takes. A typo must never weaken security: `egres: "firewall"`
 * silently left the default NAT egress open, and only TypeScript's compiler would have noticed;
 * Python, Go and YAML programs (and a transpile-only TypeScript run) have none. So the components
 * reject any key not listed here, naming the closest known one. `satisfies Record<keyof
 * Required<...>, true>` makes the compiler fail when an interface gains or loses a key and these
 * lists do not follow.
 */
/** The network layout and egress arguments both components take (MlNetworkLayoutArgs). */
const mlNetworkLayoutArgumentKeys = {
    addressSpace: true,
    trainingSubnetPrefix: true,
    privateEndpointSubnetPrefix: true,
    enableScoringSubnet: true,
    scoringSubnetPrefix: true,
    enableBastion: true,
    bastionSubnetPrefix: true,
    natGateway: true,
    enableJumpBox: true,
    jumpBoxSubnetPrefix: true,
    jumpBoxVmSize: true,
    enableVpnGateway: true,
    gatewaySubnetPrefix: true,
    vpnClientAddressPool: true,
    egress: true,
    lockDownEgress: true,
    egressHostGroups: true,
    extraEgressHosts: true,
    firewallSubnetPrefix: true,
    storageFirewallBetween: true,
} as const satisfies Record<keyof Required<MlNetworkLayoutArgs>, true>;

export const mlNetworkArgumentKeys = {
    resourceGroupName: true,
    location: true,
    cloud: true,
    nodePublicIp: true,
    hbiWorkspace: true,
    maxComputeNodes: true,
    tags: true,
    logAnalyticsWorkspaceId: true,
    allowedStorageAccountIds: true,
    privateEndpointsOnly: true,
    ...mlNetworkLayoutArgumentKeys,
} as const satisfies Record<keyof Required<MlNetworkArgs>, true>;

export const secureMlWorkspaceArgumentKeys = {
    resourceGroupName: true,
    location: true,
    cloud: true,
    workspaceName: true,
    workspaceNameSuffix: true,
    namePrefix: true,
    existingVnetId: true,
    existingTrainingSubnetId: true,
    existingPrivateEndpointSubnetId: true,
    existingPrivateDnsZoneIds: true,
    isolation: true,
    nodePublicIp: true,
    hbiWorkspace: true,
    imageBuildClusterName: true,
    imageBuildVmSize: true,
    imageBuildMaxNodes: true,
    enableTrainingCluster: true,
    trainingClusterName: true,
    trainingClusterVmSize: true,
    trainingClusterMaxNodes: true,
    storagePrivateEndpoints: true,
    storageSkuName: true,
    protectData: true,
    tags: true,
    dataScientists: true,
    computeInstances: true,
    allowDataScientistsToCreateCompute: true,
    monitorPrivateLink: true,
    ...mlNetworkLayoutArgumentKeys,
} as const satisfies Record<keyof Required<SecureMlWorkspaceArgs>, true>;

export const workspacePrincipalKeys = {
    principalId: true,
    principalType: true,
} as const satisfies Record<keyof Required<WorkspacePrincipal>, true>;

export const computeInstanceSpecKeys = {
    name: true,
    assignedUserObjectId: true,
    vmSize: true,
    idleShutdownMinutes: true,
} as const satisfies Record<keyof Required<ComputeInstanceSpec>, true>;

/**
 * Throws an InvalidArgumentError for the first key of `value` that `known` does not list, with the
 * closest known name when one is near (at most a third of the key's letters apart). `where` is the
 * argument's path for messages: `""` for the top level, `dataScientists[0].` for an element.
 */
export function rejectUnknownArguments(
    component: string,
    where: string,
    value: object | undefined,
    known: Record<string, true>,
): void {
    if (value === undefined || value === null || typeof value !== "object") return;
    const names = Object.keys(known);
    for (const key of Object.keys(value)) {
        if (Object.prototype.hasOwnProperty.call(known, key)) continue;
        const nearest = closest(key, names);
        const near = distance(key, nearest) <= Math.max(2, Math.ceil(key.length / 3));
        throw new InvalidArgumentError(
            component,
            `${where}${key}`,
            (value as Record<string, unknown>)[key],
            `is not an argument of ${component}${near ? `; did you mean ${where}${nearest}?` : ""} (known: ${names.join(", ")})`,
        );
    }
}

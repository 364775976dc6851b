import * as pulumi from "@pulumi/pulumi";
import { AccessPlan, planWorkspaceAccess } from "../access/access-plan";
import { AzureCloud } from "../catalog/clouds";
import { PrivateLinkGroupId, privateDnsZoneNames, StorageGroupId, storageGroupIds } from "../catalog/dns-zones";
import { EgressHostGroup } from "../catalog/egress-hosts";
import { isWorkspaceIsolation, WorkspaceIsolation, workspaceIsolations } from "../catalog/egress-modes";
import { globalName, NamedResourceKind, namingRules, namingViolation } from "../catalog/naming";
import { planEgress } from "../egress/egress-plan";
import { MlNetworkArgs } from "../network/network-args";
import { planMlNetwork } from "../network/network-plan";
import type { SecureMlWorkspaceArgs } from "./secure-workspace-args";
import { rejectUnknownArguments, secureMlWorkspaceArgumentKeys } from "../argument-keys";
import { InvalidArgumentError, knownValue, validateCount, validateFlag, validatePlacement } from "../validate";
import { planTrainingCluster, TrainingClusterPlan } from "./training-cluster";

/**
 * `SecureMlWorkspace`'s argument validation and defaulting, apart from the resources it builds:
 * `planSecureMlWorkspace` registers nothing, so a bad argument or stack config fails before the
 * component exists.
 */

const component = "SecureMlWorkspace";

/** Defaults of `SecureMlWorkspaceArgs`. */
export const secureMlWorkspaceDefaults = {
    imageBuildClusterName: "image-build",
    imageBuildVmSize: "Standard_DS3_v2",
    imageBuildMaxNodes: 4,
    storagePrivateEndpoints: ["blob", "file", "queue", "table"] as readonly StorageGroupId[],
    storageSkuName: "Standard_LRS",
} as const;

/** Upper bound of `imageBuildMaxNodes` (the stack config's bound too). */
export const imageBuildMaxNodesLimit = 1000;

/** Length of the random suffix of the globally unique names. */
export const nameSuffixLength = 6;

/** Storage sub-resources the workspace cannot work without (the document's "Blob" and "File"). */
const requiredStorageEndpoints: readonly StorageGroupId[] = ["blob", "file"];

/** Azure's GPU VM families are the N-series (NC, ND, NV, NG...): `Standard_N...`. */
const gpuVmSize = /^Standard_N/i;

/** The arguments after validation and defaulting. */
export interface SecureMlWorkspacePlan {
    cloud: AzureCloud;
    workspaceName: pulumi.Input<string>;
    /** Whether the random suffix is appended to `workspaceName` (soft delete keeps a name 14 days). */
    workspaceNameSuffix: boolean;
    namePrefix: string;
    nodePublicIp: boolean;
    hbiWorkspace: boolean;
    protectData: boolean;
    imageBuildClusterName: string;
    imageBuildVmSize: string;
    imageBuildMaxNodes: number;
    storagePrivateEndpoints: StorageGroupId[];
    storageSkuName: pulumi.Input<string>;
    /** The group ids that get a private endpoint, in creation order. */
    groupIds: PrivateLinkGroupId[];
    /** Every private DNS zone the endpoints need, each once. */
    zoneNames: string[];
    existingPrivateDnsZoneIds: Record<string, pulumi.Input<string>>;
    /** Set when the caller supplies the network; otherwise the component creates an MlNetwork. */
    existingNetwork?: {
        vnetId: pulumi.Input<string>;
        trainingSubnetId: pulumi.Input<string>;
        privateEndpointSubnetId: pulumi.Input<string>;
    };
    /** The MlNetwork's arguments when the component creates one (already validated). */
    networkArgs?: MlNetworkArgs;
    /** Where computes run, and the managed network's FQDN groups and extra hosts. */
    managedOutbound: { isolation: WorkspaceIsolation; groups: EgressHostGroup[]; extraHosts: string[] };
    /** People, compute instances and Azure Monitor private link (access-plan.ts). */
    access: AccessPlan;
    /** The shared training cluster, or undefined without `enableTrainingCluster` (training-cluster.ts). */
    trainingCluster?: TrainingClusterPlan;
}

/**
 * Validates every argument of `SecureMlWorkspace` and fills in the defaults. Throws
 * `InvalidArgumentError` naming the argument, the value and the rule; it registers nothing, so
 * the constructor calls it before `super` and a bad stack config leaves no half-built component.
 */
export function planSecureMlWorkspace(name: string, args: SecureMlWorkspaceArgs): SecureMlWorkspacePlan {
    rejectUnknownArguments(component, "", args, secureMlWorkspaceArgumentKeys);
    const { cloud } = validatePlacement(component, args, "every resource and the regional service tags need it");

    // --- Names ---
    const workspaceName = args.workspaceName ?? `${name}-workspace`;
    const knownWorkspaceName = knownValue(workspaceName);
    if (knownWorkspaceName !== undefined) {
        checkName(
            "workspace",
            args.workspaceName === undefined
                ? "workspaceName (default: `<component name>-workspace`)"
                : "workspaceName",
            knownWorkspaceName,
        );
    }
    const workspaceNameSuffix = validateFlag(component, "workspaceNameSuffix", args.workspaceNameSuffix, false);
    if (workspaceNameSuffix && typeof knownWorkspaceName === "string") {
        // The longest name the suffix can give: the rule's 33 characters must hold it whatever the suffix.
        const withSuffix = `${knownWorkspaceName}-${"a".repeat(nameSuffixLength)}`;
        const violation = namingViolation("workspace", withSuffix);
        if (violation !== undefined) {
            throw new InvalidArgumentError(
                component,
                "workspaceName",
                knownWorkspaceName,
                `with workspaceNameSuffix: true the name gets ${nameSuffixLength + 1} more characters ("-" and the random suffix), and then ${violation}`,
            );
        }
    }

    const imageBuildClusterName = args.imageBuildClusterName ?? secureMlWorkspaceDefaults.imageBuildClusterName;
    checkName("computeCluster", "imageBuildClusterName", imageBuildClusterName);

    const namePrefix = args.namePrefix ?? name;
    checkNamePrefix(namePrefix, args.namePrefix === undefined);

    // --- Compute ---
    const nodePublicIp = validateFlag(component, "nodePublicIp", args.nodePublicIp, false);
    const hbiWorkspace = validateFlag(component, "hbiWorkspace", args.hbiWorkspace, false);
    const protectData = validateFlag(component, "protectData", args.protectData, true);
    validateFlag(component, "enableScoringSubnet", args.enableScoringSubnet, false);
    validateFlag(component, "enableBastion", args.enableBastion, false);
    validateFlag(component, "lockDownEgress", args.lockDownEgress, false);

    const imageBuildVmSize = args.imageBuildVmSize ?? secureMlWorkspaceDefaults.imageBuildVmSize;
    if (typeof imageBuildVmSize !== "string" || !/^[A-Za-z]+_[A-Za-z0-9_-]+$/.test(imageBuildVmSize)) {
        throw new InvalidArgumentError(
            component,
            "imageBuildVmSize",
            imageBuildVmSize,
            "must be an Azure VM size such as Standard_DS3_v2",
        );
    }
    if (gpuVmSize.test(imageBuildVmSize)) {
        throw new InvalidArgumentError(
            component,
            "imageBuildVmSize",
            imageBuildVmSize,
            "is a GPU (N-series) size; only CPU SKUs can build images (source document)",
        );
    }
    const imageBuildMaxNodes =
        args.imageBuildMaxNodes === undefined
            ? secureMlWorkspaceDefaults.imageBuildMaxNodes
            : validateCount(component, "imageBuildMaxNodes", args.imageBuildMaxNodes, 1, imageBuildMaxNodesLimit);

    // --- Storage endpoints ---
    const storagePrivateEndpoints = [
        ...(args.storagePrivateEndpoints ?? secureMlWorkspaceDefaults.storagePrivateEndpoints),
    ];
    if (!Array.isArray(args.storagePrivateEndpoints ?? [])) {
        throw new InvalidArgumentError(
            component,
            "storagePrivateEndpoints",
            args.storagePrivateEndpoints,
            `must be a list of ${storageGroupIds.join(", ")}`,
        );
    }
    for (const groupId of storagePrivateEndpoints) {
        if (!(storageGroupIds as readonly string[]).includes(groupId)) {
            throw new InvalidArgumentError(
                component,
                "storagePrivateEndpoints",
                storagePrivateEndpoints,
                `holds ${JSON.stringify(groupId)}; each entry must be one of ${storageGroupIds.join(", ")}`,
            );
        }
    }
    if (new Set(storagePrivateEndpoints).size !== storagePrivateEndpoints.length) {
        throw new InvalidArgumentError(
            component,
            "storagePrivateEndpoints",
            storagePrivateEndpoints,
            "must not repeat a sub-resource",
        );
    }
    const missingStorage = requiredStorageEndpoints.filter((g) => !storagePrivateEndpoints.includes(g));
    if (missingStorage.length > 0) {
        throw new InvalidArgumentError(
            component,
            "storagePrivateEndpoints",
            storagePrivateEndpoints,
            `must include ${missingStorage.join(" and ")}: the source document requires private endpoints for the storage account's Blob and File sub-resources (queue and table only for ParallelRunStep)`,
        );
    }
    const storageSkuName = args.storageSkuName ?? secureMlWorkspaceDefaults.storageSkuName;

    const access = planWorkspaceAccess(component, args);
    const groupIds: PrivateLinkGroupId[] = [
        "amlworkspace",
        ...storagePrivateEndpoints,
        "vault",
        "registry",
        ...(access.monitorPrivateLink ? ["azuremonitor" as const] : []),
    ];
    const zoneNames = [...new Set(groupIds.flatMap((groupId) => privateDnsZoneNames(groupId, cloud)))];

    // --- Existing DNS zones ---
    let existingPrivateDnsZoneIds: Record<string, pulumi.Input<string>> = {};
    if (args.existingPrivateDnsZoneIds !== undefined) {
        const given = knownValue(args.existingPrivateDnsZoneIds);
        if (given === undefined || typeof given !== "object" || given === null || Array.isArray(given)) {
            throw new InvalidArgumentError(
                component,
                "existingPrivateDnsZoneIds",
                given === undefined ? "<Output>" : given,
                "must be a plain object keyed by zone name at construction (its values may be Outputs): which zones to create is decided before deployment",
            );
        }
        for (const [zoneName, id] of Object.entries(given)) {
            if (!zoneNames.includes(zoneName)) {
                throw new InvalidArgumentError(
                    component,
                    "existingPrivateDnsZoneIds",
                    given,
                    `has the key ${JSON.stringify(zoneName)}, which no private endpoint of this workspace uses in ${cloud}; the zones are ${zoneNames.join(", ")}`,
                );
            }
            const knownId = knownValue(id);
            if (
                id === undefined ||
                (knownId !== undefined &&
                    (typeof knownId !== "string" ||
                        !/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/privateDnsZones\/[^/]+$/i.test(
                            knownId,
                        )))
            ) {
                throw new InvalidArgumentError(
                    component,
                    `existingPrivateDnsZoneIds["${zoneName}"]`,
                    id,
                    "must be the ARM id of a private DNS zone (/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/privateDnsZones/<zone>)",
                );
            }
            if (
                knownId !== undefined &&
                !knownId.toLowerCase().endsWith(`/privatednszones/${zoneName.toLowerCase()}`)
            ) {
                throw new InvalidArgumentError(
                    component,
                    `existingPrivateDnsZoneIds["${zoneName}"]`,
                    id,
                    `names another zone; the id must end in /privateDnsZones/${zoneName}`,
                );
            }
        }
        existingPrivateDnsZoneIds = { ...given };
    }

    // --- Isolation: customer VNet (egress modes) or the workspace's managed network ---
    if (args.isolation !== undefined && !isWorkspaceIsolation(args.isolation)) {
        throw new InvalidArgumentError(
            component,
            "isolation",
            args.isolation,
            `must be one of ${workspaceIsolations.join(", ")}`,
        );
    }
    const isolation: WorkspaceIsolation = args.isolation ?? "customerVnet";
    const managed = isolation === "managed";
    let managedOutbound: SecureMlWorkspacePlan["managedOutbound"] = { isolation, groups: [], extraHosts: [] };
    if (managed) {
        if (nodePublicIp) {
            throw new InvalidArgumentError(
                component,
                "nodePublicIp",
                args.nodePublicIp,
                'cannot be true with isolation: "managed": computes in the managed network get no public IP here',
            );
        }
        // Same validation as the firewall's allow-list (no `*`, no bare wildcard).
        const hosts = planEgress(component, {
            egress: "firewall",
            egressHostGroups: args.egressHostGroups ?? ["python", "conda"],
            extraEgressHosts: args.extraEgressHosts,
        });
        managedOutbound = { isolation, groups: hosts.egressHostGroups, extraHosts: hosts.extraEgressHosts };
    }

    // --- The shared training cluster and self-service compute (training-cluster.ts, self-service-compute.ts) ---
    const trainingCluster = planTrainingCluster(component, args, [
        imageBuildClusterName,
        ...access.computeInstances.map((i) => i.name),
    ]);
    if (access.allowDataScientistsToCreateCompute && !managed) {
        throw new InvalidArgumentError(
            component,
            "allowDataScientistsToCreateCompute",
            true,
            'needs isolation: "managed": in a customer VNet a compute joins the training subnet, which needs Microsoft.Network/virtualNetworks/subnets/join/action on it (https://learn.microsoft.com/azure/machine-learning/how-to-assign-roles#deploy-into-a-virtual-network-or-subnet), and no built-in role grants only that; use enableTrainingCluster for a shared cluster instead',
        );
    }

    // --- Network: all three existing ids, or none ---
    const existingArgs = ["existingVnetId", "existingTrainingSubnetId", "existingPrivateEndpointSubnetId"] as const;
    const given = existingArgs.filter((key) => args[key] !== undefined);
    let existingNetwork: SecureMlWorkspacePlan["existingNetwork"];
    let networkArgs: MlNetworkArgs | undefined;
    if (given.length > 0 && given.length < existingArgs.length) {
        const missing = existingArgs.filter((key) => args[key] === undefined);
        throw new InvalidArgumentError(
            component,
            missing.join(", "),
            undefined,
            `missing: an existing network needs all of ${existingArgs.join(", ")}; only ${given.join(", ")} ${given.length === 1 ? "was" : "were"} given (give none of them to let the component create the network)`,
        );
    }
    if (given.length === existingArgs.length) {
        // Egress is a security control: unlike the layout arguments, silently ignoring it would leave
        // the caller believing the existing subnets are locked down.
        const egressArgs = [
            "egress",
            "lockDownEgress",
            "egressHostGroups",
            "extraEgressHosts",
            "firewallSubnetPrefix",
        ] as const;
        for (const key of egressArgs) {
            const value = args[key];
            if (value === undefined || value === false || (key === "egress" && value === "nat")) continue;
            if (managed && (key === "egressHostGroups" || key === "extraEgressHosts")) continue;
            throw new InvalidArgumentError(
                component,
                key,
                value,
                "shapes the egress of a network the component creates, but existing network ids were given; put the firewall, routes and service endpoint policy on those subnets yourself (MlNetwork builds them), or drop the existing ids",
            );
        }
        existingNetwork = {
            vnetId: args.existingVnetId!,
            trainingSubnetId: args.existingTrainingSubnetId!,
            privateEndpointSubnetId: args.existingPrivateEndpointSubnetId!,
        };
    } else {
        networkArgs = {
            resourceGroupName: args.resourceGroupName,
            location: args.location,
            cloud,
            addressSpace: args.addressSpace,
            trainingSubnetPrefix: args.trainingSubnetPrefix,
            privateEndpointSubnetPrefix: args.privateEndpointSubnetPrefix,
            enableScoringSubnet: args.enableScoringSubnet,
            scoringSubnetPrefix: args.scoringSubnetPrefix,
            enableBastion: args.enableBastion,
            bastionSubnetPrefix: args.bastionSubnetPrefix,
            enableJumpBox: args.enableJumpBox,
            jumpBoxSubnetPrefix: args.jumpBoxSubnetPrefix,
            jumpBoxVmSize: args.jumpBoxVmSize,
            enableVpnGateway: args.enableVpnGateway,
            gatewaySubnetPrefix: args.gatewaySubnetPrefix,
            vpnClientAddressPool: args.vpnClientAddressPool,
            nodePublicIp,
            natGateway: args.natGateway,
            lockDownEgress: args.lockDownEgress,
            egress: args.egress,
            // In managed isolation these shape the managed network's FQDN rules, not the VNet.
            egressHostGroups: managed ? undefined : args.egressHostGroups,
            extraEgressHosts: managed ? undefined : args.extraEgressHosts,
            firewallSubnetPrefix: args.firewallSubnetPrefix,
            storageFirewallBetween: args.storageFirewallBetween,
            ...(managed ? { privateEndpointsOnly: true } : {}),
            hbiWorkspace,
            // Every cluster node in the training subnet needs an address.
            maxComputeNodes: imageBuildMaxNodes + (trainingCluster?.maxNodes ?? 0),
            tags: args.tags,
        };
        // MlNetwork's own validation, run now so its errors also come before anything is registered.
        try {
            planMlNetwork(networkArgs);
        } catch (e) {
            if (e instanceof InvalidArgumentError) {
                // Same argument names; only maxComputeNodes is the clusters' node counts here.
                const argument =
                    e.argument === "maxComputeNodes"
                        ? trainingCluster
                            ? "imageBuildMaxNodes + trainingClusterMaxNodes"
                            : "imageBuildMaxNodes"
                        : e.argument;
                throw new InvalidArgumentError(component, argument, e.value, e.rule);
            }
            throw e;
        }
    }

    return {
        cloud,
        workspaceName,
        workspaceNameSuffix,
        namePrefix,
        nodePublicIp,
        hbiWorkspace,
        protectData,
        imageBuildClusterName,
        imageBuildVmSize,
        imageBuildMaxNodes,
        storagePrivateEndpoints,
        storageSkuName,
        groupIds,
        zoneNames,
        existingPrivateDnsZoneIds,
        existingNetwork,
        networkArgs,
        managedOutbound,
        access,
        trainingCluster,
    };
}

function checkName(kind: NamedResourceKind, argument: string, value: unknown): void {
    if (typeof value !== "string") {
        throw new InvalidArgumentError(component, argument, value, `must be a string: a ${namingRules[kind].label}`);
    }
    const violation = namingViolation(kind, value);
    if (violation !== undefined) throw new InvalidArgumentError(component, argument, value, violation);
}

/** The globally unique kinds built from `namePrefix` and the random suffix. */
const globalKinds: readonly NamedResourceKind[] = ["storageAccount", "keyVault", "containerRegistry"];

/**
 * The prefix must give a valid name for every globally unique kind whatever the random suffix is. The
 * suffix is lowercase letters and digits; trying an all-digit and an all-letter suffix covers both
 * cases that matter (a key vault name must start with a letter, so an empty prefix fails on digits).
 */
function checkNamePrefix(prefix: unknown, fromComponentName: boolean): void {
    const argument = fromComponentName ? "namePrefix (default: the component's name)" : "namePrefix";
    if (typeof prefix !== "string") {
        throw new InvalidArgumentError(component, argument, prefix, "must be a string");
    }
    if (prefix.replace(/[^a-zA-Z0-9]/g, "") === "") {
        throw new InvalidArgumentError(
            component,
            argument,
            prefix,
            "must contain at least one letter or digit: storage account, key vault and registry names keep only letters and digits (and hyphens for the vault) of it",
        );
    }
    for (const kind of globalKinds) {
        for (const suffix of ["0".repeat(nameSuffixLength), "a".repeat(nameSuffixLength)]) {
            const example = globalName(kind, prefix, suffix);
            const violation = namingViolation(kind, example);
            if (violation !== undefined) {
                throw new InvalidArgumentError(
                    component,
                    argument,
                    prefix,
                    `gives an invalid ${namingRules[kind].label} (e.g. "${example}" with a random suffix): ${violation}`,
                );
            }
        }
    }
}

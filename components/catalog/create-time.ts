import { PrivateLinkGroupId } from "./dns-zones";

/**
 * Create-time requirements: what must already exist, and be reachable, when Azure creates a resource,
 * because the service uses it during creation (a compute instance mounts the workspace's file share and
 * registers with the workspace as it boots; the Entra ID login extension downloads its packages as it
 * installs). Azure does not wait for them, and a resource created too early fails or comes up broken.
 *
 * Data, used twice: the component turns each requirement into `dependsOn` edges (so `pulumi up`
 * creates the prerequisites first), and the policy pack checks that a stack's graph has those edges
 * (journey "compute instance starts" and its siblings), whoever wrote the stack.
 */

/** The resources a requirement is about, by role (a role maps to one Azure resource type and a condition). */
export type CreateTimeSubject =
    /** `machinelearningservices:Compute` with `computeType: ComputeInstance`. */
    | "computeInstance"
    /** `machinelearningservices:Compute` with `computeType: AmlCompute` and no node public IP. */
    | "computeClusterNoPublicIp"
    /** `compute:VirtualMachineExtension` of type AADLoginForWindows or AADSSHLoginForLinux (a jump box's Entra ID sign-in). */
    | "vmEntraLoginExtension"
    /** `compute:VirtualMachine` that carries such an extension (the jump box). */
    | "vmWithEntraLogin";

/** What must exist first: described by role, so the component and the pack can each find it in their own terms. */
export type CreateTimePrerequisite =
    /**
     * A private endpoint of the workspace or one of its dependencies for `groupId`, in the subject's VNet,
     * with its DNS zone group (`zoneGroup`) and each of its zones' links to the subject's VNet (`zoneLinks`).
     */
    | { kind: "privateEndpoint"; groupId: PrivateLinkGroupId; zoneGroup: boolean; zoneLinks: boolean }
    /**
     * The subject's subnet's way out to the internet: its NAT gateway, or the route table's 0.0.0.0/0 route
     * to an Azure Firewall together with the firewall and its policy's rule collection groups.
     */
    | { kind: "egressPath" }
    /** The role assignments of the identity the subject runs as (a compute's identity), all of them. */
    | { kind: "identityGrants" };

export interface CreateTimeRequirement {
    subject: CreateTimeSubject;
    needs: readonly CreateTimePrerequisite[];
    /** Why, in a sentence a person reading a failed deployment understands. */
    why: string;
    /** The Microsoft page that states it (and, where no page states the ordering itself, the one that states the need). */
    source: string;
}

const pe = (groupId: PrivateLinkGroupId): CreateTimePrerequisite => ({
    kind: "privateEndpoint",
    groupId,
    zoneGroup: true,
    zoneLinks: true,
});

export const createTimeRequirements: readonly CreateTimeRequirement[] = [
    {
        subject: "computeInstance",
        needs: [pe("amlworkspace"), pe("blob"), pe("file"), pe("vault"), pe("registry"), { kind: "egressPath" }],
        why: "a compute instance registers with the workspace over its private endpoint and mounts the default storage's file share as it boots; without the endpoints, their DNS zone groups and the zones' VNet links the names resolve to public addresses that refuse it, and the instance fails with StorageMountError and must be deleted and recreated",
        source: "https://learn.microsoft.com/azure/machine-learning/how-to-secure-training-vnet#compute-instancecompute-cluster-with-no-public-ip",
    },
    {
        subject: "computeClusterNoPublicIp",
        needs: [pe("amlworkspace"), { kind: "identityGrants" }],
        why: "a compute cluster without node public IPs communicates with Azure Machine Learning only through the workspace's private endpoint, and Azure rejects it while the workspace has none; its identity's grants must exist before the first job (its nodes boot later, at zero nodes now)",
        source: "https://learn.microsoft.com/azure/machine-learning/how-to-secure-training-vnet#compute-instancecompute-cluster-with-no-public-ip",
    },
    {
        subject: "vmEntraLoginExtension",
        needs: [{ kind: "egressPath" }],
        why: "the Microsoft Entra ID login extension reaches packages.microsoft.com, login.microsoftonline.com and pas.windows.net (Linux) or enterpriseregistration.windows.net (Windows) while it installs; a subnet without default outbound access has no such path until its NAT gateway, or its firewall, route and rules, exist",
        source: "https://learn.microsoft.com/entra/identity/devices/howto-vm-sign-in-azure-ad-windows#requirements",
    },
    {
        subject: "vmWithEntraLogin",
        needs: [{ kind: "egressPath" }],
        why: "the VM's subnet has no default outbound access, so until its NAT gateway, or its firewall, rules and 0.0.0.0/0 route, exist the VM boots with no way out: its first boot (the OS's package refresh, the guest agent's update) fails or times out, and the Entra ID login extension installed right after it finds no path to packages.microsoft.com",
        source: "https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access",
    },
];

/** The requirements of one subject. */
export function createTimeRequirementsOf(subject: CreateTimeSubject): readonly CreateTimeRequirement[] {
    return createTimeRequirements.filter((r) => r.subject === subject);
}

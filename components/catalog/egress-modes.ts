/**
 * How compute subnets reach the internet, and where computes run. Declared as `as const` objects (not
 * bare unions) so Pulumi's schema inference turns them into enums for other languages (see clouds.ts).
 */

/** The egress of the compute subnets (training and scoring alike). */
export const EgressMode = {
    /** A NAT gateway with a static public IP; outbound traffic is open beyond the NSG's service-tag rules (the default). */
    nat: "nat",
    /** Azure Firewall: a 0.0.0.0/0 route to it, service-tag network rules and FQDN application rules from the host catalogue; everything else is denied. */
    firewall: "firewall",
    /** No internet: the NSG allows only the VNet and the documented service tags and ends in a deny-all. */
    none: "none",
} as const;
export type EgressMode = (typeof EgressMode)[keyof typeof EgressMode];

export const egressModes: readonly EgressMode[] = ["nat", "firewall", "none"];

export function isEgressMode(value: unknown): value is EgressMode {
    return typeof value === "string" && (egressModes as readonly string[]).includes(value);
}

/** Where the workspace's computes run and how their outbound traffic is controlled. */
export const WorkspaceIsolation = {
    /** Computes run in the customer's VNet (the source document's model); `egress` decides their outbound path. */
    customerVnet: "customerVnet",
    /** Computes run in the workspace's managed VNet with AllowOnlyApprovedOutbound; the customer VNet carries only the inbound private endpoints. */
    managed: "managed",
} as const;
export type WorkspaceIsolation = (typeof WorkspaceIsolation)[keyof typeof WorkspaceIsolation];

export const workspaceIsolations: readonly WorkspaceIsolation[] = ["customerVnet", "managed"];

export function isWorkspaceIsolation(value: unknown): value is WorkspaceIsolation {
    return typeof value === "string" && (workspaceIsolations as readonly string[]).includes(value);
}

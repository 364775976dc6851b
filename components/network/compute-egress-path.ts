import * as pulumi from "@pulumi/pulumi";

/**
 * The resources that make up an MlNetwork's compute subnets' way out to the internet: the VNet (which
 * associates the NAT gateway or the route table with the subnets) and the NAT gateway, or the VNet, the
 * Azure Firewall, its rule collection group and the 0.0.0.0/0 route; empty when the network has
 * neither (`privateEndpointsOnly`).
 *
 * Internal, for SecureMlWorkspace's create-time ordering of the compute instances
 * (catalog/create-time.ts): resources rather than outputs, so not a property of MlNetwork that the
 * cross-language schema would have to type, and kept out of the package's exports (components/index.ts).
 */
const paths = new WeakMap<pulumi.ComponentResource, readonly pulumi.Resource[]>();

export function setComputeEgressPath(network: pulumi.ComponentResource, path: readonly pulumi.Resource[]): void {
    paths.set(network, path);
}

export function computeEgressPathOf(network: pulumi.ComponentResource): readonly pulumi.Resource[] {
    return paths.get(network) ?? [];
}

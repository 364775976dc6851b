// The package's public API. Nothing but exports here.
export * from "./catalog/clouds";
export * from "./catalog/regions";
export * from "./catalog/service-tags";
export * from "./catalog/dns-zones";
export * from "./catalog/naming";
export { InvalidArgumentError } from "./validate";
export { dockerBridgeRange } from "./catalog/cidr";
export * from "./catalog/bastion";
export * from "./catalog/roles";
export type { WorkspacePrincipal } from "./people";
export type { ComputeInstanceSpec } from "./compute-instances";
export * from "./network-plan";
export * from "./network";
export * from "./secure-workspace-plan";
export * from "./secure-workspace";

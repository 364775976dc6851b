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
export type { WorkspacePrincipal } from "./access/people";
export type { ComputeInstanceSpec } from "./access/compute-instances";
export * from "./network/network-plan";
export * from "./network/network-args";
export * from "./network/network";
export * from "./workspace/secure-workspace-plan";
export * from "./workspace/secure-workspace-args";
export * from "./workspace/secure-workspace";

// The catalogues on their own (`secure-azureml/catalog`): the source document's facts as plain data and
// functions, with no Pulumi resources, for policy code, scripts and other tools. Nothing but exports here.
export * from "./clouds";
export * from "./regions";
export * from "./service-tags";
export * from "./dns-zones";
export * from "./naming";
export * from "./bastion";
export * from "./service-tag-hierarchy";
export * from "./egress-modes";
export * from "./egress-hosts";
export * from "./roles";
export * from "./vm-login-hosts";
export * from "./create-time";
export * from "./azure-filled";
export * from "./monitor-reachability";
export * from "./online-endpoints";

// Entry point of the source-based Pulumi plugin (PulumiPlugin.yaml): `pulumi package add` analyses this
// file's exports to build the schema other languages see. npm consumers use `main` (dist/) instead.
export * from "./components";

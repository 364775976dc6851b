import { PolicyPack } from "@pulumi/policy";
import { allPolicies } from "./rules";

// The pack's entry point, and nothing else: `new PolicyPack` starts the analyzer's gRPC server, so
// tests and the offline CLI run the same policies through policy/runner.ts instead.
new PolicyPack("secure-azureml-policies", {
    policies: allPolicies,
    description:
        "Microsoft's guidance for a network-isolated Azure Machine Learning workspace: private endpoints with the right DNS zones, network-restricted storage, key vault and Premium registry, the documented NSG service-tag rules, an image-build compute cluster, and no Docker-bridge address range.",
    displayName: "Secure Azure Machine Learning workspace",
    provider: "azure-native",
    tags: ["azure", "azure-native", "machine-learning", "network-isolation", "private-endpoint"],
});

import { StackValidationPolicy } from "@pulumi/policy";
import { indexOf } from "./graph";
import { UNKNOWN, describe, eqi, get, stackRule, tokens } from "./util";

/** Azure Container Instances (`azure-native:containerinstance:ContainerGroup`). */

export const noAciWithPrivateWorkspace: StackValidationPolicy = stackRule(
    {
        name: "no-aci-with-private-workspace",
        description:
            "No Azure Container Instances container group in a stack whose Azure Machine Learning workspace is private (a private endpoint or public network access disabled): deploying to ACI in a VNet is not supported with a private workspace.",
        enforcementLevel: "mandatory",
        severity: "medium",
        remediationSteps:
            "Deploy models to a managed online endpoint with network isolation instead of Azure Container Instances.",
        sources: {
            learn: "https://learn.microsoft.com/azure/machine-learning/how-to-secure-workspace-vnet#azure-container-instances",
        },
    },
    (args, report) => {
        const index = indexOf(args.resources);
        const groups = index.ofType(tokens.containerGroup);
        if (groups.length === 0) return;
        const privateWorkspaces = index.ofType(tokens.workspace).filter((ws) => {
            if (eqi(get(ws.props, "publicNetworkAccess"), "Disabled")) return true;
            const pes = index.privateEndpointsFor(ws, "amlworkspace");
            return pes !== UNKNOWN && pes.length > 0;
        });
        if (privateWorkspaces.length === 0) return;
        const names = privateWorkspaces.map((ws) => `"${ws.name}"`).join(", ");
        for (const group of groups) {
            report(
                `${describe(group.type, group.name)} is in a stack with private workspace ${names}; Azure Container Instances are not supported with a private workspace. Use a managed online endpoint.`,
                group.urn,
            );
        }
    },
);

export const containerInstancePolicies = [noAciWithPrivateWorkspace];

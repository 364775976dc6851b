import * as pulumi from "@pulumi/pulumi";
import * as resources from "@pulumi/azure-native/resources";
import { SecureMlWorkspace } from "../components/workspace/secure-workspace";
import { readStackConfig } from "./config";

/**
 * The stack's program: a resource group and one `SecureMlWorkspace`, configured from the stack's
 * `Pulumi.<stack>.yaml`. A function rather than top-level code, so `pulumi up` (through `index.ts`)
 * and the offline `plan` command (which calls it directly, once per render) run the same code.
 */
export function program() {
    const settings = readStackConfig();
    const group = new resources.ResourceGroup("rg", {
        resourceGroupName: settings.resourceGroupName,
        location: settings.location,
        tags: settings.args.tags,
    });
    const ml = new SecureMlWorkspace(settings.componentName, {
        workspaceName: `mlw-${pulumi.getProject()}-${pulumi.getStack()}`,
        ...settings.args,
        resourceGroupName: group.name,
        location: settings.location,
    });
    return {
        resourceGroupName: group.name,
        workspaceName: ml.workspaceName,
        workspaceId: ml.workspaceId,
        vnetId: ml.vnetId,
        storageAccountId: ml.storageAccountId,
        keyVaultId: ml.keyVaultId,
        containerRegistryId: ml.containerRegistryId,
        imageBuildClusterName: ml.imageBuildClusterName,
        // The way in (README "How people connect"): what `az network bastion rdp` and the VPN profile need.
        ...wayIn(ml, settings.args),
    };
}

/** The stack outputs of the ways in the stack has: only those it enables, so none resolves to undefined. */
function wayIn(ml: SecureMlWorkspace, args: ReturnType<typeof readStackConfig>["args"]) {
    const net = ml.network;
    if (!net) return {};
    return {
        ...(args.enableBastion ? { bastionHostName: net.bastionHostName } : {}),
        ...(args.enableJumpBox ? { jumpBoxVmId: net.jumpBoxVmId } : {}),
        ...(args.enableVpnGateway ? { vpnGatewayId: net.vpnGatewayId } : {}),
        ...((args.enableDnsResolver ?? args.enableVpnGateway)
            ? { dnsResolverInboundIp: net.dnsResolverInboundIp }
            : {}),
    };
}

import { ResourceValidationPolicy } from "@pulumi/policy";
import { UNKNOWN, get, list, resourceRule, show } from "./util";

/**
 * Virtual machines (the jump box, or any VM of the stack) have no public IP: people reach them through
 * Azure Bastion or a VPN, as the source document's "Securely connect to your workspace" describes.
 * Checked on the NIC (`ipConfigurations[].publicIPAddress`, what Azure Policy's built-in checks) and on a
 * VM's inline NIC configurations (`publicIPAddressConfiguration`).
 */

const nicToken = "azure-native:network:NetworkInterface";
const vmToken = "azure-native:compute:VirtualMachine";

/** Whether a public IP reference is set: an object with an id, or any non-empty object. */
function hasPublicIp(value: unknown): boolean | typeof UNKNOWN {
    if (value === UNKNOWN) return UNKNOWN;
    if (value === undefined || value === null) return false;
    if (typeof value === "object") return Object.keys(value as object).length > 0;
    return typeof value === "string" ? value !== "" : true;
}

export const vmNoPublicIp: ResourceValidationPolicy = resourceRule(
    {
        name: "vm-no-public-ip",
        description:
            "Network interfaces and virtual machines carry no public IP address: VMs in the workspace's VNet (the jump box) are reached through Azure Bastion or a VPN.",
        enforcementLevel: "mandatory",
        severity: "high",
        remediationSteps:
            "Remove publicIPAddress from the NIC's ipConfigurations (or publicIPAddressConfiguration from the VM's networkInterfaceConfigurations) and connect through Azure Bastion or a point-to-site VPN.",
        sources: {
            azurePolicy: ["83a86a26-fd1f-447c-b59d-e51f44264114"],
            checkov: ["CKV_AZURE_119"],
            learn: "https://learn.microsoft.com/azure/machine-learning/how-to-secure-workspace-vnet#securely-connect-to-your-workspace",
        },
    },
    [nicToken, vmToken],
    (props, report, args) => {
        if (args.type === nicToken) {
            const configs = list(get(props, "ipConfigurations"));
            if (configs === UNKNOWN) return;
            configs.forEach((c, i) => {
                const pip = get(c, "publicIPAddress");
                if (hasPublicIp(pip) === true) {
                    report(`ipConfigurations[${i}].publicIPAddress is ${show(pip)}; a NIC must have no public IP.`);
                }
            });
            return;
        }
        const nics = list(get(props, "networkProfile.networkInterfaceConfigurations"));
        if (nics === UNKNOWN) return;
        nics.forEach((nic, i) => {
            const configs = list(get(nic, "ipConfigurations"));
            if (configs === UNKNOWN) return;
            configs.forEach((c, j) => {
                const pip = get(c, "publicIPAddressConfiguration");
                if (hasPublicIp(pip) === true) {
                    report(
                        `networkProfile.networkInterfaceConfigurations[${i}].ipConfigurations[${j}].publicIPAddressConfiguration is set; a VM must have no public IP.`,
                    );
                }
            });
        });
    },
);

export const virtualMachinePolicies = [vmNoPublicIp];

import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import * as devtestlab from "@pulumi/azure-native/devtestlab";
import * as network from "@pulumi/azure-native/network";
import * as random from "@pulumi/random";
import type * as azureInputs from "@pulumi/azure-native/types/input";
import { JumpBoxOs } from "../catalog/jump-box-hosts";
import { SecurityRule } from "../catalog/service-tags";
import { PartArgs } from "../common";
import { createTimeDependsOn } from "../create-time-deps";

/**
 * The jump box of the source document's "Securely connect to your workspace": a VM in its own subnet of
 * the workspace's VNet, reached only through Azure Bastion. From it a person uses the studio in a
 * browser, the Azure CLI and the SDK against the workspace's private endpoints.
 *
 * - `windows` (the default): Windows Server 2025 Datacenter: Azure Edition with Desktop Experience and
 *   Microsoft Edge, so the studio (ml.azure.com) opens in a browser. People sign in over RDP with
 *   Microsoft Entra ID (AADLoginForWindows), through Bastion's native client (`az network bastion rdp
 *   --auth-type AAD`, Standard SKU with tunnelling) or the portal's Entra ID RDP. Windows 11 24H2+ and
 *   Windows Server 2025+ are the distributions Microsoft lists for Entra ID sign-in
 *   (https://learn.microsoft.com/entra/identity/devices/howto-vm-sign-in-azure-ad-windows#requirements);
 *   Windows 11 Enterprise on Azure needs per-user licences (multitenant hosting rights), the Server
 *   image's licence is in the VM's price.
 * - `linux`: Ubuntu 22.04 LTS without a desktop: az, az ml and the SDK only, NO studio (no browser).
 *   People sign in with Entra ID over SSH (AADSSHLoginForLinux; `az network bastion ssh --auth-type AAD`).
 * - No public IP; its NSG lets in SSH and RDP from the Bastion subnet only (jumpBoxNsgRules).
 * - Admin account, break-glass only (people sign in as themselves; SecureMlWorkspace gives them
 *   "Virtual Machine User Login"): on Windows a random password (Azure requires one), which therefore
 *   IS in the stack's state, as a Pulumi secret (encrypted); on Linux only the public key the caller
 *   passes (`jumpBoxAdminSshPublicKey`), so no private key is ever in state.
 * - A system-assigned identity (the Entra ID login extensions require it), with no role of its own.
 * - Shuts down every evening (`jumpBoxShutdownTime`, UTC) so it costs little when nobody works.
 */

/** When the jump box shuts down every day (HHmm, UTC): after a European working day. */
export const jumpBoxShutdownTime = "1900";

/** The admin account: break-glass only, people sign in with Entra ID. */
export const jumpBoxAdminUsername = "azureuser";

/**
 * The images, Gen2 (Trusted Launch). Windows: Server 2025 Datacenter Azure Edition, Desktop Experience
 * (the `-core` SKU has no desktop); Linux: Ubuntu 22.04 LTS, a distribution AADSSHLoginForLinux supports.
 */
export const jumpBoxImages = {
    windows: {
        publisher: "MicrosoftWindowsServer",
        offer: "WindowsServer",
        sku: "2025-datacenter-azure-edition",
        version: "latest",
    },
    linux: {
        publisher: "Canonical",
        offer: "0001-com-ubuntu-server-jammy",
        sku: "22_04-lts-gen2",
        version: "latest",
    },
} as const;

/** The Entra ID sign-in extension per OS (publisher Microsoft.Azure.ActiveDirectory). */
export const jumpBoxEntraLoginExtensions = {
    // https://learn.microsoft.com/entra/identity/devices/howto-vm-sign-in-azure-ad-windows#enable-microsoft-entra-sign-in-extension
    windows: { type: "AADLoginForWindows", typeHandlerVersion: "1.0" },
    // https://learn.microsoft.com/entra/identity/devices/howto-vm-sign-in-azure-ad-linux
    linux: { type: "AADSSHLoginForLinux", typeHandlerVersion: "1.0" },
} as const;

/**
 * The jump-box subnet's inbound rules: SSH and RDP from the Bastion subnet, then nothing else (the deny
 * at 4000 overrides Azure's default AllowVnetInBound, so compute, endpoints and VPN clients cannot reach
 * the jump box either; it reaches them, outbound). No rule has an Internet source.
 */
export function jumpBoxNsgRules(bastionSubnetPrefix: string): SecurityRule[] {
    return [
        {
            name: "AllowBastionSshRdpInbound",
            priority: 100,
            direction: "Inbound",
            access: "Allow",
            protocol: "Tcp",
            sourceAddressPrefix: bastionSubnetPrefix,
            sourcePortRange: "*",
            destinationAddressPrefix: "VirtualNetwork",
            destinationPortRanges: ["22", "3389"],
            description: "Azure Bastion (its subnet) to the jump box: SSH and RDP only.",
        },
        {
            name: "DenyOtherInbound",
            priority: 4000,
            direction: "Inbound",
            access: "Deny",
            protocol: "*",
            sourceAddressPrefix: "*",
            sourcePortRange: "*",
            destinationAddressPrefix: "*",
            destinationPortRange: "*",
            description: "Nothing else reaches the jump box (overrides the default AllowVnetInBound).",
        },
    ];
}

export interface JumpBoxArgs extends PartArgs {
    subnetId: pulumi.Input<string>;
    vmSize: string;
    os: JumpBoxOs;
    /** Linux only: the admin account's SSH public key (break-glass); required there. */
    adminSshPublicKey?: pulumi.Input<string>;
    /**
     * The jump-box subnet's way out (NAT gateway, or firewall, rule collection group and 0.0.0.0/0 route):
     * the VM and its Entra ID login extension wait for it (catalog/create-time.ts, subjects
     * vmWithEntraLogin and vmEntraLoginExtension).
     */
    egressPath?: readonly pulumi.Resource[];
}

export interface JumpBox {
    vm: compute.VirtualMachine;
    nic: network.NetworkInterface;
    /** Windows only: the admin password (a Pulumi secret in state). */
    adminPassword?: random.RandomPassword;
    entraLogin: compute.VirtualMachineExtension;
    shutdown: devtestlab.GlobalSchedule;
}

export function createJumpBox(name: string, args: JumpBoxArgs, opts: pulumi.CustomResourceOptions): JumpBox {
    const common = { resourceGroupName: args.resourceGroupName, location: args.location, tags: args.tags };
    const windows = args.os === "windows";
    // Azure requires an admin password on Windows: 12 to 123 characters from three of four classes
    // (https://learn.microsoft.com/azure/virtual-machines/windows/faq#what-are-the-password-requirements-when-creating-a-vm-).
    const adminPassword = windows
        ? new random.RandomPassword(
              `${name}-jump-box-admin-password`,
              {
                  length: 32,
                  special: true,
                  minLower: 2,
                  minUpper: 2,
                  minNumeric: 2,
                  minSpecial: 2,
                  overrideSpecial: "!#%*-_=+?",
              },
              opts,
          )
        : undefined;

    const nic = new network.NetworkInterface(
        `${name}-jump-box-nic`,
        {
            ...common,
            // No publicIPAddress: the jump box is reached through Bastion only.
            ipConfigurations: [
                {
                    name: "ipconfig",
                    subnet: { id: args.subnetId },
                    privateIPAllocationMethod: network.IPAllocationMethod.Dynamic,
                    primary: true,
                },
            ],
        },
        opts,
    );

    const osProfile: azureInputs.compute.OSProfileArgs = adminPassword
        ? {
              computerName: "jump-box",
              adminUsername: jumpBoxAdminUsername,
              adminPassword: adminPassword.result,
              windowsConfiguration: { provisionVMAgent: true, enableAutomaticUpdates: true },
          }
        : {
              computerName: "jump-box",
              adminUsername: jumpBoxAdminUsername,
              linuxConfiguration: {
                  disablePasswordAuthentication: true,
                  ssh: {
                      publicKeys: [
                          {
                              path: `/home/${jumpBoxAdminUsername}/.ssh/authorized_keys`,
                              keyData: args.adminSshPublicKey!,
                          },
                      ],
                  },
                  provisionVMAgent: true,
              },
          };

    const vm = new compute.VirtualMachine(
        `${name}-jump-box`,
        {
            ...common,
            hardwareProfile: { vmSize: args.vmSize },
            identity: { type: compute.ResourceIdentityType.SystemAssigned },
            networkProfile: { networkInterfaces: [{ id: nic.id, primary: true }] },
            osProfile,
            storageProfile: {
                imageReference: { ...jumpBoxImages[args.os] },
                osDisk: {
                    createOption: compute.DiskCreateOptionTypes.FromImage,
                    managedDisk: { storageAccountType: compute.StorageAccountTypes.StandardSSD_LRS },
                    deleteOption: compute.DiskDeleteOptionTypes.Delete,
                },
            },
            securityProfile: {
                securityType: compute.SecurityTypes.TrustedLaunch,
                uefiSettings: { secureBootEnabled: true, vTpmEnabled: true },
            },
            // Managed boot diagnostics (no storage account of ours, which has public access off).
            diagnosticsProfile: { bootDiagnostics: { enabled: true } },
        },
        { ...opts, dependsOn: createTimeDependsOn("vmWithEntraLogin", { egressPath: args.egressPath }) },
    );

    // Microsoft Entra ID sign-in, as the person themselves (Virtual Machine User Login).
    const extension = jumpBoxEntraLoginExtensions[args.os];
    const entraLogin = new compute.VirtualMachineExtension(
        `${name}-jump-box-entra-login`,
        {
            ...common,
            vmName: vm.name,
            vmExtensionName: extension.type,
            publisher: "Microsoft.Azure.ActiveDirectory",
            type: extension.type,
            typeHandlerVersion: extension.typeHandlerVersion,
            autoUpgradeMinorVersion: true,
        },
        // It reaches its hosts as it installs (catalog/create-time.ts, vm-login-hosts.ts).
        { ...opts, dependsOn: createTimeDependsOn("vmEntraLoginExtension", { egressPath: args.egressPath }) },
    );

    // Auto-shutdown is a DevTest Labs global schedule whose name Azure fixes: shutdown-computevm-<vm name>.
    const shutdown = new devtestlab.GlobalSchedule(
        `${name}-jump-box-shutdown`,
        {
            ...common,
            name: pulumi.interpolate`shutdown-computevm-${vm.name}`,
            status: devtestlab.EnableStatus.Enabled,
            taskType: "ComputeVmShutdownTask",
            dailyRecurrence: { time: jumpBoxShutdownTime },
            timeZoneId: "UTC",
            targetResourceId: vm.id,
            notificationSettings: { status: devtestlab.EnableStatus.Disabled },
        },
        opts,
    );

    return { vm, nic, adminPassword, entraLogin, shutdown };
}

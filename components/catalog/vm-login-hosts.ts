import { AzureCloud } from "./clouds";

/**
 * The hosts a Linux VM with Microsoft Entra ID sign-in (the AADSSHLoginForLinux extension) must reach
 * over TCP 443, per cloud, as Microsoft lists them: "VM network configuration must permit outbound
 * access to the following endpoints over TCP port 443" (MicrosoftDocs/entra-docs,
 * docs/identity/devices/howto-vm-sign-in-azure-ad-linux.md @07cd7acd, section "Network";
 * https://learn.microsoft.com/entra/identity/devices/howto-vm-sign-in-azure-ad-linux#network).
 * The Instance Metadata Service (169.254.169.254) of the same list is never routed through a firewall,
 * so it is not a row here. With `egress: firewall` the jump box reaches these through the firewall.
 */
export const vmLoginHostsSource =
    "https://learn.microsoft.com/entra/identity/devices/howto-vm-sign-in-azure-ad-linux#network";

export interface VmLoginHost {
    host: string;
    purpose: string;
}

export const vmLoginHosts: Readonly<Record<AzureCloud, readonly VmLoginHost[]>> = {
    AzureCloud: [
        {
            host: "packages.microsoft.com",
            purpose: "package installation and upgrades (the login extension's packages)",
        },
        { host: "login.microsoftonline.com", purpose: "PAM-based authentication flows" },
        { host: "pas.windows.net", purpose: "Azure RBAC flows (Virtual Machine User Login)" },
    ],
    AzureUSGovernment: [
        {
            host: "packages.microsoft.com",
            purpose: "package installation and upgrades (the login extension's packages)",
        },
        { host: "login.microsoftonline.us", purpose: "PAM-based authentication flows" },
        { host: "pasff.usgovcloudapi.net", purpose: "Azure RBAC flows (Virtual Machine User Login)" },
    ],
    AzureChinaCloud: [
        {
            host: "packages.microsoft.com",
            purpose: "package installation and upgrades (the login extension's packages)",
        },
        { host: "login.chinacloudapi.cn", purpose: "PAM-based authentication flows" },
        { host: "pas.chinacloudapi.cn", purpose: "Azure RBAC flows (Virtual Machine User Login)" },
    ],
};

/**
 * The same for a Windows VM with the AADLoginForWindows extension: "your network configuration permits
 * outbound access to the following endpoints over TCP port 443" (MicrosoftDocs/entra-docs,
 * docs/identity/devices/howto-vm-sign-in-azure-ad-windows.md @02d0064c, "Network requirements";
 * https://learn.microsoft.com/entra/identity/devices/howto-vm-sign-in-azure-ad-windows#network-requirements).
 * The VM joins Microsoft Entra ID (device registration) as the extension installs.
 */
export const windowsVmLoginHostsSource =
    "https://learn.microsoft.com/entra/identity/devices/howto-vm-sign-in-azure-ad-windows#network-requirements";

export const windowsVmLoginHosts: Readonly<Record<AzureCloud, readonly VmLoginHost[]>> = {
    AzureCloud: [
        { host: "enterpriseregistration.windows.net", purpose: "device registration (Microsoft Entra join)" },
        { host: "login.microsoftonline.com", purpose: "authentication flows" },
        { host: "pas.windows.net", purpose: "Azure RBAC flows (Virtual Machine User Login)" },
    ],
    AzureUSGovernment: [
        { host: "enterpriseregistration.microsoftonline.us", purpose: "device registration (Microsoft Entra join)" },
        { host: "login.microsoftonline.us", purpose: "authentication flows" },
        { host: "pasff.usgovcloudapi.net", purpose: "Azure RBAC flows (Virtual Machine User Login)" },
    ],
    AzureChinaCloud: [
        {
            host: "enterpriseregistration.partner.microsoftonline.cn",
            purpose: "device registration (Microsoft Entra join)",
        },
        { host: "login.chinacloudapi.cn", purpose: "authentication flows" },
        { host: "pas.chinacloudapi.cn", purpose: "Azure RBAC flows (Virtual Machine User Login)" },
    ],
};

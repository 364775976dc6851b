import { onlineEndpointIsolation } from "./online-endpoints";

/**
 * The user journeys a deployed stack must support, hop by hop, as data: what each hop checks, how to
 * fix it when it breaks, and the Microsoft page that states the need. The policy pack's journey
 * policies (policy/rules/stack/journeys/) walk these hops over a stack's graph and the plan report's
 * "Journeys" section prints each journey's PASS or its first broken hop with the fix. A journey stops
 * at its first broken hop: the hops after it cannot be reached.
 */

export type JourneyId =
    "studio-access" | "datastore-read-write" | "image-build" | "compute-instance-start" | "online-endpoint";

export type HopId =
    | "way-in"
    | "dns"
    | "route"
    | "nsg"
    | "firewall"
    | "private-endpoint"
    | "rbac"
    | "compute"
    | "egress"
    | "create-time"
    | "mode";

export interface JourneyHop {
    id: HopId;
    /** What must hold for the hop to pass, in a sentence. */
    checks: string;
    /** What to change when it does not. */
    fix: string;
    source: string;
}

export interface Journey {
    id: JourneyId;
    /** The stack policy that reports the journey's first broken hop. */
    policy: `journey-${JourneyId}`;
    title: string;
    hops: readonly JourneyHop[];
}

const learn = "https://learn.microsoft.com/azure";

/**
 * The public hosts a browser needs for the studio and its integrated notebooks besides the workspace's
 * private endpoints, from the page's "Azure hosts" and "Azure Machine Learning hosts" tables: Microsoft
 * Entra ID sign-in, Azure Resource Manager (the studio lists and opens workspaces through it), the
 * studio itself and the notebooks' Microsoft Graph calls.
 */
export const studioBrowserHosts: readonly string[] = [
    "login.microsoftonline.com",
    "management.azure.com",
    "ml.azure.com",
    "graph.microsoft.com",
];
export const studioBrowserHostsSource = `${learn}/machine-learning/how-to-access-azureml-behind-firewall`;

/**
 * The hosts an image build reaches: Microsoft's base images (mcr.microsoft.com and its regional data
 * endpoints) and the package feeds of a conda environment with pip dependencies. `serviceTag`: a
 * firewall network rule (or NSG rule) to that tag reaches the host too.
 */
export interface ImageBuildHost {
    host: string;
    purpose: string;
    serviceTag?: string;
}

export const imageBuildHosts: readonly ImageBuildHost[] = [
    { host: "mcr.microsoft.com", purpose: "Azure ML's base images", serviceTag: "MicrosoftContainerRegistry" },
    {
        host: "{region}.data.mcr.microsoft.com",
        purpose: "the base images' layers (a regional data endpoint, *.data.mcr.microsoft.com)",
        serviceTag: "MicrosoftContainerRegistry",
    },
    { host: "pypi.org", purpose: "pip's package index" },
    { host: "files.pythonhosted.org", purpose: "pip's package files" },
    { host: "conda.anaconda.org", purpose: "conda channels (conda-forge)" },
    { host: "repo.anaconda.com", purpose: "conda's default channels" },
];
/** The image-build hosts of a region (the regional MCR data endpoint named for it). */
export function imageBuildHostsIn(region: string): ImageBuildHost[] {
    return imageBuildHosts.map((h) => ({ ...h, host: h.host.replace("{region}", region) }));
}
export const imageBuildHostsSource = `${learn}/machine-learning/how-to-access-azureml-behind-firewall#python-hosts`;

const secureVnet = `${learn}/machine-learning/how-to-secure-workspace-vnet`;
const dnsIntegration = `${learn}/private-link/private-endpoint-dns-integration`;
const udr = `${learn}/virtual-network/virtual-networks-udr-overview`;
const peNetworkPolicies = `${learn}/private-link/disable-private-endpoint-network-policy`;

export const journeys: readonly Journey[] = [
    {
        id: "studio-access",
        policy: "journey-studio-access",
        title: "A data scientist reaches the studio and a notebook from their way in",
        hops: [
            {
                id: "way-in",
                checks: "A person can get into the workspace's VNet: a Windows jump box (a desktop with a browser) whose VNet has an Azure Bastion host, created after its subnet's way out, or a point-to-site VPN gateway in that VNet.",
                fix: "Turn on enableBastion with enableJumpBox (a Windows jump box), or enableVpnGateway with a DNS Private Resolver inbound endpoint for the VPN clients.",
                source: `${secureVnet}#securely-connect-to-your-workspace`,
            },
            {
                id: "dns",
                checks: "Where the client resolves, the workspace's zones (privatelink.api.azureml.ms, privatelink.notebooks.azure.net) and the default storage's blob and file zones are linked: the jump box's VNet (Azure DNS), or for VPN clients the VNet of an Azure DNS Private Resolver inbound endpoint (a VPN client does not use the VNet's private zones by itself).",
                fix: "Link the zones to that VNet (privatedns:VirtualNetworkLink); for VPN clients add a DNS Private Resolver with an inbound endpoint and give its address to the Azure VPN Client profile as DNS server.",
                source: dnsIntegration,
            },
            {
                id: "route",
                checks: "The client subnet's routes do not drop the private endpoints' addresses (no route of next hop None covers them).",
                fix: "Remove the route with next hop None, or narrow it so that it does not cover the private-endpoint subnet.",
                source: udr,
            },
            {
                id: "nsg",
                checks: "The client subnet's NSG lets TCP 443 out to the private-endpoint subnet, and that subnet's NSG lets it in when network policies apply to its private endpoints.",
                fix: "Allow TCP 443 from the client's addresses to the private-endpoint subnet (or remove the deny named).",
                source: peNetworkPolicies,
            },
            {
                id: "firewall",
                checks: "The public hosts the browser needs for the studio and its notebooks (login.microsoftonline.com, management.azure.com, ml.azure.com, graph.microsoft.com) are reachable along the client subnet's way out: Azure Firewall application rules for the jump box's subnet when its 0.0.0.0/0 goes to the firewall (a VPN client uses its own internet).",
                fix: "Add an application rule for those hosts, sourced from the jump box's subnet (MlNetwork does with egress: firewall).",
                source: studioBrowserHostsSource,
            },
            {
                id: "private-endpoint",
                checks: "The workspace has an amlworkspace private endpoint in the client's VNet, and the default storage has blob and file endpoints there, each with its DNS zone group.",
                fix: "Create the private endpoints (SecureMlWorkspace does) in the VNet the client reaches, each with a privateDnsZoneGroup.",
                source: `${learn}/machine-learning/how-to-configure-private-link`,
            },
            {
                id: "rbac",
                checks: "A person (an Entra ID user or group) holds AzureML Data Scientist on the workspace and Storage Blob Data Contributor and Storage File Data Privileged Contributor on the default storage (shared keys off); with a jump box, Virtual Machine User Login on it and Reader on it, its NIC and the Bastion host.",
                fix: "List the people in dataScientists (an Entra ID group), which grants exactly these roles.",
                source: `${learn}/bastion/bastion-entra-id-authentication`,
            },
        ],
    },
    {
        id: "datastore-read-write",
        policy: "journey-datastore-read-write",
        title: "A job on a compute cluster reads and writes the default datastore",
        hops: [
            {
                id: "compute",
                checks: "The workspace has a compute cluster (AmlCompute) to run the job.",
                fix: "Add a compute cluster (SecureMlWorkspace creates the image-build cluster, which jobs can use too).",
                source: `${learn}/machine-learning/how-to-create-attach-compute-cluster`,
            },
            {
                id: "dns",
                checks: "The default storage's blob and file zones are linked to the cluster subnet's VNet; in a managed network Azure resolves them through the endpoints it creates.",
                fix: "Link privatelink.blob and privatelink.file to the cluster's VNet.",
                source: dnsIntegration,
            },
            {
                id: "route",
                checks: "The cluster subnet's routes do not drop the private endpoints' addresses.",
                fix: "Remove the route with next hop None that covers the private-endpoint subnet.",
                source: udr,
            },
            {
                id: "nsg",
                checks: "The cluster subnet's NSG lets TCP 443 out to the private-endpoint subnet, and that subnet's NSG lets it in when network policies apply.",
                fix: "Allow TCP 443 from the cluster's subnet to the private-endpoint subnet.",
                source: peNetworkPolicies,
            },
            {
                id: "private-endpoint",
                checks: "The default storage has blob and file private endpoints in the cluster's VNet, each with its DNS zone group; in a managed network Azure creates them (required rules).",
                fix: "Create the storage's blob and file private endpoints in the cluster's VNet.",
                source: `${secureVnet}#secure-azure-storage-accounts`,
            },
            {
                id: "rbac",
                checks: "The identity the cluster runs as holds Storage Blob Data Contributor (or Owner) on the default storage: with shared keys off, identity-based datastore access is the only way in.",
                fix: "Grant the cluster's identity Storage Blob Data Contributor on the storage account (SecureMlWorkspace's compute identity has it).",
                source: `${learn}/machine-learning/how-to-identity-based-service-authentication#compute-cluster`,
            },
        ],
    },
    {
        id: "image-build",
        policy: "journey-image-build",
        title: "An environment image builds: MCR, PyPI and conda through the stack's egress",
        hops: [
            {
                id: "compute",
                checks: "The workspace names a CPU compute cluster as its image-build compute (imageBuildCompute): a registry behind a private endpoint cannot be built by the service's own build machines.",
                fix: "Set the workspace's imageBuildCompute to a CPU cluster of the workspace.",
                source: `${secureVnet}#enable-azure-container-registry-acr`,
            },
            {
                id: "private-endpoint",
                checks: "The container registry has a registry private endpoint in the build cluster's VNet with its zone group, and privatelink.azurecr.io is linked to that VNet; in a managed network Azure creates it.",
                fix: "Create the registry's private endpoint and zone link in the build cluster's VNet.",
                source: `${secureVnet}#enable-azure-container-registry-acr`,
            },
            {
                id: "nsg",
                checks: "The build cluster subnet's NSG lets TCP 443 out to MicrosoftContainerRegistry, AzureFrontDoor.FirstParty and the Internet (PyPI and conda).",
                fix: "Allow TCP 443 outbound to those destinations before any deny (requiredNsgRules has the service tags).",
                source: `${secureVnet}#required-public-internet-access`,
            },
            {
                id: "egress",
                checks: "Each image-build host (mcr.microsoft.com and its data endpoints, pypi.org, files.pythonhosted.org, conda.anaconda.org, repo.anaconda.com) is reachable along the subnet's way out: a NAT gateway or the system route, the Azure Firewall's rules when 0.0.0.0/0 goes to it, or in a managed network its isolation mode and FQDN rules.",
                fix: "Allow the hosts named (egressHostGroups python and conda; the firewall's or managed network's rules), or give the subnet a NAT gateway.",
                source: imageBuildHostsSource,
            },
        ],
    },
    {
        id: "compute-instance-start",
        policy: "journey-compute-instance-start",
        title: "A compute instance starts (its create-time prerequisites exist first)",
        hops: [
            {
                id: "private-endpoint",
                checks: "The instance depends on the workspace's, the default storage's blob and file, the key vault's and the registry's private endpoints (components/catalog/create-time.ts), so Azure creates it after them.",
                fix: "Add the private endpoints to the instance's dependsOn (SecureMlWorkspace does).",
                source: `${learn}/machine-learning/how-to-secure-training-vnet#compute-instancecompute-cluster-with-no-public-ip`,
            },
            {
                id: "dns",
                checks: "The instance depends on those endpoints' DNS zone groups and the zones' links to its VNet, so the names resolve privately when it boots.",
                fix: "Add the zone groups and VNet links to the instance's dependsOn.",
                source: `${learn}/machine-learning/how-to-secure-training-vnet#compute-instancecompute-cluster-with-no-public-ip`,
            },
            {
                id: "egress",
                checks: "The instance depends on its subnet's way out (the NAT gateway, or the firewall, its rule collection groups and the 0.0.0.0/0 route) when the stack has one.",
                fix: "Add the NAT gateway, or the firewall, its rules and its route, to the instance's dependsOn.",
                source: `${learn}/virtual-network/ip-services/default-outbound-access`,
            },
        ],
    },
    {
        id: "online-endpoint",
        policy: "journey-online-endpoint",
        title: "A managed online endpoint deploys and is scored privately",
        hops: [
            {
                id: "mode",
                checks: "The workspace has a managed network (isolationMode AllowOnlyApprovedOutbound or AllowInternetOutbound): managed online deployments run in it and reach the workspace's storage, key vault and registry through the private endpoints Azure creates there. Without one (computes in the customer's VNet), a managed online deployment never runs in that VNet: only the legacy per-deployment isolation remains (create each deployment with egress_public_network_access: disabled; MLflow no-code deployments are unsupported), which Microsoft strongly recommends replacing with the managed network. The journey is then not applicable, and says so.",
                fix: 'Use isolation: "managed" (the managed stack) for online endpoints, or serve from a Kubernetes online endpoint on an AKS cluster in the VNet.',
                source: `${learn}/machine-learning/concept-secure-online-endpoint#secure-outbound-access-with-legacy-network-isolation-method`,
            },
            {
                id: "private-endpoint",
                checks: "Scoring requests reach the endpoint through the workspace's private endpoint: the workspace has an amlworkspace private endpoint in a VNet of the stack and public network access disabled.",
                fix: "Give the workspace a private endpoint and set publicNetworkAccess Disabled (the endpoint's public_network_access follows it).",
                source: `${learn}/machine-learning/how-to-secure-online-endpoint`,
            },
        ],
    },
];

/**
 * Why the online-endpoint journey does not apply to a workspace without a managed network, from the
 * online-endpoint catalogue (components/catalog/online-endpoints.ts): the legacy isolation, its flag,
 * what does not work there and what to do instead.
 */
export function onlineEndpointWithoutManagedNetwork(): string {
    const legacy = onlineEndpointIsolation.customerVnet;
    const flag = legacy.flags.find((f) => f.on === "deployment")!;
    const broken = legacy.capabilities.filter((c) => !c.works).map((c) => c.what);
    return `no managed network: managed online deployments get only the ${legacy.outbound} (create each with ${flag.flag.split(" ")[0]}: ${flag.value}), which Microsoft does not recommend; not available there: ${broken.join("; ")}. ${legacy.instead ?? ""}`.trim();
}

export function journeyById(id: JourneyId): Journey {
    return journeys.find((j) => j.id === id)!;
}

export function hopOf(journey: JourneyId, hop: HopId): JourneyHop {
    const found = journeyById(journey).hops.find((h) => h.id === hop);
    if (!found) throw new Error(`journey ${journey} has no hop ${hop}`);
    return found;
}

import { ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { applicableRequirements, cloudOfRegion, isAzureCloud } from "../catalog";
import { Res, SubnetInfo, indexOf, lastSegment } from "../graph";
import { FlowAtom, NsgRuleView, Verdict, evaluate, requirementAtoms } from "../nsg";
import { UNKNOWN, UnknownValueError, configOf, describe, eqi, get, stackRule, tokens } from "../util";
import { keyVaultPolicies } from "../key-vault";
import { registryPolicies } from "../registry";
import { storagePolicies } from "../storage";
import { cloudSchema, computesByWorkspace, workspaceOfCompute } from "./common";

/** Azure Machine Learning relations across the stack: image builds, dependencies, compute subnets. */

const learn = "https://learn.microsoft.com/azure/machine-learning/how-to-secure-workspace-vnet";

/** N-series sizes (NC, ND, NV, …) are GPU sizes; image builds need a CPU size. */
export function isGpuSize(vmSize: string): boolean {
    return /^(standard_)?n[a-z]/i.test(vmSize.trim());
}

export const mlImageBuildCompute: StackValidationPolicy = stackRule(
    {
        name: "ml-image-build-compute",
        description:
            "Each workspace's imageBuildCompute names a CPU compute cluster (AmlCompute, not an N-series size) of that workspace in this stack: with the registry behind a VNet, Azure Machine Learning cannot build images itself, and only CPU SKUs can build.",
        enforcementLevel: "mandatory",
        severity: "high",
        remediationSteps:
            "Create an AmlCompute cluster with a CPU size (e.g. Standard_DS3_v2) in the workspace's training subnet and set the workspace's imageBuildCompute to its name.",
        sources: { learn: `${learn}#enable-azure-container-registry-acr` },
    },
    (args, report) => {
        const index = indexOf(args.resources);
        const { byWorkspace, unresolved } = computesByWorkspace(index);
        for (const ws of index.ofType(tokens.workspace)) {
            const who = describe(ws.type, ws.name);
            const name = get(ws.props, "imageBuildCompute");
            if (name === UNKNOWN) continue;
            if (typeof name !== "string" || name.trim() === "") {
                report(
                    `${who}: imageBuildCompute is not set; with the registry behind a VNet, images must be built on a CPU compute cluster of the workspace.`,
                    ws.urn,
                );
                continue;
            }
            const computes = byWorkspace.get(ws) ?? [];
            let unknownNames = unresolved;
            const match = computes.find((c) => {
                const n = get(c.props, "computeName");
                if (n === UNKNOWN) unknownNames = true;
                const cn = typeof n === "string" ? n : n === undefined ? c.name : undefined;
                return cn !== undefined && cn.toLowerCase() === name.toLowerCase();
            });
            if (!match) {
                if (!unknownNames)
                    report(
                        `${who}: imageBuildCompute is "${name}", but no compute of this workspace in the stack has that name; create a CPU AmlCompute cluster "${name}".`,
                        ws.urn,
                    );
                continue;
            }
            const type = get(match.props, "properties.computeType");
            if (type === UNKNOWN) continue;
            if (!eqi(type, "AmlCompute")) {
                report(
                    `${who}: imageBuildCompute "${name}" is ${describe(match.type, match.name)} of type ${JSON.stringify(type)}; it must be a compute cluster (AmlCompute).`,
                    ws.urn,
                );
                continue;
            }
            const size = get(match.props, "properties.properties.vmSize");
            if (typeof size === "string" && isGpuSize(size)) {
                report(
                    `${who}: imageBuildCompute "${name}" has vmSize "${size}", a GPU (N-series) size; only CPU sizes can build images.`,
                    ws.urn,
                );
            }
        }
    },
);

/** Runs a resource rule on a resource outside the per-resource pass, with its default config. */
function violationsOf(policy: ResourceValidationPolicy, r: Res): string[] {
    const out: string[] = [];
    const args: ResourceValidationArgs = {
        type: r.type,
        props: r.props,
        urn: r.urn,
        name: r.name,
        opts: r.opts,
        stackTags: new Map(),
        isType: () => false,
        asType: () => undefined,
        getConfig: <T>() => ({}) as T,
        notApplicable: (reason?: string): never => {
            throw new Error(reason);
        },
    };
    const fns = Array.isArray(policy.validateResource)
        ? policy.validateResource
        : policy.validateResource
          ? [policy.validateResource]
          : [];
    for (const fn of fns) {
        try {
            void fn(args, (m) => out.push(m));
        } catch (e) {
            if (!(e instanceof UnknownValueError)) throw e;
        }
    }
    return out;
}

const mandatory = (ps: ResourceValidationPolicy[]) => ps.filter((p) => p.enforcementLevel === "mandatory");

export const mlDependenciesIsolated: StackValidationPolicy = stackRule(
    {
        name: "ml-dependencies-isolated",
        description:
            "The workspace's storage account, key vault and container registry are in this stack and pass their mandatory rules (a private workspace with public dependencies is not end-to-end secure); with hbiWorkspace its storage has public network access disabled.",
        enforcementLevel: "mandatory",
        severity: "high",
        remediationSteps:
            "Create the workspace's storage account, key vault and Premium container registry in the same stack, network-restricted and behind private endpoints; set containerRegistry explicitly (otherwise Azure creates a public Basic registry on first use).",
        sources: { checkov: ["CKV2_AZURE_50"], learn },
    },
    (args, report) => {
        const index = indexOf(args.resources);
        const deps: [string, string, ResourceValidationPolicy[]][] = [
            ["storageAccount", tokens.storage, mandatory(storagePolicies)],
            ["keyVault", tokens.vault, mandatory(keyVaultPolicies)],
            ["containerRegistry", tokens.registry, mandatory(registryPolicies)],
        ];
        for (const ws of index.ofType(tokens.workspace)) {
            const who = describe(ws.type, ws.name);
            for (const [key, type, policies] of deps) {
                const value = get(ws.props, key);
                const dep = index.resolve(ws, key, value, [type]);
                if (dep === UNKNOWN) continue;
                if (!dep) {
                    if (typeof value === "string" && value !== "") {
                        report(
                            `${who}: ${key} ${value} is not in this stack, so its network isolation cannot be verified; manage it in the same stack.`,
                            ws.urn,
                        );
                    } else {
                        report(
                            `${who}: ${key} is not set${key === "containerRegistry" ? "; Azure would create a public Basic registry on first use" : ""}.`,
                            ws.urn,
                        );
                    }
                    continue;
                }
                for (const policy of policies) {
                    for (const message of violationsOf(policy, dep)) {
                        report(`${who}: its ${key} fails ${policy.name}: ${message}`, ws.urn);
                    }
                }
                if (type === tokens.storage && get(ws.props, "hbiWorkspace") === true) {
                    const access = get(dep.props, "publicNetworkAccess");
                    if (access !== UNKNOWN && !eqi(access, "Disabled")) {
                        report(
                            `${who}: hbiWorkspace is true, so its storageAccount ${describe(dep.type, dep.name)} must have publicNetworkAccess "Disabled" (it is ${JSON.stringify(access ?? "not set")}).`,
                            ws.urn,
                        );
                    }
                }
            }
        }
    },
);

function verdictText(atom: FlowAtom, v: Verdict): string {
    if (v.result !== "denied") return "";
    const rule = v.rule;
    const priority = rule.priority === UNKNOWN ? "" : ` (priority ${rule.priority})`;
    if (rule.isDefault)
        return `${atom.label} is not allowed: no rule allows it before Azure's ${rule.label}${priority}`;
    return `${atom.label} is ${v.partly ? "partly " : ""}denied by ${rule.label}${priority}`;
}

/**
 * Evaluates required flows on a subnet's NSG; messages for those not effectively allowed. Flows allowed
 * after a deny that may or may not intersect them (a public CIDR, a tag not documented inside a
 * super-tag) go to `uncertain`.
 */
export function blockedFlows(
    rules: NsgRuleView[],
    atoms: FlowAtom[],
    subnet: SubnetInfo,
    uncertain: string[] = [],
): string[] {
    const out: string[] = [];
    for (const atom of atoms) {
        const v = evaluate(rules, atom, { prefixes: subnet.prefixes });
        if (v.result === "denied") out.push(verdictText(atom, v));
        if (v.result === "allowed" && v.maybeDeniedBy) {
            const d = v.maybeDeniedBy;
            uncertain.push(
                `${atom.label} may be denied by ${d.label}${d.priority === UNKNOWN ? "" : ` (priority ${d.priority})`}: whether its prefix intersects the tag's ranges cannot be known offline (service tag ranges change weekly)`,
            );
        }
    }
    return out;
}

export const mlComputeSubnetNsgRules: StackValidationPolicy = stackRule(
    {
        name: "ml-compute-subnet-nsg-rules",
        description:
            "On the subnet of every compute cluster and instance, each flow the source document's tables require for that compute's variant (node public IP or not, cloud, HBI) is effectively allowed: custom NSG rules are evaluated by priority over Azure's default rules, so a flow a default rule allows needs no explicit rule, and a deny that shadows a required flow is a violation.",
        enforcementLevel: "mandatory",
        severity: "high",
        remediationSteps:
            "Add the rules requiredNsgRules({ location, cloud, nodePublicIp, hbiWorkspace }) returns (priorities above any deny), or remove/narrow the deny rule named in the message.",
        sources: { learn: `${learn}#required-public-internet-access` },
        configSchema: {
            properties: {
                ...cloudSchema,
                storagePort445: {
                    type: "boolean",
                    default: false,
                    description:
                        "Require TCP 445 to Storage.<region> too. The source document's footnote: 445 is only required with a firewall between the VNet and the storage private endpoints.",
                },
            },
        },
    },
    (args, report, advise) => {
        const index = indexOf(args.resources);
        const config = configOf<{ cloud?: string; storagePort445?: boolean }>(mlComputeSubnetNsgRules, args);
        const flowsBySubnet = new Map<SubnetInfo, Map<string, { blocked: string[]; uncertain: string[] }>>();
        for (const compute of index.ofType(tokens.compute)) {
            const type = get(compute.props, "properties.computeType");
            if (!eqi(type, "AmlCompute") && !eqi(type, "ComputeInstance")) continue;
            const subnetId = get(compute.props, "properties.properties.subnet.id");
            if (subnetId === undefined) continue; // ml-compute-in-vnet reports it
            const subnet = index.subnetOf(compute, "properties", subnetId);
            if (!subnet || subnet === UNKNOWN) continue;
            const nsg = index.nsgOf(subnet);
            if (nsg === "external") {
                advise(
                    `${describe(compute.type, compute.name)}: the NSG of ${subnet.label} is outside this stack; whether it allows the document's flows cannot be verified`,
                );
                continue;
            }
            if (nsg === undefined || nsg === UNKNOWN) continue; // subnet-has-nsg; or not checkable yet
            const rules = index.effectiveRules(nsg);
            if (rules === UNKNOWN) {
                if (index.hasUnresolvedRules())
                    advise(
                        `${describe(compute.type, compute.name)}: NSG "${nsg.name}" may have standalone SecurityRule resources whose NSG cannot be told; its flows cannot be verified`,
                    );
                continue;
            }
            const ws = workspaceOfCompute(index, compute);
            const workspace = ws && ws !== UNKNOWN ? ws : undefined;
            let location: unknown = UNKNOWN;
            for (const r of [compute, workspace, subnet.vnet]) {
                const loc = index.locationOf(r);
                if (typeof loc === "string") {
                    location = loc;
                    break;
                }
            }
            if (typeof location !== "string") continue; // regional service tags need the region
            const publicIp = get(compute.props, "properties.properties.enableNodePublicIp");
            if (publicIp === UNKNOWN) continue;
            const hbi = workspace ? get(workspace.props, "hbiWorkspace") : false;
            if (hbi === UNKNOWN) continue;
            const cloud = isAzureCloud(config.cloud) ? config.cloud : (cloudOfRegion(location) ?? "AzureCloud");
            const variant = {
                location,
                cloud,
                nodePublicIp: publicIp !== false,
                hbiWorkspace: hbi === true,
                storagePort445: config.storagePort445 === true,
            };
            // The verdicts depend on the subnet (its NSG's rules, its prefixes) and the variant only, so
            // the computes that share a subnet and a variant share them.
            let bySubnet = flowsBySubnet.get(subnet);
            if (!bySubnet) flowsBySubnet.set(subnet, (bySubnet = new Map()));
            const variantKey = JSON.stringify(variant);
            let flows = bySubnet.get(variantKey);
            if (!flows) {
                const atoms = atomsOf(variantKey, variant);
                const uncertain: string[] = [];
                flows = { blocked: blockedFlows(rules, atoms, subnet, uncertain), uncertain };
                bySubnet.set(variantKey, flows);
            }
            const { blocked, uncertain } = flows;
            const subnetName = typeof subnet.name === "string" ? `"${subnet.name}"` : lastSegment(String(subnetId));
            for (const message of blocked) {
                report(
                    `${describe(compute.type, compute.name)} (${publicIp === false ? "no public IP" : "node public IP"}, subnet ${subnetName}, NSG "${nsg.name}"): ${message}.`,
                    compute.urn,
                );
            }
            for (const reason of uncertain) {
                advise(`${describe(compute.type, compute.name)} (NSG "${nsg.name}"): ${reason}`);
            }
        }
    },
);

/** The flows a variant requires: the catalogue's rows, one atom per port; the same few variants recur. */
function atomsOf(key: string, variant: Parameters<typeof applicableRequirements>[0] & { location: string }) {
    let atoms = atomsByVariant.get(key);
    if (!atoms) {
        atoms = applicableRequirements(variant).flatMap((req) => requirementAtoms(req, variant.location));
        if (atomsByVariant.size >= 1_000) atomsByVariant.clear();
        atomsByVariant.set(key, atoms);
    }
    return atoms;
}
const atomsByVariant = new Map<string, FlowAtom[]>();

export const mlStackPolicies = [mlImageBuildCompute, mlDependenciesIsolated, mlComputeSubnetNsgRules];

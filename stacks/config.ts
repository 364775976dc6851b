import * as pulumi from "@pulumi/pulumi";
import type { SecureMlWorkspaceArgs } from "../components/workspace/secure-workspace-args";
import { azureClouds } from "../components/catalog/clouds";
import { storageGroupIds } from "../components/catalog/dns-zones";
import { egressHostGroups } from "../components/catalog/egress-hosts";
import { egressModes, workspaceIsolations } from "../components/catalog/egress-modes";

/**
 * The stack configuration the program understands: the ONE list of known keys. `stacks/program.ts`
 * reads config through {@link readStackConfig}; the offline `plan` command checks every key of a
 * `Pulumi.<stack>.yaml` against {@link isKnownConfigKey} / {@link checkConfigValue} before rendering.
 *
 * Project keys (`secure-azureml:<key>`) are named exactly as the `SecureMlWorkspaceArgs` fields they
 * set; the mapped type below makes the compiler fail if an args field has no key, or a key no field.
 */

export type ConfigValueType =
    | { kind: "string" }
    | { kind: "boolean" }
    | { kind: "integer"; min?: number; max?: number }
    | { kind: "enum"; values: readonly string[] }
    | { kind: "enumArray"; values: readonly string[] }
    | { kind: "stringArray" }
    | { kind: "stringMap" }
    | { kind: "objectArray"; fields: Readonly<Record<string, ObjectField>> };

/** A field of an `objectArray` entry: its type and whether it must be there (the component checks the rest). */
export interface ObjectField {
    type: "string" | "integer";
    required: boolean;
}

const string: ConfigValueType = { kind: "string" };
const boolean: ConfigValueType = { kind: "boolean" };

/** Every `SecureMlWorkspaceArgs` field but the two the program fills itself. */
type WorkspaceConfigKey = Exclude<keyof SecureMlWorkspaceArgs, "resourceGroupName" | "location">;

/** Project keys that map 1:1 onto `SecureMlWorkspaceArgs`. */
export const workspaceConfigKeys: { readonly [K in WorkspaceConfigKey]-?: ConfigValueType } = {
    cloud: { kind: "enum", values: azureClouds },
    workspaceName: string,
    workspaceNameSuffix: boolean,
    namePrefix: string,
    addressSpace: string,
    trainingSubnetPrefix: string,
    privateEndpointSubnetPrefix: string,
    enableScoringSubnet: boolean,
    scoringSubnetPrefix: string,
    enableBastion: boolean,
    bastionSubnetPrefix: string,
    natGateway: boolean,
    lockDownEgress: boolean,
    egress: { kind: "enum", values: egressModes },
    isolation: { kind: "enum", values: workspaceIsolations },
    egressHostGroups: { kind: "enumArray", values: egressHostGroups },
    extraEgressHosts: { kind: "stringArray" },
    firewallSubnetPrefix: string,
    storageFirewallBetween: boolean,
    existingVnetId: string,
    existingTrainingSubnetId: string,
    existingPrivateEndpointSubnetId: string,
    existingPrivateDnsZoneIds: { kind: "stringMap" },
    nodePublicIp: boolean,
    hbiWorkspace: boolean,
    imageBuildClusterName: string,
    imageBuildVmSize: string,
    imageBuildMaxNodes: { kind: "integer", min: 1, max: 1000 },
    enableTrainingCluster: boolean,
    trainingClusterName: string,
    trainingClusterVmSize: string,
    trainingClusterMaxNodes: { kind: "integer", min: 1, max: 1000 },
    storagePrivateEndpoints: { kind: "enumArray", values: storageGroupIds },
    storageSkuName: string,
    protectData: boolean,
    tags: { kind: "stringMap" },
    enableJumpBox: boolean,
    jumpBoxSubnetPrefix: string,
    jumpBoxVmSize: string,
    enableVpnGateway: boolean,
    gatewaySubnetPrefix: string,
    vpnClientAddressPool: string,
    dataScientists: {
        kind: "objectArray",
        fields: { principalId: { type: "string", required: true }, principalType: { type: "string", required: true } },
    },
    computeInstances: {
        kind: "objectArray",
        fields: {
            name: { type: "string", required: true },
            assignedUserObjectId: { type: "string", required: true },
            vmSize: { type: "string", required: false },
            idleShutdownMinutes: { type: "integer", required: false },
        },
    },
    allowDataScientistsToCreateCompute: boolean,
    monitorPrivateLink: boolean,
};

/**
 * String keys whose `SecureMlWorkspaceArgs` field is a plain `string`, not an `Input`: the component
 * derives names from them at construction. A `secure:` value of one is read in plain text (resource
 * names are not secret: Azure shows them), and the offline plan, which cannot decrypt it, refuses it.
 */
type PlainStringKey = {
    [K in WorkspaceConfigKey]-?: Exclude<SecureMlWorkspaceArgs[K], undefined> extends string ? K : never;
}[WorkspaceConfigKey];
export const plainStringConfigKeys: readonly string[] = [
    "namePrefix",
    "imageBuildClusterName",
    "imageBuildVmSize",
    "trainingClusterName",
    "trainingClusterVmSize",
    "componentName",
] satisfies (PlainStringKey | "componentName")[];

/** Project keys the program itself uses. */
export const programConfigKeys = {
    /** The resource group the stack creates. Default `rg-<project>-<stack>`. */
    resourceGroupName: string,
    /** The logical name of the `SecureMlWorkspace` component. Default `ml`. */
    componentName: string,
} as const satisfies Record<string, ConfigValueType>;

/**
 * `azure-native` provider keys a stack may set. `location` is required: it is the region of every
 * resource. The others configure the provider's authentication and are passed through untouched.
 */
export const providerConfigKeys: Readonly<Record<string, ConfigValueType>> = {
    location: string,
    subscriptionId: string,
    tenantId: string,
    clientId: string,
    clientSecret: string,
    environment: string,
    useMsi: boolean,
    useOidc: boolean,
    oidcToken: string,
    oidcRequestToken: string,
    oidcRequestUrl: string,
    clientCertificatePath: string,
    clientCertificatePassword: string,
    auxiliaryTenantIds: string,
    disablePulumiPartnerId: boolean,
    partnerId: string,
    metadataHost: string,
};

export const providerNamespace = "azure-native";
export const requiredConfigKeys = [`${providerNamespace}:location`] as const;

/** The type of a fully qualified config key (`<namespace>:<key>`), or undefined when the program doesn't know it. */
export function configKeyType(project: string, fullKey: string): ConfigValueType | undefined {
    const colon = fullKey.indexOf(":");
    const namespace = colon < 0 ? project : fullKey.slice(0, colon);
    const key = colon < 0 ? fullKey : fullKey.slice(colon + 1);
    if (namespace === project) {
        return (
            (workspaceConfigKeys as Record<string, ConfigValueType>)[key] ??
            (programConfigKeys as Record<string, ConfigValueType>)[key]
        );
    }
    if (namespace === providerNamespace) return providerConfigKeys[key];
    return undefined;
}

export function isKnownConfigKey(project: string, fullKey: string): boolean {
    return configKeyType(project, fullKey) !== undefined;
}

/** Every key the program knows, fully qualified, for error messages and documentation. */
export function knownConfigKeys(project: string): string[] {
    return [
        ...Object.keys(workspaceConfigKeys).map((k) => `${project}:${k}`),
        ...Object.keys(programConfigKeys).map((k) => `${project}:${k}`),
        ...Object.keys(providerConfigKeys).map((k) => `${providerNamespace}:${k}`),
    ];
}

/**
 * Why a value (as YAML parsed it) does not fit its key's type, or undefined when it fits. Strings
 * that spell the value (`"true"`, `"4"`, JSON) are accepted, as `pulumi config set` stores them.
 */
export function checkConfigValue(type: ConfigValueType, value: unknown): string | undefined {
    switch (type.kind) {
        case "string":
            return typeof value === "string" ? undefined : "must be a string";
        case "boolean":
            return typeof value === "boolean" || value === "true" || value === "false"
                ? undefined
                : "must be true or false";
        case "integer": {
            const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
            if (typeof n !== "number" || !Number.isInteger(n)) return "must be an integer";
            if ((type.min !== undefined && n < type.min) || (type.max !== undefined && n > type.max)) {
                return `must be between ${type.min} and ${type.max}`;
            }
            return undefined;
        }
        case "enum":
            return typeof value === "string" && type.values.includes(value)
                ? undefined
                : `must be one of ${type.values.join(", ")}`;
        case "enumArray": {
            const list = parseJsonString(value);
            return Array.isArray(list) && list.every((v) => typeof v === "string" && type.values.includes(v))
                ? undefined
                : `must be a list of ${type.values.join(", ")}`;
        }
        case "stringArray": {
            const list = parseJsonString(value);
            return Array.isArray(list) && list.every((v) => typeof v === "string")
                ? undefined
                : "must be a list of strings";
        }
        case "stringMap": {
            const map = parseJsonString(value);
            return map !== null &&
                typeof map === "object" &&
                !Array.isArray(map) &&
                Object.values(map).every((v) => typeof v === "string")
                ? undefined
                : "must be a map of strings";
        }
        case "objectArray":
            return checkObjectArray(type.fields, parseJsonString(value));
    }
}

/** Why a list of objects does not fit the fields, or undefined. */
function checkObjectArray(fields: Readonly<Record<string, ObjectField>>, list: unknown): string | undefined {
    const shape = `a list of { ${Object.entries(fields)
        .map(([k, f]) => `${k}${f.required ? "" : "?"}: ${f.type}`)
        .join(", ")} }`;
    if (!Array.isArray(list)) return `must be ${shape}`;
    for (const [i, item] of list.entries()) {
        if (item === null || typeof item !== "object" || Array.isArray(item))
            return `[${i}] must be an object; the value must be ${shape}`;
        const unknown = Object.keys(item).find((k) => !(k in fields));
        if (unknown !== undefined) return `[${i}] has the unknown field "${unknown}"; the value must be ${shape}`;
        for (const [key, field] of Object.entries(fields)) {
            const v = (item as Record<string, unknown>)[key];
            if (v === undefined) {
                if (field.required) return `[${i}] lacks "${key}"; the value must be ${shape}`;
                continue;
            }
            const ok = field.type === "string" ? typeof v === "string" : typeof v === "number" && Number.isInteger(v);
            if (!ok) return `[${i}].${key} must be ${field.type === "string" ? "a string" : "an integer"}`;
        }
    }
    return undefined;
}

function parseJsonString(value: unknown): unknown {
    if (typeof value !== "string") return value;
    try {
        return JSON.parse(value);
    } catch {
        return undefined;
    }
}

/** What the program needs from the stack's config. */
export interface StackSettings {
    location: string;
    resourceGroupName: string;
    componentName: string;
    args: Partial<Omit<SecureMlWorkspaceArgs, "resourceGroupName" | "location">>;
}

const isConfigSecret = (pulumi.runtime as unknown as { isConfigSecret?(key: string): boolean }).isConfigSecret;

/** Reads the stack's config with `pulumi.Config`. Must be called inside the program (after config is set). */
export function readStackConfig(): StackSettings {
    const config = new pulumi.Config();
    const azure = new pulumi.Config(providerNamespace);
    const args: Record<string, unknown> = {};
    for (const [key, type] of Object.entries(workspaceConfigKeys)) {
        const value = readValue(config, key, type);
        if (value !== undefined) args[key] = value;
    }
    return {
        location: azure.require("location"),
        resourceGroupName: config.get("resourceGroupName") ?? `rg-${pulumi.getProject()}-${pulumi.getStack()}`,
        componentName: config.get("componentName") ?? "ml",
        args: args as StackSettings["args"],
    };
}

function readValue(config: pulumi.Config, key: string, type: ConfigValueType): unknown {
    switch (type.kind) {
        case "string": {
            // Only strings are `Input`s of the component; a secret one stays a secret Output.
            const secret = isConfigSecret?.(`${config.name}:${key}`) ?? false;
            return secret && !plainStringConfigKeys.includes(key) ? config.getSecret(key) : config.get(key);
        }
        case "enum":
            return config.get(key, { allowedValues: [...type.values] });
        case "boolean":
            return config.getBoolean(key);
        case "integer":
            return config.getNumber(key, { min: type.min, max: type.max });
        case "enumArray":
        case "stringArray":
        case "stringMap":
        case "objectArray":
            return config.getObject(key);
    }
}

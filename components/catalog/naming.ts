/**
 * Azure naming rules for the resources whose names are global or user-visible, from Microsoft's
 * "Naming rules and restrictions for Azure resources". Names that break them fail only at deployment,
 * minutes in; checking them at construction turns that into an immediate, precise error.
 */

export type NamedResourceKind =
    "storageAccount" | "keyVault" | "containerRegistry" | "workspace" | "computeCluster" | "computeInstance";

export interface NamingRule {
    /** How the error message names the resource. */
    label: string;
    minLength: number;
    maxLength: number;
    pattern: RegExp;
    /** The allowed characters and shape, in words. */
    characters: string;
    /** Globally unique names get a random suffix. */
    globallyUnique: boolean;
}

export const namingRules: Readonly<Record<NamedResourceKind, NamingRule>> = {
    storageAccount: {
        label: "storage account name",
        minLength: 3,
        maxLength: 24,
        pattern: /^[a-z0-9]+$/,
        characters: "lowercase letters and digits only",
        globallyUnique: true,
    },
    keyVault: {
        label: "key vault name",
        minLength: 3,
        maxLength: 24,
        pattern: /^[a-zA-Z](?!.*--)[a-zA-Z0-9-]*[a-zA-Z0-9]$/,
        characters: "letters, digits and single hyphens, starting with a letter and ending with a letter or digit",
        globallyUnique: true,
    },
    containerRegistry: {
        label: "container registry name",
        minLength: 5,
        maxLength: 50,
        pattern: /^[a-zA-Z0-9]+$/,
        characters: "letters and digits only",
        globallyUnique: true,
    },
    workspace: {
        label: "workspace name",
        minLength: 3,
        maxLength: 33,
        pattern: /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/,
        characters: "letters, digits, hyphens and underscores, starting with a letter or digit",
        globallyUnique: false,
    },
    computeCluster: {
        label: "compute cluster name",
        minLength: 2,
        maxLength: 16,
        pattern: /^[a-zA-Z](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/,
        characters: "letters, digits and hyphens, starting with a letter and ending with a letter or digit",
        globallyUnique: false,
    },
    // The service's own rule, as its error message words it: "A name for an Azure ML Compute Instance must
    // be between 3 and 24 characters in length and must use only numbers, letters and minus symbol (-),
    // must start with letters. Numbers cannot be the ending of the name if the previous character is a
    // minus symbol (-)." (quoted in github.com/microsoftdocs/pipelines-azureml/issues/19). The name must also
    // be unique in the Azure region, which only deployment can tell.
    computeInstance: {
        label: "compute instance name",
        minLength: 3,
        maxLength: 24,
        pattern: /^(?!.*-[0-9]$)[a-zA-Z][a-zA-Z0-9-]*$/,
        characters:
            "letters, digits and hyphens, starting with a letter, and not ending in a digit right after a hyphen",
        globallyUnique: false,
    },
};

/** Why `name` breaks the naming rule of `kind`, or undefined when it is valid. */
export function namingViolation(kind: NamedResourceKind, name: string): string | undefined {
    const rule = namingRules[kind];
    if (name.length < rule.minLength || name.length > rule.maxLength) {
        return `a ${rule.label} must be ${rule.minLength} to ${rule.maxLength} characters long; "${name}" has ${name.length}`;
    }
    if (!rule.pattern.test(name)) {
        return `a ${rule.label} may contain ${rule.characters}; "${name}" does not`;
    }
    return undefined;
}

/**
 * A name for a globally unique resource: the prefix reduced to the characters the rule allows and cut
 * so that prefix + suffix fits the maximum length. The suffix is what makes it unique.
 */
export function globalName(kind: NamedResourceKind, prefix: string, suffix: string): string {
    const rule = namingRules[kind];
    const allowed =
        kind === "keyVault"
            ? prefix.replace(/[^a-zA-Z0-9-]/g, "").replace(/-+/g, "-")
            : prefix.replace(/[^a-zA-Z0-9]/g, "");
    const cased = kind === "storageAccount" ? allowed.toLowerCase() : allowed;
    const separator = kind === "keyVault" ? "-" : "";
    const room = rule.maxLength - suffix.length - separator.length;
    const head = cased.slice(0, Math.max(0, room)).replace(/-+$/, "");
    return `${head}${head ? separator : ""}${suffix}`;
}

import { UsageError } from "../errors";

/**
 * Pulumi URNs: `urn:pulumi:<stack>::<project>::<qualified type>::<name>`, where the qualified type is
 * the parent types and the resource's own type joined by `$`, and the name may itself contain `::`
 * (pulumi/pulumi sdk/go/common/resource/urn.go, `NewURN` / `URN.Type()` / `URN.Name()`).
 */
export interface UrnParts {
    stack: string;
    project: string;
    qualifiedType: string;
    /** The resource's own type: the last `$`-separated part of the qualified type. */
    type: string;
    name: string;
}

const prefix = "urn:pulumi:";

/** The parts of a URN, or undefined when it is not one (no prefix, or a part missing). */
export function parseUrn(urn: string): UrnParts | undefined {
    if (!urn.startsWith(prefix)) return undefined;
    const parts = urn.slice(prefix.length).split("::");
    if (parts.length < 4) return undefined;
    const [stack, project, qualifiedType] = parts;
    const name = parts.slice(3).join("::");
    const type = qualifiedType.slice(qualifiedType.lastIndexOf("$") + 1);
    if (stack === "" || project === "" || type === "" || name === "") return undefined;
    return { stack, project, qualifiedType, type, name };
}

/** Like {@link parseUrn}, but a malformed URN is a usage error naming where it was found. */
export function requireUrn(urn: unknown, where: string): UrnParts & { urn: string } {
    if (typeof urn !== "string") throw new UsageError(`${where}: not a resource (no "urn")`);
    const parts = parseUrn(urn);
    if (!parts) {
        throw new UsageError(
            `${where}: ${JSON.stringify(urn)} is not a Pulumi URN with a type part (urn:pulumi:<stack>::<project>::<type>::<name>)`,
        );
    }
    return { urn, ...parts };
}

/** The logical name in a URN (everything after the type), or "" when it is not a URN. */
export function nameFromUrn(urn: string): string {
    return parseUrn(urn)?.name ?? "";
}

import * as path from "path";
import {
    checkConfigValue,
    configKeyType,
    knownConfigKeys,
    plainStringConfigKeys,
    requiredConfigKeys,
} from "../stacks/config";
import { UsageError } from "./errors";
import { Project, isRecord, readYamlFile, stackFile } from "./project";
import { maskedSecret } from "../policy/plan";

/** A stack's config as the engine hands it to a program: `namespace:key` → string, plus the secret keys. */
export interface StackConfig {
    file: string;
    config: Record<string, string>;
    secretKeys: string[];
}

/**
 * What a `secure:` value becomes offline: the ciphertext can't be read without the stack's secrets
 * provider, so it is Pulumi's masked value, which the pack reads as unknown (policy/plan.ts).
 */
export const secretPlaceholder = maskedSecret;

/** `Pulumi.<stack>.yaml`'s `config` mapping, with the file's path as messages show it. */
function readConfigMapping(
    project: Project,
    stack: string,
): { file: string; shown: string; raw: Record<string, unknown> } {
    const file = stackFile(project, stack);
    const shown = path.relative(process.cwd(), file) || file;
    const doc = readYamlFile(file) ?? {};
    if (!isRecord(doc)) throw new UsageError(`${shown}: not a stack config file (expected a mapping with "config")`);
    const raw = doc.config ?? {};
    if (!isRecord(raw)) throw new UsageError(`${shown}: "config" must be a mapping of keys to values`);
    return { file, shown, raw };
}

/**
 * Reads `Pulumi.<stack>.yaml`: every key qualified with its namespace (a bare key belongs to the
 * project, as in Pulumi), checked against the program's known keys and their types.
 */
export function readStackConfig(project: Project, stack: string, options: { checkKeys?: boolean } = {}): StackConfig {
    if (options.checkKeys === false) return readUncheckedStackConfig(project, stack);
    const { file, shown, raw } = readConfigMapping(project, stack);

    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, value] of Object.entries(raw)) {
        const fullKey = key.includes(":") ? key : `${project.name}:${key}`;
        const type = configKeyType(project.name, fullKey);
        if (!type)
            throw new UsageError(`${shown}: unknown config key "${fullKey}"${suggestion(project.name, fullKey)}`);
        if (isRecord(value) && typeof value.secure === "string" && Object.keys(value).length === 1) {
            if (type.kind !== "string") {
                throw new UsageError(
                    `${shown}: config key "${fullKey}" is encrypted (secure:), but an offline plan cannot decrypt it and the program needs its ${type.kind} value; store it in plain text`,
                );
            }
            if (
                fullKey.startsWith(`${project.name}:`) &&
                plainStringConfigKeys.includes(fullKey.slice(project.name.length + 1))
            ) {
                throw new UsageError(
                    `${shown}: config key "${fullKey}" is encrypted (secure:), but the program derives resource names from it at construction and an offline plan cannot decrypt it; store it in plain text (resource names are not secret: Azure shows them)`,
                );
            }
            config[fullKey] = secretPlaceholder;
            secretKeys.push(fullKey);
            continue;
        }
        const problem = checkConfigValue(type, value);
        if (problem) throw new UsageError(`${shown}: config key "${fullKey}" ${problem}, got ${JSON.stringify(value)}`);
        config[fullKey] = typeof value === "string" ? value : JSON.stringify(value);
    }
    for (const key of requiredConfigKeys) {
        if (!(key in config)) throw new UsageError(`${shown}: missing required config key "${key}"`);
    }
    return { file, config, secretKeys };
}

/**
 * A user's program's config, as the engine hands it over: keys qualified with their namespace, strings
 * as they are, other values as JSON; a `secure:` value, which cannot be decrypted offline, is
 * "[secret]" and its key is marked secret (`pulumi.Config.getSecret` then gives a secret Output).
 */
function readUncheckedStackConfig(project: Project, stack: string): StackConfig {
    const { file, raw } = readConfigMapping(project, stack);
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, value] of Object.entries(raw)) {
        const fullKey = key.includes(":") ? key : `${project.name}:${key}`;
        if (isRecord(value) && typeof value.secure === "string" && Object.keys(value).length === 1) {
            config[fullKey] = secretPlaceholder;
            secretKeys.push(fullKey);
        } else {
            config[fullKey] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    return { file, config, secretKeys };
}

function suggestion(projectName: string, fullKey: string): string {
    const known = knownConfigKeys(projectName);
    const best = known
        .map((k) => ({ k, d: editDistance(k.toLowerCase(), fullKey.toLowerCase()) }))
        .sort((a, b) => a.d - b.d)[0];
    if (best && best.d <= 3) return `; did you mean "${best.k}"?`;
    const projectKeys = known
        .filter((k) => k.startsWith(`${projectName}:`))
        .map((k) => k.slice(projectName.length + 1));
    return `; known keys: azure-native:location and ${projectName}:{${projectKeys.join(",")}}`;
}

function editDistance(a: string, b: string): number {
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const row = [i];
        for (let j = 1; j <= b.length; j++) {
            row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        prev = row;
    }
    return prev[b.length];
}

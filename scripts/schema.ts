/**
 * The Pulumi package schema of this repository's components, computed in process exactly as
 * `pulumi package add` computes it for a source-based plugin (PulumiPlugin.yaml): the Node.js plugin host
 * requires the package, keeps the exported ComponentResource subclasses, and `ComponentProvider` infers
 * each one's inputs and outputs from its TypeScript `args` interface and public fields.
 */
import * as fs from "fs";
import * as path from "path";
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental";

export const repoRoot = path.resolve(__dirname, "..");

/** The subset of the Pulumi package schema this project reads. */
export interface PropertySpec {
    type?: "string" | "number" | "integer" | "boolean" | "array" | "object";
    $ref?: string;
    items?: PropertySpec;
    additionalProperties?: PropertySpec;
    description?: string;
    plain?: boolean;
    optional?: boolean;
}

export interface ResourceSpec {
    isComponent?: boolean;
    description?: string;
    inputProperties?: Record<string, PropertySpec>;
    requiredInputs?: string[];
    properties?: Record<string, PropertySpec>;
    required?: string[];
}

export interface TypeSpec {
    type: string;
    description?: string;
    enum?: { name?: string; value: string | number; description?: string }[];
    properties?: Record<string, PropertySpec>;
    required?: string[];
}

export interface PackageSchema {
    name: string;
    version: string;
    description?: string;
    resources: Record<string, ResourceSpec>;
    types?: Record<string, TypeSpec>;
    dependencies?: { name: string; version: string }[];
}

/** The provider name the plugin host derives from package.json's `name` (scope dropped, see run-plugin). */
export function providerName(packageName: string): string {
    const match = /^(@.*?\/)?(.+)$/.exec(packageName);
    return (match ? match[2] : packageName).replace(/[^-a-zA-Z0-9_]/g, "-");
}

/**
 * Builds the schema of the package in `dir` (a source checkout with tsconfig.json, or an installed copy of
 * the published package). `entry` is what the plugin host would require: the directory itself (through
 * package.json `main`) unless given, e.g. the TypeScript entry `index.ts` when nothing is built.
 */
export async function buildSchema(dir: string = repoRoot, entry?: string): Promise<PackageSchema> {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { name: string };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const components = getPulumiComponents(require(entry ?? dir));
    if (components.length === 0) {
        throw new Error(`${entry ?? dir} exports no ComponentResource subclass`);
    }
    const provider = new ComponentProvider({ name: providerName(pkg.name), dirname: dir, components });
    return JSON.parse(await provider.getSchema()) as PackageSchema;
}

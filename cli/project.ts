import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { UsageError, oneLine } from "./errors";
import { checkStackName } from "./stack-name";

/** The deployable project: `Pulumi.yaml` and where its stack config files live. */
export interface Project {
    root: string;
    name: string;
    /** The directory of `Pulumi.<stack>.yaml` files (`stackConfigDir`, default the root). */
    stackConfigDir: string;
}

/** The project root: the nearest directory at or above `from` that holds a Pulumi.yaml. */
export function findProjectRoot(from: string): string {
    for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
        if (path.dirname(dir) === dir) {
            throw new UsageError(
                `no Pulumi.yaml found at or above ${from}: run plan in a Pulumi project, or pass --example for this package's example stacks`,
            );
        }
    }
}

export function readProject(root: string): Project {
    const file = path.join(root, "Pulumi.yaml");
    const doc = readYamlFile(file);
    if (!isRecord(doc) || typeof doc.name !== "string" || doc.name === "") {
        throw new UsageError(`${file}: not a Pulumi project file (no "name")`);
    }
    const dir = typeof doc.stackConfigDir === "string" ? doc.stackConfigDir : ".";
    return { root, name: doc.name, stackConfigDir: path.resolve(root, dir) };
}

/** The stack names that have a `Pulumi.<name>.yaml`, sorted. */
export function knownStacks(project: Project): string[] {
    let files: string[] = [];
    try {
        files = fs.readdirSync(project.stackConfigDir);
    } catch {
        return [];
    }
    return files
        .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
        .filter((s): s is string => !!s)
        .sort();
}

export function stackFile(project: Project, stack: string): string {
    checkStackName(stack);
    const candidates = ["yaml", "yml"].map((ext) => path.join(project.stackConfigDir, `Pulumi.${stack}.${ext}`));
    const found = candidates.find((f) => fs.existsSync(f));
    if (!found) {
        const known = knownStacks(project);
        throw new UsageError(
            `unknown stack "${stack}": no ${path.relative(process.cwd(), candidates[0]) || candidates[0]}; ` +
                (known.length ? `known stacks: ${known.join(", ")}` : "no stacks are configured"),
        );
    }
    return found;
}

export function readTextFile(file: string): string {
    try {
        return fs.readFileSync(file, "utf8");
    } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === "ENOENT") throw new UsageError(`${file}: no such file`);
        if (code === "EISDIR") throw new UsageError(`${file}: is a directory, not a file`);
        throw new UsageError(`${file}: cannot read: ${oneLine(err)}`);
    }
}

export function readYamlFile(file: string): unknown {
    const text = readTextFile(file);
    try {
        return parseYaml(text);
    } catch (err) {
        throw new UsageError(`${file}: not valid YAML: ${oneLine(err)}`);
    }
}

export function readJsonFile(file: string): unknown {
    const text = readTextFile(file);
    try {
        return JSON.parse(text);
    } catch (err) {
        throw new UsageError(`${file}: not valid JSON: ${oneLine(err)}`);
    }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

import * as path from "path";
import type * as ts from "typescript";
import { UsageError, oneLine } from "./errors";

/**
 * Type-checks a TypeScript program before the offline plan runs it, as Pulumi's Node.js language
 * host does: it loads `.ts` programs through ts-node with type checking on, so a program with a type
 * error never deploys (pulumi/pulumi sdk/nodejs/cmd/run/run.ts; the trade-off is discussed in
 * https://github.com/pulumi/pulumi/pull/9049: "users get errors early in their deployment if there
 * are TypeScript-level issues"). Without it a typo'd argument such as `egres: "firewall"` rendered
 * and passed on the default. The project's tsconfig.json is used when it has one, else the host's
 * defaults; type errors are a UsageError (exit 2, one line as every CLI error) listing the first few with file and line.
 */
const hostDefaults: ts.CompilerOptions = {
    strict: true,
    target: 99 /* ESNext */,
    module: 1 /* CommonJS */,
    moduleResolution: 2 /* Node10 */,
    esModuleInterop: true,
    skipLibCheck: true,
    experimentalDecorators: true,
};

/** The most type errors printed; the count of the rest follows. */
const shownErrors = 5;

export function typeCheckProgram(projectRoot: string, entry: string): void {
    let compiler: typeof ts;
    try {
        // The project's own TypeScript first, as ts-node would pick it; else the one this CLI ships with.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        compiler = require(require.resolve("typescript", { paths: [projectRoot, __dirname] }));
    } catch (err) {
        throw new UsageError(`${entry}: cannot type-check the program: ${oneLine(err)}`);
    }
    const configFile = compiler.findConfigFile(projectRoot, compiler.sys.fileExists, "tsconfig.json");
    let options = hostDefaults;
    if (configFile !== undefined && !path.relative(projectRoot, configFile).startsWith("..")) {
        const read = compiler.readConfigFile(configFile, compiler.sys.readFile);
        if (read.error) throw new UsageError(`${configFile}: ${flatten(compiler, read.error.messageText)}`);
        options = compiler.parseJsonConfigFileContent(read.config, compiler.sys, path.dirname(configFile)).options;
    }
    // ts-node checks what the entry loads, not every file tsconfig's `include` names.
    const program = compiler.createProgram([entry], { ...options, noEmit: true });
    const errors = compiler
        .getPreEmitDiagnostics(program)
        .filter((d) => d.category === compiler.DiagnosticCategory.Error);
    if (errors.length === 0) return;
    const lines = errors.slice(0, shownErrors).map((d) => {
        const text = flatten(compiler, d.messageText);
        if (!d.file || d.start === undefined) return text;
        const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
        return `${path.relative(process.cwd(), d.file.fileName)}:${line + 1}:${character + 1}: TS${d.code}: ${text}`;
    });
    if (errors.length > shownErrors) lines.push(`and ${errors.length - shownErrors} more`);
    throw new UsageError(
        `${path.relative(process.cwd(), entry) || entry}: the program does not type-check (Pulumi's Node.js host would refuse to run it): ${errors.length} error${errors.length === 1 ? "" : "s"}: ${lines.join("; ")}`,
    );
}

function flatten(compiler: typeof ts, message: string | ts.DiagnosticMessageChain): string {
    return compiler.flattenDiagnosticMessageText(message, " ");
}

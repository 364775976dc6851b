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

/**
 * Parsed and bound source files of earlier checks in this process, by compiler, options, file and the
 * file's module format: a second check in one process (the tests plan several projects in one) reuses
 * @pulumi/azure-native's declarations, about 600,000 lines whose parse and bind are most of a check's
 * cost. TypeScript's language service shares files between programs the same way (its DocumentRegistry,
 * keyed by the options and the module format). Held weakly, so a check keeps nothing alive after it
 * that the garbage collector wants back; a file is reused only while its text is unchanged.
 */
const parsed = new WeakMap<typeof ts, Map<string, WeakRef<ts.SourceFile>>>();

function sharingHost(compiler: typeof ts, options: ts.CompilerOptions): ts.CompilerHost {
    let files = parsed.get(compiler);
    if (!files) parsed.set(compiler, (files = new Map()));
    const cache = files;
    const optionsKey = JSON.stringify(options);
    const host = compiler.createCompilerHost(options);
    const read = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile) => {
        const format =
            typeof languageVersionOrOptions === "object"
                ? [
                      languageVersionOrOptions.languageVersion,
                      languageVersionOrOptions.impliedNodeFormat,
                      languageVersionOrOptions.jsDocParsingMode,
                  ].join("/")
                : String(languageVersionOrOptions);
        const key = `${optionsKey}\0${format}\0${fileName}`;
        const earlier = cache.get(key)?.deref();
        if (earlier && !shouldCreateNewSourceFile && earlier.text === host.readFile(fileName)) return earlier;
        const file = read(fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile);
        if (file) cache.set(key, new WeakRef(file));
        else cache.delete(key);
        return file;
    };
    return host;
}

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
    const checked = { ...options, noEmit: true };
    const program = compiler.createProgram([entry], checked, sharingHost(compiler, checked));
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

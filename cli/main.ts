import * as fs from "fs";
import * as path from "path";
import { Command, CommanderError } from "commander";
import type { PlanJson } from "../policy/plan";
import { UsageError, oneLine } from "./errors";
import { resolveFromCaller } from "./read-input";

/**
 * `secure-azureml plan --stack <name>` and `secure-azureml audit <file>`. Exit status: 0 when no
 * mandatory policy is violated, 1 when one is, 2 on bad usage or an unreadable input (one line on
 * stderr). `main` runs in process and returns the status, so tests need not spawn a process.
 */

export interface Io {
    stdout(text: string): void;
    stderr(text: string): void;
    /** Where to look for Pulumi.yaml; default: the package this CLI belongs to. */
    root?: string;
    /** What `audit -` reads; default: the process's standard input. */
    stdin?: NodeJS.ReadableStream;
}

const processIo: Io = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
};

interface OutputOptions {
    json?: string;
    diagram?: string;
    policyConfig?: string;
    quiet?: boolean;
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
    let status = 0;
    let commanderErrors = "";
    const cli = new Command("secure-azureml")
        .description(
            "Offline plan and audit of a network-isolated Azure ML workspace against the secure-azureml policy pack.",
        )
        .version(packageVersion(), "-V, --version", "print the version")
        .exitOverride()
        .showSuggestionAfterError(false)
        .configureOutput({
            writeOut: (s) => io.stdout(s),
            writeErr: (s) => {
                commanderErrors += s;
            },
        });

    const outputs = (c: Command) =>
        c
            .option(
                "--json <file>",
                "write the plan JSON (schemaVersion 1) to <file>; - writes it to stdout (the report then goes to stderr)",
            )
            .option("--diagram <file>", "write a Mermaid flowchart of the network to <file>")
            .option(
                "--policy-config <file>",
                "policy pack config JSON, as `pulumi preview --policy-pack-config` takes it",
            )
            .option("-q, --quiet", "print only the summary line");

    outputs(
        cli
            .command("plan")
            .description(
                "render a stack of the Pulumi project in the current directory (its Pulumi.yaml `main`, its Pulumi.<name>.yaml) offline under a recording mock engine and run the policy pack",
            )
            // Checked in the action, not with requiredOption: commander checks required options before
            // unknown ones, so `--stak dev` would be reported as a missing --stack instead of a typo.
            .option("-s, --stack <name>", "the stack to plan, e.g. dev (required)")
            .exitOverride(),
    )
        .option("--example", "plan this package's own example stacks (stacks/Pulumi.<name>.yaml) wherever it runs")
        .action(async (opts: OutputOptions & { stack?: string; example?: boolean }) => {
            if (opts.stack === undefined) throw new UsageError("required option '-s, --stack <name>' not specified");
            const { findProjectRoot, readProject } = await import("./project");
            const { readPolicyConfig } = await import("./policy");
            const { isExampleProject, packageRoot } = await import("./consumer-program");
            const { callerDirectory } = await import("./read-input");
            // The caller's own project (its Pulumi.yaml at or above the current directory), or this
            // package's example stacks with --example, in this repository, or with a test's io.root.
            const root = io.root ?? (opts.example ? packageRoot() : findProjectRoot(callerDirectory()));
            const project = readProject(root);
            const program = io.root !== undefined || opts.example || isExampleProject(project) ? "example" : "project";
            const policyConfig = readPolicyConfig(opts.policyConfig);
            const { planStack } = await import("./plan");
            const { mockEngineNote } = await import("./azure-mocks");
            const plan = await planStack(project, opts.stack, policyConfig, program);
            const { stackFile } = await import("./project");
            const inputs = [path.join(project.root, "Pulumi.yaml"), stackFile(project, opts.stack)];
            status = await emit(
                plan,
                `Plan of ${plan.project}/${plan.stack} (offline render, mock engine)\n${mockEngineNote}`,
                opts,
                io,
                inputs,
            );
        });

    outputs(
        cli
            .command("audit")
            .description(
                "run the policy pack over a plan JSON, a `pulumi stack export` (v3/v4), a checkpoint or a `pulumi preview --show-sames --json` file",
            )
            .argument("<file>", "the file to audit, or - for standard input")
            .exitOverride(),
    )
        .option(
            "--allow-partial",
            "audit a preview that left out unchanged resources or reported errors, with a warning",
        )
        .action(async (file: string, opts: OutputOptions & { allowPartial?: boolean }) => {
            const { readAuditInput } = await import("./audit-input");
            const { evaluate, readPolicyConfig } = await import("./policy");
            const input = await readAuditInput(file, {
                allowPartial: opts.allowPartial,
                stdin: io.stdin,
                warn: (l) => io.stderr(`${l}\n`),
            });
            const plan = await evaluate(
                input.project,
                input.stack,
                input.resources,
                readPolicyConfig(opts.policyConfig),
            );
            status = await emit(
                plan,
                `Audit of ${file} (${input.format}, ${plan.project}/${plan.stack})`,
                opts,
                io,
                file === "-" ? [] : [file],
            );
        });

    try {
        if (argv.length === 0)
            throw new UsageError("missing command: use `plan --stack <name>` or `audit <file>` (see --help)");
        await cli.parseAsync(argv, { from: "user" });
        return status;
    } catch (err) {
        if (err instanceof CommanderError) {
            if (err.exitCode === 0) return 0; // --help, --version
            io.stderr(`${oneLine(commanderErrors || err.message)}\n`);
            return 2;
        }
        io.stderr(`error: ${oneLine(err)}\n`);
        return 2;
    }
}

/**
 * Prints the report and writes `--json` / `--diagram` (cli/output.ts): every output is computed
 * first and the files are written only once nothing can fail any more, all or none, never over an
 * input (`inputs`, and the policy config). `--json -` puts the plan JSON alone on stdout (the report
 * then goes to stderr), also only at the end.
 */
async function emit(plan: PlanJson, title: string, opts: OutputOptions, io: Io, inputs: string[]): Promise<number> {
    const { jsonFileChunks, refuseOverwritingInputs, writeOutputs } = await import("./output");
    const jsonToStdout = opts.json === "-";
    // Paths as the caller wrote them, from the caller's directory (INIT_CWD under npm run).
    const jsonFile = opts.json && !jsonToStdout ? resolveFromCaller(opts.json) : undefined;
    const diagramFile = opts.diagram ? resolveFromCaller(opts.diagram) : undefined;
    const outputs = [
        ...(jsonFile ? [{ option: "--json", file: jsonFile }] : []),
        ...(diagramFile ? [{ option: "--diagram", file: diagramFile }] : []),
    ];
    const policyConfig = opts.policyConfig ? resolveFromCaller(opts.policyConfig) : undefined;
    refuseOverwritingInputs(outputs, [...inputs.map((f) => resolveFromCaller(f)), policyConfig]);
    const files: { file: string; text: string | Iterable<string> }[] = [];
    if (jsonFile) files.push({ file: jsonFile, text: jsonFileChunks(plan) });
    if (diagramFile) {
        const { mermaidDiagram } = await import("./diagram");
        files.push({ file: diagramFile, text: mermaidDiagram(plan.resources) });
    }
    const { formatReport, summaryLine } = await import("./report");
    // --quiet prints the report's last line only: the rest (a stack of 100,000 resources makes it
    // seconds of work and hundreds of megabytes) is not built.
    const report = opts.quiet ? `${summaryLine(plan)}\n` : formatReport(plan, title);
    writeOutputs(files);
    // A silenced pack is said even with --quiet (the report says it too).
    const { disabledPoliciesLine } = await import("./disabled-policies");
    const disabled = disabledPoliciesLine(plan.disabledPolicies);
    if (disabled) io.stderr(`warning: ${disabled}\n`);
    (jsonToStdout ? io.stderr : io.stdout)(report);
    if (jsonToStdout) {
        let buffer = "";
        for (const chunk of jsonFileChunks(plan)) {
            buffer += chunk;
            if (buffer.length >= 1 << 20) {
                io.stdout(buffer);
                buffer = "";
            }
        }
        io.stdout(buffer);
    }
    return plan.summary.mandatory > 0 ? 1 : 0;
}

function packageVersion(): string {
    // cli/main.ts from the sources, dist/cli/main.js once built: the package root is one or two levels up.
    for (const up of ["..", "../.."]) {
        try {
            const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, up, "package.json"), "utf8"));
            if (pkg.name === "secure-azureml") return String(pkg.version);
        } catch {
            // not here
        }
    }
    return "unknown";
}

if (require.main === module) {
    process.on("unhandledRejection", (err) => {
        process.stderr.write(`error: ${oneLine(err)}\n`);
        process.exit(2);
    });
    main(process.argv.slice(2)).then((code) => {
        process.exitCode = code;
    });
}

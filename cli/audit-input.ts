import { UsageError } from "./errors";
import { Normalised, normalise } from "./formats";
import { InputOptions, readJsonInput } from "./read-input";

/**
 * What `audit` evaluates, and the checks that keep the gate from passing on nothing or on a fragment:
 *
 * - a preview that reported errors, or that left out unchanged resources (no `--show-sames`, see
 *   formats/preview.ts), is refused (exit 2) unless `--allow-partial`; with it, the run goes on with a
 *   warning that the stack policies saw a fragment.
 * - a file with no resource besides the stack and its providers is refused: "nothing to audit".
 * - a file with no azure-native resource at all is refused too: the pack checks only azure-native
 *   types, so a pass would say nothing (the usual cause is auditing the wrong stack).
 */

export interface AuditInputOptions extends InputOptions {
    allowPartial?: boolean;
    /** Where warnings and notes go (one line each). */
    warn(line: string): void;
}

const bookkeepingType = (type: string) => type === "pulumi:pulumi:Stack" || type.startsWith("pulumi:providers:");

export async function readAuditInput(file: string, options: AuditInputOptions): Promise<Normalised> {
    const source = file === "-" ? "standard input" : file;
    const input = normalise(await readJsonInput(file, options), source);
    const allowed = options.allowPartial === true;

    if (input.errors.length > 0) {
        const summary = `the preview reported ${input.errors.length} error(s) and stops where it failed: ${input.errors[0]}`;
        if (!allowed)
            throw new UsageError(`${source}: ${summary}; fix them and preview again, or pass --allow-partial`);
        options.warn(`warning: ${source}: ${summary}`);
    }
    if (input.format === "preview") {
        const shown = input.resources.length;
        const partial =
            input.total === undefined
                ? `has no changeSummary, so whether it holds every resource cannot be told; rerun \`pulumi preview --show-sames --json\``
                : input.total > shown
                  ? `partial preview: ${shown} of ${input.total} resources; rerun with --show-sames`
                  : undefined;
        if (partial && shown > 0) {
            if (!allowed) throw new UsageError(`${source}: ${partial} (or pass --allow-partial)`);
            options.warn(`warning: ${source}: ${partial}; the stack policies ran on this fragment only`);
        }
    }
    for (const note of input.notes) options.warn(`note: ${source}: ${note}`);

    const audited = input.resources.filter((r) => !bookkeepingType(r.type));
    if (audited.length === 0) {
        const held =
            input.resources.length === 0
                ? "it holds no resources"
                : `it holds only the stack${input.resources.length > 1 ? " and its providers" : ""}`;
        throw new UsageError(`${source}: nothing to audit: ${held}`);
    }
    if (!audited.some((r) => r.type.startsWith("azure-native:"))) {
        const types = [...new Set(audited.map((r) => r.type))];
        throw new UsageError(
            `${source}: nothing the policy pack checks: none of its ${audited.length} resource(s) is an azure-native resource (${types.slice(0, 3).join(", ")}${types.length > 3 ? ", …" : ""})`,
        );
    }
    return input;
}

import * as fs from "fs";
import * as path from "path";
import { UsageError, oneLine } from "./errors";

/**
 * The files `--json` and `--diagram` write. A CI gate reads them, so a file must never claim a
 * result the run did not reach: the CLI computes every output first and writes them only once the
 * whole run has succeeded, each through a temporary file in the target's directory renamed over the
 * target (a rename within one file system is atomic). A run that fails or is killed before that
 * point leaves no output, or the previous one, untouched. Writing and renaming are synchronous, so
 * no signal handler runs in between; only SIGKILL or a power cut inside that window can leave a
 * `.<name>.<pid>.<n>.tmp` file behind, never a partial output.
 *
 * An output must not overwrite the run's own input (`audit plan.json --json plan.json` would
 * replace the audited stack with its verdict) or another output: both are refused, exit 2.
 */

export interface OutputFile {
    /** The option that names it, for messages: `--json`. */
    option: string;
    file: string;
}

/** A path as the file system resolves it: symlinks followed, also for a file not created yet. */
function resolved(file: string): string {
    const absolute = path.resolve(file);
    try {
        return fs.realpathSync(absolute);
    } catch {
        try {
            return path.join(fs.realpathSync(path.dirname(absolute)), path.basename(absolute));
        } catch {
            return absolute;
        }
    }
}

/**
 * Throws a UsageError when an output names an input file (after resolving symlinks and relative
 * paths) or the same file as another output. `inputs` may hold undefined (an option not given) and
 * "-" (standard input), which nothing can overwrite.
 */
export function refuseOverwritingInputs(outputs: OutputFile[], inputs: (string | undefined)[]): void {
    const inputPaths = new Map<string, string>();
    for (const input of inputs) if (input !== undefined && input !== "-") inputPaths.set(resolved(input), input);
    const seen = new Map<string, OutputFile>();
    for (const out of outputs) {
        const target = resolved(out.file);
        const input = inputPaths.get(target);
        if (input !== undefined)
            throw new UsageError(`${out.option} ${out.file}: that is the input file ${input}; refusing to overwrite it`);
        const other = seen.get(target);
        if (other) throw new UsageError(`${other.option} and ${out.option} name the same file ${out.file}`);
        seen.set(target, out);
    }
}

let counter = 0;

/**
 * Writes every file or none: each text goes to a temporary file beside its target (flushed to disk),
 * then all are renamed over their targets. A failure while writing removes the temporary files and
 * leaves every target as it was; throws a UsageError naming the file.
 */
export function writeOutputs(files: { file: string; text: string }[]): void {
    const staged: { temp: string; file: string }[] = [];
    const discard = () => {
        for (const s of staged) fs.rmSync(s.temp, { force: true });
    };
    for (const { file, text } of files) {
        const target = path.resolve(file);
        const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${counter++}.tmp`);
        try {
            let mode = 0o666; // less the umask, as a plain write creates it
            try {
                const existing = fs.statSync(target);
                if (existing.isDirectory()) throw new Error("is a directory");
                mode = existing.mode & 0o777;
            } catch (err) {
                if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
            }
            const fd = fs.openSync(temp, "wx", mode);
            staged.push({ temp, file });
            try {
                fs.writeFileSync(fd, text);
                fs.fsyncSync(fd);
            } finally {
                fs.closeSync(fd);
            }
        } catch (err) {
            discard();
            throw new UsageError(`${file}: cannot write: ${oneLine(err)}`);
        }
    }
    for (const [i, { temp, file }] of staged.entries()) {
        try {
            fs.renameSync(temp, path.resolve(file));
        } catch (err) {
            for (const rest of staged.slice(i)) fs.rmSync(rest.temp, { force: true });
            throw new UsageError(`${file}: cannot write: ${oneLine(err)}`);
        }
    }
}

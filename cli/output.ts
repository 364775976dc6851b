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
            throw new UsageError(
                `${out.option} ${out.file}: that is the input file ${input}; refusing to overwrite it`,
            );
        const other = seen.get(target);
        if (other) throw new UsageError(`${other.option} and ${out.option} name the same file ${out.file}`);
        seen.set(target, out);
    }
}

let counter = 0;

/**
 * Where an output goes. A regular file (or a new one) is replaced through a temporary file renamed
 * over it; a symlink is followed and its target replaced, never the link. A device, FIFO or socket
 * (`/dev/null`, `/dev/stdout` through its /proc link, a named pipe a CI step reads) is written in
 * place: renaming over it would replace the device node itself, as root even `/dev/full`.
 */
type Destination =
    { kind: "replace"; target: string } | { kind: "in-place"; target: string } | { kind: "descriptor"; fd: number };

/**
 * `/dev/stdout`, `/dev/fd/1`, `/proc/self/fd/1`: this process's own descriptor, written directly.
 * Opening the /proc link again fails with ENXIO when the descriptor is a socket (as Node's own
 * child-process pipes are), and would open a second, unpositioned description of a file.
 */
function ownDescriptor(absolute: string): number | undefined {
    if (absolute === "/dev/stdout") return 1;
    if (absolute === "/dev/stderr") return 2;
    const match = /^\/(?:dev|proc\/self)\/fd\/(\d+)$/.exec(absolute);
    return match ? Number(match[1]) : undefined;
}

function destination(file: string): Destination {
    const absolute = path.resolve(file);
    const fd = ownDescriptor(absolute);
    if (fd !== undefined) return { kind: "descriptor", fd };
    let stat: fs.Stats | undefined;
    try {
        stat = fs.statSync(absolute); // follows symlinks
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
    if (stat?.isDirectory()) throw new Error("is a directory");
    if (stat && !stat.isFile()) return { kind: "in-place", target: absolute };
    if (stat) return { kind: "replace", target: fs.realpathSync(absolute) };
    return { kind: "replace", target: danglingLinkTarget(absolute) };
}

/** A path that does not exist yet, or a chain of symlinks ending at one: the file to create. */
function danglingLinkTarget(absolute: string): string {
    let target = absolute;
    for (let hops = 0; hops < 40; hops++) {
        let link: string;
        try {
            link = fs.readlinkSync(target);
        } catch {
            return target; // not a link (ENOENT or EINVAL): create it here
        }
        target = path.resolve(path.dirname(target), link);
    }
    throw new Error("too many levels of symbolic links");
}

/**
 * Writes every file or none, as far as the targets allow: each text for a regular file goes to a
 * temporary file beside its target (flushed to disk); devices and FIFOs are written in place next,
 * and only when all of that worked are the temporary files renamed over their targets. A failure
 * (`/dev/full`'s ENOSPC, a read-only directory) removes the temporary files, leaves every regular
 * target as it was and throws a UsageError naming the file.
 */
export function writeOutputs(files: { file: string; text: string | Iterable<string> }[]): void {
    const staged: { temp: string; target: string; file: string }[] = [];
    const inPlace: { target: string | number; file: string; text: string | Iterable<string> }[] = [];
    const discard = () => {
        for (const s of staged) fs.rmSync(s.temp, { force: true });
    };
    for (const { file, text } of files) {
        try {
            const dest = destination(file);
            if (dest.kind !== "replace") {
                inPlace.push({ target: dest.kind === "descriptor" ? dest.fd : dest.target, file, text });
                continue;
            }
            const target = dest.target;
            const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${counter++}.tmp`);
            let mode = 0o666; // less the umask, as a plain write creates it
            try {
                mode = fs.statSync(target).mode & 0o777;
            } catch (err) {
                if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
            }
            const fd = fs.openSync(temp, "wx", mode);
            staged.push({ temp, target, file });
            try {
                writeChunks(fd, typeof text === "string" ? [text] : text);
                fs.fsyncSync(fd);
            } finally {
                fs.closeSync(fd);
            }
        } catch (err) {
            discard();
            throw new UsageError(`${file}: cannot write: ${oneLine(err)}`);
        }
    }
    for (const { target, file, text } of inPlace) {
        try {
            const fd = typeof target === "number" ? target : fs.openSync(target, "w");
            try {
                writeChunks(fd, typeof text === "string" ? [text] : text);
            } finally {
                if (typeof target !== "number") fs.closeSync(fd);
            }
        } catch (err) {
            discard();
            throw new UsageError(`${file}: cannot write: ${oneLine(err)}`);
        }
    }
    for (const [i, { temp, target, file }] of staged.entries()) {
        try {
            fs.renameSync(temp, target);
        } catch (err) {
            for (const rest of staged.slice(i)) fs.rmSync(rest.temp, { force: true });
            throw new UsageError(`${file}: cannot write: ${oneLine(err)}`);
        }
    }
}

/**
 * Writes `chunks` in pieces of about a megabyte (a write per chunk would be a syscall per resource);
 * `writeFileSync` on a descriptor appends and retries short writes, which `writeSync` leaves to us.
 */
function writeChunks(fd: number, chunks: Iterable<string>): void {
    // Small chunks are gathered; a large one (a batch of resources) is written as it is, not copied
    // into the gathered text first.
    let buffer = "";
    for (const chunk of chunks) {
        if (chunk.length >= 1 << 16) {
            if (buffer) fs.writeFileSync(fd, buffer);
            buffer = "";
            fs.writeFileSync(fd, chunk);
            continue;
        }
        buffer += chunk;
        if (buffer.length >= 1 << 20) {
            fs.writeFileSync(fd, buffer);
            buffer = "";
        }
    }
    if (buffer) fs.writeFileSync(fd, buffer);
}

/**
 * `JSON.stringify(doc, null, 2)`, byte for byte, as chunks: the elements of `doc`'s top-level arrays
 * (a plan's resources and violations) one at a time, so writing the plan JSON of 100,000 resources
 * never holds its whole 200 MB text in memory.
 */
const batchSize = 256;

export function* prettyJsonChunks(doc: Record<string, unknown>): Generator<string> {
    const indent = (text: string, by: string) => text.replace(/\n/g, `\n${by}`);
    let first = true;
    yield "{";
    for (const [key, value] of Object.entries(doc)) {
        const whole = Array.isArray(value) ? undefined : JSON.stringify(value, null, 2);
        if (!Array.isArray(value) && whole === undefined) continue; // undefined, functions: left out, as stringify does
        yield `${first ? "" : ","}\n  ${JSON.stringify(key)}: `;
        first = false;
        if (whole !== undefined) {
            yield indent(whole, "  ");
            continue;
        }
        const items = value as unknown[];
        if (items.length === 0) {
            yield "[]";
            continue;
        }
        yield "[";
        // Elements a batch at a time, each batch stringified at the depth it has in the document: as
        // the one element of an outer array, `[[a, b]]` prints `a` and `b` indented by four spaces, which
        // is what re-indenting each element's own text did, in one pass of the native serialiser.
        for (let start = 0; start < items.length; start += batchSize) {
            const text = JSON.stringify([items.slice(start, start + batchSize)], null, 2);
            yield `${start ? "," : ""}${text.slice("[\n  [".length, text.length - "\n  ]\n]".length)}`;
        }
        yield "\n  ]";
    }
    yield first ? "}" : "\n}";
}

/** A JSON file's text as `--json` writes it: the document pretty-printed, then a newline. */
export function* jsonFileChunks(doc: object): Generator<string> {
    yield* prettyJsonChunks(doc as Record<string, unknown>);
    yield "\n";
}

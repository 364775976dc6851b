import * as fs from "fs";
import * as path from "path";
import { UsageError, oneLine } from "./errors";
import { decodeJsonBytes, parseJsonText } from "./formats/json-text";

/**
 * Reading the files the CLI is given, so that no input can hang it or exhaust its memory:
 *
 * - a path must name a regular file: a FIFO would block the read until a writer appears (forever in
 *   CI), and a character device such as /dev/zero never ends. The type is checked with `stat` before
 *   the file is opened (opening a FIFO for reading blocks too), and again on the open descriptor, which
 *   is opened non-blocking so that a path swapped for a FIFO in between cannot block either.
 * - `-` reads standard input, which may legitimately be a pipe; it is read in chunks up to the cap.
 * - every read is capped ({@link maxInputBytes}); a larger input is refused before it is all read.
 * - relative paths resolve against the caller's directory: under `npm run`, npm changes into the
 *   package root, and `INIT_CWD` holds the directory the user ran npm from.
 */

/**
 * 500 MiB by default: a 100,000-resource stack export is about 250 MB, and V8 cannot hold a string of
 * more than 2^29 - 24 characters (just under 512 MiB of ASCII). `SECURE_AZUREML_MAX_INPUT_MB` overrides.
 */
export function maxInputBytes(env: NodeJS.ProcessEnv = process.env): number {
    const raw = env.SECURE_AZUREML_MAX_INPUT_MB;
    if (raw === undefined || raw === "") return 500 * 1024 * 1024;
    const mb = Number(raw);
    if (!Number.isFinite(mb) || mb <= 0) {
        throw new UsageError(`SECURE_AZUREML_MAX_INPUT_MB = ${JSON.stringify(raw)}: must be a positive number of MiB`);
    }
    return Math.floor(mb * 1024 * 1024);
}

/**
 * The directory relative paths on the command line are relative to: the current directory, except
 * under one of this package's npm scripts (`npm run plan|audit`), where npm has changed into the
 * package root and `INIT_CWD` is where the user ran it. (An `INIT_CWD` inherited from some other npm
 * script, with the process started elsewhere, is not the caller's directory.)
 */
export function callerDirectory(env: NodeJS.ProcessEnv = process.env): string {
    const underOurScript = env.npm_lifecycle_event !== undefined && env.npm_package_name === "secure-azureml";
    return underOurScript && env.INIT_CWD && path.isAbsolute(env.INIT_CWD) ? env.INIT_CWD : process.cwd();
}

export function resolveFromCaller(file: string, env: NodeJS.ProcessEnv = process.env): string {
    return path.resolve(callerDirectory(env), file);
}

export interface InputOptions {
    /** Standard input, for `-` (default: the process's). */
    stdin?: NodeJS.ReadableStream;
    maxBytes?: number;
    env?: NodeJS.ProcessEnv;
}

/** The bytes of `file` (a path, or `-` for standard input), refusing anything but a regular file or stdin. */
export async function readInputBytes(file: string, options: InputOptions = {}): Promise<Buffer> {
    const env = options.env ?? process.env;
    const cap = options.maxBytes ?? maxInputBytes(env);
    if (file === "-") return readStream(options.stdin ?? process.stdin, "standard input", cap);
    return readRegularFileSync(file, cap, env);
}

/** The bytes of a regular file (see the module comment), its path relative to the caller's directory. */
export function readRegularFileSync(file: string, cap = maxInputBytes(), env: NodeJS.ProcessEnv = process.env): Buffer {
    const resolved = resolveFromCaller(file, env);
    let stat: fs.Stats;
    try {
        stat = fs.statSync(resolved);
    } catch (err) {
        throw fileError(file, err);
    }
    checkRegular(file, stat, cap);
    let fd: number;
    try {
        fd = fs.openSync(resolved, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    } catch (err) {
        throw fileError(file, err);
    }
    try {
        const opened = fs.fstatSync(fd);
        checkRegular(file, opened, cap);
        // Not zero-filled first (180 MB for a large stack): only the bytes read are handed on (subarray).
        const bytes = Buffer.allocUnsafe(opened.size);
        let offset = 0;
        while (offset < bytes.length) {
            const read = fs.readSync(fd, bytes, offset, bytes.length - offset, offset);
            if (read === 0) break;
            offset += read;
        }
        return bytes.subarray(0, offset);
    } catch (err) {
        if (err instanceof UsageError) throw err;
        throw fileError(file, err);
    } finally {
        fs.closeSync(fd);
    }
}

/** A JSON file (never stdin), decoded and parsed as {@link readJsonInput} does: for `--policy-config`. */
export function readJsonFileSync(file: string, env: NodeJS.ProcessEnv = process.env): unknown {
    return parseJsonText(decode(readRegularFileSync(file, maxInputBytes(env), env), file), file);
}

/** Reads, decodes (BOM, UTF-16) and parses a JSON input, refusing duplicated keys. */
export async function readJsonInput(file: string, options: InputOptions = {}): Promise<unknown> {
    const source = file === "-" ? "standard input" : file;
    return parseJsonText(decode(await readInputBytes(file, options), source), source);
}

function decode(bytes: Buffer, source: string): string {
    try {
        return decodeJsonBytes(bytes, source);
    } catch (err) {
        if (err instanceof UsageError) throw err;
        // ERR_STRING_TOO_LONG: past V8's string limit, with SECURE_AZUREML_MAX_INPUT_MB raised above it.
        throw new UsageError(`${source}: too large to read (${oneLine(err)})`);
    }
}

function checkRegular(file: string, stat: fs.Stats, cap: number): void {
    if (stat.isDirectory()) throw new UsageError(`${file}: is a directory, not a file`);
    if (!stat.isFile()) {
        const kind = stat.isFIFO()
            ? "a named pipe (FIFO)"
            : stat.isCharacterDevice() || stat.isBlockDevice()
              ? "a device"
              : stat.isSocket()
                ? "a socket"
                : "not a regular file";
        throw new UsageError(
            `${file}: is ${kind}; give a regular file, or \`-\` to read standard input (e.g. \`pulumi preview --json | secure-azureml audit -\`)`,
        );
    }
    if (stat.size > cap) throw tooLarge(file, cap);
}

function tooLarge(file: string, cap: number): UsageError {
    return new UsageError(
        `${file}: larger than the input limit of ${Math.round(cap / 1024 / 1024)} MiB; set SECURE_AZUREML_MAX_INPUT_MB to raise it`,
    );
}

function fileError(file: string, err: unknown): UsageError {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return new UsageError(`${file}: no such file`);
    if (code === "EISDIR") return new UsageError(`${file}: is a directory, not a file`);
    if (code === "EACCES" || code === "EPERM") return new UsageError(`${file}: permission denied`);
    return new UsageError(`${file}: cannot read: ${oneLine(err)}`);
}

async function readStream(stream: NodeJS.ReadableStream, name: string, cap: number): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let total = 0;
    return new Promise<Buffer>((resolve, reject) => {
        const onData = (chunk: Buffer | string) => {
            const buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
            total += buffer.length;
            if (total > cap) {
                cleanup();
                (stream as NodeJS.ReadableStream & { destroy?(): void }).destroy?.();
                reject(tooLarge(name, cap));
                return;
            }
            chunks.push(buffer);
        };
        const onEnd = () => {
            cleanup();
            resolve(Buffer.concat(chunks, total));
        };
        const onError = (err: unknown) => {
            cleanup();
            reject(new UsageError(`${name}: cannot read: ${oneLine(err)}`));
        };
        const cleanup = () => {
            stream.removeListener("data", onData);
            stream.removeListener("end", onEnd);
            stream.removeListener("error", onError);
        };
        stream.on("data", onData);
        stream.on("end", onEnd);
        stream.on("error", onError);
    });
}

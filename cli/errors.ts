/**
 * Bad usage or an unreadable input: the CLI prints the message as one line on stderr and exits 2.
 * Anything thrown that is not a UsageError is reported the same way (one line, no stack trace).
 */
export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

/** The first line of an error's message, without a stack trace. */
export function oneLine(err: unknown): string {
    const message = err instanceof Error ? err.message : String(err);
    return (
        message
            .split(/\r?\n/)
            .map((l) => l.trim())
            .find((l) => l !== "") ?? "unknown error"
    );
}

import { UsageError } from "./errors";

/**
 * Pulumi's stack-name rule, as its backends enforce it (pulumi/pulumi pkg/backend/diy/backend.go and
 * pkg/backend/httpstate, `validateStackName`: `^[A-Za-z0-9_.-]{1,100}$`, "stack names may only
 * contain alphanumeric, hyphens, underscores, or periods"). `plan` turns the name into the file name
 * `Pulumi.<stack>.yaml`; the rule keeps a name from carrying a path (`../x`, `/etc/x`) out of the
 * project's stack config directory.
 */
const stackNamePattern = /^[A-Za-z0-9_.-]{1,100}$/;

export function checkStackName(stack: string): string {
    if (stackNamePattern.test(stack)) return stack;
    const why = stack.includes("/") || stack.includes("\\") ? "it contains a path separator; " : "";
    throw new UsageError(
        `invalid stack name ${JSON.stringify(stack)}: ${why}a stack name may only contain alphanumeric characters, hyphens, underscores or periods (at most 100)`,
    );
}

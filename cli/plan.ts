import type { PlanJson, PlanResource } from "../policy/plan";
import { render } from "./recording-engine";
import { oneLine, UsageError } from "./errors";
import { evaluate } from "./policy";
import { Project } from "./project";
import { consumerProgram } from "./consumer-program";
import { readStackConfig } from "./stack-config";

/**
 * `plan`: renders the stack's program (this package's stacks/program.ts, or a user's own program) under
 * the recording mock engine with the stack's config, then runs the policy pack over what it
 * registered. No CLI, no cloud.
 */
export async function planStack(
    project: Project,
    stack: string,
    policyConfig?: Record<string, unknown>,
    program: ProgramChoice = "example",
): Promise<PlanJson> {
    const resources = await renderStack(project, stack, program);
    return evaluate(project.name, stack, resources, policyConfig);
}

/**
 * Which program renders: "example" is this package's (stacks/program.ts, its config keys checked
 * against stacks/config.ts); "project" is the program the project's Pulumi.yaml names
 * (cli/consumer-program.ts), with its stack config read as Pulumi hands it over, unchecked.
 */
export type ProgramChoice = "example" | "project";

/** The resources the stack's program registers with `Pulumi.<stack>.yaml`'s config. */
export async function renderStack(
    project: Project,
    stack: string,
    choice: ProgramChoice = "example",
): Promise<PlanResource[]> {
    const { config, secretKeys } = readStackConfig(project, stack, { checkKeys: choice === "example" });
    const consumer = choice === "project" ? consumerProgram(project) : undefined;
    let failure: unknown;
    const rendering = await withStrayRejectionsOf(
        () => failure,
        async () => {
            try {
                return await render(
                    async () => {
                        // Imported here, after the mocks are installed; calling the function (not relying on
                        // module side effects) makes a second render in the same process run the program again.
                        if (consumer) return consumer();
                        const { program } = await import("../stacks/program");
                        return program();
                    },
                    { project: project.name, stack, config, secretKeys },
                );
            } catch (err) {
                failure = err;
                return undefined;
            }
        },
    );
    if (!rendering) throw new UsageError(`stack "${stack}": the program failed: ${oneLine(failure)}`);
    return rendering.resources;
}

/**
 * When a program throws, the SDK rejects the stack's promise and, unobserved, the promises of the
 * outputs that depended on it, with the same error. Those echoes are swallowed (the caller reports
 * the error once); any other unhandled rejection goes to the listeners that were installed before.
 */
async function withStrayRejectionsOf<T>(failure: () => unknown, body: () => Promise<T>): Promise<T> {
    const saved = process.listeners("unhandledRejection");
    process.removeAllListeners("unhandledRejection");
    const echo = (reason: unknown) => {
        const f = failure();
        return (
            f !== undefined &&
            (reason === f || (reason instanceof Error && f instanceof Error && reason.message === f.message))
        );
    };
    const listener = (reason: unknown, promise: Promise<unknown>) => {
        if (echo(reason)) return;
        if (saved.length === 0)
            process.nextTick(() => {
                throw reason;
            });
        for (const l of saved) l(reason, promise);
    };
    process.on("unhandledRejection", listener);
    try {
        return await body();
    } finally {
        // Unhandled rejections are reported after the microtask queue drains: let them surface first.
        await new Promise((resolve) => setImmediate(resolve));
        await new Promise((resolve) => setImmediate(resolve));
        process.removeListener("unhandledRejection", listener);
        for (const l of saved) process.on("unhandledRejection", l);
    }
}

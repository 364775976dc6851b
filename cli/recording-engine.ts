import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { PlanResource } from "../policy/plan";
import { checkedInputs, mockCall, mockResource } from "./azure-mocks";
import { plainValue } from "./formats/property-values";

/**
 * Renders a Pulumi program with the real SDK against a mock engine that records every resource
 * registration: type, name, parent, dependencies, property dependencies, inputs and protection.
 * This is what `pulumi preview` would send the engine, obtained without a CLI or a cloud.
 */

export interface RenderOptions {
    project: string;
    stack: string;
    /** Stack config as `pulumi config` stores it: keys `project:key`, values strings (objects as JSON). */
    config?: Record<string, string>;
    /** Config keys whose values are secret. */
    secretKeys?: string[];
    organization?: string;
}

export interface Rendering {
    resources: PlanResource[];
    /** The stack outputs the program returned or exported. */
    outputs: Record<string, unknown>;
}

interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getProtect?(): boolean;
    getDependenciesList(): string[];
    getPropertydependenciesMap(): { entries(): Iterable<[string, { getUrnsList(): string[] }]> };
    getObject(): Parameters<typeof pulumi.runtime.deserializeProperties>[0];
}

/** The part of the engine's RegisterResourceResponse the recorder reads. */
interface RegisterResponse {
    getUrn(): string;
    getId(): string;
}

/** The mock monitor, plus a record of each registration in order. */
class RecordingMonitor extends MockMonitor {
    readonly records: PlanResource[] = [];

    override async registerResource(
        req: RegisterRequest,
        callback: (err: unknown, response: RegisterResponse | undefined) => void,
    ): Promise<void> {
        await super.registerResource(req, (err: unknown, response: RegisterResponse | undefined) => {
            if (!err && response) {
                const propertyDependencies: Record<string, string[]> = {};
                for (const [key, deps] of req.getPropertydependenciesMap().entries()) {
                    propertyDependencies[key] = deps.getUrnsList();
                }
                const inputs = pulumi.runtime.deserializeProperties(req.getObject());
                this.records.push({
                    urn: response.getUrn(),
                    type: req.getType(),
                    name: req.getName(),
                    id: req.getCustom() ? response.getId() || null : null,
                    custom: req.getCustom(),
                    parent: req.getParent() || null,
                    dependencies: req.getDependenciesList(),
                    propertyDependencies,
                    inputs: req.getCustom()
                        ? checkedInputs({
                              type: req.getType(),
                              name: req.getName(),
                              inputs: plainJson(inputs) as Record<string, unknown>,
                          })
                        : (plainJson(inputs) as Record<string, unknown>),
                    protect: req.getProtect?.() ?? false,
                });
            }
            callback(err, response);
        });
    }
}

/**
 * Plain JSON, with each secret replaced by its value: what CrossGuard's analyzer hands a policy as
 * `props` (@pulumi/policy deserialize.js, `deserializeProperty`: a secret's "value" is returned
 * "fully unpacked into plain-old-JSON"). A secret config value the offline plan cannot decrypt is
 * "[secret]" (cli/stack-config.ts), which the pack reads as unknown.
 */
function plainJson(value: unknown): unknown {
    return plainValue(JSON.parse(JSON.stringify(value ?? {})));
}

/**
 * Runs `program` as the body of a stack and resolves once every registration has completed. Renders
 * in one process are sequential: the SDK keeps its engine connection in module state.
 */
export async function render(program: () => unknown, options: RenderOptions): Promise<Rendering> {
    const { project, stack, organization = "organization" } = options;
    // setMocks switches the SDK's feature flags on; the recording monitor then replaces its monitor.
    await pulumi.runtime.setMocks({ newResource: mockResource, call: mockCall }, project, stack, false, organization);
    const monitor = new RecordingMonitor({ newResource: mockResource, call: mockCall });
    settings.setMockOptions(monitor, project, stack, false, organization);
    pulumi.runtime.setAllConfig(options.config ?? {}, options.secretKeys ?? []);

    // Two SDK costs that grow faster than the resource count and buy nothing offline (measured in
    // bench/: a 20-workspace render went from 5.5 s to 1.3 s): azure-native gives every resource one
    // alias per past API version, each turned into an Output, and only state migration reads them;
    // and every SDK promise captures a stack trace, kept only for leak reports.
    const stackTraceLimit = Error.stackTraceLimit;
    if (!process.env.PULUMI_DEBUG_PROMISE_LEAKS) Error.stackTraceLimit = 0;
    let outputs: unknown;
    try {
        outputs = await pulumi.runtime.runInPulumiStack(async () => {
            pulumi.runtime.registerStackTransformation((resource) => ({
                props: resource.props,
                opts: { ...resource.opts, aliases: [] },
            }));
            return program();
        });
    } finally {
        Error.stackTraceLimit = stackTraceLimit;
    }
    await (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
    return { resources: monitor.records, outputs: (plainJson(outputs) as Record<string, unknown>) ?? {} };
}

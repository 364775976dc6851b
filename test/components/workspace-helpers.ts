import * as assert from "assert";
import { PlanResource } from "../../policy/plan";
import { render } from "../../cli/recording-engine";
import { SecureMlWorkspace } from "../../components/workspace/secure-workspace";
import { SecureMlWorkspaceArgs } from "../../components/workspace/secure-workspace-args";
import { InvalidArgumentError } from "../../components/validate";

/** Helpers shared by the SecureMlWorkspace tests: render the component and look resources up. */

export const baseArgs: SecureMlWorkspaceArgs = { resourceGroupName: "rg-ml", location: "westeurope" };

export interface RenderedWorkspace {
    resources: PlanResource[];
    outputs: Record<string, any>;
    ofType(token: string): PlanResource[];
    one(token: string, name?: string): PlanResource;
    byUrn(urn: string): PlanResource;
}

export async function renderWorkspace(
    extra: Partial<SecureMlWorkspaceArgs> = {},
    name = "mlw",
): Promise<RenderedWorkspace> {
    const { resources, outputs } = await render(
        () => {
            const w = new SecureMlWorkspace(name, { ...baseArgs, ...extra });
            return {
                workspaceId: w.workspaceId,
                workspaceName: w.workspaceName,
                vnetId: w.vnetId,
                trainingSubnetId: w.trainingSubnetId,
                privateEndpointSubnetId: w.privateEndpointSubnetId,
                storageAccountId: w.storageAccountId,
                keyVaultId: w.keyVaultId,
                containerRegistryId: w.containerRegistryId,
                applicationInsightsId: w.applicationInsightsId,
                logAnalyticsWorkspaceId: w.logAnalyticsWorkspaceId,
                privateEndpointIds: w.privateEndpointIds,
                privateDnsZoneIds: w.privateDnsZoneIds,
                imageBuildClusterName: w.imageBuildClusterName,
                computeIdentityId: w.computeIdentityId,
                computeInstanceNames: w.computeInstanceNames,
                trainingClusterName: w.trainingClusterName,
                monitorPrivateLinkScopeId: w.monitorPrivateLinkScopeId,
                hasNetwork: w.network !== undefined,
            };
        },
        { project: "secure-azureml", stack: "test" },
    );
    return wrap(resources, outputs);
}

function wrap(resources: PlanResource[], outputs: Record<string, any>): RenderedWorkspace {
    const ofType = (token: string) => resources.filter((r) => r.type === `azure-native:${token}` || r.type === token);
    return {
        resources,
        outputs,
        ofType,
        one(token, name) {
            const found = ofType(token).filter((r) => name === undefined || r.name === name);
            assert.strictEqual(
                found.length,
                1,
                `expected one ${token}${name ? ` named ${name}` : ""}, found ${found.map((r) => r.name).join(", ") || "none"}`,
            );
            return found[0];
        },
        byUrn(urn) {
            const found = resources.find((r) => r.urn === urn);
            assert.ok(found, `no resource with URN ${urn}`);
            return found;
        },
    };
}

/**
 * Constructs the component with bad arguments and returns the error and whatever got registered
 * (which must be the stack alone).
 */
export async function renderFailure(
    extra: Partial<SecureMlWorkspaceArgs> | Record<string, unknown>,
    name = "mlw",
): Promise<{ error: InvalidArgumentError; registered: PlanResource[] }> {
    let error: unknown;
    const { resources } = await render(
        () => {
            try {
                new SecureMlWorkspace(name, { ...baseArgs, ...extra } as SecureMlWorkspaceArgs);
            } catch (e) {
                error = e;
            }
        },
        { project: "secure-azureml", stack: "test" },
    );
    assert.ok(error instanceof InvalidArgumentError, `expected an InvalidArgumentError, got ${String(error)}`);
    return { error, registered: resources.filter((r) => r.type !== "pulumi:pulumi:Stack") };
}

/** The zone name at the end of a private DNS zone id. */
export function zoneNameOf(id: string): string {
    const match = /\/privateDnsZones\/([^/]+)$/i.exec(id);
    assert.ok(match, `not a private DNS zone id: ${id}`);
    return match[1];
}

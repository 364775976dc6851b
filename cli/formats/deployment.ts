import type { PlanResource } from "../../policy/plan";
import { UsageError } from "../errors";
import { isRecord } from "../project";
import { checkUniqueUrns, readNote, toPlanResource } from "./resource";

/**
 * `pulumi stack export` files and local-backend checkpoints, read as the engine reads them
 * (pulumi/pulumi sdk/pkg/resource/stack/deployment.go `UnmarshalUntypedDeployment` and checkpoint.go
 * `UnmarshalVersionedCheckpointToLatestCheckpoint`, commits 6804a1e2 / 68316a5b):
 *
 * - an export is `apitype.UntypedDeployment`: `{version, features?, deployment}`; a checkpoint
 *   (`~/.pulumi/stacks/<project>/<stack>.json`, or the state bucket of a self-managed backend) is
 *   `apitype.VersionedCheckpoint`: `{version, features?, checkpoint: {stack, config?, latest}}`,
 *   whose `latest` is the same deployment.
 * - versions 3 and 4 share one layout (`DeploymentV3`); the engine writes 4, with `features`, when
 *   the state uses a feature older CLIs cannot read. A feature this reader does not know is refused,
 *   as the engine refuses it, rather than misread. Versions 1 and 2 predate Pulumi 1.0's state layout.
 * - a resource with `delete: true` is the old copy of a replaced resource, awaiting deletion
 *   (`ResourceV3.Delete`); one with `pendingReplacement: true` has already been deleted by a
 *   delete-before-replace and not yet re-created; one with `external: true` was read with `.get()`,
 *   and "the lifecycle of this resource is not managed by Pulumi" (`ResourceV2.External`). The first
 *   two are not resources this stack keeps: they are left out of the audit, and counted in a note. An
 *   external resource is kept, read by its outputs and marked `external` (toPlanResource): the stack's
 *   resources may refer to it (a workspace's key vault read with `Vault.get()`), so stack rules judge
 *   it there, while no resource rule judges it on its own.
 * - `pending_operations` are operations an interrupted update had started; their resources may exist
 *   in the cloud without being in the state, which a note says.
 */

/** `DeploymentSchemaVersionLatest` (deployment.go) and the features its `supportedFeatures` accepts, plus `outputDependencies`. */
const supportedVersions = [3, 4];
const knownFeatures = new Set(["refreshBeforeUpdate", "views", "hooks", "taint", "outputDependencies"]);

export interface DeploymentRead {
    resources: PlanResource[];
    notes: string[];
    /** The stack name a checkpoint records (exports carry it only in URNs). */
    stack?: string;
}

export function isStackExport(doc: Record<string, unknown>): boolean {
    return "version" in doc && "deployment" in doc && !("checkpoint" in doc);
}

export function isCheckpoint(doc: Record<string, unknown>): boolean {
    return "version" in doc && "checkpoint" in doc;
}

export function readStackExport(doc: Record<string, unknown>, source: string): DeploymentRead {
    checkVersion(doc, source, "stack export");
    if (!isRecord(doc.deployment)) throw new UsageError(`${source}: "deployment" must be an object`);
    return readDeployment(doc.deployment, source, "deployment");
}

export function readCheckpoint(doc: Record<string, unknown>, source: string): DeploymentRead {
    checkVersion(doc, source, "checkpoint");
    const checkpoint = doc.checkpoint;
    if (!isRecord(checkpoint)) throw new UsageError(`${source}: "checkpoint" must be an object`);
    const stack = typeof checkpoint.stack === "string" && checkpoint.stack !== "" ? checkpoint.stack : undefined;
    if (checkpoint.latest === undefined || checkpoint.latest === null) {
        return { resources: [], notes: [], stack }; // no update has run yet: nothing to audit
    }
    if (!isRecord(checkpoint.latest)) throw new UsageError(`${source}: "checkpoint.latest" must be an object`);
    return { ...readDeployment(checkpoint.latest, source, "checkpoint.latest"), stack };
}

function checkVersion(doc: Record<string, unknown>, source: string, what: string): void {
    const version = doc.version;
    if (typeof version !== "number" || !supportedVersions.includes(version)) {
        throw new UsageError(
            `${source}: ${what} version ${JSON.stringify(version)} is not supported (expected 3 or 4; re-export with a current Pulumi CLI)`,
        );
    }
    const features = doc.features ?? [];
    if (!Array.isArray(features) || !features.every((f) => typeof f === "string")) {
        throw new UsageError(`${source}: "features" must be a list of names`);
    }
    const unknown = (features as string[]).filter((f) => !knownFeatures.has(f));
    if (unknown.length > 0) {
        throw new UsageError(
            `${source}: the ${what} uses deployment features this reader does not know (${unknown.join(", ")}); it would be misread, so it is refused`,
        );
    }
}

function readDeployment(deployment: Record<string, unknown>, source: string, at: string): DeploymentRead {
    const list = deployment.resources ?? [];
    if (!Array.isArray(list)) throw new UsageError(`${source}: ${at}.resources must be an array`);
    const left = { delete: 0, pendingReplacement: 0, external: 0 };
    const resources: PlanResource[] = [];
    list.forEach((r, i) => {
        const where = `${source}: ${at}.resources[${i}]`;
        if (isRecord(r) && r.delete === true) left.delete++;
        else if (isRecord(r) && r.pendingReplacement === true) left.pendingReplacement++;
        else if (isRecord(r) && r.external === true) {
            left.external++;
            resources.push(toPlanResource(r, where, undefined, true));
            return;
        } else {
            resources.push(toPlanResource(r, where));
            return;
        }
        toPlanResource(r, where); // still a well-formed resource
    });
    checkUniqueUrns(resources, source);
    const notes: string[] = [];
    if (left.delete)
        notes.push(`${left.delete} resource(s) pending deletion (old copies of replaced resources) left out`);
    if (left.pendingReplacement) {
        notes.push(`${left.pendingReplacement} resource(s) pending replacement (deleted, not yet re-created) left out`);
    }
    if (left.external)
        notes.push(`${left.external} external resource(s) (read with .get(), not managed by this stack) ${readNote}`);
    const pending = deployment.pending_operations;
    if (Array.isArray(pending) && pending.length > 0) {
        notes.push(
            `${pending.length} pending operation(s): an update was interrupted, and the resources it was creating or changing may differ from this state; run \`pulumi refresh\` and export again`,
        );
    }
    return { resources, notes };
}

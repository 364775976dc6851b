import * as assert from "assert";
import {
    builtInRoles,
    guidPattern,
    privilegedRoles,
    roleByGuid,
    workspaceManagedRoleAssignments,
} from "../../components/catalog/roles";

/**
 * The GUIDs exactly as Microsoft publishes them on "Azure built-in roles"
 * (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles, the summary table and
 * the per-category pages), written out independently of the catalogue: a typo or a swapped GUID in
 * components/catalog/roles.ts fails here, instead of assigning the wrong role in production.
 */
const published: Record<string, string> = {
    Owner: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
    Contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
    "User Access Administrator": "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
    "Role Based Access Control Administrator": "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
    Reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
    "AzureML Data Scientist": "f6c7c914-8db3-469d-8ca1-694a8f32e121",
    "AzureML Compute Operator": "e503ece1-11d0-4e8e-8e2c-7a6c3bf38815",
    "Storage Blob Data Contributor": "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
    "Storage Blob Data Reader": "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
    "Storage File Data Privileged Contributor": "69566ab7-960f-475b-8e7c-b3118f30c6bd",
    "Storage Queue Data Contributor": "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
    "Storage Table Data Contributor": "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
    "Key Vault Secrets Officer": "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
    AcrPull: "7f951dda-4ed3-4680-a7ca-43fe172d538d",
    AcrPush: "8311e382-0749-4cb8-b61a-304f252e45ec",
    "Virtual Machine User Login": "fb879df8-f326-4884-b1cf-06f3ad86be52",
    "Managed Identity Operator": "f1a07417-d97a-45cb-824c-7a7467783830",
};

describe("built-in roles catalogue", () => {
    for (const [key, role] of Object.entries(builtInRoles)) {
        it(`${key}: "${role.roleName}" has the GUID Microsoft publishes`, () => {
            assert.ok(role.roleName in published, `"${role.roleName}" is not in the published table of this test`);
            assert.strictEqual(role.guid, published[role.roleName]);
            assert.match(role.guid, guidPattern);
            assert.strictEqual(role.guid, role.guid.toLowerCase());
        });
        it(`${key}: cites its Microsoft built-in roles page`, () => {
            assert.match(
                role.source,
                /^https:\/\/learn\.microsoft\.com\/azure\/role-based-access-control\/built-in-roles\/[a-z-]+#[a-z0-9-]+$/,
            );
            // The anchor is the role's name as Microsoft's page slugs it.
            const anchor = role.roleName.toLowerCase().replace(/[^a-z0-9]+/g, "-");
            assert.ok(role.source.endsWith(`#${anchor}`), `${role.source} should end with #${anchor}`);
        });
    }

    it("holds every published role once, and no two rows share a GUID", () => {
        const names = Object.values(builtInRoles).map((r) => r.roleName);
        assert.deepStrictEqual([...names].sort(), Object.keys(published).sort());
        assert.strictEqual(new Set(Object.values(builtInRoles).map((r) => r.guid)).size, names.length);
    });

    it("finds a role by GUID or by role definition id, case-insensitively", () => {
        assert.strictEqual(roleByGuid("B24988AC-6180-42A0-AB88-20F7382DD24C"), builtInRoles.contributor);
        assert.strictEqual(
            roleByGuid(
                "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
            ),
            builtInRoles.owner,
        );
        assert.strictEqual(roleByGuid("00000000-0000-0000-0000-000000000000"), undefined);
    });

    it("calls Owner, Contributor, User Access Administrator and RBAC Administrator privileged, and nothing else", () => {
        assert.deepStrictEqual(
            privilegedRoles.map((r) => r.roleName),
            ["Owner", "Contributor", "User Access Administrator", "Role Based Access Control Administrator"],
        );
    });

    it("lists the assignments Azure ML manages for the workspace identity: Contributor on its four dependencies and the two storage data roles", () => {
        assert.deepStrictEqual(
            workspaceManagedRoleAssignments.map((a) => `${a.role.roleName} @ ${a.scope}`),
            [
                "Contributor @ storageAccount",
                "Contributor @ keyVault",
                "Contributor @ containerRegistry",
                "Contributor @ applicationInsights",
                "Storage Blob Data Contributor @ storageAccount",
                "Storage File Data Privileged Contributor @ storageAccount",
            ],
        );
    });
});

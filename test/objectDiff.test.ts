import { strict as assert } from "node:assert";
import { formatChanges } from "../core/review/changeText";
import { diffObjects } from "../core/review/objectDiff";

describe("diff: field-level changes between objects", () => {
    it("reports created, deleted and changed objects, matching steps by alias", () => {
        const before = new Map<string, unknown>([
            ["Stage eodhp/a-test", { spec: { shard: "test-shard" } }],
            [
                "PromotionTask eodhp/promote",
                {
                    spec: {
                        steps: [
                            { as: "clone", uses: "git-clone" },
                            { as: "build", uses: "kustomize-build" },
                        ],
                    },
                },
            ],
            ["Warehouse eodhp/gone", {}],
        ]);
        const after = new Map<string, unknown>([
            ["Stage eodhp/a-test", { spec: { shard: "staging-shard" } }],
            [
                "PromotionTask eodhp/promote",
                {
                    spec: {
                        steps: [
                            { as: "clone", uses: "git-clone" },
                            { as: "charts-a-0", uses: "yaml-update" },
                            { as: "build", uses: "kustomize-build" },
                        ],
                    },
                },
            ],
            ["Warehouse eodhp/new", {}],
        ]);
        assert.deepEqual(diffObjects(before, after), [
            {
                kind: "changed",
                key: "PromotionTask eodhp/promote",
                fields: [{ kind: "added", path: "spec.steps[charts-a-0]", after: { as: "charts-a-0", uses: "yaml-update" } }],
            },
            { kind: "changed", key: "Stage eodhp/a-test", fields: [{ kind: "changed", path: "spec.shard", before: "test-shard", after: "staging-shard" }] },
            { kind: "deleted", key: "Warehouse eodhp/gone", before: {} },
            { kind: "created", key: "Warehouse eodhp/new", after: {} },
        ]);
    });
});

describe("diff: long values and secrets in the text", () => {
    it("shows two long values where they differ, not their common start", () => {
        const regex = (shards: string) =>
            `^system:serviceaccount:kargo:(kargo-api|kargo-controller|kargo-management-controller|kargo-webhooks-server|${shards})$`;
        const before = new Map([["chart values", { webhooksServer: { controlplaneUserRegex: regex("kargo-controller-test|kargo-controller-staging") } }]]);
        const after = new Map([
            ["chart values", { webhooksServer: { controlplaneUserRegex: regex("kargo-controller-test|kargo-controller-preprod|kargo-controller-staging") } }],
        ]);
        assert.equal(
            formatChanges(diffObjects(before, after)),
            [
                "~ chart values (update)",
                // The window: 30 characters either side of where they part (here an insertion), cut with "…".
                '    ~ webhooksServer.controlplaneUserRegex: …troller-test|kargo-controller-staging)$" → …troller-test|kargo-controller-preprod|kargo-controller-staging)$"',
                "0 to create, 1 to update, 0 to delete",
                "",
            ].join("\n"),
        );
    });

    it("shows a secret input as changed only when its digest differs, and never a value", () => {
        const objects = new Map([["Secret kargo/s", { stringData: { token: "[secret]", ca: "[secret]" } }]]);
        const digests = (token: string) => new Map([["Secret kargo/s", { "stringData.token": token, "stringData.ca": "same" }]]);
        assert.deepEqual(diffObjects(objects, objects, { before: digests("a"), after: digests("a") }), []);
        const changes = diffObjects(objects, objects, { before: digests("a"), after: digests("b") });
        assert.equal(
            formatChanges(changes),
            "~ Secret kargo/s (update)\n    ~ stringData.token: [secret] changed (value not shown)\n0 to create, 1 to update, 0 to delete\n",
        );
    });
});

import { strict as assert } from "node:assert";
import { buildShardIsolationPolicy, shardScope, type ShardScope } from "../core/install/shardIsolationPolicy";
import { planHub } from "../core/plan/stackPlan";
import { evaluatePolicy, type AdmissionRequest } from "./support/admissionPolicy";
import { current, freight, KARGO, leaseRequest, promotion, request, stage, update, verified } from "./support/admissionRequests";
import { hubSettings, shippedCatalogue } from "./support/fixtures";

const plan = planHub(hubSettings(), shippedCatalogue());
const policyFor = (name: string) => {
    const policy = plan.shardIsolation.find((object) => object.kind === "ValidatingAdmissionPolicy" && object.metadata.name === name);
    assert.ok(policy, `no policy ${name}`);
    return policy as never;
};
const testPolicy = policyFor("kargo-controller-test-shard-isolation");
/** The test shard when its Warehouses run there (warehouseShard: firstStage). */
const testScopeWithWarehouses: ShardScope = {
    controllerName: "kargo-controller-test",
    shardName: "test-shard",
    projectNamespace: "eodhp",
    stageEnvironments: ["test", "dev"],
    warehouses: ["jupyter-config", "jupyter-images"],
};
const withWarehouses = buildShardIsolationPolicy(testScopeWithWarehouses)[0] as never;

const allowedWrites: Array<[string, AdmissionRequest, unknown?]> = [
    ["Stage status of its own Stage", update("stages", "status", stage("jupyter-test"), { ...stage("jupyter-test"), status: { phase: "Promoting" } })],
    ["Stage status of its dev Stage", update("stages", "status", stage("jupyter-dev"), { ...stage("jupyter-dev"), status: { phase: "Verifying" } })],
    ["adding the Kargo finalizer", update("stages", "", stage("jupyter-test", { finalizers: [] }), stage("jupyter-test"))],
    [
        "removing the Kargo finalizer on deletion",
        update(
            "stages",
            "",
            stage("jupyter-test", { deletionTimestamp: "2026-01-01T00:00:00Z" }),
            stage("jupyter-test", { deletionTimestamp: "2026-01-01T00:00:00Z", finalizers: [] }),
        ),
    ],
    [
        "annotating the Argo CD context",
        update("stages", "", stage("jupyter-test"), stage("jupyter-test", { annotations: { "kargo.akuity.io/argocd-context": "[]" } })),
    ],
    [
        "removing the Argo CD context",
        update("stages", "", stage("jupyter-test", { annotations: { "kargo.akuity.io/argocd-context": "[]" } }), stage("jupyter-test", { annotations: {} })),
    ],
    [
        "requesting re-verification after a Promotion",
        update("stages", "", stage("jupyter-test"), stage("jupyter-test", { annotations: { "kargo.akuity.io/reverify": "{}" } })),
    ],
    [
        "auto-promoting into its own Stage",
        request({ operation: "CREATE", resource: KARGO("promotions"), name: "jupyter-test.01j.abc", object: promotion("jupyter-test", "test-shard") }),
    ],
    [
        "Promotion status",
        update("promotions", "status", promotion("jupyter-test", "test-shard"), promotion("jupyter-test", "test-shard", { phase: "Running" })),
    ],
    ["marking Freight current in its Stage", update("freights", "status", freight({}), freight({ currentlyIn: current }))],
    ["marking Freight no longer current", update("freights", "status", freight({ currentlyIn: current }), freight({ currentlyIn: {} }))],
    [
        "marking Freight verified in its Stage",
        update("freights", "status", freight({ currentlyIn: current }), freight({ currentlyIn: current, verifiedIn: verified })),
    ],
    [
        "clearing verifications and approvals of a deleted Stage",
        update("freights", "status", freight({ verifiedIn: verified, approvedFor: verified }), freight({})),
    ],
    ["creating its heartbeat Lease", leaseRequest("CREATE", "test-shard")],
    ["renewing its heartbeat Lease", leaseRequest("UPDATE", "test-shard")],
    ["deleting its heartbeat Lease on shutdown", leaseRequest("DELETE", "test-shard")],
    [
        "recording an event",
        request({ operation: "CREATE", resource: { group: "", version: "v1", resource: "events" }, name: "jupyter-test.1", object: { kind: "Event" } }),
    ],
    [
        "recording an events.k8s.io event",
        request({ operation: "CREATE", resource: { group: "events.k8s.io", version: "v1", resource: "events" }, name: "e", object: { kind: "Event" } }),
    ],
];

const deniedWrites: Array<[string, AdmissionRequest]> = [
    ["patching a prod Stage's spec", update("stages", "", stage("jupyter-prod"), { ...stage("jupyter-prod"), spec: { shard: "test-shard" } })],
    [
        "patching its own Stage's spec",
        update("stages", "", stage("jupyter-test"), { ...stage("jupyter-test"), spec: { shard: "test-shard", promotionTemplate: {} } }),
    ],
    ["writing a prod Stage's status", update("stages", "status", stage("jupyter-prod"), { ...stage("jupyter-prod"), status: { phase: "Failed" } })],
    ["annotating a prod Stage", update("stages", "", stage("jupyter-prod"), stage("jupyter-prod", { annotations: { "kargo.akuity.io/reverify": "{}" } }))],
    [
        "setting another annotation on its Stage",
        update("stages", "", stage("jupyter-test"), stage("jupyter-test", { annotations: { "kargo.akuity.io/abort": "{}" } })),
    ],
    ["relabelling its Stage", update("stages", "", stage("jupyter-test"), stage("jupyter-test", { labels: {} }))],
    ["deleting a Stage", request({ operation: "DELETE", resource: KARGO("stages"), name: "jupyter-test", oldObject: stage("jupyter-test") })],
    ["creating a Stage", request({ operation: "CREATE", resource: KARGO("stages"), name: "evil-test", object: stage("evil-test") })],
    [
        "creating a Promotion into a prod Stage",
        request({ operation: "CREATE", resource: KARGO("promotions"), name: "jupyter-prod.01j.abc", object: promotion("jupyter-prod", "prod-shard") }),
    ],
    [
        "writing a prod Promotion's status",
        update("promotions", "status", promotion("jupyter-prod", "prod-shard"), promotion("jupyter-prod", "prod-shard", { phase: "Succeeded" })),
    ],
    ["aborting a Promotion (main resource)", update("promotions", "", promotion("jupyter-test", "test-shard"), promotion("jupyter-test", "test-shard"))],
    ["approving Freight for a prod Stage", update("freights", "status", freight({}), freight({ approvedFor: { "jupyter-prod": {} } }))],
    ["approving Freight for its own Stage", update("freights", "status", freight({}), freight({ approvedFor: { "jupyter-test": {} } }))],
    ["verifying Freight in another shard's Stage", update("freights", "status", freight({}), freight({ verifiedIn: { "jupyter-staging": {} } }))],
    ["removing another Stage's verification", update("freights", "status", freight({ verifiedIn: { "jupyter-staging": {} } }), freight({}))],
    ["changing Freight status metadata", update("freights", "status", freight({}), freight({ metadata: { x: "y" } }))],
    ["creating Freight from a hub Warehouse", request({ operation: "CREATE", resource: KARGO("freights"), name: "f1", object: freight({}) })],
    ["deleting Freight", request({ operation: "DELETE", resource: KARGO("freights"), name: "f1", oldObject: freight({}) })],
    ["deleting another shard's Lease", leaseRequest("DELETE", "prod-shard")],
    ["renewing another shard's Lease", leaseRequest("UPDATE", "staging-shard")],
    ["creating its Lease labelled as the prod shard's heartbeat", leaseRequest("CREATE", "test-shard", "prod-shard")],
    ["relabelling its Lease as the staging shard's heartbeat", leaseRequest("UPDATE", "test-shard", "staging-shard")],
    ["renewing its Lease without the controller label", leaseRequest("UPDATE", "test-shard", "")],
    ...["kargo.akuity.io/create-actor", "kargo.akuity.io/auto-promotion-hold", "kargo.akuity.io/auto-promotion-resume"].map(
        (key): [string, AdmissionRequest] => [
            `creating a Promotion into its own Stage carrying ${key}`,
            request({
                operation: "CREATE",
                resource: KARGO("promotions"),
                name: "jupyter-test.01j.abc",
                object: promotion("jupyter-test", "test-shard", {}, { [key]: key.endsWith("actor") ? "user:alice@example.org" : "Warehouse/jupyter-config" }),
            }),
        ],
    ),
    [
        "adding an owner reference to its own Stage",
        update(
            "stages",
            "",
            stage("jupyter-test"),
            stage("jupyter-test", { ownerReferences: [{ apiVersion: "v1", kind: "ConfigMap", name: "gone", uid: "dead" }] }),
        ),
    ],
    [
        "editing a Warehouse's spec",
        update("warehouses", "", { metadata: { name: "jupyter-config" } }, { metadata: { name: "jupyter-config" }, spec: { interval: "1m" } }),
    ],
    [
        "writing a hub Warehouse's status",
        update("warehouses", "status", { metadata: { name: "jupyter-config" } }, { metadata: { name: "jupyter-config" }, status: {} }),
    ],
    ["writing a Secret", request({ operation: "CREATE", resource: { group: "", version: "v1", resource: "secrets" }, name: "git-credentials", object: {} })],
    [
        "binding a ClusterRole",
        request({
            operation: "CREATE",
            resource: { group: "rbac.authorization.k8s.io", version: "v1", resource: "clusterrolebindings" },
            namespace: "",
            name: "x",
            object: {},
        }),
    ],
    [
        "Kargo objects in another namespace",
        request({
            operation: "UPDATE",
            resource: KARGO("stages"),
            subResource: "status",
            namespace: "other",
            name: "jupyter-test",
            oldObject: stage("jupyter-test"),
            object: stage("jupyter-test"),
        }),
    ],
];

describe("shard isolation: a remote controller may do on the hub only what Kargo's shard controller does for its shard", () => {
    for (const [what, admission] of allowedWrites) {
        it(`allows ${what}`, () => assert.deepEqual(evaluatePolicy(testPolicy, admission), { matched: true, denied: [] }));
    }
    for (const [what, admission] of deniedWrites) {
        it(`denies ${what}`, () => {
            const verdict = evaluatePolicy(testPolicy, admission);
            assert.ok(verdict.matched && verdict.denied.length > 0, `${what} was allowed`);
        });
    }

    it("lets a shard whose Warehouses run on it create their Freight and write their status, and nothing else", () => {
        const create = request({ operation: "CREATE", resource: KARGO("freights"), name: "f1", object: freight({}) });
        assert.deepEqual(evaluatePolicy(withWarehouses, create), { matched: true, denied: [] });
        const status = update("warehouses", "status", { metadata: { name: "jupyter-images" } }, { metadata: { name: "jupyter-images" }, status: {} });
        assert.deepEqual(evaluatePolicy(withWarehouses, status), { matched: true, denied: [] });
        const other = { ...freight({}), origin: { kind: "Warehouse", name: "nginx-config" } };
        const denied = evaluatePolicy(withWarehouses, request({ operation: "CREATE", resource: KARGO("freights"), name: "f2", object: other }));
        assert.ok(denied.matched && denied.denied.length === 1);
    });

    it("leaves the hub's controllers, the API server, Pulumi and the other spoke alone", () => {
        const prodSpecPatch = (username: string) => update("stages", "", stage("jupyter-prod"), { ...stage("jupyter-prod"), spec: {} }, username);
        for (const username of [
            "system:serviceaccount:kargo:kargo-controller",
            "system:serviceaccount:kargo:kargo-api",
            "system:serviceaccount:kargo:kargo-management-controller",
            "arn:aws:iam::123456789012:role/pulumi-deployer",
            "kubernetes-admin",
            "system:serviceaccount:kargo:kargo-controller-staging",
            "system:serviceaccount:kargo:kargo-controller-test-extra",
        ]) {
            assert.deepEqual(evaluatePolicy(testPolicy, prodSpecPatch(username)), { matched: false }, username);
        }
    });

    it("gives each remote shard its own policy, bound with Deny", () => {
        assert.deepEqual(
            plan.shardIsolation.filter((object) => object.kind.startsWith("ValidatingAdmission")).map((object) => `${object.kind}/${object.metadata.name}`),
            [
                "ValidatingAdmissionPolicy/kargo-controller-test-shard-isolation",
                "ValidatingAdmissionPolicyBinding/kargo-controller-test-shard-isolation",
                "ValidatingAdmissionPolicy/kargo-controller-staging-shard-isolation",
                "ValidatingAdmissionPolicyBinding/kargo-controller-staging-shard-isolation",
            ],
        );
        assert.deepEqual(plan.shardIsolation.find((object) => object.kind === "ValidatingAdmissionPolicyBinding")?.spec, {
            policyName: "kargo-controller-test-shard-isolation",
            validationActions: ["Deny"],
        });
        const staging = policyFor("kargo-controller-staging-shard-isolation");
        const stagingStatus = update(
            "stages",
            "status",
            stage("jupyter-staging"),
            stage("jupyter-staging"),
            "system:serviceaccount:kargo:kargo-controller-staging",
        );
        assert.deepEqual(evaluatePolicy(staging, stagingStatus), { matched: true, denied: [] });
        const devStatus = evaluatePolicy(
            staging,
            update("stages", "status", stage("jupyter-dev"), stage("jupyter-dev"), "system:serviceaccount:kargo:kargo-controller-staging"),
        );
        assert.ok(devStatus.matched && devStatus.denied.length > 0, "the staging controller may write the dev Stage");
    });

    it("lets a shard that serves several environments write the Stages of each", () => {
        const scope = shardScope({ environment: ["test", "qa"], shardName: "test-shard" }, "kargo-controller-test", "eodhp", []);
        const policy = buildShardIsolationPolicy(scope)[0] as never;
        assert.deepEqual(evaluatePolicy(policy, update("stages", "status", stage("jupyter-qa"), stage("jupyter-qa"))), { matched: true, denied: [] });
    });
});

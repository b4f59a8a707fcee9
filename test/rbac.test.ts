import { strict as assert } from "node:assert";
import type { KubernetesObject } from "../core/kubernetes";
import { planHub, projectObjectsOf } from "../core/plan/stackPlan";
import { hubSettings, shippedCatalogue } from "./support/fixtures";
import type { Json } from "./support/render";

type Rule = { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] };

const FULL = { developerGroup: "kargo-developer", slackWebhookSecretName: "eodhp/kargo/slack-webhook" };
const plan = planHub(hubSettings(FULL), shippedCatalogue());
const objects: KubernetesObject[] = [
    ...plan.shardIsolation,
    ...plan.remoteControllers.flatMap((remote) => [...remote.identity.bindings, ...remote.identity.sharedResources.objects]),
    ...projectObjectsOf(plan.project),
];
const roles = objects.filter((object) => object.kind === "Role" || object.kind === "ClusterRole") as Json[];

/** `group/resource verb` for every grant, with `[n names]` when limited to named objects. */
function grants(role: Json): string[] {
    return (role.rules as Rule[])
        .flatMap((rule) =>
            rule.apiGroups.flatMap((group) =>
                rule.resources.flatMap((resource) => rule.verbs.map((verb) => `${group || "core"}/${resource} ${verb}${rule.resourceNames ? " [named]" : ""}`)),
            ),
        )
        .sort();
}

/**
 * Every verb any Role or ClusterRole of the program grants. A new grant fails here on purpose: widen it only
 * with a reason in the role's builder and an update of this snapshot.
 */
const SNAPSHOT: Record<string, string[]> = {
    "ClusterRole/kargo-remote-controller": [
        ...[
            "clusterconfigs",
            "clusterpromotiontasks",
            "freights",
            "projectconfigs",
            "projects",
            "promotions",
            "promotiontasks",
            "stages",
            "warehouses",
        ].flatMap((r) => ["get", "list", "watch"].map((verb) => `kargo.akuity.io/${r} ${verb}`)),
    ],
    "ClusterRole/kargo-remote-controller-writer": [
        "core/configmaps get",
        "core/events create",
        "core/events patch",
        "kargo.akuity.io/freights create",
        "kargo.akuity.io/freights/status patch",
        "kargo.akuity.io/promotions create",
        "kargo.akuity.io/promotions/status patch",
    ],
    ...Object.fromEntries(
        ["test", "staging"].map((env) => [
            `Role/kargo/kargo-controller-${env}-heartbeat`,
            ["coordination.k8s.io/leases create", ...["delete", "get", "update"].map((verb) => `coordination.k8s.io/leases ${verb} [named]`)],
        ]),
    ),
    // The credential lookup's first List on the hub (core/install/gitCredentials.ts); eodhp holds no git credential.
    "Role/eodhp/kargo-remote-controller-credential-lookup": ["core/secrets list"],
    // Each spoke's own shared namespace on the hub: the lookup's second List, and sharedSecret()'s Get.
    "Role/kargo-shared-resources-test/kargo-controller-shared-reader": ["core/secrets get", "core/secrets list"],
    "Role/kargo-shared-resources-staging/kargo-controller-shared-reader": ["core/secrets get", "core/secrets list"],
    "Role/eodhp/ci-promoter": [
        ...["freights", "promotions", "stages", "warehouses"].flatMap((r) => ["get", "list", "watch"].map((verb) => `kargo.akuity.io/${r} ${verb}`)),
        "kargo.akuity.io/promotions create",
        "kargo.akuity.io/stages promote",
    ],
    "Role/eodhp/kargo-developer": [
        ...["configmaps", "events", "serviceaccounts"].flatMap((r) => ["get", "list", "watch"].map((verb) => `core/${r} ${verb}`)),
        ...["rolebindings", "roles"].flatMap((r) => ["get", "list", "watch"].map((verb) => `rbac.authorization.k8s.io/${r} ${verb}`)),
        ...["freights", "projectconfigs", "promotions", "stages", "warehouses"].flatMap((r) =>
            ["get", "list", "watch"].map((verb) => `kargo.akuity.io/${r} ${verb}`),
        ),
        "kargo.akuity.io/freights create",
        "kargo.akuity.io/promotions create",
        "kargo.akuity.io/freights/status patch",
    ],
};

/** Each application's `promote` Roles (core/project/promoterRbac.ts buildAppPromoteRbac) grant that and nothing else. */
const APP_PROMOTE_ROLE = /^Role\/eodhp\/[a-z0-9-]+-promote-(dev-test|staging)$/;
/** Each application's Roles for a remote controller (buildAppControllerRbac): its own Stages, by name. */
const APP_CONTROLLER_ROLE = /^Role\/eodhp\/[a-z0-9-]+-kargo-controller-(test|staging)$/;
const APP_CONTROLLER_GRANTS = ["kargo.akuity.io/stages patch [named]", "kargo.akuity.io/stages promote [named]", "kargo.akuity.io/stages/status patch [named]"];

describe("rbac: every role's grants are pinned", () => {
    it("no Role or ClusterRole gains or loses a verb unnoticed", () => {
        const actual = Object.fromEntries(
            roles.map((role) => [`${role.kind}/${role.metadata.namespace ? `${role.metadata.namespace}/` : ""}${role.metadata.name}`, grants(role)]),
        );
        const expected = Object.fromEntries(Object.entries(SNAPSHOT).map(([key, list]) => [key, [...list].sort()]));
        for (const key of Object.keys(actual)) {
            if (key in expected) continue;
            if (APP_PROMOTE_ROLE.test(key)) expected[key] = ["kargo.akuity.io/stages promote [named]"];
            else expected[key] = APP_CONTROLLER_ROLE.test(key) ? APP_CONTROLLER_GRANTS : ["<not in the snapshot>"];
        }
        assert.deepEqual(actual, expected);
    });

    it("lets each remote controller promote into, patch and write the status of exactly its own shard's Stages, through per-app Roles", () => {
        const granted = (controller: string, resource: string, verb: string) =>
            objects
                .filter((object) => object.kind === "RoleBinding" && (object as Json).subjects.some((subject: Json) => subject.name === controller))
                .map((binding) => roles.find((role) => role.kind === (binding as Json).roleRef.kind && role.metadata.name === (binding as Json).roleRef.name))
                // Bindings to the chart's own roles (e.g. kargo-shared-resources-controller-reader) have no role here.
                .flatMap((role) => (role?.rules ?? []) as Rule[])
                .flatMap((rule) => (rule.resources.includes(resource) && rule.verbs.includes(verb) ? (rule.resourceNames ?? ["<every Stage>"]) : []))
                .sort();
        const testStages = [
            "accounting-service-dev",
            "accounting-service-test",
            "argo-events-test",
            "auth-agent-dev",
            "auth-agent-test",
            "jupyter-dev",
            "jupyter-test",
            "nginx-test",
            "stac-fastapi-2-test",
        ];
        for (const [resource, verb] of [
            ["stages", "promote"],
            ["stages", "patch"],
            ["stages/status", "patch"],
        ]) {
            assert.deepEqual(granted("kargo-controller-test", resource, verb), testStages, `${resource} ${verb}`);
            const staging = granted("kargo-controller-staging", resource, verb);
            assert.ok(staging.length > 0 && staging.every((stage) => stage.endsWith("-staging")), staging.join());
        }
        // Every per-app Role names only one application's Stages.
        for (const role of roles.filter((candidate) => /-promote-|-kargo-controller-(test|staging)$/.test(candidate.metadata.name))) {
            const app = role.metadata.name.replace(/-(promote|kargo-controller)-.*$/, "");
            assert.ok(
                (role.rules as Rule[]).every((rule) => rule.resourceNames?.every((stage) => stage.startsWith(`${app}-`))),
                role.metadata.name,
            );
        }
    });

    it("binds the remote controllers' writes only in the project namespace, and no remote ClusterRole reads Secrets", () => {
        const writerBindings = objects.filter(
            (object) => /^(Cluster)?RoleBinding$/.test(object.kind) && (object as Json).roleRef.name === "kargo-remote-controller-writer",
        );
        assert.deepEqual(
            writerBindings.map((binding) => `${binding.kind}/${binding.metadata.namespace}`),
            ["RoleBinding/eodhp"],
        );
        const remoteRoles = roles.filter((role) => role.kind === "ClusterRole" && /remote-controller|kargo-controller-/.test(role.metadata.name));
        assert.ok(remoteRoles.length > 0);
        assert.ok(remoteRoles.every((role) => !(role.rules as Rule[]).some((rule) => rule.resources.includes("secrets"))));
        const crbs = objects.filter((object) => object.kind === "ClusterRoleBinding") as Json[];
        assert.deepEqual([...new Set(crbs.map((binding) => binding.roleRef.name))], ["kargo-remote-controller"]);
    });
});

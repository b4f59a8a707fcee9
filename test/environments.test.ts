import { strict as assert } from "node:assert";
import { checkKargoRules } from "../core/project/kargoRules";
import { formatProblem } from "../core/input/errors";
import { dnsSubdomainProblem } from "../core/input/validation";
import { environmentShards, parseStackSettings, type ShardSettings } from "../core/input/settings";
import { checkStackSet } from "../core/input/stackSet";
import { hubObjectsOf, planHub, projectObjectsOf } from "../core/plan/stackPlan";
import { diffObjects } from "../core/review/objectDiff";
import type { KubernetesObject } from "../core/kubernetes";
import { catalogueOf, hubConfig, hubSettings, shippedCatalogue } from "./support/fixtures";
import { ONE_APP_CATALOGUE, render } from "./support/render";
import { renderedObjectProblems } from "./support/schemas";

const spoke = (env: string | string[], shardName = `${[env].flat()[0]}-shard`) => ({
    environment: env,
    shardName,
    kubeconfigSecretName: `eodhp/kargo/hub-kubeconfig-${[env].flat()[0]}`,
    readableByAccount: true,
});

/** Config of a hub with these spokes and declared environments. */
function hub(spokes: object[], environments: string[], extra: Record<string, string> = {}): Record<string, string> {
    return { "eodhp-kargo:remoteShards": JSON.stringify(spokes), "eodhp-kargo:environments": JSON.stringify(environments), ...extra };
}
const shortKeys = (config: Record<string, string>) =>
    Object.fromEntries(Object.entries(config).map(([key, value]) => [key.replace("eodhp-kargo:", ""), value]));

const FOUR_SPOKES = hub([spoke("test"), spoke("qa"), spoke("staging"), spoke("preprod")], ["test", "qa", "staging", "preprod", "prod"]);
const NO_SPOKES = hub([], ["prod"], { "eodhp-kargo:devEnvironment": "prod" });
const TWO_ENVIRONMENTS_ONE_SHARD = hub([spoke(["test", "qa"], "test-shard"), spoke("staging")], ["test", "qa", "staging", "prod"]);

describe("environments and clusters are data", () => {
    it("one cluster serving two environments: both map to its one shard, with one controller identity", () => {
        const settings = hubSettings(shortKeys(TWO_ENVIRONMENTS_ONE_SHARD));
        assert.deepEqual(
            [...environmentShards(settings)],
            [
                ["test", "test-shard"],
                ["qa", "test-shard"],
                ["staging", "staging-shard"],
                ["prod", "prod-shard"],
            ],
        );
        const plan = planHub(settings, shippedCatalogue(settings));
        assert.deepEqual(
            plan.remoteControllers.map((remote) => remote.identity.serviceAccount.metadata.name),
            ["kargo-controller-test", "kargo-controller-staging"],
        );
        const jupyter = plan.project.pipelines.find(({ pipeline }) => pipeline.app.name === "jupyter")?.pipeline;
        assert.deepEqual(
            jupyter?.stages.map((stage) => [stage.name, stage.shard, stage.upstream]),
            [
                ["jupyter-test", "test-shard", undefined],
                ["jupyter-qa", "test-shard", "jupyter-test"],
                ["jupyter-staging", "staging-shard", "jupyter-qa"],
                ["jupyter-prod", "prod-shard", "jupyter-staging"],
                ["jupyter-dev", "test-shard", undefined],
            ],
        );
    });

    it("a preprod spoke between staging and prod joins every chain, with its own branch overlay and shard", () => {
        const settings = hubSettings(shortKeys(FOUR_SPOKES));
        const nginx = planHub(settings, shippedCatalogue(settings)).project.pipelines.find(({ pipeline }) => pipeline.app.name === "nginx")?.pipeline;
        assert.deepEqual(
            nginx?.stages.map((stage) => `${stage.upstream ?? "direct"} → ${stage.name} (${stage.targetEnv} on ${stage.shard})`),
            [
                "direct → nginx-test (test on test-shard)",
                "nginx-test → nginx-qa (qa on qa-shard)",
                "nginx-qa → nginx-staging (staging on staging-shard)",
                "nginx-staging → nginx-preprod (preprod on preprod-shard)",
                "nginx-preprod → nginx-prod (prod on prod-shard)",
            ],
        );
    });

    it("auto-promotes by environment label, so a dev stage never matches (names where one env ends another are rejected: the shard isolation policy reads the suffix)", () => {
        const settings = hubSettings(
            shortKeys(
                hub([spoke("test"), spoke("preprod")], ["test", "preprod", "prod"], {
                    "eodhp-kargo:autoPromotedEnvironments": JSON.stringify(["test", "prod"]),
                }),
            ),
        );
        const objects = projectObjectsOf(planHub(settings, shippedCatalogue(settings)).project);
        const policies = (objects.find((o) => o.kind === "ProjectConfig")?.spec as { promotionPolicies: unknown[] }).promotionPolicies;
        assert.deepEqual(policies, [
            { stageSelector: { matchLabels: { "eodatahub.org.uk/environment": "test" } }, autoPromotionEnabled: true },
            { stageSelector: { matchLabels: { "eodatahub.org.uk/environment": "prod" } }, autoPromotionEnabled: true },
        ]);
        const envOf = (name: string) => objects.find((o) => o.kind === "Stage" && o.metadata.name === name)?.metadata.labels?.["eodatahub.org.uk/environment"];
        assert.deepEqual([envOf("nginx-preprod"), envOf("nginx-prod"), envOf("jupyter-dev")], ["preprod", "prod", undefined]);
    });

    for (const [what, config] of [
        ["a hub with four spokes", FOUR_SPOKES],
        ["a hub with no spokes", NO_SPOKES],
        ["one cluster serving two environments", TWO_ENVIRONMENTS_ONE_SHARD],
    ] as const) {
        it(`${what}: renders objects the CRDs and Kargo's rules accept`, async () => {
            const settings = hubSettings(shortKeys(config));
            const shards = new Set(environmentShards(settings).values());
            // Through the components with one application in the richest shape (the wiring per spoke) ...
            const prod = await render({ stack: "prod", catalogue: ONE_APP_CATALOGUE, configOverrides: config });
            // ... and every shipped application's objects as planned (no render needed for those).
            const planned = hubObjectsOf(planHub(settings, shippedCatalogue(settings)));
            for (const objects of [prod.manifests, planned]) {
                assert.deepEqual(renderedObjectProblems(objects), []);
                assert.deepEqual(checkKargoRules(objects, shards), []);
            }
        });
    }

    it("a hub with no spokes registers no remote controller identity", async () => {
        const prod = await render({ stack: "prod", catalogue: ONE_APP_CATALOGUE, configOverrides: NO_SPOKES });
        assert.deepEqual(
            prod.resources.filter((r) => r.type === "eodhp:kargo:ControllerAuth"),
            [],
        );
        assert.ok(prod.manifests.filter((o) => o.kind === "Stage").every((o) => (o.spec as { shard: string }).shard === "prod-shard"));
    });

    const rejected: Array<[string, Record<string, string>, RegExp]> = [
        ["an environment named dev", hub([spoke("test"), spoke("dev")], ["test", "dev", "prod"]), /remoteShards\[1\]\.environment\[0\]: "dev" is reserved/],
        [
            "an environment that is no DNS label",
            hub([spoke("test")], ["test", "Pre_Prod", "prod"]),
            /eodhp-kargo:environments\[1\]: "Pre_Prod" must consist of lower-case letters/,
        ],
        ["an environment no shard serves", hub([spoke("test")], ["test", "staging", "prod"]), /eodhp-kargo:environments: no shard serves staging/],
        [
            "an environment two shards serve",
            hub([spoke("test"), spoke(["staging", "test"], "s2")], ["test", "staging", "prod"]),
            /remoteShards\[1\]: "test" is already used by remoteShards\[0\]/,
        ],
        [
            "a served environment that is not declared",
            hub([spoke("test"), spoke("staging")], ["test", "prod"]),
            /remoteShards\[1\]\.environment: "staging" is not declared in eodhp-kargo:environments/,
        ],
        [
            "an undeclared auto-promoted environment",
            hub([spoke("test"), spoke("staging")], ["test", "staging", "prod"], { "eodhp-kargo:autoPromotedEnvironments": '["qa"]' }),
            /autoPromotedEnvironments: "qa" is not declared/,
        ],
        ["a dev environment that is not declared", hub([], ["prod"], { "eodhp-kargo:devEnvironment": "test" }), /devEnvironment: "test" is not declared/],
    ];
    for (const [what, config, expected] of rejected) {
        it(`rejects ${what}, naming the key`, () => {
            assert.throws(() => parseStackSettings("prod", { ...hubConfig(), ...config }), expected);
        });
    }

    it("the longest app name with a long environment still makes Stage and Warehouse names Kubernetes and Kargo accept", () => {
        const longEnv = "preprod-disaster-recovery";
        const settings = hubSettings(shortKeys(hub([spoke("test"), spoke("staging"), spoke(longEnv)], ["test", "staging", longEnv, "prod"])));
        const name = "a".repeat(63);
        const image = { repoURL: "public.ecr.aws/eodh/a", enableDevTags: true };
        const objects = projectObjectsOf(planHub(settings, catalogueOf([{ name, path: "apps/a", images: [image] }], "catalogue.yaml", settings)).project);
        const names = objects.filter((o) => o.kind === "Stage" || o.kind === "Warehouse").map((o) => o.metadata.name);
        assert.ok(names.includes(`${name}-${longEnv}`) && names.includes(`${name}-dev-images`), names.join(", "));
        assert.deepEqual(
            names.filter((n) => dnsSubdomainProblem(n) !== undefined),
            [],
        );
        assert.deepEqual(renderedObjectProblems(objects), []);
    });

    it("the stack set: each spoke's environments are declared on the hub and match its remote shard", () => {
        const settings = hubSettings(shortKeys(TWO_ENVIRONMENTS_ONE_SHARD));
        const base = {
            role: "shard",
            chartVersion: settings.chartVersion,
            kubeContext: "k",
            clusterSecretStore: "s",
            argocdNamespace: "argocd",
            adoptExisting: false,
            hubKubeconfigRegion: "eu-west-2",
            helmReleaseName: "kargo",
            awsRegion: "eu-west-2",
            gitRepoUrl: settings.gitRepoUrl,
            gitCredentialsSecretName: "g",
        } as const;
        const test: ShardSettings = {
            ...base,
            stack: "test",
            eksClusterName: "eodhp-test",
            environment: ["test"],
            shardName: "test-shard",
            hubKubeconfigSecretName: "eodhp/kargo/hub-kubeconfig-test",
        };
        const staging: ShardSettings = {
            ...base,
            stack: "staging",
            eksClusterName: "eodhp-staging",
            environment: ["staging", "uat"],
            shardName: "staging-shard",
            hubKubeconfigSecretName: "eodhp/kargo/hub-kubeconfig-staging",
        };
        assert.deepEqual(checkStackSet(settings, [test, staging]).map(formatProblem), [
            'Pulumi.test.yaml: stack "test": eodhp-kargo:environment: test differs from the hub\'s test, qa (Pulumi.prod.yaml)',
            'Pulumi.staging.yaml: stack "staging": eodhp-kargo:environment: staging, uat differs from the hub\'s staging (Pulumi.prod.yaml)',
            'Pulumi.staging.yaml: stack "staging": eodhp-kargo:environment: uat is not declared in the hub\'s environments (test, qa, staging, prod; Pulumi.prod.yaml)',
        ]);
    });

    it("the diff of inserting preprod between staging and prod: its Stages and controller identity, each prod Stage's upstream, nothing else", () => {
        /** What the hub registers, keyed as the diff names objects, with the chart's values. */
        const planned = (config: Record<string, string>): Map<string, unknown> => {
            const settings = hubSettings(shortKeys(config));
            const plan = planHub(settings, shippedCatalogue(settings));
            const keyOf = (o: KubernetesObject) => `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata.name}`;
            return new Map<string, unknown>([...hubObjectsOf(plan).map((o) => [keyOf(o), o] as const), ["chart values", plan.chartValues]]);
        };
        const before = hub([spoke("test"), spoke("staging")], ["test", "staging", "prod"]);
        const after = hub([spoke("test"), spoke("staging"), spoke("preprod")], ["test", "staging", "preprod", "prod"]);
        const changes = diffObjects(planned(before), planned(after));
        const sign = { added: "+", removed: "-", changed: "~", secret: "~" } as const;
        const summary = changes.map((c) =>
            c.kind === "changed"
                ? `~ ${c.key}: ${[...new Set(c.fields.map((f) => `${sign[f.kind]}${f.path.replace(/\[[^\]]+\]/g, "[…]")}`))].join(" ")}`
                : `${c.kind === "created" ? "+" : "-"} ${c.key}`,
        );
        const apps = shippedCatalogue().applications.map((app) => app.name);
        const controller = "kargo-controller-preprod";
        assert.deepEqual(
            summary.sort(),
            [
                `+ ClusterRoleBinding ${controller}`,
                // The preprod controller may promote and patch only each app's preprod Stage: a Role and binding per app.
                ...apps.flatMap((app) => [`+ Role eodhp/${app}-${controller}`, `+ RoleBinding eodhp/${app}-${controller}`]),
                `+ Role kargo/${controller}-heartbeat`,
                // Its own shared-resources namespace on the hub, and its reads there (core/install/gitCredentials.ts).
                "+ Namespace kargo-shared-resources-preprod",
                "+ Role kargo-shared-resources-preprod/kargo-controller-shared-reader",
                `+ RoleBinding kargo-shared-resources-preprod/${controller}-shared-reader`,
                `+ RoleBinding kargo/${controller}-heartbeat`,
                `+ Secret kargo/${controller}-token-1`,
                `+ ServiceAccount kargo/${controller}`,
                ...apps.map((app) => `+ Stage eodhp/${app}-preprod`),
                `+ ValidatingAdmissionPolicy ${controller}-shard-isolation`,
                `+ ValidatingAdmissionPolicyBinding ${controller}-shard-isolation`,
                "~ RoleBinding eodhp/kargo-remote-controller-writers: +subjects[…]",
                "~ RoleBinding eodhp/kargo-remote-controller-credential-lookup: +subjects[…]",
                ...apps.map((app) => `~ Stage eodhp/${app}-prod: -spec.requestedFreight[…].sources.stages[…] +spec.requestedFreight[…].sources.stages[…]`),
                "~ chart values: ~webhooksServer.controlplaneUserRegex",
            ].sort(),
        );
        for (const app of apps) {
            const prod = changes.find((c) => c.key === `Stage eodhp/${app}-prod`);
            const moved = prod?.kind === "changed" ? prod.fields.map((f) => `${sign[f.kind]}${f.path.replace(/^.*\.stages/, "")}`) : [];
            assert.deepEqual([...new Set(moved)].sort(), [`+[${app}-preprod]`, `-[${app}-staging]`], `${app}-prod now promotes from ${app}-preprod`);
        }
    });
});

import { strict as assert } from "node:assert";
import type { Json } from "./support/render";
import { catalogueOf, hubSettings, shippedCatalogue } from "./support/fixtures";
import { find, names, projectObjects } from "./support/projectObjects";

describe("eodhp project: Project and ProjectConfig", () => {
    const objects = projectObjects();

    it("creates the Project eodhp (no spec) and labels its namespace for Kargo to adopt, keeping it if the Project goes", () => {
        assert.deepEqual(Object.keys(find(objects, "Project", "eodhp")).sort(), ["apiVersion", "kind", "metadata"]);
        const namespace = find(objects, "Namespace", "eodhp").metadata;
        assert.equal(namespace.labels["kargo.akuity.io/project"], "true");
        // Without it, deleting the Project deletes the namespace and with it every Freight and Promotion.
        assert.equal(namespace.annotations["kargo.akuity.io/keep-namespace"], "true");
    });

    it("auto-promotes only *-test stages and receives GitHub webhooks with the ExternalSecret's secret", () => {
        const spec = find(objects, "ProjectConfig", "eodhp").spec;
        assert.deepEqual(spec.promotionPolicies, [{ stageSelector: { matchLabels: { "eodatahub.org.uk/environment": "test" } }, autoPromotionEnabled: true }]);
        assert.deepEqual(spec.webhookReceivers, [{ name: "github", github: { secretRef: { name: "github-webhook-secret" } } }]);
        const webhook = find(objects, "ExternalSecret", "github-webhook-secret");
        assert.equal(webhook.apiVersion, "external-secrets.io/v1");
        assert.deepEqual(webhook.spec.data, [{ secretKey: "secret", remoteRef: { key: "eodhp/kargo/github-webhook", property: "secret" } }]);
        assert.deepEqual(webhook.spec.secretStoreRef, { kind: "ClusterSecretStore", name: "aws-secrets-manager" });
    });

    it("puts every object in namespace eodhp with an explicit name, but prod's git credential", () => {
        for (const object of objects.filter((o) => !["Namespace", "Project"].includes(o.kind) && o.metadata.name !== "git-credentials")) {
            assert.equal(object.metadata.namespace, "eodhp", `${object.kind} ${object.metadata.name}`);
        }
        assert.equal(find(objects, "ExternalSecret", "git-credentials").metadata.namespace, "kargo-shared-resources");
    });
});

describe("eodhp project: Warehouses", () => {
    const objects = projectObjects();

    it("creates each warehouse only when the seed says it exists", () => {
        assert.deepEqual(names(objects, "Warehouse"), [
            "accounting-service-config",
            "accounting-service-dev-images",
            "accounting-service-images",
            "argo-events-config",
            "argo-events-releases",
            "auth-agent-config",
            "auth-agent-dev-images",
            "auth-agent-images",
            "jupyter-config",
            "jupyter-dev-images",
            "jupyter-images",
            "nginx-config",
            "nginx-images",
            "stac-fastapi-2-config",
            "stac-fastapi-2-images",
        ]);
    });

    it("<app>-config watches main under the app path and the env vars, every 24h", () => {
        const spec = find(objects, "Warehouse", "jupyter-config").spec;
        assert.equal(spec.interval, "24h");
        assert.deepEqual(spec.subscriptions, [
            {
                git: {
                    repoURL: "https://github.com/EO-DataHub/eodhp-argocd-deployment.git",
                    commitSelectionStrategy: "NewestFromBranch",
                    branch: "main",
                    includePaths: ["glob:apps/jupyter/**", "glob:eodhp/envs/*/vars.yaml"],
                },
            },
        ]);
    });

    it("<app>-images subscribes to images and charts, creating Freight automatically only for release tags", () => {
        const spec = find(objects, "Warehouse", "jupyter-images").spec;
        assert.equal(spec.freightCreationPolicy, "Automatic");
        assert.equal(
            spec.freightCreationCriteria.expression,
            "imageFrom('public.ecr.aws/eodh/eodh-jupyter-hub').Tag matches '^v?[0-9]+\\\\.[0-9]+\\\\.[0-9]+' && " +
                "imageFrom('public.ecr.aws/eodh/eodh-default-notebook').Tag matches '^v?[0-9]+\\\\.[0-9]+\\\\.[0-9]+'",
        );
        assert.deepEqual(spec.subscriptions, [
            { image: { repoURL: "public.ecr.aws/eodh/eodh-jupyter-hub", imageSelectionStrategy: "SemVer", constraint: "^4.2.0-0.2.0", discoveryLimit: 5 } },
            { image: { repoURL: "public.ecr.aws/eodh/eodh-default-notebook", imageSelectionStrategy: "SemVer", discoveryLimit: 5 } },
            { chart: { repoURL: "https://hub.jupyter.org/helm-chart", name: "jupyterhub", semverConstraint: "^4.1.0", discoveryLimit: 5 } },
        ]);
    });

    it("a chart-only images warehouse has no image criteria", () => {
        assert.equal(find(objects, "Warehouse", "nginx-images").spec.freightCreationCriteria, undefined);
    });

    it("<app>-dev-images is Manual, NewestBuild with discoveryLimit 20 for dev-tag images, normal otherwise", () => {
        const catalogue = catalogueOf([
            {
                name: "mixed",
                path: "apps/mixed",
                images: [
                    { repoURL: "r/dev", enableDevTags: true, constraint: ">=1.0.0", allowTags: "^v", ignoreTags: ["latest"] },
                    { repoURL: "r/stable", constraint: ">=2.0.0" },
                ],
                charts: [{ name: "c", repoURL: "https://charts.example.com", constraint: "^1.0.0", generatorFile: "base/c.yaml" }],
            },
        ]);
        const spec = find(projectObjects(catalogue), "Warehouse", "mixed-dev-images").spec;
        assert.equal(spec.freightCreationPolicy, "Manual");
        assert.deepEqual(spec.subscriptions, [
            { image: { repoURL: "r/dev", imageSelectionStrategy: "NewestBuild", ignoreTagsRegexes: ["^latest$"], discoveryLimit: 20 } },
            { image: { repoURL: "r/stable", imageSelectionStrategy: "SemVer", constraint: ">=2.0.0", discoveryLimit: 5 } },
            { chart: { repoURL: "https://charts.example.com", name: "c", semverConstraint: "^1.0.0", discoveryLimit: 5 } },
        ]);
    });

    it("<app>-releases follows SemVer tags of the release repository", () => {
        assert.deepEqual(find(objects, "Warehouse", "argo-events-releases").spec.subscriptions, [
            {
                git: {
                    repoURL: "https://github.com/argoproj/argo-events.git",
                    commitSelectionStrategy: "SemVer",
                    semverConstraint: "^1.9.0",
                    discoveryLimit: 5,
                },
            },
        ]);
    });

    it("runs every warehouse on the hub's shard by default, so no spoke creates Freight", () => {
        const shards = new Set(objects.filter((object) => object.kind === "Warehouse").map((object) => (object as Json).spec.shard));
        assert.deepEqual([...shards], ["prod-shard"]);
    });

    it("with warehouseShard: firstStage, runs each warehouse on the shard of the first stage it feeds (dev images on the test shard)", () => {
        const firstStage = projectObjects(shippedCatalogue(), hubSettings({ warehouseShard: "firstStage" }));
        assert.equal(find(firstStage, "Warehouse", "jupyter-images").spec.shard, "test-shard");
        assert.equal(find(firstStage, "Warehouse", "jupyter-dev-images").spec.shard, "test-shard");
        const prodFirst = projectObjects(catalogueOf([{ name: "p", path: "apps/p", stages: ["prod"] }]), hubSettings({ warehouseShard: "firstStage" }));
        assert.equal(find(prodFirst, "Warehouse", "p-config").spec.shard, "prod-shard");
    });

    it("translates image options to Kargo v1.11 fields and never emits legacy ones", () => {
        const catalogue = catalogueOf([
            {
                name: "opts",
                path: "apps/opts",
                images: [
                    {
                        repoURL: "r/i",
                        semverConstraint: ">=1.0.0",
                        imageSelectionStrategy: "Semver",
                        allowTags: "^v\\d+$",
                        ignoreTags: ["dev"],
                        strictSemvers: false,
                        discoveryLimit: 10,
                    },
                ],
            },
        ]);
        assert.deepEqual(find(projectObjects(catalogue), "Warehouse", "opts-images").spec.subscriptions, [
            {
                image: {
                    repoURL: "r/i",
                    imageSelectionStrategy: "SemVer",
                    constraint: ">=1.0.0",
                    strictSemvers: false,
                    allowTagsRegexes: ["^v\\d+$"],
                    ignoreTagsRegexes: ["^dev$"],
                    discoveryLimit: 10,
                },
            },
        ]);
    });
});

describe("eodhp project: Stages", () => {
    const objects = projectObjects();

    function freight(stage: Json) {
        return stage.spec.requestedFreight.map((request: Json) => [request.origin.name, request.sources]);
    }

    function vars(stage: Json): Record<string, string> {
        return Object.fromEntries(stage.spec.promotionTemplate.spec.vars.filter((v: Json) => v.name !== "repoURL").map((v: Json) => [v.name, v.value]));
    }

    it("chains test → staging → prod by default, first direct then from the previous stage", () => {
        assert.deepEqual(freight(find(objects, "Stage", "nginx-test")), [
            ["nginx-config", { direct: true }],
            ["nginx-images", { direct: true }],
        ]);
        assert.deepEqual(freight(find(objects, "Stage", "nginx-staging")), [
            ["nginx-config", { stages: ["nginx-test"] }],
            ["nginx-images", { stages: ["nginx-test"] }],
        ]);
        assert.deepEqual(freight(find(objects, "Stage", "nginx-prod")), [
            ["nginx-config", { stages: ["nginx-staging"] }],
            ["nginx-images", { stages: ["nginx-staging"] }],
        ]);
    });

    it("follows a custom stage order and creates only those stages", () => {
        const custom = projectObjects(catalogueOf([{ name: "a", path: "apps/a", stages: ["test", "prod"] }]));
        assert.deepEqual(names(custom, "Stage"), ["a-prod", "a-test"]);
        assert.deepEqual(freight(find(custom, "Stage", "a-prod")), [["a-config", { stages: ["a-test"] }]]);
        const prodOnly = find(projectObjects(catalogueOf([{ name: "p", path: "apps/p", stages: ["prod"] }])), "Stage", "p-prod");
        assert.deepEqual(freight(prodOnly), [["p-config", { direct: true }]]);
    });

    it("feeds <app>-dev directly from config and dev-images, on the test shard, with dev vars", () => {
        const dev = find(objects, "Stage", "jupyter-dev");
        assert.equal(dev.spec.shard, "test-shard");
        assert.deepEqual(freight(dev), [
            ["jupyter-config", { direct: true }],
            ["jupyter-dev-images", { direct: true }],
        ]);
        assert.deepEqual(vars(dev), { appName: "jupyter", appPath: "apps/jupyter", targetEnv: "test", isDevStage: "true", configWarehouse: "jupyter-config" });
        assert.equal(names(objects, "Stage").filter((name) => name.endsWith("-dev")).length, 3);
    });

    it("gives each stage the shard of its cluster and runs the shared tasks around its own steps", () => {
        for (const [stage, shard] of [
            ["auth-agent-test", "test-shard"],
            ["auth-agent-staging", "staging-shard"],
            ["auth-agent-prod", "prod-shard"],
        ]) {
            const spec = find(objects, "Stage", stage).spec;
            assert.equal(spec.shard, shard);
            assert.deepEqual(
                spec.promotionTemplate.spec.steps.map((s: Json) => s.task?.name ?? s.uses),
                ["promote-checkout", "promote"],
            );
        }
        assert.deepEqual(vars(find(objects, "Stage", "auth-agent-staging")), {
            appName: "auth-agent",
            appPath: "apps/auth-agent",
            targetEnv: "staging",
            isDevStage: "false",
            configWarehouse: "auth-agent-config",
        });
    });
});

import { strict as assert } from "node:assert";
import type { KubernetesObject, Stage } from "../core/kubernetes";
import { planHub, projectObjectsOf } from "../core/plan/stackPlan";
import { inflateSteps, tasksByName } from "../core/project/promotionInflation";
import type { Json } from "./support/render";
import { catalogueOf, hubSettings, shippedCatalogue } from "./support/fixtures";

function projectObjects(catalogue = shippedCatalogue(), settings = hubSettings()): KubernetesObject[] {
    return projectObjectsOf(planHub(settings, catalogue).project);
}

function find(objects: KubernetesObject[], kind: string, name: string): Json {
    const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
    assert.ok(found, `${kind} ${name} is missing`);
    return found as Json;
}

function names(objects: KubernetesObject[], kind: string): string[] {
    return objects
        .filter((object) => object.kind === kind)
        .map((object) => object.metadata.name)
        .sort();
}

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

    it("puts every object in namespace eodhp with an explicit name", () => {
        for (const object of objects.filter((o) => !["Namespace", "Project"].includes(o.kind))) {
            assert.equal(object.metadata.namespace, "eodhp", `${object.kind} ${object.metadata.name}`);
        }
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

describe("eodhp project: Promotions, as Kargo inflates them", () => {
    const objects = projectObjects();
    const tasks = tasksByName(objects);
    const templateVars = (stage: string): Record<string, string> =>
        Object.fromEntries(find(objects, "Stage", stage).spec.promotionTemplate.spec.vars.map((v: Json) => [v.name, v.value]));
    const promotionOf = (stage: string, from = objects): Json[] => inflateSteps(find(from, "Stage", stage) as Stage, tasksByName(from)) as Json[];
    const step = (stage: string, alias: string) => {
        const found = promotionOf(stage).find((candidate) => candidate.as === alias);
        assert.ok(found, `step ${alias} is missing from ${stage}`);
        return found;
    };

    it("runs the seed's ten steps in order, only the app's own steps between set-image and build", () => {
        assert.deepEqual(
            promotionOf("stac-fastapi-2-staging").map((s) => [s.as, s.uses]),
            [
                ["checkout::clone", "git-clone"],
                ["checkout::clear", "git-clear"],
                ["checkout::update-images", "kustomize-set-image"],
                ["charts-0", "yaml-update"],
                ["promote::build", "kustomize-build"],
                ["promote::copy-gomplate-config", "copy"],
                ["promote::copy-env-vars", "copy"],
                ["promote::commit", "git-commit"],
                ["promote::push", "git-push"],
                ["promote::sync", "argocd-update"],
            ],
        );
        assert.deepEqual(
            promotionOf("jupyter-prod")
                .map((s) => s.as)
                .slice(3, -6),
            ["charts-0", "images-0"],
        );
        assert.deepEqual(
            promotionOf("argo-events-test")
                .map((s) => s.as)
                .slice(3, -6),
            ["releases-0"],
        );
        assert.deepEqual(
            promotionOf("auth-agent-test")
                .map((s) => s.as)
                .slice(3, -6),
            [],
        );
    });

    it("keeps the shared tasks free of any application", () => {
        assert.deepEqual([...tasks.keys()].sort(), ["promote", "promote-checkout"]);
        for (const task of tasks.values()) {
            assert.doesNotMatch(JSON.stringify(task), /jupyter|nginx|stac-fastapi|argo-events|auth-agent|apps\//);
            assert.deepEqual(
                (task as Json).spec.vars.filter((v: Json) => v.value !== undefined),
                [],
                "every var comes from the Stage, once per Promotion",
            );
        }
    });

    it("dev stages skip chart versions and release URLs, keep custom paths, and skip the Argo CD sync", () => {
        assert.deepEqual(
            promotionOf("jupyter-dev")
                .map((s) => s.as)
                .slice(3, -6),
            ["images-0"],
        );
        assert.deepEqual(step("jupyter-dev", "images-0").config, step("jupyter-test", "images-0").config);
        assert.equal(step("jupyter-dev", "promote::sync").if, "${{ success() && vars.isDevStage != 'true' }}");
        assert.equal(templateVars("jupyter-dev").isDevStage, "true");
    });

    it("clones the config warehouse's commit into ./src and the target branch into ./out", () => {
        assert.deepEqual(step("nginx-test", "checkout::clone").config.checkout, [
            { commit: "${{ commitFrom(vars.repoURL, warehouse(vars.configWarehouse)).ID }}", path: "./src" },
            { branch: "kargo/${{ vars.appName }}/${{ vars.targetEnv }}", create: true, path: "./out" },
        ]);
        assert.equal(templateVars("nginx-test").repoURL, "https://github.com/EO-DataHub/eodhp-argocd-deployment.git");
    });

    it("updates chart versions per generator file with {{env}} resolved to the Stage's environment", () => {
        assert.deepEqual(step("stac-fastapi-2-staging", "charts-0"), {
            uses: "yaml-update",
            as: "charts-0",
            config: {
                path: "./src/apps/stac-fastapi-2/envs/staging/elasticsearch-chart.yaml",
                updates: [{ key: "version", value: "${{ quote(chartFrom('https://helm.elastic.co', 'elasticsearch').Version) }}" }],
            },
        });
    });

    it("writes one step per generator file when a chart has several", () => {
        const catalogue = catalogueOf([
            { name: "w", path: "apps/w", charts: [{ name: "c", repoURL: "oci://r/c", generatorFiles: ["base/a.yaml", "envs/{{env}}/b.yaml"] }] },
        ]);
        const multi = promotionOf("w-prod", projectObjects(catalogue)).filter((s) => s.as.startsWith("charts-"));
        assert.deepEqual(
            multi.map((s) => s.config.path),
            ["./src/apps/w/base/a.yaml", "./src/apps/w/envs/prod/b.yaml"],
        );
        assert.equal(multi[0].config.updates[0].value, "${{ quote(chartFrom('oci://r/c').Version) }}");
    });

    it("writes custom image paths as tag or full reference, also for dev stages", () => {
        const catalogue = catalogueOf([
            {
                name: "k",
                path: "apps/keycloak",
                images: [{ repoURL: "public.ecr.aws/eodh/eodh-keycloak", customPath: { file: "base/keycloak.yaml", key: "spec.image" } }],
            },
        ]);
        const keycloak = promotionOf("k-test", projectObjects(catalogue)).find((s) => s.as === "images-0") as Json;
        assert.equal(keycloak.if, undefined, "no if: Kargo's implicit success guard applies");
        assert.deepEqual(keycloak.config.updates, [
            { key: "spec.image", value: "public.ecr.aws/eodh/eodh-keycloak:${{ imageFrom('public.ecr.aws/eodh/eodh-keycloak').Tag }}" },
        ]);
        // quote(): a tag like 1.10 or an all-digit commit hash must be written as a string, not a number.
        assert.deepEqual(step("jupyter-test", "images-0").config.updates[0], {
            key: "hub.image.tag",
            value: "${{ quote(imageFrom('public.ecr.aws/eodh/eodh-jupyter-hub').Tag) }}",
        });
    });

    it("builds release URLs as prefix + tag + suffix", () => {
        assert.deepEqual(step("argo-events-prod", "releases-0").config.updates, [
            {
                key: "resources.1",
                value: "https://raw.githubusercontent.com/argoproj/argo-events/${{ commitFrom('https://github.com/argoproj/argo-events.git', warehouse('argo-events-releases')).Tag }}/manifests/install.yaml",
            },
        ]);
    });

    it("builds to ./out/<appPath>/envs/<env>/manifests.yaml and copies the gomplate config and env vars", () => {
        assert.deepEqual(step("nginx-test", "promote::build").config, {
            path: "./src/${{ vars.appPath }}/envs/${{ vars.targetEnv }}",
            outPath: "./out/${{ vars.appPath }}/envs/${{ vars.targetEnv }}/manifests.yaml",
        });
        assert.deepEqual(step("nginx-test", "promote::copy-gomplate-config").config, { inPath: "./src/.gomplate.yaml", outPath: "./out/.gomplate.yaml" });
        assert.deepEqual(step("nginx-test", "promote::copy-env-vars").config, {
            inPath: "./src/eodhp/envs/${{ vars.targetEnv }}/vars.yaml",
            outPath: "./out/eodhp/envs/${{ vars.targetEnv }}/vars.yaml",
        });
    });

    it("commits with set-image's message (read across tasks) or the seed's fallback, pushes to kargo/<app>/<env>, syncs Argo CD to the pushed commit", () => {
        assert.equal(
            step("nginx-test", "promote::commit").config.message,
            "${{ outputs['checkout::update-images']?.commitMessage ?? 'Updated configuration' }}",
        );
        assert.ok(
            promotionOf("nginx-test").some((s) => s.as === "checkout::update-images"),
            "the alias the commit message is read from exists",
        );
        assert.deepEqual(step("nginx-test", "promote::push").config, { path: "./out", targetBranch: "kargo/${{ vars.appName }}/${{ vars.targetEnv }}" });
        assert.equal(step("nginx-test", "promote::sync").if, "${{ success() && vars.isDevStage != 'true' }}");
        assert.equal(step("nginx-test", "promote::sync").config.apps[0].sources[0].desiredRevision, "${{ task.outputs.push.commit }}");
    });
});

describe("eodhp project: credentials and RBAC", () => {
    const objects = projectObjects();

    it("lets the remote shard controllers read the project's Secrets through the chart's role", () => {
        const binding = find(objects, "RoleBinding", "kargo-remote-controllers-read-secrets");
        assert.deepEqual(binding.roleRef, { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "kargo-controller-read-secrets" });
        assert.deepEqual(binding.subjects, [
            { kind: "ServiceAccount", namespace: "kargo", name: "kargo-controller-test" },
            { kind: "ServiceAccount", namespace: "kargo", name: "kargo-controller-staging" },
        ]);
    });

    it("fills the git credentials Secret for the HTTPS deployment repo from Secrets Manager", () => {
        const git = find(objects, "ExternalSecret", "git-credentials").spec;
        assert.deepEqual(git.target.template.metadata.labels, { "kargo.akuity.io/cred-type": "git" });
        assert.deepEqual(git.target.template.data, {
            repoURL: "https://github.com/EO-DataHub/eodhp-argocd-deployment.git",
            username: "{{ .username }}",
            password: "{{ .password }}",
        });
        assert.deepEqual(
            git.data.map((d: Json) => d.remoteRef),
            [
                { key: "eodhp/kargo/git-credentials", property: "username" },
                { key: "eodhp/kargo/git-credentials", property: "password" },
            ],
        );
    });

    it("lets group ci-promoters create promotions into the allowed stages and nothing more (never approve Freight)", () => {
        const role = find(objects, "Role", "ci-promoter");
        const allStages = names(objects, "Stage");
        assert.deepEqual(role.rules, [
            { apiGroups: ["kargo.akuity.io"], resources: ["freights", "stages", "warehouses"], verbs: ["get", "list", "watch"] },
            { apiGroups: ["kargo.akuity.io"], resources: ["promotions"], verbs: ["get", "list", "watch", "create"] },
            // Every Stage is allowed by default: no resourceNames, so the Role does not grow with the catalogue.
            { apiGroups: ["kargo.akuity.io"], resources: ["stages"], verbs: ["promote"] },
        ]);
        assert.deepEqual(find(objects, "RoleBinding", "ci-promoter").subjects, [
            { kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "ci-promoters" },
        ]);
        // Limited to test: the CI Role names no Stage, and each app's test-stage Role is bound to the group.
        const testOnly = projectObjects(shippedCatalogue(), hubSettings({ ciPromoterEnvironments: '["test"]' }));
        assert.equal(find(testOnly, "Role", "ci-promoter").rules.length, 2);
        const ciBound = testOnly.filter(
            (o) => o.kind === "RoleBinding" && (o as Json).subjects.some((subject: Json) => subject.kind === "Group" && subject.name === "ci-promoters"),
        ) as Json[];
        assert.deepEqual(
            ciBound
                .filter((binding) => binding.roleRef.name !== "ci-promoter")
                .flatMap((binding) => find(testOnly, "Role", binding.roleRef.name).rules[0].resourceNames)
                .sort(),
            allStages.filter((stage) => stage.endsWith("-test")),
        );
    });
});

describe("eodhp project: Slack notifications and the developer role (optional)", () => {
    const slackSteps = (settings = hubSettings()) =>
        find(projectObjects(shippedCatalogue(), settings), "PromotionTask", "promote").spec.steps.filter((s: Json) => s.uses === "http");

    it("are off unless configured", () => {
        const objects = projectObjects();
        assert.deepEqual(slackSteps(), []);
        assert.equal(
            objects.find((o) => o.metadata.name === "slack-webhook"),
            undefined,
        );
        assert.equal(
            objects.find((o) => o.metadata.name === "kargo-developer"),
            undefined,
        );
    });

    it("post success and failure to the webhook read with secret(), skipping dev stages by default", () => {
        const steps = slackSteps(hubSettings({ slackWebhookSecretName: "eodhp/kargo/slack-webhook" }));
        assert.deepEqual(
            steps.map((s: Json) => [s.as, s.if, s.continueOnError]),
            [
                ["notify-success", "${{ success() && vars.isDevStage != 'true' }}", true],
                ["notify-failure", "${{ failure() && vars.isDevStage != 'true' }}", true],
            ],
        );
        assert.equal(steps[0].config.url, "${{ secret('slack-webhook').url }}");
        assert.match(steps[0].config.body, /^\$\{\{ quote\(\{'text': .* vars\.appName .* ctx\.targetFreight\.name .* ctx\.stage .* succeeded'\}\) \}\}$/);
        assert.match(steps[1].config.body, / failed'\}\) \}\}$/);
        const secret = find(
            projectObjects(shippedCatalogue(), hubSettings({ slackWebhookSecretName: "eodhp/kargo/slack-webhook" })),
            "ExternalSecret",
            "slack-webhook",
        );
        assert.deepEqual(secret.spec.data, [{ secretKey: "url", remoteRef: { key: "eodhp/kargo/slack-webhook", property: "url" } }]);
    });

    it("notify for dev stages too when asked", () => {
        const steps = slackSteps(hubSettings({ slackWebhookSecretName: "s", slackNotifyDevStages: "true" }));
        assert.deepEqual(
            steps.map((s: Json) => s.if),
            ["${{ success() }}", "${{ failure() }}"],
        );
    });
});

describe("eodhp project: names two applications would share", () => {
    it("are rejected naming both applications", () => {
        const catalogue = catalogueOf([
            { name: "a", path: "apps/a", images: [{ repoURL: "r/a", enableDevTags: true }] },
            { name: "a-dev", path: "apps/a-dev", images: [{ repoURL: "r/b" }] },
        ]);
        assert.throws(
            () => planHub(hubSettings(), catalogue),
            /^InputError: catalogue\.yaml: application "a-dev": name: its Warehouse a-dev-images is also made for application "a"; rename one of the two$/,
        );
    });
});

describe("eodhp project: no Warehouse that can never create Freight", () => {
    it("leaves images with allowTags out of the release-tag criteria (their allow-list says which tags count)", () => {
        const catalogue = catalogueOf([
            {
                name: "b",
                path: "apps/b",
                images: [
                    { repoURL: "r/build", imageSelectionStrategy: "Lexical", allowTags: "^build-[0-9]{8}$" },
                    { repoURL: "r/release", constraint: ">=1.0.0" },
                ],
            },
        ]);
        assert.equal(
            find(projectObjects(catalogue), "Warehouse", "b-images").spec.freightCreationCriteria.expression,
            "imageFrom('r/release').Tag matches '^v?[0-9]+\\\\.[0-9]+\\\\.[0-9]+'",
        );
        const onlyBuilds = catalogueOf([
            { name: "c", path: "apps/c", images: [{ repoURL: "r/build", imageSelectionStrategy: "Lexical", allowTags: "^build-[0-9]{8}$" }] },
        ]);
        assert.equal(find(projectObjects(onlyBuilds), "Warehouse", "c-images").spec.freightCreationCriteria, undefined);
    });

    it("resolves {{env}} in custom image paths and release files to each Stage's environment", () => {
        const catalogue = catalogueOf([
            {
                name: "e",
                path: "apps/e",
                images: [{ repoURL: "r/e", customPath: { file: "envs/{{env}}/values.yaml", key: "image.tag", valueType: "tag" } }],
                releases: [
                    { name: "r", repoURL: "https://github.com/o/r.git", updates: [{ file: "envs/{{env}}/k.yaml", key: "resources.0", urlPrefix: "p/" }] },
                ],
            },
        ]);
        const steps = find(projectObjects(catalogue), "Stage", "e-staging").spec.promotionTemplate.spec.steps as Json[];
        const paths = steps.filter((step) => step.uses === "yaml-update").map((step) => step.config.path);
        assert.deepEqual(paths, ["./src/apps/e/envs/staging/values.yaml", "./src/apps/e/envs/staging/k.yaml"]);
    });
});

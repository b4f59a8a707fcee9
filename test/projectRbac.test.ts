import { strict as assert } from "node:assert";
import { planHub } from "../core/plan/stackPlan";
import type { Json } from "./support/render";
import { catalogueOf, hubSettings, shippedCatalogue } from "./support/fixtures";
import { find, names, projectObjects } from "./support/projectObjects";

describe("eodhp project: credentials and RBAC", () => {
    const objects = projectObjects();

    it("lets the remote shard controllers only list the project's Secrets (the credential lookup's first List), never get one", () => {
        const binding = find(objects, "RoleBinding", "kargo-remote-controller-credential-lookup");
        assert.deepEqual(binding.roleRef, { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "kargo-remote-controller-credential-lookup" });
        assert.deepEqual(binding.subjects, [
            { kind: "ServiceAccount", namespace: "kargo", name: "kargo-controller-test" },
            { kind: "ServiceAccount", namespace: "kargo", name: "kargo-controller-staging" },
        ]);
        assert.deepEqual(find(objects, "Role", "kargo-remote-controller-credential-lookup").rules, [
            { apiGroups: [""], resources: ["secrets"], verbs: ["list"] },
        ]);
    });

    it("fills prod's git credentials Secret for the HTTPS deployment repo from Secrets Manager, in the hub's shared namespace", () => {
        const credentials = find(objects, "ExternalSecret", "git-credentials");
        assert.equal(credentials.metadata.namespace, "kargo-shared-resources");
        const git = credentials.spec;
        assert.deepEqual(git.target.template.metadata.labels, { "kargo.akuity.io/cred-type": "git" });
        assert.deepEqual(git.target.template.data, {
            repoURL: "https://github.com/EO-DataHub/eodhp-argocd-deployment.git",
            username: "{{ .username }}",
            password: "{{ .password }}",
        });
        assert.deepEqual(
            git.data.map((d: Json) => d.remoteRef),
            [
                { key: "eodhp/kargo/git-credentials-prod", property: "username" },
                { key: "eodhp/kargo/git-credentials-prod", property: "password" },
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

    it("post success and failure to the webhook read with sharedSecret(), skipping dev stages by default", () => {
        const steps = slackSteps(hubSettings({ slackWebhookSecretName: "eodhp/kargo/slack-webhook" }));
        assert.deepEqual(
            steps.map((s: Json) => [s.as, s.if, s.continueOnError]),
            [
                ["notify-success", "${{ success() && vars.isDevStage != 'true' }}", true],
                ["notify-failure", "${{ failure() && vars.isDevStage != 'true' }}", true],
            ],
        );
        // Each controller's own copy, in its SHARED_RESOURCES_NAMESPACE on the hub; none in eodhp.
        assert.equal(steps[0].config.url, "${{ sharedSecret('slack-webhook').url }}");
        assert.match(steps[0].config.body, /^\$\{\{ quote\(\{'text': .* vars\.appName .* ctx\.targetFreight\.name .* ctx\.stage .* succeeded'\}\) \}\}$/);
        assert.match(steps[1].config.body, / failed'\}\) \}\}$/);
        const copies = projectObjects(shippedCatalogue(), hubSettings({ slackWebhookSecretName: "eodhp/kargo/slack-webhook" })).filter(
            (o) => o.kind === "ExternalSecret" && o.metadata.name.startsWith("slack-webhook"),
        ) as Json[];
        assert.deepEqual(
            copies.map((copy) => [copy.metadata.namespace, copy.spec.target.name, copy.spec.target.template.metadata.labels["kargo.akuity.io/cred-type"]]),
            [
                ["kargo-shared-resources", "slack-webhook", "generic"],
                ["kargo-shared-resources-test", "slack-webhook", "generic"],
                ["kargo-shared-resources-staging", "slack-webhook", "generic"],
            ],
        );
        for (const copy of copies) assert.deepEqual(copy.spec.data, [{ secretKey: "url", remoteRef: { key: "eodhp/kargo/slack-webhook", property: "url" } }]);
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

import { strict as assert } from "node:assert";
import type { Stage } from "../core/kubernetes";
import { inflateSteps, tasksByName } from "../core/project/promotionInflation";
import type { Json } from "./support/render";
import { catalogueOf } from "./support/fixtures";
import { find, projectObjects } from "./support/projectObjects";

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
    /** The aliases of the app's own steps: those between the checkout task's image update and the promote task's build. */
    const ownSteps = (stage: string): string[] => {
        const aliases = promotionOf(stage).map((s) => s.as as string);
        const [first, last] = [aliases.indexOf("checkout::update-images"), aliases.indexOf("promote::build")];
        assert.ok(first !== -1 && last > first, `${stage}: ${aliases.join(", ")}`);
        return aliases.slice(first + 1, last);
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
        assert.deepEqual(ownSteps("jupyter-prod"), ["charts-0", "images-0"]);
        assert.deepEqual(ownSteps("argo-events-test"), ["releases-0"]);
        assert.deepEqual(ownSteps("auth-agent-test"), []);
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
        assert.deepEqual(ownSteps("jupyter-dev"), ["images-0"]);
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

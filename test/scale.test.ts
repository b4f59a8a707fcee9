import { strict as assert } from "node:assert";
import { stringify } from "yaml";
import { syntheticCatalogue } from "../bench/syntheticCatalogue";
import { parseCatalogue } from "../core/input/catalogue";
import { tasksByName } from "../core/project/promotionInflation";
import { isKind } from "../core/kubernetes";
import { checkObjectSizes, objectBytes, promotionBytes } from "../core/plan/objectSizes";
import { planHub, projectObjectsOf } from "../core/plan/stackPlan";
import { ENVIRONMENTS, hubSettings } from "./support/fixtures";

describe("safety: scale", () => {
    it("a Promotion's size and the largest object do not depend on how many other apps the catalogue holds", () => {
        const measure = (apps: number) => {
            const catalogue = parseCatalogue(syntheticCatalogue(apps), "synthetic.yaml", ENVIRONMENTS);
            const objects = projectObjectsOf(planHub(hubSettings(), catalogue).project);
            const tasks = tasksByName(objects);
            const stage = objects.filter(isKind("Stage")).find((object) => object.metadata.name === "app-00000-staging");
            assert.ok(stage);
            return { promotion: promotionBytes(stage, tasks), largest: Math.max(...objects.map(objectBytes)) };
        };
        const [small, large] = [measure(7), measure(60)];
        assert.deepEqual(large, small);
        assert.ok(small.promotion < 8 * 1024, `${small.promotion} bytes`);
    });

    it("checks each Stage's Promotion as Kargo inflates it (task steps copied, a status entry per step)", () => {
        const task = {
            apiVersion: "kargo.akuity.io/v1alpha1",
            kind: "PromotionTask",
            metadata: { name: "big", namespace: "eodhp" },
            spec: { steps: Array.from({ length: 100 }, (_, i) => ({ uses: "copy", as: `c${i}` })) },
        };
        const stage = {
            apiVersion: "kargo.akuity.io/v1alpha1",
            kind: "Stage",
            metadata: { name: "a-test", namespace: "eodhp" },
            spec: { promotionTemplate: { spec: { steps: [{ task: { name: "big" }, as: "t" }] } } },
        };
        assert.deepEqual(checkObjectSizes([task, stage], 30_000), []);
        assert.deepEqual(checkObjectSizes([task, stage], 20_000), [
            "Stage/eodhp/a-test: a Promotion of it is 23 KiB; Kubernetes objects must stay under 19.53125 KiB",
        ]);
    });

    it("an object over the limit stops the plan with its name and size", () => {
        const generatorFiles = Array.from({ length: 1200 }, (_, index) => `base/chart-${index}.yaml`);
        const huge = { applications: [{ name: "huge", path: "apps/huge", charts: [{ name: "c", repoURL: "https://charts.example.com", generatorFiles }] }] };
        const catalogue = parseCatalogue(stringify(huge), "huge.yaml", ENVIRONMENTS);
        assert.throws(
            () => planHub(hubSettings(), catalogue),
            /Stage\/eodhp\/huge-test: a Promotion of it is \d+ KiB; Kubernetes objects must stay under 256 KiB/,
        );
        assert.deepEqual(checkObjectSizes([{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" } }], 10), [
            "ConfigMap//x: is 1 KiB; Kubernetes objects must stay under 0.009765625 KiB",
        ]);
    });
});

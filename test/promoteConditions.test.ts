import { strict as assert } from "node:assert";
import { planHub, projectObjectsOf } from "../core/plan/stackPlan";
import { hubSettings, shippedCatalogue } from "./support/fixtures";
import type { Json } from "./support/render";

describe("eodhp project: step conditions keep Kargo's implicit success guard", () => {
    it("every custom if: starts with success() except the Slack failure notice", () => {
        const settings = hubSettings();
        const objects = projectObjectsOf(
            planHub({ ...settings, slackWebhookSecretName: "s", slackNotifyDevStages: false }, shippedCatalogue()).project,
        ) as Json[];
        // The shared tasks' steps and every Stage's own steps: everything a Promotion runs.
        const steps = objects.flatMap((object: Json) =>
            object.kind === "PromotionTask" ? object.spec.steps : object.kind === "Stage" ? object.spec.promotionTemplate.spec.steps : [],
        );
        const conditions = steps.filter((s: Json) => s.if !== undefined).map((s: Json) => [s.as, s.if] as [string, string]);
        assert.deepEqual(
            conditions.map(([alias]) => alias),
            ["sync", "notify-success", "notify-failure"],
        );
        for (const [alias, condition] of conditions) {
            if (alias === "notify-failure") assert.match(condition, /^\$\{\{ failure\(\)/);
            else assert.match(condition, /^\$\{\{ success\(\)( && |\s\}\}$)/, alias);
        }
    });
});

import { strict as assert } from "node:assert";
import { planHub, projectObjectsOf } from "../core/plan/stackPlan";
import { hubSettings, shippedCatalogue } from "./support/fixtures";

type Json = Record<string, any>;

describe("eodhp project: step conditions keep Kargo's implicit success guard", () => {
    it("every custom if: starts with success() except the Slack failure notice", () => {
        const settings = hubSettings();
        const task = projectObjectsOf(planHub({ ...settings, project: { ...settings.project, slack: { webhookSecret: "s", notifyDevStages: false } } }, shippedCatalogue()).project).find(
            (object) => object.kind === "PromotionTask",
        ) as Json;
        const conditions = task.spec.steps.filter((s: Json) => s.if !== undefined).map((s: Json) => [s.as, s.if] as [string, string]);
        assert.ok(conditions.length > 5);
        for (const [alias, condition] of conditions) {
            if (alias === "notify-failure") assert.match(condition, /^\$\{\{ failure\(\)/);
            else assert.match(condition, /^\$\{\{ success\(\)( && |\s\}\}$)/, alias);
        }
    });
});

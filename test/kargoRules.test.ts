import { strict as assert } from "node:assert";
import { checkKargoRules } from "../core/project/kargoRules";
import type { KubernetesObject } from "../core/kubernetes";
import { planHub, projectObjectsOf } from "../core/plan/stackPlan";
import type { Json } from "./support/render";
import { hubSettings, shippedCatalogue } from "./support/fixtures";

const SHARDS = new Set(["test-shard", "staging-shard", "prod-shard"]);

let shipped: KubernetesObject[] | undefined;

/** The shipped project with one object edited. */
function withEdit(kind: string, name: string, edit: (object: Json) => void): KubernetesObject[] {
    shipped ??= projectObjectsOf(planHub(hubSettings(), shippedCatalogue()).project);
    const objects = structuredClone(shipped) as Json[];
    const target = objects.find((object) => object.kind === kind && object.metadata.name === name);
    assert.ok(target);
    edit(target);
    return objects as KubernetesObject[];
}

/** The entry of a step or var list with alias (steps) or name (vars) `key`. */
function entry(list: Json[], field: "as" | "name", key: string): Json {
    const found = list.find((candidate) => candidate[field] === key);
    assert.ok(found, `no entry with ${field} ${key}`);
    return found;
}
const taskStep = (task: Json, alias: string): Json => entry(task.spec.steps, "as", alias);
const templateStep = (stage: Json, alias: string): Json => entry(stage.spec.promotionTemplate.spec.steps, "as", alias);
const templateVar = (stage: Json, name: string): Json => entry(stage.spec.promotionTemplate.spec.vars, "name", name);

describe("Kargo's own rules (beyond the CRD schemas)", () => {
    it("accept the shipped project", () => {
        assert.deepEqual(
            checkKargoRules(
                withEdit("Project", "eodhp", () => undefined),
                SHARDS,
            ),
            [],
        );
    });

    const cases: Array<[string, string, string, (object: Json) => void, RegExp]> = [
        [
            "a shard without a controller",
            "Stage",
            "nginx-test",
            (s) => (s.spec.shard = "qa-shard"),
            /Stage\/eodhp\/nginx-test: shard "qa-shard" has no controller deployed/,
        ],
        [
            "a warehouse on an unknown shard",
            "Warehouse",
            "nginx-images",
            (w) => (w.spec.shard = "qa-shard"),
            /Warehouse\/eodhp\/nginx-images: shard "qa-shard"/,
        ],
        [
            "${{ }} in freight criteria",
            "Warehouse",
            "auth-agent-images",
            (w) => (w.spec.freightCreationCriteria.expression = "${{ true }}"),
            /must not use \$\{\{ \}\}/,
        ],
        [
            "an if without ${{ }}",
            "PromotionTask",
            "promote",
            (t) => (taskStep(t, "commit").if = "success() && vars.appName == 'x'"),
            /commit: if must be a whole \$\{\{ \}\} expression/,
        ],
        [
            "an if that drops the success guard",
            "PromotionTask",
            "promote",
            (t) => (taskStep(t, "sync").if = "${{ vars.isDevStage != 'true' }}"),
            /promote: sync: if drops Kargo's implicit success guard; start it with success\(\) &&/,
        ],
        [
            "an if that drops the success guard, inline",
            "Stage",
            "jupyter-prod",
            (s) => (templateStep(s, "charts-0").if = "${{ true }}"),
            /Stage\/eodhp\/jupyter-prod: charts-0: if drops Kargo's implicit success guard/,
        ],
        ["a duplicate alias", "PromotionTask", "promote", (t) => (taskStep(t, "copy-gomplate-config").as = "build"), /alias build is used twice/],
        ["a duplicate alias in a template", "Stage", "jupyter-prod", (s) => (templateStep(s, "images-0").as = "charts-0"), /alias charts-0 is used twice/],
        ["a reserved alias", "PromotionTask", "promote", (t) => (taskStep(t, "copy-gomplate-config").as = "step-1"), /alias step-1 is reserved by Kargo/],
        [
            "a task step inside a task",
            "PromotionTask",
            "promote",
            (t) => t.spec.steps.splice(t.spec.steps.indexOf(taskStep(t, "copy-gomplate-config")), 1, { task: { name: "x" } }),
            /a PromotionTask cannot call another task/,
        ],
        ["a bad var name", "PromotionTask", "promote", (t) => t.spec.vars.push({ name: "app-name" }), /var name "app-name" must match/],
        [
            "an origin requested twice",
            "Stage",
            "nginx-test",
            (s) => s.spec.requestedFreight.push(s.spec.requestedFreight[0]),
            /origin nginx-config is requested twice/,
        ],
        [
            "a missing warehouse",
            "Stage",
            "nginx-test",
            (s) => (s.spec.requestedFreight[0].origin.name = "nope"),
            /requests Freight from Warehouse nope, which does not exist/,
        ],
        [
            "a missing upstream stage",
            "Stage",
            "nginx-prod",
            (s) => (s.spec.requestedFreight[0].sources.stages = ["nginx-qa"]),
            /promotes from stage nginx-qa, which does not exist/,
        ],
        [
            "an upstream that lacks the origin",
            "Stage",
            "nginx-prod",
            (s) => (s.spec.requestedFreight[0].sources.stages = ["auth-agent-staging"]),
            /promotes nginx-config Freight from auth-agent-staging, which never receives it/,
        ],
        ["a freight request with no source", "Stage", "nginx-test", (s) => (s.spec.requestedFreight[0].sources = {}), /has neither direct nor upstream stages/],
        [
            "MatchUpstream with a direct source",
            "Stage",
            "nginx-test",
            (s) => (s.spec.requestedFreight[0].sources.autoPromotionOptions = { selectionPolicy: "MatchUpstream" }),
            /MatchUpstream needs exactly one upstream stage/,
        ],
        [
            "if or config on a task step",
            "Stage",
            "nginx-test",
            (s) => (templateStep(s, "checkout").if = "${{ true }}"),
            /a task step takes only task, as and vars/,
        ],
        ["a missing task", "Stage", "nginx-test", (s) => (templateStep(s, "checkout").task.name = "deploy"), /step uses task deploy, which does not exist/],
        [
            "a required task var not set",
            "Stage",
            "nginx-test",
            (s) => s.spec.promotionTemplate.spec.vars.splice(s.spec.promotionTemplate.spec.vars.indexOf(templateVar(s, "configWarehouse")), 1),
            /does not pass var configWarehouse, which task promote-checkout requires/,
        ],
        [
            "a required task var left empty",
            "Stage",
            "nginx-test",
            (s) => (templateVar(s, "isDevStage").value = ""),
            /does not pass var isDevStage, which task promote requires/,
        ],
        [
            "an undeclared var passed",
            "Stage",
            "nginx-test",
            (s) => (templateStep(s, "checkout").vars = [{ name: "colour", value: "red" }]),
            /passes var colour, which task promote-checkout does not declare/,
        ],
        [
            "a policy with both stage and selector",
            "ProjectConfig",
            "eodhp",
            (c) => (c.spec.promotionPolicies[0].stage = "nginx-test"),
            /exactly one of stage or stageSelector/,
        ],
        [
            "a duplicate webhook receiver",
            "ProjectConfig",
            "eodhp",
            (c) => c.spec.webhookReceivers.push(c.spec.webhookReceivers[0]),
            /webhook receiver github is defined twice/,
        ],
    ];
    for (const [what, kind, name, edit, expected] of cases) {
        it(`reject ${what}`, () => {
            const problems = checkKargoRules(withEdit(kind, name, edit), SHARDS);
            assert.ok(
                problems.some((problem) => expected.test(problem)),
                problems.join("\n") || "no problem reported",
            );
        });
    }

    it("stop the plan before anything is registered", () => {
        assert.throws(
            // Settings parsing rejects an environment without a shard; a plan handed such settings still stops.
            () =>
                planHub(
                    { ...hubSettings(), remoteShards: [] },
                    { file: "c.yaml", applications: [{ ...shippedCatalogue().applications[2], stages: ["prod"] }] },
                ),
            /the eodhp project breaks Kargo's rules:\n {2}Warehouse\/eodhp\/auth-agent-dev-images: shard .*no controller|no shard controller serves environment "test"/,
        );
    });
});

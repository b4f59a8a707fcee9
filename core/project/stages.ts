/**
 * Stages `<app>-<env>` (chained in the app's stage order) and `<app>-dev` (docs/catalogue.md). Each template
 * runs the shared task `promote-checkout`, then only this app's own steps inline, then the shared `promote`
 * (Kargo inflates tasks in place and keeps template order: see promoteTask.ts).
 */
import { APPLICATION_LABEL, KARGO_API_VERSION, labels, type Stage } from "../kubernetes";
import { appSteps } from "./appSteps";
import { warehouseName, type AppPipeline, type StagePlan } from "./pipeline";
import { CHECKOUT_STEP_ALIAS, CHECKOUT_TASK_NAME, PROMOTE_STEP_ALIAS, PROMOTE_TASK_NAME } from "./promoteTask";

/** Stage label naming the environment a (non-dev) stage deploys; ProjectConfig selects auto-promotion by it. */
export const ENVIRONMENT_LABEL = "eodatahub.org.uk/environment";

export interface StageContext {
    readonly namespace: string;
    readonly gitRepoURL: string;
}

export function buildStages(pipeline: AppPipeline, context: StageContext): Stage[] {
    return pipeline.stages.map((plan) => buildStage(pipeline, plan, context));
}

function buildStage(pipeline: AppPipeline, plan: StagePlan, context: StageContext): Stage {
    const { app } = pipeline;
    const sources = plan.upstream === undefined ? { direct: true } : { stages: [plan.upstream] };
    return {
        apiVersion: KARGO_API_VERSION,
        kind: "Stage",
        // Dev stages carry no environment label, so they never match an auto-promotion policy.
        metadata: {
            name: plan.name,
            namespace: context.namespace,
            labels: labels({ [APPLICATION_LABEL]: app.name, ...(plan.isDev ? {} : { [ENVIRONMENT_LABEL]: plan.targetEnv }) }),
        },
        spec: {
            shard: plan.shard,
            requestedFreight: plan.origins.map((origin) => ({ origin: { kind: "Warehouse", name: origin }, sources })),
            promotionTemplate: {
                spec: {
                    // Promotion-level vars: both tasks read them, and Kargo stores them once per Promotion.
                    vars: [
                        { name: "repoURL", value: context.gitRepoURL },
                        { name: "appName", value: app.name },
                        { name: "appPath", value: app.path },
                        { name: "targetEnv", value: plan.targetEnv },
                        { name: "configWarehouse", value: warehouseName(app, "config") },
                        { name: "isDevStage", value: String(plan.isDev) },
                    ],
                    steps: [
                        { task: { name: CHECKOUT_TASK_NAME }, as: CHECKOUT_STEP_ALIAS },
                        ...appSteps(app, plan.targetEnv, plan.isDev),
                        { task: { name: PROMOTE_TASK_NAME }, as: PROMOTE_STEP_ALIAS },
                    ],
                },
            },
        },
    };
}

/** Stages `<app>-<env>` (chained in the app's stage order) and `<app>-dev` (seed section 5). */
import { APPLICATION_LABEL, KARGO_API_VERSION, labels, type KubernetesObject } from "../kubernetes";
import { warehouseName, type AppPipeline, type StagePlan } from "./pipeline";
import { PROMOTE_TASK_NAME } from "./promoteTask";

/** Stage label naming the environment a (non-dev) stage deploys; ProjectConfig selects auto-promotion by it. */
export const ENVIRONMENT_LABEL = "eodatahub.org.uk/environment";

export function buildStages(pipeline: AppPipeline, namespace: string): KubernetesObject[] {
    return pipeline.stages.map((plan) => buildStage(pipeline, plan, namespace));
}

function buildStage(pipeline: AppPipeline, plan: StagePlan, namespace: string): KubernetesObject {
    const { app } = pipeline;
    const sources = plan.upstream === undefined ? { direct: true } : { stages: [plan.upstream] };
    return {
        apiVersion: KARGO_API_VERSION,
        kind: "Stage",
        // Dev stages carry no environment label, so they never match an auto-promotion policy.
        metadata: { name: plan.name, namespace, labels: labels({ [APPLICATION_LABEL]: app.name, ...(plan.isDev ? {} : { [ENVIRONMENT_LABEL]: plan.targetEnv }) }) },
        spec: {
            shard: plan.shard,
            requestedFreight: plan.origins.map((origin) => ({ origin: { kind: "Warehouse", name: origin }, sources })),
            promotionTemplate: {
                spec: {
                    steps: [
                        {
                            task: { name: PROMOTE_TASK_NAME },
                            vars: [
                                { name: "appName", value: app.name },
                                { name: "appPath", value: app.path },
                                { name: "targetEnv", value: plan.targetEnv },
                                { name: "isDevStage", value: String(plan.isDev) },
                                { name: "configWarehouse", value: warehouseName(app, "config") },
                            ],
                        },
                    ],
                },
            },
        },
    };
}

/**
 * The shared PromotionTasks (docs/design.md, "Promotion steps"), split around each app's own steps:
 *   `promote-checkout`: git-clone, git-clear, kustomize-set-image;
 *   (the app's inline yaml-update steps, appSteps.ts, in the Stage template)
 *   `promote`: kustomize-build, the two copies, git-commit, git-push, argocd-update (+ Slack notices).
 * Neither task mentions an application, so adding or removing one never changes them.
 *
 * What this relies on (akuity/kargo v1.11.2):
 * - pkg/api/promotion.go InflateSteps/inflateTaskSteps: task steps are inflated in place, in template
 *   order, with aliases `<task step alias>::<step alias>`; inline `uses:` steps keep their alias.
 * - promotionTaskVarsToStepVars: a required task var may come from the Promotion's vars (the Stage
 *   template's), which are stored once; task defaults would be copied into every inflated step.
 * - pkg/promotion/local_orchestrator.go propagateStepOutput + evaluator.go ExprEnvWithOutputs: every output
 *   is in `outputs` under its full alias, so `promote` reads set-image's commit message from
 *   `outputs['checkout::update-images']` without compose-output; `task.outputs` only sees the same task.
 * - evaluator.go ShouldSkip + pkg/expressions/function/functions.go Success/Failure: a custom `if` replaces
 *   the implicit "no earlier step failed" guard, and success()/failure() look at every earlier step of the
 *   Promotion, so every custom `if` starts with success() (the failure notice with failure()).
 */
import { KARGO_API_VERSION, labels, type PromotionTask, type TaskStep } from "../kubernetes";
import { SRC } from "./appSteps";

export const PROMOTE_TASK_NAME = "promote";
export const CHECKOUT_TASK_NAME = "promote-checkout";
/** Alias of the `promote-checkout` task step in every Stage template; `promote` reads its outputs by it. */
export const CHECKOUT_STEP_ALIAS = "checkout";
export const PROMOTE_STEP_ALIAS = "promote";
export const FALLBACK_COMMIT_MESSAGE = "Updated configuration";
/** Vars every Stage template sets once for both tasks. */
export const PROMOTION_VARS = ["repoURL", "appName", "appPath", "targetEnv", "configWarehouse", "isDevStage"] as const;

export interface PromoteTaskContext {
    readonly namespace: string;
    readonly slack?: { readonly secretName: string; readonly notifyDevStages: boolean };
}

const OUT = "./out";
const ENV = "${{ vars.targetEnv }}";
const APP_DIR = "${{ vars.appPath }}";
const TARGET_BRANCH = "kargo/${{ vars.appName }}/${{ vars.targetEnv }}";
const NOT_DEV = "vars.isDevStage != 'true'";

export function buildPromoteTasks(context: PromoteTaskContext): PromotionTask[] {
    return [buildCheckoutTask(context), buildPromoteTask(context)];
}

function task(name: string, namespace: string, vars: ReadonlyArray<(typeof PROMOTION_VARS)[number]>, steps: TaskStep[]): PromotionTask {
    return {
        apiVersion: KARGO_API_VERSION,
        kind: "PromotionTask",
        metadata: { name, namespace, labels: labels() },
        // No values: the Stage template sets them (once per Promotion instead of once per inflated step).
        spec: { vars: vars.map((variable) => ({ name: variable })), steps },
    };
}

function buildCheckoutTask(context: PromoteTaskContext): PromotionTask {
    return task(
        CHECKOUT_TASK_NAME,
        context.namespace,
        ["repoURL", "appName", "appPath", "targetEnv", "configWarehouse"],
        [
            {
                uses: "git-clone",
                as: "clone",
                config: {
                    repoURL: "${{ vars.repoURL }}",
                    checkout: [
                        { commit: "${{ commitFrom(vars.repoURL, warehouse(vars.configWarehouse)).ID }}", path: SRC },
                        { branch: TARGET_BRANCH, create: true, path: OUT },
                    ],
                },
            },
            { uses: "git-clear", as: "clear", config: { path: OUT } },
            { uses: "kustomize-set-image", as: "update-images", config: { path: `${SRC}/${APP_DIR}/envs/${ENV}` } },
        ],
    );
}

function buildPromoteTask(context: PromoteTaskContext): PromotionTask {
    const commitMessage = `outputs['${CHECKOUT_STEP_ALIAS}::update-images']?.commitMessage ?? '${FALLBACK_COMMIT_MESSAGE}'`;
    return task(
        PROMOTE_TASK_NAME,
        context.namespace,
        ["repoURL", "appName", "appPath", "targetEnv", "isDevStage"],
        [
            {
                uses: "kustomize-build",
                as: "build",
                config: { path: `${SRC}/${APP_DIR}/envs/${ENV}`, outPath: `${OUT}/${APP_DIR}/envs/${ENV}/manifests.yaml` },
            },
            // ArgoCD's kustomize-gomplate plugin needs its config and the environment's vars next to the manifests.
            { uses: "copy", as: "copy-gomplate-config", config: { inPath: `${SRC}/.gomplate.yaml`, outPath: `${OUT}/.gomplate.yaml` } },
            {
                uses: "copy",
                as: "copy-env-vars",
                config: { inPath: `${SRC}/eodhp/envs/${ENV}/vars.yaml`, outPath: `${OUT}/eodhp/envs/${ENV}/vars.yaml` },
            },
            { uses: "git-commit", as: "commit", config: { path: OUT, message: `\${{ ${commitMessage} }}` } },
            { uses: "git-push", as: "push", config: { path: OUT, targetBranch: TARGET_BRANCH } },
            {
                uses: "argocd-update",
                as: "sync",
                if: `\${{ success() && ${NOT_DEV} }}`,
                config: {
                    // No namespace: each shard's controller uses its own cluster's Argo CD namespace.
                    apps: [
                        {
                            name: "${{ vars.appName }}",
                            sources: [{ repoURL: "${{ vars.repoURL }}", desiredRevision: "${{ task.outputs.push.commit }}" }],
                        },
                    ],
                },
            },
            ...(context.slack ? slackSteps(context.slack) : []),
        ],
    );
}

/**
 * After the promotion, success or failure, a one-line message to Slack (the URL never leaves the Secret).
 * A Slack outage must not fail a promotion that has already deployed, hence continueOnError. The URL comes from
 * sharedSecret(): a Get in the running controller's SHARED_RESOURCES_NAMESPACE on the hub (akuity/kargo v1.11.2
 * pkg/expressions/function/functions.go SharedSecret), so each spoke reads the copy in its own namespace and
 * nothing in `eodhp` (core/install/gitCredentials.ts).
 */
function slackSteps(slack: NonNullable<PromoteTaskContext["slack"]>): TaskStep[] {
    const scope = slack.notifyDevStages ? [] : [NOT_DEV];
    const step = (outcome: "success" | "failure", verb: string, emoji: string): TaskStep => ({
        uses: "http",
        as: `notify-${outcome}`,
        if: `\${{ ${[`${outcome}()`, ...scope].join(" && ")} }}`,
        continueOnError: true,
        config: {
            method: "POST",
            url: `\${{ sharedSecret('${slack.secretName}').url }}`,
            headers: [{ name: "Content-Type", value: "application/json" }],
            // quote() keeps the JSON a string; Kargo would otherwise parse it into an object.
            body:
                `\${{ quote({'text': '${emoji} ' + vars.appName + ': promotion of Freight ' + ctx.targetFreight.name + ` +
                `' to ' + ctx.stage + ' ${verb}'}) }}`,
        },
    });
    return [step("success", "succeeded", ":white_check_mark:"), step("failure", "failed", ":x:")];
}

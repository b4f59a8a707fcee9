/**
 * The shared PromotionTask `promote` (seed section 6): one task for every Stage, with per-application steps
 * for chart versions, custom image paths and release URLs, each guarded by `vars.appName`.
 */
import { ENV_PLACEHOLDER, type Application, type ChartSpec } from "../input/catalogue";
import { KARGO_API_VERSION, compareText, labels, type KubernetesObject } from "../kubernetes";
import { warehouseName } from "./pipeline";

export const PROMOTE_TASK_NAME = "promote";
export const FALLBACK_COMMIT_MESSAGE = "Updated configuration";

export interface PromoteTaskContext {
    readonly namespace: string;
    readonly gitRepoURL: string;
    readonly slack?: { readonly secretName: string; readonly notifyDevStages: boolean };
}

export interface PromotionStep {
    readonly uses: string;
    readonly as: string;
    readonly if?: string;
    readonly config: Record<string, unknown>;
    readonly continueOnError?: boolean;
}

const SRC = "./src";
const OUT = "./out";
const ENV = "${{ vars.targetEnv }}";
const APP_DIR = "${{ vars.appPath }}";
const TARGET_BRANCH = "kargo/${{ vars.appName }}/${{ vars.targetEnv }}";
const NOT_DEV = "vars.isDevStage != 'true'";

/**
 * A step's own `if:` replaces Kargo's implicit "every earlier step succeeded" guard, and the orchestrator
 * carries on past a failed step (Kargo v1.11 pkg/promotion local_orchestrator.go / evaluator.go), so every
 * custom condition keeps that guard: `success() && …`. Only the Slack failure notice runs on failure.
 */
function whenSucceeded(...conditions: string[]): string {
    return `\${{ ${["success()", ...conditions].join(" && ")} }}`;
}

export function buildPromoteTask(applications: readonly Application[], context: PromoteTaskContext): KubernetesObject {
    // Sorted by name so that re-ordering the catalogue does not change the task.
    const apps = [...applications].sort((a, b) => compareText(a.name, b.name));
    const steps: PromotionStep[] = [
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
        ...apps.flatMap(chartVersionSteps),
        ...apps.flatMap(customImagePathSteps),
        ...apps.flatMap(releaseUrlSteps),
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
        {
            uses: "git-commit",
            as: "commit",
            config: { path: OUT, message: `\${{ task.outputs['update-images']?.commitMessage ?? '${FALLBACK_COMMIT_MESSAGE}' }}` },
        },
        { uses: "git-push", as: "push", config: { path: OUT, targetBranch: TARGET_BRANCH } },
        {
            uses: "argocd-update",
            as: "sync",
            if: whenSucceeded(NOT_DEV),
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
    ];
    return {
        apiVersion: KARGO_API_VERSION,
        kind: "PromotionTask",
        metadata: { name: PROMOTE_TASK_NAME, namespace: context.namespace, labels: labels() },
        spec: {
            vars: [
                { name: "repoURL", value: context.gitRepoURL },
                // No value: every Stage must pass these.
                { name: "appName" },
                { name: "appPath" },
                { name: "targetEnv" },
                { name: "configWarehouse" },
                { name: "isDevStage", value: "false" },
            ],
            steps,
        },
    };
}

function appIs(app: Application, ...more: string[]): string {
    return whenSucceeded(`vars.appName == '${app.name}'`, ...more);
}

/** `base/{{env}}/x.yaml` → `./src/<app>/base/${{ vars.targetEnv }}/x.yaml`. */
function appFile(app: Application, file: string): string {
    return `${SRC}/${app.path}/${file.split(ENV_PLACEHOLDER).join(ENV)}`;
}

function chartFrom(chart: ChartSpec): string {
    const args = chart.name === undefined ? `'${chart.repoURL}'` : `'${chart.repoURL}', '${chart.name}'`;
    // quote(): Kargo re-parses expression results, and a version like 1.10 must stay a string.
    return `\${{ quote(chartFrom(${args}).Version) }}`;
}

/** Chart versions go into each HelmChartInflationGenerator file; dev stages keep the chart they have. */
function chartVersionSteps(app: Application): PromotionStep[] {
    const files = app.charts.flatMap((chart) => chart.generatorFiles.map((file) => ({ chart, file })));
    return files.map(({ chart, file }, index) => ({
        uses: "yaml-update",
        as: `charts-${app.name}-${index}`,
        if: appIs(app, NOT_DEV),
        config: { path: appFile(app, file), updates: [{ key: "version", value: chartFrom(chart) }] },
    }));
}

/** Images referenced outside kustomize's image transformer (CRD fields, Helm values), one step per file. */
function customImagePathSteps(app: Application): PromotionStep[] {
    const byFile = new Map<string, Array<{ key: string; value: string }>>();
    for (const image of app.images) {
        if (!image.customPath) continue;
        const tag = `imageFrom('${image.repoURL}').Tag`;
        // A bare tag such as 1.10 or an all-digit commit hash would otherwise be written as a number.
        const value = image.customPath.valueType === "tag" ? `\${{ quote(${tag}) }}` : `${image.repoURL}:\${{ ${tag} }}`;
        byFile.set(image.customPath.file, [...(byFile.get(image.customPath.file) ?? []), { key: image.customPath.key, value }]);
    }
    return [...byFile.entries()].map(([file, updates], index) => ({
        uses: "yaml-update",
        as: `images-${app.name}-${index}`,
        if: appIs(app),
        config: { path: appFile(app, file), updates },
    }));
}

/** Release manifests are pinned by URL: `<urlPrefix><tag><urlSuffix>`, one step per file. */
function releaseUrlSteps(app: Application): PromotionStep[] {
    const byFile = new Map<string, Array<{ key: string; value: string }>>();
    for (const release of app.releases) {
        const tag = `\${{ commitFrom('${release.repoURL}', warehouse('${warehouseName(app, "releases")}')).Tag }}`;
        for (const update of release.updates) {
            byFile.set(update.file, [...(byFile.get(update.file) ?? []), { key: update.key, value: `${update.urlPrefix}${tag}${update.urlSuffix}` }]);
        }
    }
    return [...byFile.entries()].map(([file, updates], index) => ({
        uses: "yaml-update",
        as: `releases-${app.name}-${index}`,
        if: appIs(app, NOT_DEV),
        config: { path: appFile(app, file), updates },
    }));
}

/**
 * After the promotion, success or failure, a one-line message to Slack (the URL never leaves the Secret).
 * A Slack outage must not fail a promotion that has already deployed, hence continueOnError.
 */
function slackSteps(slack: NonNullable<PromoteTaskContext["slack"]>): PromotionStep[] {
    const scope = slack.notifyDevStages ? [] : [NOT_DEV];
    const step = (outcome: "success" | "failure", verb: string, emoji: string): PromotionStep => ({
        uses: "http",
        as: `notify-${outcome}`,
        if: `\${{ ${[`${outcome}()`, ...scope].join(" && ")} }}`,
        continueOnError: true,
        config: {
            method: "POST",
            url: `\${{ secret('${slack.secretName}').url }}`,
            headers: [{ name: "Content-Type", value: "application/json" }],
            // quote() keeps the JSON a string; Kargo would otherwise parse it into an object.
            body:
                `\${{ quote({'text': '${emoji} ' + vars.appName + ': promotion of Freight ' + ctx.targetFreight.name + ` +
                `' to ' + ctx.stage + ' ${verb}'}) }}`,
        },
    });
    return [step("success", "succeeded", ":white_check_mark:"), step("failure", "failed", ":x:")];
}

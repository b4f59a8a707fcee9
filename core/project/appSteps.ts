/**
 * One application's own promotion steps for one Stage (chart versions, custom image paths, release URLs).
 * They sit inline in that app's Stage templates, between the shared tasks `promote-checkout` and `promote`,
 * so a Promotion carries only its own app's steps (see promoteTask.ts for what Kargo does with them).
 */
import { resolveEnv, type Application, type ChartSpec } from "../input/catalogue";
import type { TemplateStep } from "../kubernetes";
import { warehouseName } from "./pipeline";

/** Where `promote-checkout` clones the source commit; inline steps run in the same working directory. */
export const SRC = "./src";

/**
 * In order: chart versions, custom image paths, release URLs. Dev stages keep the chart and release their
 * environment has, so they get custom paths only. No `if`: each keeps Kargo's implicit success guard.
 */
export function appSteps(app: Application, targetEnv: string, isDev: boolean): TemplateStep[] {
    return [...(isDev ? [] : chartVersionSteps(app, targetEnv)), ...customImagePathSteps(app, targetEnv), ...(isDev ? [] : releaseUrlSteps(app, targetEnv))];
}

/** `base/{{env}}/x.yaml` → `./src/<app path>/base/<env>/x.yaml`. */
function appFile(app: Application, file: string, targetEnv: string): string {
    return `${SRC}/${app.path}/${resolveEnv(file, targetEnv)}`;
}

function chartFrom(chart: ChartSpec): string {
    const args = chart.name === undefined ? `'${chart.repoURL}'` : `'${chart.repoURL}', '${chart.name}'`;
    // quote(): Kargo re-parses expression results, and a version like 1.10 must stay a string.
    return `\${{ quote(chartFrom(${args}).Version) }}`;
}

/** Chart versions go into each HelmChartInflationGenerator file. */
function chartVersionSteps(app: Application, targetEnv: string): TemplateStep[] {
    const files = app.charts.flatMap((chart) => chart.generatorFiles.map((file) => ({ chart, file })));
    return files.map(({ chart, file }, index) => ({
        uses: "yaml-update",
        as: `charts-${index}`,
        config: { path: appFile(app, file, targetEnv), updates: [{ key: "version", value: chartFrom(chart) }] },
    }));
}

/** Images referenced outside kustomize's image transformer (CRD fields, Helm values), one step per file. */
function customImagePathSteps(app: Application, targetEnv: string): TemplateStep[] {
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
        as: `images-${index}`,
        config: { path: appFile(app, file, targetEnv), updates },
    }));
}

/** Release manifests are pinned by URL: `<urlPrefix><tag><urlSuffix>`, one step per file. */
function releaseUrlSteps(app: Application, targetEnv: string): TemplateStep[] {
    const byFile = new Map<string, Array<{ key: string; value: string }>>();
    for (const release of app.releases) {
        const tag = `\${{ commitFrom('${release.repoURL}', warehouse('${warehouseName(app, "releases")}')).Tag }}`;
        for (const update of release.updates) {
            byFile.set(update.file, [...(byFile.get(update.file) ?? []), { key: update.key, value: `${update.urlPrefix}${tag}${update.urlSuffix}` }]);
        }
    }
    return [...byFile.entries()].map(([file, updates], index) => ({
        uses: "yaml-update",
        as: `releases-${index}`,
        config: { path: appFile(app, file, targetEnv), updates },
    }));
}

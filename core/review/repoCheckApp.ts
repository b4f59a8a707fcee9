/**
 * The per-application checks of `check-repo`: for one Stage (application and target environment), every file
 * and key the `promote` task's steps touch (core/project/promoteTask.ts) must be there.
 */
import { isMap, type Document, type Node } from "yaml";
import { resolveEnv, type Application, type ChartSpec, type ImageSpec } from "../input/catalogue";
import type { YamlPath } from "../input/yamlSource";
import type { StagePlan } from "../project/pipeline";
import { kustomizationIn, kustomizeImageNames } from "./kustomizeTree";
import { catalogueRef, type CatalogueSite, type RepoFinding, type Severity } from "./repoFindings";
import { scalarField, type RepoYaml, type YamlFile } from "./repoFiles";
import { lookupKey } from "./yamlKey";

/** What the OCI distribution spec allows as a tag. */
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const GENERATOR_KIND = "HelmChartInflationGenerator";

export interface AppCheck {
    readonly app: Application;
    /** Position of the application in the catalogue file. */
    readonly index: number;
    readonly site: CatalogueSite;
    readonly yaml: RepoYaml;
}

/** A catalogue file path with `{{env}}` resolved, relative to the repository root. */
export function appFile(app: Application, file: string, env: string): string {
    return `${app.path}/${resolveEnv(file, env)}`;
}

export function checkStage(check: AppCheck, stage: StagePlan): RepoFinding[] {
    const { app } = check;
    const env = stage.targetEnv;
    const finding: MakeFinding = (severity, field, message, repoFile, repoLine) => ({
        severity,
        catalogue: catalogueRef(check.site, check.index, app.name, typeof field === "function" ? field() : field),
        envs: [env],
        repoFile,
        repoLine,
        message,
    });
    const overlay = `${app.path}/envs/${env}`;
    const findings: RepoFinding[] = [];
    const found = kustomizationIn(check.yaml, overlay);
    if (found.kind === "none") {
        const what = check.yaml.repo.isDirectory(overlay) ? "has no kustomization.yaml" : "does not exist";
        findings.push(finding("error", ["path"], `the overlay ${overlay}/ ${what}; kustomize-set-image and kustomize-build run there`, overlay));
    } else if (found.kind === "ambiguous") {
        findings.push(
            finding("error", ["path"], `the overlay has several kustomization files (${found.files.join(", ")}); kustomize-set-image refuses that`, overlay),
        );
    } else {
        const { names, problems } = kustomizeImageNames(check.yaml, overlay);
        for (const problem of problems) findings.push(finding("error", ["path"], problem.message, problem.file, problem.line));
        app.images.forEach((image, i) => {
            if (image.customPath || names.has(image.repoURL)) return;
            findings.push(
                finding(
                    "warning",
                    ["images", i, "repoURL"],
                    `no kustomize images: entry names ${image.repoURL} in the overlay or its bases, so kustomize-set-image changes nothing`,
                    found.file,
                ),
            );
        });
    }
    app.images.forEach((image, i) => findings.push(...checkCustomPath(check, image, i, env, finding)));
    // The promote task skips chart versions and release URLs on dev stages.
    if (!stage.isDev) {
        app.charts.forEach((chart, i) => findings.push(...checkChart(check, chart, i, env, finding)));
        app.releases.forEach((release, r) =>
            release.updates.forEach((update, u) => {
                const at: YamlPath = ["releases", r, "updates", u];
                findings.push(
                    ...checkKey(check, appFile(app, update.file, env), update.key, at, finding, (value, line) => {
                        if (typeof value === "string" && value.startsWith(update.urlPrefix) && value.endsWith(update.urlSuffix)) return [];
                        const expected = `${update.urlPrefix}<tag>${update.urlSuffix}`;
                        return [
                            finding(
                                "error",
                                [...at, "key"],
                                `${update.key} is ${JSON.stringify(value)}, not ${expected}: the promotion would replace the wrong entry`,
                                appFile(app, update.file, env),
                                line,
                            ),
                        ];
                    }),
                );
            }),
        );
    }
    return findings;
}

/** A catalogue field, or how to find it (only worked out when there is a finding: it may need the catalogue's lines). */
type FieldRef = YamlPath | (() => YamlPath);
type MakeFinding = (severity: Severity, field: FieldRef, message: string, repoFile?: string, repoLine?: number) => RepoFinding;

/** The first document of a YAML file, or the finding that says why there is none. */
function firstDocument(check: AppCheck, file: string, field: FieldRef, finding: MakeFinding): { yaml: YamlFile; document: Document } | RepoFinding {
    const read = check.yaml.read(file);
    if (read.kind === "missing") return finding("error", field, "file does not exist", file);
    if (read.kind === "malformed") return finding("error", field, `malformed YAML: ${read.reason}`, file, read.line);
    const document = read.yaml.documents[0];
    if (document === undefined) return finding("error", field, "file is empty", file);
    return { yaml: read.yaml, document };
}

/** `key` must resolve in `file`; `valueCheck` then judges the value it holds. */
function checkKey(
    check: AppCheck,
    file: string,
    key: string,
    at: YamlPath,
    finding: MakeFinding,
    valueCheck: (value: unknown, line: number | undefined) => RepoFinding[],
): RepoFinding[] {
    const opened = firstDocument(check, file, [...at, "file"], finding);
    if ("severity" in opened) return [opened];
    const lookup = lookupKey(opened.document, key);
    if (!lookup.found) {
        return [
            finding(
                "error",
                [...at, "key"],
                `key "${key}" does not resolve: ${lookup.reason} (Kargo would add it instead of updating)`,
                file,
                opened.yaml.line(lookup.node),
            ),
        ];
    }
    return valueCheck(lookup.value, opened.yaml.line(lookup.node));
}

function checkCustomPath(check: AppCheck, image: ImageSpec, i: number, env: string, finding: MakeFinding): RepoFinding[] {
    const custom = image.customPath;
    if (!custom) return [];
    const at: YamlPath = ["images", i, "customPath"];
    const file = appFile(check.app, custom.file, env);
    return checkKey(check, file, custom.key, at, finding, (value, line) => {
        const text = typeof value === "number" ? String(value) : value;
        const prefix = `${image.repoURL}:`;
        const ok = typeof text === "string" && (custom.valueType === "tag" ? TAG.test(text) : text.startsWith(prefix) && TAG.test(text.slice(prefix.length)));
        if (ok) return [];
        const expected = custom.valueType === "tag" ? "a tag" : `${prefix}<tag>`;
        return [finding("error", [...at, "key"], `${custom.key} is ${JSON.stringify(value)}, not ${expected} (valueType ${custom.valueType})`, file, line)];
    });
}

/** The catalogue field that names generator file `j` of chart `i`. */
function generatorField(check: AppCheck, i: number, j: number): YamlPath {
    const chart: YamlPath = ["applications", check.index, "charts", i];
    return check.site.has([...chart, "generatorFile"]) ? ["charts", i, "generatorFile"] : ["charts", i, "generatorFiles", j];
}

/**
 * How kustomize pulls the chart (api/internal/builtins/HelmChartInflationGenerator.go @ api/v0.21.1,
 * pullCommand): an oci:// `repo` is joined with `name` as `<repo>/<name>`; otherwise `--repo <repo> <name>`.
 */
function generatorChart(repo: string, name: string): { repoURL: string; name?: string } {
    const trimmed = repo.replace(/\/+$/, "");
    return trimmed.startsWith("oci://") ? { repoURL: `${trimmed}/${name}` } : { repoURL: trimmed, name };
}

function checkChart(check: AppCheck, chart: ChartSpec, i: number, env: string, finding: MakeFinding): RepoFinding[] {
    return chart.generatorFiles.flatMap((generator, j) => {
        const field = () => generatorField(check, i, j);
        const file = appFile(check.app, generator, env);
        const opened = firstDocument(check, file, field, finding);
        if ("severity" in opened) return [opened];
        const root = opened.document.contents ?? undefined;
        const line = (node: Node | undefined) => opened.yaml.line(node);
        const kind = scalarField(root, "kind");
        if (kind?.value !== GENERATOR_KIND) {
            return [finding("error", field, `kind is ${kind ? `"${kind.value}"` : "missing"}, not ${GENERATOR_KIND}`, file, line(kind?.node ?? root))];
        }
        const problems: RepoFinding[] = [];
        const repo = scalarField(root, "repo");
        const name = scalarField(root, "name");
        const pulled = repo && name ? generatorChart(repo.value, name.value) : undefined;
        const wanted = chart.name === undefined ? chart.repoURL : `${chart.repoURL} ${chart.name}`;
        if (pulled === undefined || pulled.repoURL !== chart.repoURL || pulled.name !== chart.name) {
            const has = pulled === undefined ? "no repo and name" : pulled.name === undefined ? pulled.repoURL : `${pulled.repoURL} ${pulled.name}`;
            problems.push(
                finding(
                    "error",
                    ["charts", i, "repoURL"],
                    `the generator pulls ${has}, but the catalogue subscribes to ${wanted}`,
                    file,
                    line(repo?.node ?? root),
                ),
            );
        }
        if (!isMap(root) || !root.has("version")) {
            problems.push(finding("error", field, "has no top-level version: key, which the promotion writes the chart version to", file, line(root)));
        }
        return problems;
    });
}

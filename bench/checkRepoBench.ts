/**
 * Timing of `check-repo` at scale, for `npm run bench`: a synthetic catalogue shaped like the shipped one and
 * a deployment repository written to match it in a temp dir, checked end to end (catalogue parse included).
 * `repositoryFor` is also what the tests use to show a repository built from a catalogue checks clean.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { parseCatalogue, type Catalogue } from "../core/input/catalogue";
import { environmentShards, type Environment, type HubSettings } from "../core/input/settings";
import { appPipeline } from "../core/project/pipeline";
import { AUTHORIZED_STAGE_ANNOTATION } from "../core/review/applicationSetGenerators";
import { checkRepository } from "../core/review/repoCheck";
import { appFile } from "../core/review/repoCheckApp";
import { diskRepo } from "../core/review/repoFiles";
import { lazyCatalogueSite, type RepoFinding } from "../core/review/repoFindings";
import { splitKargoKey } from "../core/review/yamlKey";
import { readStackSettings } from "../core/plan/stackFiles";
import { syntheticCatalogue } from "./syntheticCatalogue";

type Tree = Record<string, unknown>;

/** Sets a Kargo-syntax key in a plain object, creating maps, and lists for numeric parts (padded). */
function setKey(root: Tree, key: string, value: unknown): void {
    const parts = splitKargoKey(key) ?? [key];
    let node: Record<string, unknown> | unknown[] = root;
    parts.forEach((part, index) => {
        const last = index === parts.length - 1;
        const nextIsIndex = !last && /^\d+$/.test(parts[index + 1]);
        const slot = Array.isArray(node) ? Number(part) : part;
        if (Array.isArray(node)) while (node.length < (slot as number)) node.push("placeholder.yaml");
        const holder = node as Record<string | number, unknown>;
        if (last) holder[slot] = value;
        else if (holder[slot] === undefined || typeof holder[slot] !== "object") holder[slot] = nextIsIndex ? [] : {};
        if (!last) node = holder[slot] as Tree;
    });
}

/** Every file a clean deployment repository needs for `catalogue`, as path → YAML value. */
export function repositoryFor(catalogue: Catalogue, shards: ReadonlyMap<Environment, string>, gitRepoURL: string, devEnvironment = "test"): Map<string, Tree> {
    const files = new Map<string, Tree>();
    const file = (name: string, initial: () => Tree = () => ({})) => {
        if (!files.has(name)) files.set(name, initial());
        return files.get(name) as Tree;
    };
    file(".gomplate.yaml", () => ({ plugins: {} }));
    for (const app of catalogue.applications) {
        for (const stage of appPipeline(app, shards, devEnvironment).stages) {
            const env = stage.targetEnv;
            file(`eodhp/envs/${env}/vars.yaml`, () => ({ env }));
            const images = app.images.filter((image) => image.customPaths.length === 0).map((image) => ({ name: image.repoURL, newTag: "1.0.0" }));
            file(`${app.path}/envs/${env}/kustomization.yaml`, () => ({ resources: ["../../base"], ...(images.length ? { images } : {}) }));
            file(`${app.path}/base/kustomization.yaml`, () => ({ resources: ["deployment.yaml"] }));
            for (const image of app.images) {
                for (const custom of image.customPaths)
                    setKey(file(appFile(app, custom.file, env)), custom.key, custom.valueType === "tag" ? "1.0.0" : `${image.repoURL}:1.0.0`);
            }
            if (stage.isDev) continue;
            for (const chart of app.charts) {
                const oci = chart.name === undefined;
                const name = oci ? chart.repoURL.slice(chart.repoURL.lastIndexOf("/") + 1) : (chart.name as string);
                const repo = oci ? chart.repoURL.slice(0, chart.repoURL.lastIndexOf("/")) : chart.repoURL;
                for (const generator of chart.generatorFiles) {
                    files.set(appFile(app, generator, env), {
                        apiVersion: "builtin",
                        kind: "HelmChartInflationGenerator",
                        metadata: { name },
                        repo,
                        name,
                        version: "1.0.0",
                    });
                }
            }
            for (const release of app.releases) {
                for (const update of release.updates) setKey(file(appFile(app, update.file, env)), update.key, `${update.urlPrefix}v1.0.0${update.urlSuffix}`);
            }
        }
    }
    files.set("argocd/applicationset.yaml", {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "ApplicationSet",
        metadata: { name: "eodhp" },
        spec: {
            generators: [{ git: { repoURL: gitRepoURL, directories: [{ path: "apps/*/envs/*" }] } }],
            template: {
                metadata: { name: "{{path[1]}}", annotations: { [AUTHORIZED_STAGE_ANNOTATION]: "eodhp:{{path[1]}}-{{path.basename}}" } },
                spec: { source: { repoURL: gitRepoURL, targetRevision: "kargo/{{path[1]}}/{{path.basename}}", path: "{{path}}" } },
            },
        },
    });
    return files;
}

export function writeRepository(dir: string, files: ReadonlyMap<string, Tree>): void {
    for (const [name, content] of files) {
        mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        writeFileSync(path.join(dir, name), stringify(content));
    }
}

/**
 * Builds a `apps`-application catalogue and its repository in a temp dir, then times parsing the catalogue
 * and checking it. Returns wall-clock and CPU seconds (CPU time is steadier on a busy machine) and the
 * findings (none expected).
 */
export function benchCheckRepo(apps = 500): { apps: number; seconds: number; cpuSeconds: number; findings: readonly RepoFinding[] } {
    const settings = readStackSettings("prod") as HubSettings;
    const shards = environmentShards(settings);
    const text = syntheticCatalogue(apps);
    const options = { environments: settings.environments, devEnvironment: settings.devEnvironment };
    const dir = mkdtempSync(path.join(tmpdir(), "eodhp-kargo-check-repo-bench-"));
    try {
        writeRepository(dir, repositoryFor(parseCatalogue(text, "catalogue.yaml", options), shards, settings.gitRepoUrl));
        const start = process.hrtime.bigint();
        const cpu = process.cpuUsage();
        const catalogue = parseCatalogue(text, "catalogue.yaml", options);
        const findings = checkRepository({
            catalogue,
            site: lazyCatalogueSite("catalogue.yaml", text),
            shards,
            repo: diskRepo(dir),
            gitRepoURL: settings.gitRepoUrl,
        });
        const used = process.cpuUsage(cpu);
        return { apps, seconds: Number(process.hrtime.bigint() - start) / 1e9, cpuSeconds: (used.user + used.system) / 1e6, findings };
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

if (require.main === module) {
    const { apps, seconds, cpuSeconds, findings } = benchCheckRepo();
    process.stdout.write(`check-repo: ${apps} apps in ${seconds.toFixed(2)} s (${cpuSeconds.toFixed(2)} s CPU), ${findings.length} finding(s)\n`);
}

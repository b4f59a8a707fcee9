/**
 * `check-repo`: the catalogue against a checkout of the deployment repository. For every application and
 * every environment it promotes to (the dev stage's target included), each file and key the `promote` task
 * touches must be there, so that a typo fails a pull request instead of a promotion. Reads only.
 */
import { posix } from "node:path";
import type { Catalogue } from "../input/catalogue";
import type { Environment } from "../input/settings";
import { appPipeline, type StagePlan } from "../project/pipeline";
import { AUTHORIZED_STAGE_ANNOTATION } from "./applicationSetGenerators";
import { scanApplicationSets, type ApplicationSetScan, type FieldSiteAt, type GeneratedApplication } from "./applicationSets";
import { checkStage } from "./repoCheckApp";
import { catalogueRef, mergeFindings, strictFindings, type CatalogueRef, type CatalogueSite, type RepoFinding } from "./repoFindings";
import { RepoYaml, type RepoReader } from "./repoFiles";

export interface RepoCheckInput {
    readonly catalogue: Catalogue;
    /** Line lookups in the catalogue file the catalogue was parsed from. */
    readonly site: CatalogueSite;
    /** Environment → shard, as the hub's stack has them (environmentShards). */
    readonly shards: ReadonlyMap<Environment, string>;
    /** The hub's `devEnvironment` (default test): the overlay the `<app>-dev` stages write. */
    readonly devEnvironment?: Environment;
    readonly repo: RepoReader;
    readonly strict?: boolean;
    /** The deployment repository's URL (the hub's gitRepoUrl), to tell its ApplicationSet generators from others. */
    readonly gitRepoURL?: string;
}

/** Every finding, merged across environments and sorted; `strict` makes warnings errors. */
export function checkRepository(input: RepoCheckInput): RepoFinding[] {
    const yaml = new RepoYaml(input.repo);
    const findings: RepoFinding[] = [];
    const stages: Array<{ index: number; stage: StagePlan }> = [];
    input.catalogue.applications.forEach((app, index) => {
        for (const stage of appPipeline(app, input.shards, input.devEnvironment ?? "test").stages) {
            stages.push({ index, stage });
            findings.push(...checkStage({ app, index, site: input.site, yaml }, stage));
        }
    });
    findings.push(...sharedFiles(input, yaml, stages));
    findings.push(...applicationSetFindings(input, scanApplicationSets(yaml, input.gitRepoURL), stages));
    return input.strict ? strictFindings(findings) : mergeFindings(findings);
}

/** What the promotion copies for every app: the gomplate config and the environment's vars. */
function sharedFiles(input: RepoCheckInput, yaml: RepoYaml, stages: ReadonlyArray<{ stage: StagePlan }>): RepoFinding[] {
    const envs = [...new Set(stages.map(({ stage }) => stage.targetEnv))];
    const everyApp = { file: input.site.file };
    const missing = (file: string, env: readonly string[]): RepoFinding[] =>
        yaml.text(file) === undefined
            ? [
                  {
                      severity: "error",
                      catalogue: everyApp,
                      envs: env,
                      repoFile: file,
                      message: "file does not exist; every promotion copies it next to the built manifests",
                  },
              ]
            : [];
    return [...(envs.length > 0 ? missing(".gomplate.yaml", envs) : []), ...envs.flatMap((env) => missing(`eodhp/envs/${env}/vars.yaml`, [env]))];
}

/**
 * argocd-update (skipped on dev stages) needs the Application it syncs to authorise the Stage and to read
 * the branch the promotion pushes (promoteTask.ts: `kargo/<app>/<env>`).
 */
function applicationSetFindings(input: RepoCheckInput, scan: ApplicationSetScan, stages: ReadonlyArray<{ index: number; stage: StagePlan }>): RepoFinding[] {
    const everyApp = { file: input.site.file };
    const findings: RepoFinding[] = scan.malformed.map((bad) => ({
        severity: "error",
        catalogue: everyApp,
        envs: [],
        repoFile: bad.file,
        repoLine: bad.line,
        message: bad.reason,
    }));
    if (!scan.present) return findings;
    for (const undetermined of scan.undetermined) {
        findings.push({
            severity: "warning",
            catalogue: everyApp,
            envs: [],
            repoFile: undetermined.file,
            repoLine: undetermined.line,
            message: `cannot tell which Applications this ApplicationSet${builtBy(undetermined.kustomization)} generates (${undetermined.reason}); their ${AUTHORIZED_STAGE_ANNOTATION} annotations and target revisions are not checked`,
        });
    }
    const byKey = new Map<string, GeneratedApplication[]>();
    for (const application of scan.applications) {
        for (const key of new Set([...application.paths.map((p) => `path:${p}`), `name:${application.name}`]))
            byKey.set(key, [...(byKey.get(key) ?? []), application]);
    }
    for (const { index, stage } of stages) {
        if (stage.isDev) continue;
        const app = input.catalogue.applications[index];
        const env = stage.targetEnv;
        const overlay = `${app.path}/envs/${env}`;
        const generated = [...new Set([...(byKey.get(`path:${overlay}`) ?? []), ...(byKey.get(`name:${app.name}-${env}`) ?? [])])];
        const ref = catalogueRef(input.site, index, app.name, ["name"]);
        if (generated.length === 0) {
            if (scan.undetermined.length === 0) findings.push(...missedOverlay(scan, overlay, env, ref));
            continue;
        }
        const stageId = `eodhp:${stage.name}`;
        const branch = `kargo/${app.name}/${env}`;
        for (const application of generated) {
            const at = (site: FieldSiteAt) => ({ repoFile: site.file, repoLine: site.line });
            if (!authorizes(application.authorizedStage, stageId)) {
                const has = application.authorizedStage === undefined ? "no" : `"${application.authorizedStage}" as`;
                findings.push({
                    severity: "error",
                    catalogue: ref,
                    envs: [env],
                    ...at(application.annotationSite),
                    message: `Application "${application.name}" has ${has} annotation ${AUTHORIZED_STAGE_ANNOTATION}, not "${stageId}": argocd-update would be refused${setBy(application.annotationSite, application)}`,
                });
            }
            if (application.name !== app.name) {
                findings.push({
                    severity: "warning",
                    catalogue: ref,
                    envs: [env],
                    repoFile: application.appSetFile,
                    repoLine: application.line,
                    message: `the Application reading ${overlay} is named "${application.name}", but argocd-update syncs the one named "${app.name}"`,
                });
            }
            if (!application.revisions.includes(branch)) {
                const site = application.revisionSites.find((_, i) => application.paths[i] === overlay) ?? application.revisionSites[0];
                findings.push({
                    severity: "error",
                    catalogue: ref,
                    envs: [env],
                    ...(site ? at(site) : { repoFile: application.appSetFile, repoLine: application.line }),
                    message: `Application "${application.name}" reads ${application.revisions.join(", ") || "no revision"}, not ${branch}, where the promotion pushes${site ? setBy(site, application) : ""}`,
                });
            }
        }
    }
    return findings;
}

const builtBy = (kustomization: string | undefined) => (kustomization === undefined ? "" : ` (as ${kustomization} builds it)`);

/** ` (spec.x, set by patches[0], operation 1 (replace))`, or where an absent field was looked for. */
function setBy(site: FieldSiteAt, application: { appSetFile: string; kustomization?: string }): string {
    if (!site.absent) return ` (${site.field}${site.patch ? `, set by ${site.patch}` : ""})`;
    if (application.kustomization === undefined) return ` (${application.appSetFile} has no ${site.field})`;
    return ` (${site.field} is set neither in ${application.appSetFile} nor by the patches of ${application.kustomization})`;
}

/**
 * No Application reads the overlay. When a kustomization in a directory named after the environment
 * (`eodhp/envs/<env>/`) builds an ApplicationSet, its git directory patterns are what missed it.
 */
function missedOverlay(scan: ApplicationSetScan, overlay: string, env: string, ref: CatalogueRef): RepoFinding[] {
    const message = `no ApplicationSet generates an Application reading ${overlay}, so argocd-update has nothing to sync`;
    const forEnv = scan.applicationSets.filter((set) => set.kustomization !== undefined && posix.basename(posix.dirname(set.kustomization)) === env);
    if (forEnv.length === 0) return [{ severity: "warning", catalogue: ref, envs: [env], message }];
    return forEnv.map((set) => {
        const [first] = set.directories;
        const appSet = `ApplicationSet "${set.name}"${builtBy(set.kustomization)}`;
        const why =
            first === undefined
                ? `${appSet} has no git directory generator`
                : `the git directories of ${appSet} are ${set.directories.map((directory) => directory.pattern).join(", ")}${setBy(first.site, { appSetFile: set.file, kustomization: set.kustomization })}`;
        return {
            severity: "warning",
            catalogue: ref,
            envs: [env],
            repoFile: first?.site.file ?? set.kustomization,
            repoLine: first?.site.line,
            message: `${message}: ${why}`,
        };
    });
}

/**
 * The annotation holds a comma-separated list of `<project>:<stage>`, spaces ignored (Kargo pkg/api/stage.go
 * @ v1.11.2, AuthorizedStages; checked by argocd_updater.go, authorizeArgoCDAppUpdate).
 */
export function authorizes(annotation: string | undefined, stageId: string): boolean {
    return (annotation ?? "").split(",").some(
        (entry) =>
            entry
                .split(":")
                .map((part) => part.trim())
                .join(":") === stageId,
    );
}

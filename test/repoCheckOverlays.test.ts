import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parseCatalogue } from "../core/input/catalogue";
import { environmentShards } from "../core/input/settings";
import { checkRepository } from "../core/review/repoCheck";
import { formatReport, lazyCatalogueSite, type RepoFinding } from "../core/review/repoFindings";
import { diskRepo } from "../core/review/repoFiles";
import { FIXTURE_CATALOGUE, jsonPatchOverlay, writeDeploymentRepo } from "./support/deploymentRepo";
import { ENVIRONMENTS, hubSettings } from "./support/fixtures";

function check(dir: string) {
    const settings = hubSettings();
    return checkRepository({
        catalogue: parseCatalogue(FIXTURE_CATALOGUE, "catalogue.yaml", ENVIRONMENTS),
        site: lazyCatalogueSite("catalogue.yaml", FIXTURE_CATALOGUE),
        shards: environmentShards(settings),
        repo: diskRepo(dir),
        gitRepoURL: settings.gitRepoUrl,
    });
}

describe("check-repo: one root ApplicationSet patched by per-environment kustomize overlays", () => {
    let dir: string;
    beforeEach(() => {
        dir = mkdtempSync(path.join(tmpdir(), "deploy-overlaid-"));
        writeDeploymentRepo(dir, "overlaid");
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it("finds nothing when every overlay sets the pattern, revision and annotation (JSON 6902 inline and from a file, strategic merge)", () => {
        assert.deepEqual(check(dir), []);
    });

    it("finds a wrong targetRevision, naming the overlay file, line, field and patch operation", () => {
        writeFileSync(path.join(dir, "eodhp/envs/staging/kustomization.yaml"), jsonPatchOverlay("staging", "kargo/{{path[1]}}/test"));
        assert.deepEqual(
            check(dir).map(summary),
            ["web", "hub"].map(
                (app) =>
                    `error ${app} staging eodhp/envs/staging/kustomization.yaml:15 Application "${app}" reads kargo/${app}/test, not kargo/${app}/staging, where the promotion pushes (spec.template.spec.source.targetRevision, set by patches[0], operation 1 (replace))`,
            ),
        );
        const report = formatReport(check(dir));
        assert.match(report, /^error: catalogue\.yaml:2: application "web": name \[staging\]: eodhp\/envs\/staging\/kustomization\.yaml:15: .*targetRevision/m);
    });

    it("finds a missing authorized-stage annotation, naming the overlay and the field", () => {
        const patch = path.join(dir, "eodhp/envs/prod/appset-patch.yaml");
        writeFileSync(patch, readFileSync(patch, "utf8").replace(/ {4}metadata:\n.*\n.*\n/, ""));
        const field = 'spec.template.metadata.annotations["kargo.akuity.io/authorized-stage"]';
        assert.deepEqual(
            check(dir).map(summary),
            ["web", "hub", "events"].map(
                (app) =>
                    `error ${app} prod eodhp/envs/prod/appset-patch.yaml:1 Application "${app}" has no annotation kargo.akuity.io/authorized-stage, not "eodhp:${app}-prod": argocd-update would be refused (${field} is set neither in eodhp/base/apps.yaml nor by the patches of eodhp/envs/prod/kustomization.yaml)`,
            ),
        );
    });

    it("finds a wrong annotation set by a JSON 6902 operation", () => {
        writeFileSync(path.join(dir, "eodhp/envs/test/kustomization.yaml"), jsonPatchOverlay("test").replace("-test", "-staging"));
        assert.deepEqual(
            check(dir).map((f) => `${f.catalogue.app} ${f.repoFile}:${f.repoLine} ${f.message.slice(f.message.indexOf("annotation"))}`),
            ["web", "events"].map(
                (app) =>
                    `${app} eodhp/envs/test/kustomization.yaml:19 annotation kargo.akuity.io/authorized-stage, not "eodhp:${app}-test": argocd-update would be refused (spec.template.metadata.annotations["kargo.akuity.io/authorized-stage"], set by patches[0], operation 2 (add))`,
            ),
        );
    });

    it("finds a directory pattern that misses the app, naming the operation that sets it", () => {
        writeFileSync(path.join(dir, "eodhp/envs/test/kustomization.yaml"), jsonPatchOverlay("test").replace("apps/*/envs/test", "apps/*/env/test"));
        assert.deepEqual(
            check(dir).map(summary),
            [
                ["web", "apps/web/envs/test"],
                ["events", "apps/events/envs/test"],
            ].map(
                ([app, overlay]) =>
                    `warning ${app} test eodhp/envs/test/kustomization.yaml:12 no ApplicationSet generates an Application reading ${overlay}, so argocd-update has nothing to sync: the git directories of ApplicationSet "eodhp" (as eodhp/envs/test/kustomization.yaml builds it) are apps/*/env/test (spec.generators[0].git.directories[0].path, set by patches[0], operation 0 (replace))`,
            ),
        );
    });

    it("reports a patch kustomize would refuse as an error in the overlay", () => {
        writeFileSync(
            path.join(dir, "eodhp/envs/test/kustomization.yaml"),
            jsonPatchOverlay("test").replace("/spec/template/spec/source/targetRevision", "/spec/template/spec/sources/0/targetRevision"),
        );
        const [failure] = check(dir);
        assert.equal(failure.severity, "error");
        assert.equal(`${failure.repoFile}:${failure.repoLine}`, "eodhp/envs/test/kustomization.yaml:15");
        assert.match(
            failure.message,
            /^kustomize cannot build eodhp\/envs\/test\/kustomization\.yaml: patches\[0\], operation 1 \(replace \/spec\/template\/spec\/sources\/0\/targetRevision\): /,
        );
    });
});

describe("check-repo: an ApplicationSet no kustomization includes", () => {
    it("reports a missing annotation at the template's metadata in its own file", () => {
        const dir = mkdtempSync(path.join(tmpdir(), "deploy-plain-"));
        try {
            writeDeploymentRepo(dir, "clean");
            const appSet = path.join(dir, "argocd", "events.yaml");
            writeFileSync(appSet, readFileSync(appSet, "utf8").replace(/ {6}annotations:\n.*\n/, ""));
            assert.deepEqual(
                check(dir).map(summary),
                ["test", "prod"].map(
                    (env) =>
                        `error events ${env} argocd/events.yaml:14 Application "events" has no annotation kargo.akuity.io/authorized-stage, not "eodhp:events-${env}": argocd-update would be refused (argocd/events.yaml has no spec.template.metadata.annotations["kargo.akuity.io/authorized-stage"])`,
                ),
            );
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});

const summary = (f: RepoFinding) => `${f.severity} ${f.catalogue.app} ${f.envs.join(",")} ${f.repoFile}:${f.repoLine} ${f.message}`;

import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parseDocument } from "yaml";
import { UsageError } from "../cli/args";
import { checkRepoCommand, HELP } from "../cli/checkRepo";
import { benchCheckRepo } from "../bench/checkRepoBench";
import { parseCatalogue } from "../core/input/catalogue";
import { environmentShards } from "../core/input/settings";
import { renderTemplate } from "../core/review/applicationSetGenerators";
import { authorizes, checkRepository } from "../core/review/repoCheck";
import { lazyCatalogueSite } from "../core/review/repoFindings";
import { diskRepo } from "../core/review/repoFiles";
import { lookupKey, splitKargoKey } from "../core/review/yamlKey";
import { runScript } from "./support/cli";
import { FIXTURE_CATALOGUE, writeDeploymentRepo } from "./support/deploymentRepo";
import { ENVIRONMENTS, hubSettings } from "./support/fixtures";

function check(dir: string, strict = false) {
    const catalogue = parseCatalogue(FIXTURE_CATALOGUE, "catalogue.yaml", ENVIRONMENTS);
    const settings = hubSettings();
    return checkRepository({
        catalogue,
        site: lazyCatalogueSite("catalogue.yaml", FIXTURE_CATALOGUE),
        shards: environmentShards(settings),
        repo: diskRepo(dir),
        strict,
        gitRepoURL: settings.gitRepoUrl,
    });
}

describe("check-repo: the catalogue against the deployment repository", () => {
    let clean: string;
    let mistaken: string;
    before(() => {
        clean = mkdtempSync(path.join(tmpdir(), "deploy-clean-"));
        mistaken = mkdtempSync(path.join(tmpdir(), "deploy-mistaken-"));
        writeDeploymentRepo(clean, "clean");
        writeDeploymentRepo(mistaken, "mistaken");
    });
    after(() => {
        rmSync(clean, { recursive: true, force: true });
        rmSync(mistaken, { recursive: true, force: true });
    });

    it("finds nothing in a repository that matches the catalogue", () => {
        assert.deepEqual(check(clean), []);
    });

    it("finds every planted mistake, naming the catalogue field, environments and repository file", () => {
        const found = check(mistaken).map((f) =>
            [f.severity, f.catalogue.app ?? "*", f.catalogue.field ?? "", f.envs.join(","), `${f.repoFile}${f.repoLine ? `:${f.repoLine}` : ""}`]
                .filter(Boolean)
                .join(" "),
        );
        assert.deepEqual(found, [
            "error * test,staging,prod .gomplate.yaml",
            "error * argocd/broken.yaml:4",
            "error * staging eodhp/envs/staging/vars.yaml",
            "error web images[1].customPath.key test,staging,prod apps/web/base/values.yaml:2",
            // hub promotes to staging and prod only: test is the target of its dev stage.
            "error hub path test apps/hub/envs/test",
            "error hub images[0].customPath.key test,staging,prod apps/hub/base/values.yaml:3",
            "error hub images[1].customPath.key test,staging,prod apps/hub/base/values.yaml:5",
            "error hub charts[0].generatorFile staging,prod apps/hub/base/chart.yaml:2",
            "error hub charts[1].repoURL prod apps/hub/envs/prod/thing-chart.yaml:5",
            "error hub charts[1].generatorFiles[0] staging apps/hub/envs/staging/thing-chart.yaml:1",
            "error hub charts[1].generatorFiles[1] staging,prod apps/hub/base/thing-extra.yaml",
            // The annotation's line, then the targetRevision's.
            "error events name test argocd/events.yaml:16",
            "error events name prod argocd/events.yaml:16",
            "error events name test argocd/events.yaml:19",
            "error events name prod argocd/events.yaml:19",
            "error events releases[0].updates[0].key test,prod apps/events/base/kustomization.yaml:4",
            "error events releases[0].updates[1].key test,prod apps/events/base/crds.yaml:3",
            "warning * argocd/matrix.yaml:1",
            "warning web images[0].repoURL prod apps/web/envs/prod/kustomization.yaml",
            "warning web images[0].repoURL staging apps/web/envs/staging/kustomization.yaml",
            "warning web images[0].repoURL test apps/web/envs/test/kustomization.yaml",
        ]);
        const messages = check(mistaken).map((f) => f.message);
        for (const expected of [
            'key "side.image" does not resolve: side has no key "image"',
            'hub.image.tag is "not a tag", not a tag',
            'is "elsewhere/sidecar:0.1.0", not registry.example/sidecar:<tag>',
            'kind is "HelmChart", not HelmChartInflationGenerator',
            "pulls oci://ghcr.io/org/charts/thing/thing, but the catalogue subscribes to oci://ghcr.io/org/charts/thing",
            "has no top-level version: key",
            "resources has 1 item(s); index 1 is out of range",
            '"eodhp:event-test" as annotation kargo.akuity.io/authorized-stage, not "eodhp:events-test"',
            "reads main, not kargo/events/prod",
            "no kustomize images: entry names registry.example/web",
        ]) {
            assert.ok(
                messages.some((message) => message.includes(expected)),
                `no finding says: ${expected}`,
            );
        }
    });

    it("--strict turns warnings into errors", () => {
        const strict = check(mistaken, true);
        assert.equal(strict.filter((f) => f.severity === "warning").length, 0);
        assert.equal(strict.length, check(mistaken).length);
    });

    it("reports an Application no ApplicationSet generates when every ApplicationSet could be read", () => {
        const dir = mkdtempSync(path.join(tmpdir(), "deploy-noapp-"));
        try {
            writeDeploymentRepo(dir, "clean");
            rmSync(path.join(dir, "argocd", "events.yaml"));
            assert.deepEqual(
                check(dir).map((f) => [f.severity, f.catalogue.app, f.envs.join(","), f.message]),
                ["test", "prod"].map((env) => [
                    "warning",
                    "events",
                    env,
                    `no ApplicationSet generates an Application reading apps/events/envs/${env}, so argocd-update has nothing to sync`,
                ]),
            );
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    it("finds nothing in a repository laid out as the catalogue says (the bench's synthetic repository)", () => {
        // Five apps: one of each of the synthetic catalogue's stage orders (bench/syntheticCatalogue.ts).
        assert.deepEqual(benchCheckRepo(5).findings, []);
    });

    it("resolves {{env}} in every file the promotion updates, customPath and release files included", () => {
        const parsed = parseCatalogue(FIXTURE_CATALOGUE, "catalogue.yaml", ENVIRONMENTS);
        // The parser does not accept {{env}} there yet; the check must already resolve it.
        const applications = parsed.applications.map((app) => ({
            ...app,
            images: app.images.map((image) =>
                app.name === "web" ? { ...image, customPaths: image.customPaths.map((custom) => ({ ...custom, file: "envs/{{env}}/values.yaml" })) } : image,
            ),
            releases: app.releases.map((release) => ({
                ...release,
                updates: release.updates.map((update) => ({ ...update, file: "envs/{{env}}/crds.yaml" })),
            })),
        }));
        const findings = checkRepository({
            catalogue: { ...parsed, applications },
            site: lazyCatalogueSite("catalogue.yaml", FIXTURE_CATALOGUE),
            shards: environmentShards(hubSettings()),
            repo: diskRepo(clean),
        });
        assert.deepEqual(
            findings.map((f) => `${f.catalogue.field} ${f.envs.join(",")} ${f.repoFile} ${f.message}`),
            [
                "images[1].customPath.file prod apps/web/envs/prod/values.yaml file does not exist",
                "images[1].customPath.file staging apps/web/envs/staging/values.yaml file does not exist",
                "images[1].customPath.file test apps/web/envs/test/values.yaml file does not exist",
                "releases[0].updates[0].file prod apps/events/envs/prod/crds.yaml file does not exist",
                "releases[0].updates[0].file test apps/events/envs/test/crds.yaml file does not exist",
                "releases[0].updates[1].file prod apps/events/envs/prod/crds.yaml file does not exist",
                "releases[0].updates[1].file test apps/events/envs/test/crds.yaml file does not exist",
            ],
        );
    });

    it("accepts an authorized-stage list and warns when the Application is not named after the app", () => {
        assert.ok(authorizes("eodhp:a-test, eodhp : b-prod", "eodhp:b-prod"));
        assert.ok(!authorizes("eodhp:b-prod-2", "eodhp:b-prod"));
        const dir = mkdtempSync(path.join(tmpdir(), "deploy-names-"));
        try {
            writeDeploymentRepo(dir, "clean");
            const appSet = path.join(dir, "argocd", "apps.yaml");
            writeFileSync(appSet, readFileSync(appSet, "utf8").replace('name: "{{path[1]}}"', 'name: "{{path[1]}}-{{path.basename}}"'));
            const found = check(dir).map((f) => `${f.severity} ${f.catalogue.app} ${f.envs.join(",")} ${f.message}`);
            assert.equal(found.length, 5);
            assert.ok(
                found.includes('warning web prod the Application reading apps/web/envs/prod is named "web-prod", but argocd-update syncs the one named "web"'),
                found.join("\n"),
            );
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    it("does not expand a git generator that reads another repository", () => {
        const dir = mkdtempSync(path.join(tmpdir(), "deploy-other-"));
        try {
            writeDeploymentRepo(dir, "clean");
            const appSet = path.join(dir, "argocd", "apps.yaml");
            writeFileSync(appSet, readFileSync(appSet, "utf8").replace("EO-DataHub/eodhp-argocd-deployment.git", "other/repo"));
            assert.deepEqual(
                check(dir).map((f) => `${f.severity} ${f.repoFile}:${f.repoLine} ${f.message}`),
                [
                    "warning argocd/apps.yaml:1 cannot tell which Applications this ApplicationSet generates (its git generator reads https://github.com/other/repo, not this repository); their kargo.akuity.io/authorized-stage annotations and target revisions are not checked",
                ],
            );
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    it("reads Kargo's key syntax: dotted paths, list indexes and escaped dots", () => {
        assert.deepEqual(splitKargoKey("a\\.b.list.0.:1"), ["a.b", "list", "0", "1"]);
        assert.equal(splitKargoKey("a..b"), undefined);
        const document = parseDocument("a.b:\n  list: [x, {y: 2}]\n");
        const found = lookupKey(document, "a\\.b.list.1.y");
        assert.equal(found.found && found.value, 2);
        assert.equal(lookupKey(document, "a\\.b.list.2").found, false);
        assert.equal(lookupKey(document, "a.b").found, false);
    });

    it("renders ApplicationSet placeholders it understands and gives up on the rest", () => {
        assert.equal(renderTemplate("{{ .path.basename }}-x", { path: { basename: "web" } }, true), "web-x");
        assert.equal(renderTemplate("{{path[1]}}", { "path[1]": "hub" }, false), "hub");
        assert.equal(renderTemplate("{{ index .path.segments 1 }}", { path: { segments: ["a", "b"] } }, true), undefined);
    });

    it("npm run check-repo: --help, exit codes, and a catalogue inside the deployment repository", async () => {
        assert.equal((await checkRepoCommand(["--help"])).code, 0);
        for (const flag of ["--repo", "--catalogue", "--stack", "--strict", "--help"]) assert.ok(HELP.includes(flag), flag);
        writeFileSync(path.join(clean, "catalogue.yaml"), FIXTURE_CATALOGUE);
        assert.deepEqual(await checkRepoCommand(["--repo", ".", "--catalogue", "catalogue.yaml"], clean), { code: 0, report: "0 error(s), 0 warning(s)\n" });
        writeFileSync(path.join(mistaken, "catalogue.yaml"), FIXTURE_CATALOGUE);
        const failed = await checkRepoCommand(["--repo", mistaken, "--catalogue", path.join(mistaken, "catalogue.yaml")]);
        assert.equal(failed.code, 1);
        assert.match(failed.report, /^error: .*catalogue\.yaml:12: application "hub": path \[test\]: apps\/hub\/envs\/test: /m);
        assert.match(failed.report, /17 error\(s\), 4 warning\(s\)\n$/);
        await assert.rejects(
            checkRepoCommand(["--repo", clean, "--catalogue", "missing.yaml"], clean),
            (error: Error) => error instanceof UsageError && /--catalogue missing\.yaml: no such file/.test(error.message),
        );
        await assert.rejects(checkRepoCommand(["--repo", path.join(clean, "nope")], clean), UsageError);
        // Misuse through the npm script's own process (the one of this file): one message, exit code 2, no stack trace.
        const misuse = runScript("check-repo", ["--stack", "prod"]);
        assert.equal(misuse.status, 2);
        assert.match(misuse.stderr, /^error: --repo is required\nusage: npm run check-repo/);
    });
});

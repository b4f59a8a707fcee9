import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parseCatalogue } from "../core/input/catalogue";
import { environmentShards } from "../core/input/settings";
import { checkRepository } from "../core/review/repoCheck";
import { lazyCatalogueSite } from "../core/review/repoFindings";
import { diskRepo } from "../core/review/repoFiles";
import { FIXTURE_CATALOGUE, writeDeploymentRepo } from "./support/deploymentRepo";
import { ENVIRONMENTS, hubSettings } from "./support/fixtures";

function check(dir: string) {
    const settings = hubSettings();
    return checkRepository({
        catalogue: parseCatalogue(FIXTURE_CATALOGUE, "catalogue.yaml", ENVIRONMENTS),
        site: lazyCatalogueSite("catalogue.yaml", FIXTURE_CATALOGUE),
        shards: environmentShards(settings),
        repo: diskRepo(dir),
        gitRepoURL: settings.project.gitRepoURL,
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
});

import { strict as assert } from "node:assert";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { renderCommand } from "../cli/render";
import { checkProjectStacks, PROJECT_ROOT as ROOT } from "../core/plan/stackFiles";
import { formatProblem, InputError } from "../core/input/errors";

/** Every `Pulumi.<stack>.yaml` in `dir`, checked as a set as `npm run render` checks it, as the problems print. */
function stackSetProblems(dir: string): string[] {
    try {
        checkProjectStacks(dir);
        return [];
    } catch (error) {
        if (!(error instanceof InputError)) throw error;
        return error.problems.map(formatProblem);
    }
}

describe("stack settings: the hub and its spokes agree", () => {
    it("in every shipped stack file", () => {
        assert.deepEqual(stackSetProblems(ROOT), []);
    });

    it("and each mismatch names the spoke's file and line, and the hub's", () => {
        const dir = mkdtempSync(path.join(tmpdir(), "stack-set-"));
        try {
            for (const file of ["Pulumi.yaml", "Pulumi.prod.yaml"]) copyFileSync(path.join(ROOT, file), path.join(dir, file));
            const test = readFileSync(path.join(ROOT, "Pulumi.test.yaml"), "utf8")
                .replace("shardName: test-shard", "shardName: tst")
                .replace("chartVersion: 1.11.2", "chartVersion: 1.11.1")
                .replace("hub-kubeconfig-test", "x")
                .replace("eksClusterName: eodhp-test", "eksClusterName: eodhp-prod")
                .replace("eodhp-argocd-deployment.git", "other.git")
                .replace("git-credentials-test", "git-credentials-prod");
            writeFileSync(path.join(dir, "Pulumi.test.yaml"), test);
            writeFileSync(path.join(dir, "Pulumi.qa.yaml"), readFileSync(path.join(ROOT, "Pulumi.staging.yaml"), "utf8").replaceAll("staging", "qa"));
            assert.deepEqual(stackSetProblems(dir), [
                'Pulumi.prod.yaml:27: stack "prod": eodhp-kargo:remoteShards[1]: remote shard staging-shard (staging) has no spoke stack: add a Pulumi.<stack>.yaml with role shard',
                'Pulumi.qa.yaml:5: stack "qa": eodhp-kargo:environment: qa is not declared in the hub\'s environments (test, staging, prod; Pulumi.prod.yaml)',
                'Pulumi.qa.yaml:5: stack "qa": eodhp-kargo:environment: the hub\'s remoteShards (Pulumi.prod.yaml:19) has no entry for qa',
                'Pulumi.test.yaml:6: stack "test": eodhp-kargo:shardName: tst differs from the hub\'s test-shard (Pulumi.prod.yaml:21)',
                'Pulumi.test.yaml:8: stack "test": eodhp-kargo:chartVersion: 1.11.1 differs from the hub\'s 1.11.2 (Pulumi.prod.yaml:11)',
                'Pulumi.test.yaml:10: stack "test": eodhp-kargo:hubKubeconfigSecretName: eodhp/kargo/x differs from the hub\'s eodhp/kargo/hub-kubeconfig-test (Pulumi.prod.yaml:22)',
                'Pulumi.test.yaml:11: stack "test": eodhp-kargo:eksClusterName: eodhp-prod is also stack prod\'s cluster (Pulumi.prod.yaml:9); each stack needs a cluster of its own',
                'Pulumi.test.yaml:12: stack "test": eodhp-kargo:gitRepoUrl: https://github.com/EO-DataHub/other.git differs from the hub\'s https://github.com/EO-DataHub/eodhp-argocd-deployment.git (Pulumi.prod.yaml:33)',
                'Pulumi.test.yaml:14: stack "test": eodhp-kargo:gitCredentialsSecretName: eodhp/kargo/git-credentials-prod is the hub\'s own credential (Pulumi.prod.yaml:35); give each environment its own (docs/git-credentials.md)',
            ]);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    it("reports every stack file's own problems first, then the set's once they read", () => {
        const dir = mkdtempSync(path.join(tmpdir(), "stack-set-"));
        try {
            for (const file of ["Pulumi.yaml", "Pulumi.prod.yaml", "Pulumi.staging.yaml", "catalogue.yaml"])
                copyFileSync(path.join(ROOT, file), path.join(dir, file));
            const test = readFileSync(path.join(ROOT, "Pulumi.test.yaml"), "utf8").replace("chartVersion: 1.11.2", "chartVersion: 1.11.1");
            writeFileSync(path.join(dir, "Pulumi.test.yaml"), test.replace("config:\n", "config:\n  eodhp-kargo:shardNmae: x\n"));
            const problems = stackSetProblems(dir);
            assert.equal(problems.length, 1, problems.join("\n"));
            assert.match(problems[0], /^Pulumi\.test\.yaml:\d+: .*shardNmae.*shardName/);
            writeFileSync(path.join(dir, "Pulumi.test.yaml"), test);
            assert.deepEqual(
                stackSetProblems(dir).map((problem) => problem.split(": ")[0]),
                ["Pulumi.test.yaml:8"],
            );
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    it("npm run render refuses a stack set that disagrees, naming the file and line, and writes nothing", async () => {
        const dir = mkdtempSync(path.join(tmpdir(), "stack-set-"));
        try {
            for (const file of ["Pulumi.yaml", "Pulumi.prod.yaml", "Pulumi.staging.yaml", "catalogue.yaml"])
                copyFileSync(path.join(ROOT, file), path.join(dir, file));
            const test = readFileSync(path.join(ROOT, "Pulumi.test.yaml"), "utf8").replace("chartVersion: 1.11.2", "chartVersion: 1.11.1");
            writeFileSync(path.join(dir, "Pulumi.test.yaml"), test);
            const out = path.join(dir, "out");
            await assert.rejects(
                renderCommand(["--stack", "prod", "--out", out], undefined, dir),
                /Pulumi\.test\.yaml:8: .*1\.11\.1 differs from the hub's 1\.11\.2/,
            );
            assert.equal(existsSync(out), false);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    it("one render reports a stack-file typo, a catalogue key typo and a duplicate name together, and writes nothing", async () => {
        const dir = mkdtempSync(path.join(tmpdir(), "stack-set-"));
        try {
            for (const file of ["Pulumi.yaml", "Pulumi.test.yaml", "Pulumi.staging.yaml"]) copyFileSync(path.join(ROOT, file), path.join(dir, file));
            writeFileSync(
                path.join(dir, "Pulumi.prod.yaml"),
                readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8").replace("eodhp-kargo:environment:", "eodhp-kargo:enviroment:"),
            );
            writeFileSync(path.join(dir, "catalogue.yaml"), "applications:\n  - name: a\n    path: apps/a\n    imagse: []\n  - name: a\n    path: apps/b\n");
            const out = path.join(dir, "out");
            await assert.rejects(renderCommand(["--stack", "prod", "--out", out], undefined, dir), (error: InputError) => {
                assert.deepEqual(error.problems.map(formatProblem), [
                    'Pulumi.prod.yaml:6: stack "prod": eodhp-kargo:enviroment: unknown key (did you mean "environment"?)',
                    'Pulumi.prod.yaml: stack "prod": eodhp-kargo:environment: is required; set it with: pulumi config set environment <value> --stack prod',
                    'catalogue.yaml:4: application "a": imagse: unknown key "imagse" (did you mean "images"?); allowed keys: name, path, stages, images, charts, releases',
                    'catalogue.yaml:5: application "a": name: duplicate application name; applications[0] already uses it',
                ]);
                return true;
            });
            assert.equal(existsSync(out), false);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});

import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { diffCommand, diffMain } from "../cli/diff";
import type { Renderer } from "../cli/render";
import { renderStack } from "../cli/renderRuntime";
import { runInProcess } from "./support/cli";
import { ROOT, SHIPPED_CATALOGUE } from "./support/fixtures";
import { ONE_APP_CATALOGUE, render } from "./support/render";

describe("diff: field-level changes between catalogues", () => {
    describe("npm run diff", () => {
        let dir: string;
        before(() => {
            dir = mkdtempSync(path.join(tmpdir(), "diff-"));
        });
        after(() => rmSync(dir, { recursive: true, force: true }));

        it("prints what a catalogue change would do and exits 1", async () => {
            const changed = path.join(dir, "changed.yaml");
            writeFileSync(
                changed,
                SHIPPED_CATALOGUE.replace('constraint: ">=0.5.2"', 'constraint: ">=0.6.0"').replace(
                    "- name: nginx\n    path: apps/nginx\n",
                    "- name: nginx\n    path: apps/nginx\n    stages: [test, prod]\n",
                ),
            );
            // Through the command's entry: the report on stdout, exit code 1.
            const { status, stdout } = await runInProcess(diffMain(render), [
                "--stack",
                "prod",
                "--base",
                path.join(ROOT, "catalogue.yaml"),
                "--catalogue",
                changed,
            ]);
            assert.equal(status, 1);
            assert.equal(
                stdout,
                [
                    // A deleted object shows what goes with it.
                    "- Role eodhp/nginx-kargo-controller-staging (delete)",
                    "    rule: patch, promote on stages nginx-staging (kargo.akuity.io)",
                    "    rule: patch on stages/status nginx-staging (kargo.akuity.io)",
                    "- RoleBinding eodhp/nginx-kargo-controller-staging (delete)",
                    "    grants Role nginx-kargo-controller-staging to ServiceAccount kargo/kargo-controller-staging",
                    "~ Stage eodhp/nginx-prod (update)",
                    '    - spec.requestedFreight[nginx-config].sources.stages[nginx-staging]: "nginx-staging"',
                    '    + spec.requestedFreight[nginx-config].sources.stages[nginx-test]: "nginx-test"',
                    '    - spec.requestedFreight[nginx-images].sources.stages[nginx-staging]: "nginx-staging"',
                    '    + spec.requestedFreight[nginx-images].sources.stages[nginx-test]: "nginx-test"',
                    "- Stage eodhp/nginx-staging (delete)",
                    "    shard: staging-shard",
                    "    requests Freight of Warehouse nginx-config from stages nginx-test",
                    "    requests Freight of Warehouse nginx-images from stages nginx-test",
                    "    vars: repoURL=https://github.com/EO-DataHub/eodhp-argocd-deployment.git, appName=nginx, appPath=apps/nginx, targetEnv=staging, configWarehouse=nginx-config, isDevStage=false",
                    "    step checkout: task promote-checkout",
                    "    step charts-0: yaml-update ./src/apps/nginx/base/nginx-ingress-chart.yaml (version)",
                    "    step promote: task promote",
                    "~ Warehouse eodhp/auth-agent-images (update)",
                    '    ~ spec.subscriptions[0].image.constraint: ">=0.5.2" → ">=0.6.0"',
                    "0 to create, 2 to update, 3 to delete",
                    "",
                ].join("\n"),
            );
        });

        it("adding an application creates only its own objects and leaves the shared tasks unchanged", async () => {
            const added = path.join(dir, "added.yaml");
            const entry = [
                "  - name: zz-new",
                "    path: apps/zz-new",
                "    images:",
                "      - repoURL: public.ecr.aws/eodh/zz-new",
                "        enableDevTags: true",
                "        customPath: { file: base/values.yaml, key: image.tag, valueType: tag }",
                "    charts:",
                '      - { name: c, repoURL: https://charts.example.com, generatorFiles: [base/c.yaml, "envs/{{env}}/c.yaml"] }',
                "",
            ].join("\n");
            writeFileSync(added, `${SHIPPED_CATALOGUE.trimEnd()}\n\n${entry}`);
            const { code, report } = await diffCommand(["--stack", "prod", "--base", path.join(ROOT, "catalogue.yaml"), "--catalogue", added], render);
            assert.equal(code, 1);
            // Only its own objects: its `promote` grants are its own Roles, so no shared object changes.
            const keys = report.split("\n").filter((line) => /^[-+~] /.test(line));
            assert.deepEqual(keys, [
                ...["Role", "RoleBinding"].flatMap((kind) => ["staging", "test"].map((env) => `+ ${kind} eodhp/zz-new-kargo-controller-${env} (create)`)),
                ...["zz-new-dev", "zz-new-prod", "zz-new-staging", "zz-new-test"].map((name) => `+ Stage eodhp/${name} (create)`),
                ...["zz-new-config", "zz-new-dev-images", "zz-new-images"].map((name) => `+ Warehouse eodhp/${name} (create)`),
            ]);
            assert.match(report, /\n11 to create, 0 to update, 0 to delete\n$/);
            // What each created object carries: what the Warehouses subscribe to, what the Stages request and do, who may promote.
            const block = (key: string) => {
                const lines = report.split("\n");
                const start = lines.indexOf(key);
                const end = lines.findIndex((line, index) => index > start && !line.startsWith("    "));
                return lines.slice(start + 1, end).map((line) => line.trim());
            };
            assert.deepEqual(block("+ Warehouse eodhp/zz-new-images (create)"), [
                "shard: prod-shard",
                "freight creation: Automatic",
                "freight only when: imageFrom('public.ecr.aws/eodh/zz-new').Tag matches '^v?[0-9]+\\\\.[0-9]+\\\\.[0-9]+'",
                'subscribes to image public.ecr.aws/eodh/zz-new (discoveryLimit 5, imageSelectionStrategy "SemVer")',
                "subscribes to chart c from https://charts.example.com (discoveryLimit 5)",
            ]);
            assert.deepEqual(block("+ Warehouse eodhp/zz-new-dev-images (create)"), [
                "shard: prod-shard",
                "freight creation: Manual",
                'subscribes to image public.ecr.aws/eodh/zz-new (discoveryLimit 20, imageSelectionStrategy "NewestBuild")',
                "subscribes to chart c from https://charts.example.com (discoveryLimit 5)",
            ]);
            assert.deepEqual(block("+ Stage eodhp/zz-new-staging (create)"), [
                "shard: staging-shard",
                "requests Freight of Warehouse zz-new-config from stages zz-new-test",
                "requests Freight of Warehouse zz-new-images from stages zz-new-test",
                "vars: repoURL=https://github.com/EO-DataHub/eodhp-argocd-deployment.git, appName=zz-new, appPath=apps/zz-new, targetEnv=staging, configWarehouse=zz-new-config, isDevStage=false",
                "step checkout: task promote-checkout",
                "step charts-0: yaml-update ./src/apps/zz-new/base/c.yaml (version)",
                "step charts-1: yaml-update ./src/apps/zz-new/envs/staging/c.yaml (version)",
                "step images-0: yaml-update ./src/apps/zz-new/base/values.yaml (image.tag)",
                "step promote: task promote",
            ]);
            assert.deepEqual(block("+ Stage eodhp/zz-new-dev (create)").slice(0, 3), [
                "shard: test-shard",
                "requests Freight of Warehouse zz-new-config directly",
                "requests Freight of Warehouse zz-new-dev-images directly",
            ]);
            assert.deepEqual(block("+ Role eodhp/zz-new-kargo-controller-staging (create)"), [
                "rule: patch, promote on stages zz-new-staging (kargo.akuity.io)",
                "rule: patch on stages/status zz-new-staging (kargo.akuity.io)",
            ]);
            assert.deepEqual(block("+ RoleBinding eodhp/zz-new-kargo-controller-staging (create)"), [
                "grants Role zz-new-kargo-controller-staging to ServiceAccount kargo/kargo-controller-staging",
            ]);
        });

        describe("against a git revision", () => {
            let project: string;
            const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...args], { cwd: project, stdio: "pipe" });
            before(() => {
                project = path.join(dir, "project");
                execFileSync("git", ["init", "-q", project]);
                for (const file of ["Pulumi.yaml", "Pulumi.prod.yaml"]) writeFileSync(path.join(project, file), readFileSync(path.join(ROOT, file)));
                // One application is catalogue enough here (half the registrations): what is compared is where the base comes from.
                writeFileSync(path.join(project, "catalogue.yaml"), readFileSync(ONE_APP_CATALOGUE));
                git("add", ".");
                git("commit", "-qm", "base");
            });

            it("renders the catalogue and stack file at that revision, and exits 0 when nothing changes", async () => {
                // The base (the revision's files in a temporary project) is rendered afresh: the cache would hand
                // both sides the very same result, and a diff of a render with itself could not fail.
                const renderBaseAfresh: Renderer = (options) => (options.projectRoot === project ? render(options) : renderStack(options));
                const { code, report } = await diffCommand(["--stack", "prod", "--base", "HEAD"], renderBaseAfresh, project);
                assert.equal(report, "0 to create, 0 to update, 0 to delete\n");
                assert.equal(code, 0);
            });

            it("shows a changed secret input as changed, without its value", async () => {
                // The published kubeconfigs hold the hub's API endpoint, which comes from its EKS cluster: a secret input.
                const stackFile = path.join(project, "Pulumi.prod.yaml");
                const shipped = readFileSync(stackFile, "utf8");
                writeFileSync(stackFile, shipped.replace("eksClusterName: eodhp-prod", "eksClusterName: eodhp-prod-2"));
                try {
                    const { code, report } = await diffCommand(["--stack", "prod", "--base", "HEAD"], render, project);
                    assert.equal(code, 1);
                    assert.deepEqual(
                        report.split("\n").filter((line) => line.includes("secretString")),
                        ["    ~ secretString: [secret] changed (value not shown)", "    ~ secretString: [secret] changed (value not shown)"],
                    );
                    assert.equal(
                        report
                            .split("\n")
                            .filter((line) => line.startsWith("~"))
                            .join("\n"),
                        [
                            ...["staging", "test"].map((spoke) => `~ aws:secretsmanager/secretVersion:SecretVersion kargo-hub-${spoke}-kubeconfig (update)`),
                            // Another EKS cluster is another cluster identity for the provider (docs/adoption.md).
                            "~ pulumi:providers:kubernetes kubernetes (update)",
                        ].join("\n"),
                    );
                    // The cluster's ARN is no secret; the kubeconfigs' content (endpoint, token) never shows.
                    const secretInputs = report.replace(/^ +~ clusterIdentifier: .*$/m, "");
                    assert.doesNotMatch(secretInputs, /offline-render|eodhp-prod-2/);
                } finally {
                    writeFileSync(stackFile, shipped);
                }
            });

            it("compares a spoke's stack file too", async () => {
                const spokeFile = path.join(project, "Pulumi.test.yaml");
                writeFileSync(spokeFile, readFileSync(path.join(ROOT, "Pulumi.test.yaml")));
                git("add", "Pulumi.test.yaml");
                git("commit", "-qm", "the test spoke");
                writeFileSync(spokeFile, readFileSync(spokeFile, "utf8").replace("clusterSecretStore: aws-secrets-manager", "clusterSecretStore: aws-sm-test"));
                try {
                    const { code, report } = await diffCommand(["--stack", "test", "--base", "HEAD"], render, project);
                    assert.equal(code, 1);
                    assert.match(
                        report,
                        /^~ ExternalSecret kargo\/kargo-hub-kubeconfig \(update\)\n {4}~ spec\.secretStoreRef\.name: "aws-secrets-manager" → "aws-sm-test"$/m,
                    );
                } finally {
                    git("checkout", "-q", "--", "Pulumi.test.yaml");
                }
            });

            it("also shows what a change to the stack file would do, naming <ref>:<file> on errors", async () => {
                const stackFile = path.join(project, "Pulumi.prod.yaml");
                const shipped = readFileSync(stackFile, "utf8");
                writeFileSync(stackFile, shipped.replace("config:\n", "config:\n  eodhp-kargo:autoPromotedEnvironments: [test, staging]\n"));
                const { code, report } = await diffCommand(["--stack", "prod", "--base", "HEAD"], render, project);
                assert.equal(code, 1);
                assert.match(report, /^~ ProjectConfig eodhp\/eodhp \(update\)\n {4}\+ spec\.promotionPolicies\[1\]: .*"staging"/m);
                assert.match(report, /\n0 to create, 1 to update, 0 to delete\n$/);
                writeFileSync(
                    stackFile,
                    shipped.replace("config:\n", "config:\n  eodhp-kargo:autoPromotedEnvironments: [test, staging]\n  eodhp-kargo:nope: 1\n"),
                );
                git("commit", "-qam", "bad base");
                writeFileSync(stackFile, shipped);
                await assert.rejects(
                    diffCommand(["--stack", "prod", "--base", "HEAD"], render, project),
                    /HEAD:Pulumi\.prod\.yaml:6: stack "prod": eodhp-kargo:nope: unknown key/,
                );
            });
        });

        it("fails clearly on a base that is neither file nor revision, a spoke given a catalogue, or a bad catalogue", async () => {
            await assert.rejects(
                diffCommand(["--stack", "prod", "--base", "no-such-ref"], render),
                /--base no-such-ref: neither a file nor a git revision holding catalogue\.yaml/,
            );
            await assert.rejects(
                diffCommand(["--stack", "test", "--base", "HEAD", "--catalogue", path.join(ROOT, "catalogue.yaml")], render),
                /stack test is a spoke: it has no catalogue; leave out --catalogue/,
            );
            await assert.rejects(
                diffCommand(["--stack", "test", "--base", path.join(ROOT, "catalogue.yaml")], render),
                /--base .*catalogue\.yaml: not a git revision/,
                "a spoke compares its stack file at a revision only",
            );
            await assert.rejects(
                diffCommand(["--stack", "prod"], render),
                /--base is required\nusage: npm run diff -- --stack STACK --base GIT-REF\|FILE \[--catalogue FILE\] \[--help\]/,
            );
            const bad = path.join(dir, "bad.yaml");
            writeFileSync(bad, "applications:\n  - name: a\n");
            await assert.rejects(diffCommand(["--stack", "prod", "--base", bad], render), /bad\.yaml:2: application "a": path: is required/);
        });
    });
});

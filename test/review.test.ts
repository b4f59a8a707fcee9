import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { compareStack } from "../cli/diff";
import { reviewCommand, reviewMain } from "../cli/review";
import { GITHUB_COMMENT_LIMIT } from "../core/review/commentBudget";
import type { ObjectChange } from "../core/review/objectDiff";
import { changedPipelines, reviewMarkdown, reviewSummary } from "../core/review/reviewMarkdown";
import { appPipeline } from "../core/project/pipeline";
import { runInProcess, runScript } from "./support/cli";
import { catalogueOf, ROOT } from "./support/fixtures";
import { ONE_APP_CATALOGUE, render } from "./support/render";

const NEW_APP = [
    "",
    "  - name: zz-new",
    "    path: apps/zz-new",
    "    images:",
    "      - repoURL: public.ecr.aws/eodh/zz-new",
    '        constraint: ">=1.0.0"',
    "        enableDevTags: true",
    "",
].join("\n");

/** The part of a Markdown text inside the first fence of `language`. */
function fenced(markdown: string, language: string): string {
    const start = markdown.indexOf("```" + language + "\n");
    assert.notEqual(start, -1, `no ${language} block in:\n${markdown}`);
    return markdown.slice(start, markdown.indexOf("\n```\n", start));
}

describe("review: a change as Markdown for the pull request", () => {
    let project: string;
    let catalogue: string;
    const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...args], { cwd: project, stdio: "pipe" });
    const review = (...argv: string[]) => reviewCommand(argv, render, project, project);

    before(() => {
        project = mkdtempSync(path.join(tmpdir(), "review-"));
        execFileSync("git", ["init", "-q", project]);
        for (const file of ["Pulumi.yaml", "Pulumi.prod.yaml", "Pulumi.test.yaml", "Pulumi.staging.yaml"]) {
            writeFileSync(path.join(project, file), readFileSync(path.join(ROOT, file)));
        }
        catalogue = readFileSync(ONE_APP_CATALOGUE, "utf8");
        writeFileSync(path.join(project, "catalogue.yaml"), catalogue);
        git("add", ".");
        git("commit", "-qm", "base");
    });
    afterEach(() => git("checkout", "-q", "--", "."));
    after(() => rmSync(project, { recursive: true, force: true }));

    it("after adding an app: a summary, its Stages and what they request, what its Warehouses subscribe to, and its pipeline in Mermaid", async () => {
        writeFileSync(path.join(project, "catalogue.yaml"), catalogue + NEW_APP);
        const { code, report } = await review("--base", "HEAD");
        assert.equal(code, 0);
        assert.ok(report.startsWith("## Kargo review against `HEAD`\n\n**prod: 11 to create; staging, test: no change**\n\n### prod: 11 to create\n"), report);
        for (const stage of ["zz-new-dev", "zz-new-test", "zz-new-staging", "zz-new-prod"])
            assert.match(report, new RegExp(`^\\+ Stage eodhp/${stage} \\(create\\)$`, "m"));
        assert.match(
            report,
            /^\+ Stage eodhp\/zz-new-staging \(create\)\n {4}shard: staging-shard\n {4}requests Freight of Warehouse zz-new-config from stages zz-new-test\n/m,
        );
        assert.match(
            report,
            /^\+ Warehouse eodhp\/zz-new-images \(create\)\n(?: {4}.*\n)* {4}subscribes to image public\.ecr\.aws\/eodh\/zz-new \(constraint ">=1\.0\.0", discoveryLimit 5, imageSelectionStrategy "SemVer"\)\n/m,
        );
        // Only the pipeline that changes is drawn: the new app's, with its Warehouses feeding its first Stages.
        const mermaid = fenced(report, "mermaid");
        assert.match(mermaid, /^```mermaid\nflowchart LR\n {4}subgraph n_zz_new\["zz-new"\]\n/);
        assert.match(mermaid, /n_zz_new_images -- auto --> n_zz_new_test/);
        assert.doesNotMatch(mermaid, /one.app/);
        // The Stages' 28 lines fold; the Warehouses' 13 stay open.
        assert.match(report, /<details><summary><b>Stage: 4 to create<\/b> \(28 lines\)<\/summary>/);
        assert.match(report, /\n\*\*Warehouse: 3 to create\*\*\n\n```diff\n/);
    });

    it("a spoke's stack-file change shows under that spoke, in the order the stacks were asked for", async () => {
        const file = path.join(project, "Pulumi.test.yaml");
        writeFileSync(file, readFileSync(file, "utf8").replace("clusterSecretStore: aws-secrets-manager", "clusterSecretStore: aws-sm-test"));
        const { code, report } = await review("--base", "HEAD", "--stack", "test,prod");
        assert.equal(code, 0);
        assert.equal(
            report,
            [
                "## Kargo review against `HEAD`",
                "",
                "**test: 2 to update; prod: no change**",
                "",
                "### test: 2 to update",
                "",
                "#### Objects",
                "",
                "**ExternalSecret: 2 to update**",
                "",
                "```diff",
                "~ ExternalSecret eodhp/git-credentials (update)",
                '    ~ spec.secretStoreRef.name: "aws-secrets-manager" → "aws-sm-test"',
                "~ ExternalSecret kargo/kargo-hub-kubeconfig (update)",
                '    ~ spec.secretStoreRef.name: "aws-secrets-manager" → "aws-sm-test"',
                "```",
                "",
            ].join("\n"),
        );
    });

    it("a stack new since the base: everything it registers is to be created", async () => {
        // compareStack alone: the stack set's own checks (a spoke the hub does not know) belong to the whole review.
        writeFileSync(path.join(project, "Pulumi.qa.yaml"), readFileSync(path.join(project, "Pulumi.test.yaml"), "utf8"));
        try {
            const changes = await compareStack("qa", "HEAD", { render, projectRoot: project });
            assert.ok(changes.length > 0);
            assert.deepEqual(new Set(changes.map((change) => change.kind)), new Set(["created"]));
            assert.ok(changes.some((change) => change.key === "ExternalSecret kargo/kargo-hub-kubeconfig"));
        } finally {
            rmSync(path.join(project, "Pulumi.qa.yaml"));
        }
    });

    it("a stack that does not render is reviewed as such, naming file and line, and exits 1", async () => {
        writeFileSync(path.join(project, "catalogue.yaml"), `${catalogue}  - name: Bad_Name\n    path: apps/x\n`);
        const { code, report } = await review("--base", "HEAD");
        assert.equal(code, 1);
        assert.match(report, /^\*\*prod: does not render; staging, test: no change\*\*$/m);
        assert.match(report, /### prod\n\n\*\*Does not render\*\*.*\n\n```text\ncatalogue\.yaml:\d+: application "Bad_Name": /);
    });

    it("a base that fails this revision's checks is not compared, and the review still passes", async () => {
        // A rule added since the base: the base's catalogue put prod before staging, which this revision refuses.
        writeFileSync(path.join(project, "catalogue.yaml"), catalogue.replace("path: apps/one-app", "path: apps/one-app\n    stages: [test, prod, staging]"));
        git("commit", "-qam", "a base the rules now refuse");
        try {
            writeFileSync(path.join(project, "catalogue.yaml"), catalogue);
            const { code, report } = await review("--base", "HEAD");
            assert.equal(code, 0);
            assert.match(report, /^\*\*prod: not compared; staging, test: no change\*\*$/m);
            assert.match(
                report,
                /### prod\n\n\*\*Not compared\*\*: it renders, but its files at `HEAD` do not pass this revision's checks.*\n\n```text\nHEAD:catalogue\.yaml:\d+: .*staging comes after prod/,
            );
        } finally {
            git("reset", "-q", "--hard", "HEAD~1");
        }
    });

    it("--repo adds check-repo's findings against the checkout, and its errors exit 1", async () => {
        const repo = path.join(project, "empty-deployment-repo");
        mkdirSync(repo);
        const { code, report } = await review("--base", "HEAD", "--repo", "empty-deployment-repo");
        assert.equal(code, 1);
        assert.match(report, /^### check-repo against `empty-deployment-repo`: [1-9]\d* error\(s\), \d+ warning\(s\)\n/m);
        assert.match(fenced(report, "text"), /\nerror: catalogue\.yaml:\d+: application "one-app": .*does not exist/);
        rmSync(repo, { recursive: true });
    });

    it("misuse: a missing --base, an unknown stack or revision, --help", async () => {
        const run = (...argv: string[]) => runInProcess(reviewMain(render), argv);
        const help = await run("--help");
        assert.equal(help.status, 0);
        for (const flag of ["--base GIT-REF", "--repo DIR", "--stack NAME[,NAME]", "--max-chars N"]) assert.ok(help.stdout.includes(flag), flag);
        const unknown = await run("--base", "HEAD", "--stack", "qa");
        assert.deepEqual([unknown.status, unknown.stderr], [2, "error: --stack qa: no such stack; the stacks are prod, staging, test\n"]);
        assert.equal((await run("--base", "HEAD", "--max-chars", "70000")).status, 2);
        await assert.rejects(review("--base", "no-such-ref"), /--base no-such-ref: neither a file nor a git revision holding catalogue\.yaml/);
        // Through the npm script's own process: one message, exit code 2, nothing on stdout.
        const misuse = runScript("review", []);
        assert.deepEqual([misuse.status, misuse.stdout], [2, ""]);
        assert.match(misuse.stderr, /^error: --base is required\nusage: npm run review -- --base GIT-REF/);
    });
});

describe("review: the Markdown itself", () => {
    const created = (key: string, lines: number): ObjectChange => ({
        kind: "created",
        key,
        after: { kind: "Role", rules: Array.from({ length: lines }, (_, index) => ({ verbs: ["get"], resources: [`r${index}`] })) },
    });

    it("the summary names each stack's counts, and groups the stacks without change", () => {
        const changed: ObjectChange = { kind: "changed", key: "Stage eodhp/a-prod", fields: [] };
        assert.equal(
            reviewSummary([
                { stack: "prod", changes: [created("Role eodhp/a", 1), changed] },
                { stack: "staging", changes: [] },
                { stack: "qa", error: "x" },
                { stack: "test", changes: [] },
            ]),
            "prod: 1 to create, 1 to update; qa: does not render; staging, test: no change",
        );
    });

    it("stays under the limit, cutting the largest blocks first and saying what it cut", () => {
        const big = Array.from({ length: 400 }, (_, index) => created(`Role eodhp/r${index}`, 3));
        const small = [created("Role eodhp/only", 1)];
        const mermaid = `flowchart LR\n${"    n_a -- auto --> n_b\n".repeat(2000)}`;
        const input = {
            base: "origin/main",
            stacks: [
                { stack: "prod", changes: big, pipelines: { mermaid, removedApps: ["gone"] } },
                { stack: "test", changes: small },
            ],
        };
        const whole = reviewMarkdown({ ...input, limit: GITHUB_COMMENT_LIMIT * 10 });
        assert.doesNotMatch(whole, /Cut/);
        const cut = reviewMarkdown({ ...input, limit: 20_000 });
        assert.ok(cut.length <= 20_000, `${cut.length} characters`);
        assert.match(cut, /> Cut to fit one comment \(20000 characters\): prod: Role: 400 to create: \d+ of 1600 lines; prod: pipelines: the diagram\./);
        // The diagram goes whole (half a graph does not draw); the removed app is still named; the small stack stays whole.
        assert.doesNotMatch(cut, /```mermaid/);
        assert.match(cut, /Removed: `gone`/);
        assert.match(cut, /\+ Role eodhp\/only \(create\)\n {4}rule: get on r0\n```/);
        assert.match(cut, /\*Cut here: \d+ of 1600 lines left out to fit one comment; `npm run diff -- --stack prod --base origin\/main` prints them all\.\*/);
    });

    it("a fence is longer than any run of backticks in what it holds", () => {
        const change: ObjectChange = { kind: "changed", key: "ConfigMap a", fields: [{ kind: "changed", path: "data.x", before: "```", after: "````" }] };
        assert.match(reviewMarkdown({ base: "b", stacks: [{ stack: "prod", changes: [change] }], limit: 10_000 }), /\n`````diff\n~ ConfigMap a/);
    });

    it("the pipelines that change: those with a changed Warehouse or Stage, and apps whose Stages are deleted", () => {
        const apps = catalogueOf([
            { name: "a", path: "apps/a", images: [{ repoURL: "r/a" }] },
            { name: "b", path: "apps/b", images: [{ repoURL: "r/b" }] },
        ]).applications;
        const shards = new Map([
            ["test", "test-shard"],
            ["staging", "staging-shard"],
            ["prod", "prod-shard"],
        ]);
        const pipelines = apps.map((app) => appPipeline(app, shards, "test"));
        const changes: ObjectChange[] = [
            { kind: "changed", key: "Stage eodhp/b-prod", fields: [] },
            { kind: "changed", key: "Role eodhp/a-promote-staging", fields: [] },
            { kind: "deleted", key: "Stage eodhp/c-test", before: { metadata: { labels: { "eodatahub.org.uk/application": "c" } } } },
        ];
        const result = changedPipelines("eodhp", pipelines, changes);
        assert.deepEqual([result.pipelines.map((pipeline) => pipeline.app.name), result.removedApps], [["b"], ["c"]]);
    });
});

import { strict as assert } from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { validateAction, validateWorkflow } from "@action-validator/core";
import { parse } from "yaml";
import { projectStacks, readStackSettings } from "../core/plan/stackFiles";
import { ROOT } from "./support/fixtures";

type Json = Record<string, any>;

const WORKFLOWS = path.join(ROOT, ".github", "workflows");
const ACTIONS = path.join(ROOT, ".github", "actions");
const workflowFiles = readdirSync(WORKFLOWS).filter((file) => file.endsWith(".yml"));
const text = (file: string) => readFileSync(path.join(WORKFLOWS, file), "utf8");
const workflow = (file: string) => parse(text(file)) as Json;
const actionFiles = readdirSync(ACTIONS).map((name) => path.join(ACTIONS, name, "action.yml"));

/** Every `uses:` of a workflow or composite action file, with the version comment after it. */
function uses(source: string): Array<{ target: string; comment?: string }> {
    return [...source.matchAll(/^\s*(?:- )?uses: (\S+)(?: # (\S+))?$/gm)].map(([, target, comment]) => ({ target, comment }));
}

const hub = projectStacks(ROOT).find((stack) => readStackSettings(stack, ROOT).role === "hub") as string;
const spokes = projectStacks(ROOT).filter((stack) => stack !== hub);

describe("workflows: valid, pinned, least privilege, and in step with the stacks", () => {
    it("every workflow and action passes the schema check (SchemaStore's, through action-validator)", () => {
        assert.deepEqual(workflowFiles.sort(), ["deploy.yml", "pull-request.yml", "pulumi-up.yml"]);
        for (const file of workflowFiles) assert.deepEqual(validateWorkflow(text(file)).errors, [], file);
        for (const file of actionFiles) assert.deepEqual(validateAction(readFileSync(file, "utf8")).errors, [], file);
    });

    it("the check fails a workflow with a misspelt key or a job without runs-on", () => {
        const job = "on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo\n";
        assert.deepEqual(validateWorkflow(job).errors, []);
        assert.notDeepEqual(validateWorkflow(`${job}    needz: b\n`).errors, []);
        assert.notDeepEqual(validateWorkflow(job.replace("    runs-on: ubuntu-24.04\n", "")).errors, []);
    });

    it("every action is pinned to a commit, with its version tag beside it; every `needs` names a job of the workflow", () => {
        const sources = [...workflowFiles.map(text), ...actionFiles.map((file) => readFileSync(file, "utf8"))];
        for (const { target, comment } of sources.flatMap(uses)) {
            if (target.startsWith("./")) continue;
            assert.match(target, /^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/, `${target} is not pinned to a commit`);
            assert.match(comment ?? "", /^v\d+\.\d+\.\d+$/, `${target} has no version comment`);
        }
        for (const file of workflowFiles) {
            const jobs = workflow(file).jobs as Json;
            for (const [name, job] of Object.entries(jobs)) {
                for (const needed of [job.needs ?? []].flat()) assert.ok(needed in jobs, `${file}: ${name} needs ${needed}, which is not a job`);
            }
        }
    });

    it("permissions: contents read at workflow level; id-token write only where AWS is reached; pull-requests write only where the comment is posted", () => {
        for (const file of workflowFiles) {
            const { permissions, jobs } = workflow(file);
            assert.deepEqual(permissions, { contents: "read" }, file);
            for (const [name, job] of Object.entries(jobs as Json)) {
                const source = JSON.stringify(job);
                const reachesAws = source.includes("./.github/actions/stack-access") || source.includes("./.github/workflows/pulumi-up.yml");
                const comments = source.includes("marocchino/sticky-pull-request-comment");
                assert.equal(job.permissions?.["id-token"], reachesAws ? "write" : undefined, `${file}: ${name}`);
                assert.equal(job.permissions?.["pull-requests"], comments ? "write" : undefined, `${file}: ${name}`);
            }
        }
    });

    it("the pull request previews every stack and comments only on its own repository's branches (a fork gets no secrets)", () => {
        const { jobs } = workflow("pull-request.yml");
        assert.deepEqual([...jobs.preview.strategy.matrix.stack].sort(), projectStacks(ROOT));
        const sameRepository = "github.event.pull_request.head.repo.full_name == github.repository";
        assert.ok(jobs.preview.if.includes(sameRepository));
        assert.ok(jobs.comment.if.includes(sameRepository));
        assert.deepEqual(jobs.comment.needs, ["review", "preview"]);
        assert.equal(jobs.review.if, undefined, "every pull request gets the offline review");
        assert.match(JSON.stringify(jobs.review.steps), /npm run --silent review -- --base \\"\$BASE\\"/);
    });

    it("merge to main: up on the hub first, then each spoke in a job that needs it, each in its environment and its own concurrency group", () => {
        const { jobs } = workflow("deploy.yml");
        assert.equal(jobs.prod.with.stack, hub);
        assert.equal(jobs.spokes.needs, "prod");
        assert.deepEqual([...jobs.spokes.strategy.matrix.stack].sort(), spokes);
        const up = workflow("pulumi-up.yml").jobs.up;
        assert.equal(up.environment, "${{ inputs.stack }}");
        assert.deepEqual(up.concurrency, { group: "pulumi-up-${{ inputs.stack }}", "cancel-in-progress": false });
        assert.equal(up.steps.find((step: Json) => step.uses?.startsWith("pulumi/actions@")).with.command, "up");
    });

    it("the Pulumi CLI installed is the release of the SDK in package.json", () => {
        const sdk = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as Json).dependencies["@pulumi/pulumi"];
        const versions = ["pull-request.yml", "pulumi-up.yml"].flatMap((file) =>
            [...text(file).matchAll(/pulumi-version: (\S+)/g)].map(([, version]) => version),
        );
        assert.deepEqual(versions, [sdk, sdk]);
    });
});

import { strict as assert } from "node:assert";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { PROJECT_ROOT as ROOT, readStackSettings } from "../cli/renderRuntime";
import { formatProblem, InputError } from "../core/input/errors";
import type { HubSettings, ShardSettings } from "../core/input/settings";
import { checkStackSet } from "../core/input/stackSet";
import { readStackFile } from "../core/plan/loadStack";

/** Every `Pulumi.<stack>.yaml` in `dir`, checked as a set, as the problems would print. */
function stackSetProblems(dir: string): string[] {
    const stacks = readdirSync(dir).flatMap((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1] ?? []);
    const all = stacks.map((stack) => readStackSettings(stack, dir));
    const hub = all.find((settings): settings is HubSettings => settings.role === "hub");
    assert.ok(hub, `no hub stack in ${dir}`);
    const spokes = all.filter((settings): settings is ShardSettings => settings.role === "shard");
    const problems = checkStackSet(hub, spokes, (stack) => readStackFile(stack, dir));
    // Sorted by file and line, as an InputError prints them.
    return problems.length === 0 ? [] : new InputError(problems).problems.map(formatProblem);
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
                .replace("hub-kubeconfig-test", "x");
            writeFileSync(path.join(dir, "Pulumi.test.yaml"), test);
            writeFileSync(path.join(dir, "Pulumi.qa.yaml"), readFileSync(path.join(ROOT, "Pulumi.staging.yaml"), "utf8").replaceAll("staging", "qa"));
            assert.deepEqual(stackSetProblems(dir), [
                'Pulumi.prod.yaml:24: stack "prod": eodhp-kargo:remoteShards[1]: remote shard staging-shard (staging) has no spoke stack: add a Pulumi.<stack>.yaml with role shard',
                'Pulumi.qa.yaml:5: stack "qa": eodhp-kargo:environment: qa is not declared in the hub\'s environments (test, staging, prod; Pulumi.prod.yaml)',
                'Pulumi.qa.yaml:5: stack "qa": eodhp-kargo:environment: the hub\'s remoteShards (Pulumi.prod.yaml:20) has no entry for qa',
                'Pulumi.test.yaml:6: stack "test": eodhp-kargo:shardName: tst differs from the hub\'s test-shard (Pulumi.prod.yaml:22)',
                'Pulumi.test.yaml:8: stack "test": eodhp-kargo:chartVersion: 1.11.1 differs from the hub\'s 1.11.2 (Pulumi.prod.yaml:11)',
                'Pulumi.test.yaml:10: stack "test": eodhp-kargo:hubKubeconfigSecretName: eodhp/kargo/x differs from the hub\'s eodhp/kargo/hub-kubeconfig-test (Pulumi.prod.yaml:23)',
            ]);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});

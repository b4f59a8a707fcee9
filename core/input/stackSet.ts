/**
 * The hub and its spokes must agree: each remote shard the hub authenticates has a spoke stack with the same
 * environments, shard name and kubeconfig secret, every spoke's environments are declared on the hub, all
 * run one chart version, and each spoke pushes to the hub's repository with a git credential of its own.
 * Each problem names the stack file and line of the value to fix, and where the hub's side of it is written.
 */
import type { InputLocation, InputProblem } from "./errors";
import { CONFIG_NAMESPACE } from "./settingsSchema";
import type { HubSettings, ShardSettings, StackFile, StackSettings } from "./settingsTypes";

/** The stack file of a stack, where the caller has it (lines only; undefined: no line numbers). */
export type StackFileOf = (stack: string) => StackFile | undefined;

export function checkStackSet(hub: HubSettings, spokes: readonly ShardSettings[], stackFileOf: StackFileOf = () => undefined): InputProblem[] {
    const locate = (settings: StackSettings, key: string): InputLocation => ({
        file: `Pulumi.${settings.stack}.yaml`,
        line: stackFileOf(settings.stack)?.line(key),
        entry: `stack "${settings.stack}"`,
        field: `${CONFIG_NAMESPACE}:${key}`,
    });
    /** `Pulumi.prod.yaml:22` (or the file alone), for the hub's side of a mismatch. */
    const onHub = (key: string): string => {
        const { file, line } = locate(hub, key);
        return line === undefined ? file : `${file}:${line}`;
    };
    const problems: InputProblem[] = [];
    const report = (location: InputLocation, reason: string): void => {
        problems.push({ location, reason });
    };
    hub.remoteShards.forEach((remote, index) => {
        const at = `remoteShards[${index}]`;
        const spoke = spokes.find((candidate) => candidate.environments.some((env) => remote.environments.includes(env)));
        if (!spoke) {
            report(
                locate(hub, at),
                `remote shard ${remote.shardName} (${remote.environments.join(", ")}) has no spoke stack: add a Pulumi.<stack>.yaml with role shard`,
            );
            return;
        }
        const mismatch = (spokeKey: string, spokeValue: string, hubKey: string, hubValue: string): void => {
            if (spokeValue !== hubValue) report(locate(spoke, spokeKey), `${spokeValue} differs from the hub's ${hubValue} (${onHub(`${at}.${hubKey}`)})`);
        };
        mismatch("environment", spoke.environments.join(", "), "environment", remote.environments.join(", "));
        mismatch("shardName", spoke.shardName, "shardName", remote.shardName);
        mismatch("hubKubeconfigSecretName", spoke.hubKubeconfigSecret, "kubeconfigSecretName", remote.kubeconfigSecret);
    });
    for (const spoke of spokes) {
        const undeclared = spoke.environments.filter((env) => !hub.environmentOrder.includes(env));
        if (undeclared.length > 0) {
            report(
                locate(spoke, "environment"),
                `${undeclared.join(", ")} is not declared in the hub's environments (${hub.environmentOrder.join(", ")}; ${onHub("environments")})`,
            );
        }
        if (!hub.remoteShards.some((remote) => remote.environments.some((env) => spoke.environments.includes(env)))) {
            report(locate(spoke, "environment"), `the hub's remoteShards (${onHub("remoteShards")}) has no entry for ${spoke.environments.join(", ")}`);
        }
        // The spoke's credential is found only by the repoURL the Stages push to, and must not be prod's.
        if (spoke.gitCredentials.repoURL !== hub.project.gitRepoURL) {
            report(locate(spoke, "gitRepoUrl"), `${spoke.gitCredentials.repoURL} differs from the hub's ${hub.project.gitRepoURL} (${onHub("gitRepoUrl")})`);
        }
        if (spoke.gitCredentials.secretName === hub.project.gitCredentialsSecret) {
            report(
                locate(spoke, "gitCredentialsSecretName"),
                `${spoke.gitCredentials.secretName} is the hub's own credential (${onHub("gitCredentialsSecretName")}); give each environment its own (docs/git-credentials.md)`,
            );
        }
        if (spoke.chartVersion !== hub.chartVersion) {
            report(locate(spoke, "chartVersion"), `${spoke.chartVersion} differs from the hub's ${hub.chartVersion} (${onHub("chartVersion")})`);
        }
    }
    return problems;
}

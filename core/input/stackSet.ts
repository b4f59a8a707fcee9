/**
 * The hub and its spokes must agree: each remote shard the hub authenticates has a spoke stack with the same
 * environments, shard name and kubeconfig secret, every spoke's environments are declared on the hub, all
 * run one chart version, no two stacks deploy to one EKS cluster, and each spoke pushes to the hub's repository
 * with a git credential of its own. Each problem names the stack file and line of the value to fix, and where
 * the hub's side of it is written.
 */
import type { InputLocation, InputProblem } from "./errors";
import { CONFIG_NAMESPACE } from "./settingsSchema";
import type { HubSettings, ShardSettings, StackFile, StackSettings } from "./settings";

/** The stack file of a stack, where the caller has it (lines only; undefined: no line numbers). */
export type StackFileOf = (stack: string) => StackFile | undefined;

export function checkStackSet(hub: HubSettings, spokes: readonly ShardSettings[], stackFileOf: StackFileOf = () => undefined): InputProblem[] {
    const locate = (settings: StackSettings, key: string): InputLocation => ({
        file: `Pulumi.${settings.stack}.yaml`,
        line: stackFileOf(settings.stack)?.line(key),
        entry: `stack "${settings.stack}"`,
        field: `${CONFIG_NAMESPACE}:${key}`,
    });
    /** `Pulumi.prod.yaml:22` (or the file alone), for the other side of a mismatch. */
    const where = (settings: StackSettings, key: string): string => {
        const { file, line } = locate(settings, key);
        return line === undefined ? file : `${file}:${line}`;
    };
    const onHub = (key: string): string => where(hub, key);
    const problems: InputProblem[] = [];
    const report = (location: InputLocation, reason: string): void => {
        problems.push({ location, reason });
    };
    hub.remoteShards.forEach((remote, index) => {
        const at = `remoteShards[${index}]`;
        const spoke = spokes.find((candidate) => candidate.environment.some((env) => remote.environment.includes(env)));
        if (!spoke) {
            report(
                locate(hub, at),
                `remote shard ${remote.shardName} (${remote.environment.join(", ")}) has no spoke stack: add a Pulumi.<stack>.yaml with role shard`,
            );
            return;
        }
        const mismatch = (spokeKey: string, spokeValue: string, hubKey: string, hubValue: string): void => {
            if (spokeValue !== hubValue) report(locate(spoke, spokeKey), `${spokeValue} differs from the hub's ${hubValue} (${onHub(`${at}.${hubKey}`)})`);
        };
        mismatch("environment", spoke.environment.join(", "), "environment", remote.environment.join(", "));
        mismatch("shardName", spoke.shardName, "shardName", remote.shardName);
        mismatch("hubKubeconfigSecretName", spoke.hubKubeconfigSecretName, "kubeconfigSecretName", remote.kubeconfigSecretName);
    });
    // Two stacks on one cluster would each install Kargo into its `kargo` namespace, and each pin the other's.
    const clusterOwner = new Map<string, StackSettings>([[`${hub.awsRegion}/${hub.eksClusterName}`, hub]]);
    for (const spoke of spokes) {
        const cluster = `${spoke.awsRegion}/${spoke.eksClusterName}`;
        const owner = clusterOwner.get(cluster);
        if (owner) {
            report(
                locate(spoke, "eksClusterName"),
                `${spoke.eksClusterName} is also stack ${owner.stack}'s cluster (${where(owner, "eksClusterName")}); each stack needs a cluster of its own`,
            );
        } else clusterOwner.set(cluster, spoke);
    }
    for (const spoke of spokes) {
        const undeclared = spoke.environment.filter((env) => !hub.environments.includes(env));
        if (undeclared.length > 0) {
            report(
                locate(spoke, "environment"),
                `${undeclared.join(", ")} is not declared in the hub's environments (${hub.environments.join(", ")}; ${onHub("environments")})`,
            );
        }
        if (!hub.remoteShards.some((remote) => remote.environment.some((env) => spoke.environment.includes(env)))) {
            report(locate(spoke, "environment"), `the hub's remoteShards (${onHub("remoteShards")}) has no entry for ${spoke.environment.join(", ")}`);
        }
        // The spoke's credential is found only by the repoURL the Stages push to, and must not be prod's.
        if (spoke.gitRepoUrl !== hub.gitRepoUrl) {
            report(locate(spoke, "gitRepoUrl"), `${spoke.gitRepoUrl} differs from the hub's ${hub.gitRepoUrl} (${onHub("gitRepoUrl")})`);
        }
        if (spoke.gitCredentialsSecretName === hub.gitCredentialsSecretName) {
            report(
                locate(spoke, "gitCredentialsSecretName"),
                `${spoke.gitCredentialsSecretName} is the hub's own credential (${onHub("gitCredentialsSecretName")}); give each environment its own (docs/git-credentials.md)`,
            );
        }
        if (spoke.chartVersion !== hub.chartVersion) {
            report(locate(spoke, "chartVersion"), `${spoke.chartVersion} differs from the hub's ${hub.chartVersion} (${onHub("chartVersion")})`);
        }
    }
    return problems;
}

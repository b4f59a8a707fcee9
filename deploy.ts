/**
 * Registers a planned stack: the hub (Kargo, remote controllers' identities, the eodhp project) or a spoke
 * (a shard controller). Takes a plan that is already validated, so nothing here can fail on bad input;
 * index.ts plans from the stack's config, the offline render passes the plan it has already made.
 */
import { getClusterOutput } from "@pulumi/aws/eks";
import { Provider as AwsProvider } from "@pulumi/aws/provider";
// By its module, not the package root (components/kubernetesObject.ts says why).
import { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import { kubernetesProviderInputs } from "./core/install/kubernetesProvider";
import { EodhpProject, KargoHub, KargoShard } from "./components";
import type { HubPlan, ShardPlan, StackPlan } from "./core/plan/stackPlan";

function deployHub({ settings, ...plan }: HubPlan, kubernetes: KubernetesProvider) {
    const aws = new AwsProvider("aws", { region: settings.awsRegion });
    const hub = new KargoHub(
        "kargo-hub",
        {
            namespace: plan.namespace,
            adminCredentials: plan.adminCredentials,
            chartVersion: settings.chartVersion,
            values: plan.chartValues,
            remoteControllers: plan.remoteControllers,
            shardIsolation: plan.shardIsolation,
            kmsKeyId: settings.kmsKeyId,
            secretAdminRoleArns: settings.secretAdminRoleArns,
            // Remote controllers reach the hub through its EKS API endpoint.
            apiServerURL: getClusterOutput({ name: settings.eksClusterName }, { provider: aws }).endpoint,
        },
        { providers: { kubernetes, aws } },
    );
    new EodhpProject("eodhp", { plan: plan.project }, { providers: { kubernetes }, dependsOn: [hub] });
    return {
        kargoUrl: `https://${settings.apiHost}`,
        shards: Object.fromEntries(plan.environmentShards),
        remoteKubeconfigSecrets: Object.fromEntries(
            hub.controllerAuths.map((auth, index) => [settings.remoteShards[index].shardName, auth.kubeconfigSecretArn]),
        ),
        applications: plan.project.pipelines.map(({ pipeline }) => pipeline.app.name),
    };
}

function deployShard({ settings, ...plan }: ShardPlan, kubernetes: KubernetesProvider) {
    new KargoShard(
        "kargo-shard",
        {
            namespace: plan.namespace,
            hubKubeconfigExternalSecret: plan.hubKubeconfigExternalSecret,
            hubKubeconfigStore: plan.hubKubeconfigStore,
            gitCredentials: plan.gitCredentials,
            chartVersion: settings.chartVersion,
            values: plan.chartValues,
        },
        { providers: { kubernetes } },
    );
    return { shard: settings.shardName };
}

/** Stack outputs (`pulumi stack output`): the hub's four, or a spoke's shard. */
export type StackOutputs = Partial<ReturnType<typeof deployHub> & ReturnType<typeof deployShard>>;

export function deployStack(plan: StackPlan): StackOutputs {
    // Every Kubernetes resource, the chart's children included (helm.v4.Chart registers them as children of
    // the chart, inheriting this provider), goes through this one provider; `adoptExisting` lives in its inputs.
    const kubernetes = new KubernetesProvider("kubernetes", kubernetesProviderInputs(plan.settings));
    return plan.role === "hub" ? deployHub(plan, kubernetes) : deployShard(plan, kubernetes);
}

/**
 * Registers a planned stack: the hub (Kargo, remote controllers' identities, the eodhp project) or a spoke
 * (a shard controller). Takes a plan that is already validated, so nothing here can fail on bad input; only
 * a kube context that points at another cluster stops it, before any Kubernetes resource. index.ts plans from
 * the stack's config, the offline render passes the plan it has already made.
 */
import { getCluster } from "@pulumi/aws/eks";
import { Provider as AwsProvider } from "@pulumi/aws/provider";
// By its module, not the package root (components/kubernetesObject.ts says why).
import { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import { clusterPinProblem, kubeContextTarget, type EksCluster, type KubeconfigFile } from "./core/install/clusterPin";
import { kubernetesProviderInputs } from "./core/install/kubernetesProvider";
import { InputError } from "./core/input/errors";
import { CONFIG_NAMESPACE, type StackSettings } from "./core/input/settings";
import { EodhpProject, KargoHub, KargoShard } from "./components";
import type { HubPlan, ShardPlan, StackPlan } from "./core/plan/stackPlan";

function deployHub({ settings, ...plan }: HubPlan, kubernetes: KubernetesProvider, aws: AwsProvider, cluster: EksCluster) {
    const hub = new KargoHub(
        "kargo-hub",
        {
            namespace: plan.namespace,
            adminCredentials: plan.adminCredentials,
            releaseName: settings.helmReleaseName,
            chartVersion: settings.chartVersion,
            values: plan.chartValues,
            remoteControllers: plan.remoteControllers,
            shardIsolation: plan.shardIsolation,
            kmsKeyId: settings.kmsKeyId,
            secretAdminRoleArns: settings.secretAdminRoleArns,
            // Remote controllers reach the hub through its EKS API endpoint.
            apiServerURL: cluster.endpoint,
        },
        { providers: { kubernetes, aws } },
    );
    new EodhpProject("eodhp", { plan: plan.project }, { providers: { kubernetes }, dependsOn: [hub] });
    return {
        kargoUrl: `https://${settings.apiHost}`,
        shards: Object.fromEntries(plan.environmentShards),
        remoteKubeconfigSecrets: Object.fromEntries(Object.entries(hub.controllerAuths).map(([shard, auth]) => [shard, auth.kubeconfigSecretArn])),
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
            releaseName: settings.helmReleaseName,
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

/** Fails, naming both clusters, when the stack's kube context points at another cluster than its EKS cluster. */
function checkPinned(settings: StackSettings, kubeconfig: KubeconfigFile, cluster: EksCluster): void {
    const problem = clusterPinProblem(kubeContextTarget(kubeconfig, settings.kubeContext), cluster, settings.awsRegion);
    if (problem)
        throw InputError.at({ file: `Pulumi.${settings.stack}.yaml`, entry: `stack "${settings.stack}"`, field: `${CONFIG_NAMESPACE}:kubeContext` }, problem);
}

/**
 * Registers the plan. The EKS cluster is looked up first and, given the kubeconfig the provider will read
 * (index.ts; offline renders have no cluster and pass none), the context is checked against it before the
 * kubernetes provider or any Kubernetes resource exists, so a wrong context changes nothing.
 */
export async function deployStack(plan: StackPlan, kubeconfig?: KubeconfigFile): Promise<StackOutputs> {
    const aws = new AwsProvider("aws", { region: plan.settings.awsRegion });
    const cluster = await getCluster({ name: plan.settings.eksClusterName }, { provider: aws });
    if (kubeconfig) checkPinned(plan.settings, kubeconfig, cluster);
    // Every Kubernetes resource, the chart's children included (helm.v4.Chart registers them as children of
    // the chart, inheriting this provider), goes through this one provider; `adoptExisting` lives in its inputs.
    const kubernetes = new KubernetesProvider("kubernetes", kubernetesProviderInputs(plan.settings, cluster.arn));
    return plan.role === "hub" ? deployHub(plan, kubernetes, aws, cluster) : deployShard(plan, kubernetes);
}

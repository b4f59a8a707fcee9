/**
 * eodhp-kargo: Kargo for the EO DataHub, hub and spoke. The `prod` stack is the hub (full Kargo, the remote
 * controllers' identities, the `eodhp` project from catalogue.yaml); `test` and `staging` run shard
 * controllers only. Everything is planned and validated before the first resource is registered.
 */
import { getClusterOutput } from "@pulumi/aws/eks";
import { Provider as AwsProvider } from "@pulumi/aws/provider";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { EodhpProject, KargoHub, KargoShard } from "./components";
import { kubernetesProviderInputs } from "./core/install/kubernetesProvider";
import { loadStackPlan } from "./core/plan/loadStack";
import type { HubPlan, ShardPlan } from "./core/plan/stackPlan";

const plan = loadStackPlan(pulumi.getStack(), pulumi.runtime.allConfig(), __dirname);

// Every Kubernetes resource, the chart's children included (helm.v4.Chart registers them as children of
// the chart, inheriting this provider), goes through this one provider; `adoptExisting` lives in its inputs.
const kubernetes = new k8s.Provider("kubernetes", kubernetesProviderInputs(plan.settings));

function deployHub({ settings, ...plan }: HubPlan) {
    const aws = new AwsProvider("aws", { region: settings.awsRegion });
    const hub = new KargoHub(
        "kargo-hub",
        {
            namespace: plan.namespace,
            adminCredentials: plan.adminCredentials,
            chartVersion: settings.chartVersion,
            values: plan.chartValues,
            remoteControllers: plan.remoteControllers,
            // Remote controllers reach the hub through its EKS API endpoint.
            apiServerURL: getClusterOutput({ name: settings.eksClusterName }, { provider: aws }).endpoint,
        },
        { providers: { kubernetes, aws } },
    );
    new EodhpProject("eodhp", { plan: plan.project }, { providers: { kubernetes }, dependsOn: [hub] });
    return {
        kargoUrl: `https://${settings.apiHost}`,
        shards: Object.fromEntries([[settings.environment, settings.shardName], ...settings.remoteShards.map((remote) => [remote.environment, remote.shardName])]),
        remoteKubeconfigSecrets: Object.fromEntries(hub.controllerAuths.map((auth, index) => [settings.remoteShards[index].shardName, auth.kubeconfigSecretArn])),
        applications: plan.project.pipelines.map(({ pipeline }) => pipeline.app.name),
    };
}

function deployShard({ settings, ...plan }: ShardPlan) {
    new KargoShard(
        "kargo-shard",
        { namespace: plan.namespace, hubKubeconfig: plan.hubKubeconfig, chartVersion: settings.chartVersion, values: plan.chartValues },
        { providers: { kubernetes } },
    );
    return { shard: settings.shardName };
}

// Stack outputs (`pulumi stack output`): only the role's own, so no output is ever undefined (Pulumi warns
// "Undefined value (…) will not show as a stack output" for each undefined export).
export = plan.role === "hub" ? deployHub(plan) : deployShard(plan);

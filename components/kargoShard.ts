import * as pulumi from "@pulumi/pulumi";
import type { NamespaceWithObjects } from "../core/install/gitCredentials";
import type { ExternalSecret, KubernetesObject } from "../core/kubernetes";
import { createKargoChart } from "./kargoChart";
import { createKubernetesObject, KEEP_ON_DELETE } from "./kubernetesObject";

export interface KargoShardArgs {
    /** The `kargo` Namespace; protected and kept on delete. */
    readonly namespace: KubernetesObject;
    /** ExternalSecret producing Secret `kargo-hub-kubeconfig` (key `kubeconfig.yaml`) from Secrets Manager. */
    readonly hubKubeconfigExternalSecret: ExternalSecret;
    /** ServiceAccount and namespaced SecretStore the ExternalSecret reads through (empty: ClusterSecretStore). */
    readonly hubKubeconfigStore: readonly KubernetesObject[];
    /** Helm release name of the chart: the live release's. */
    readonly releaseName: pulumi.Input<string>;
    /** This environment's git credential on this cluster, and the namespaces the controller's lookup lists. */
    readonly gitCredentials: readonly NamespaceWithObjects[];
    readonly chartVersion: pulumi.Input<string>;
    /** Controller-only chart values (core/install/chartValues.ts). */
    readonly values: pulumi.Input<Record<string, pulumi.Input<unknown>>>;
}

/** A spoke: only a Kargo shard controller, talking to the hub through the kubeconfig from Secrets Manager. */
export class KargoShard extends pulumi.ComponentResource {
    readonly chart: pulumi.Resource;

    constructor(name: string, args: KargoShardArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eodhp:kargo:KargoShard", name, {}, opts);
        const namespace = createKubernetesObject(name, args.namespace, { parent: this, ...KEEP_ON_DELETE });
        const store = args.hubKubeconfigStore.map((object) => createKubernetesObject(name, object, { parent: this, dependsOn: [namespace] }));
        const hubKubeconfig = createKubernetesObject(name, args.hubKubeconfigExternalSecret, { parent: this, dependsOn: [namespace, ...store] });
        for (const credentials of args.gitCredentials) {
            // Never deleted with the stack: `eodhp` on a spoke may hold more than this program's objects.
            const credentialsNamespace = createKubernetesObject(name, credentials.namespace, { parent: this, protect: true });
            for (const object of credentials.objects) createKubernetesObject(name, object, { parent: this, dependsOn: [credentialsNamespace] });
        }
        // The controller mounts the kubeconfig Secret; without it the pod cannot start.
        this.chart = createKargoChart(name, args, { parent: this, dependsOn: [namespace, hubKubeconfig] });
        this.registerOutputs({ chart: this.chart });
    }
}

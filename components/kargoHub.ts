import * as pulumi from "@pulumi/pulumi";
import type { ExternalSecret, KubernetesObject } from "../core/kubernetes";
import type { RemoteControllerPlan } from "../core/plan/stackPlan";
import { ControllerAuth } from "./controllerAuth";
import { createKargoChart } from "./kargoChart";
import { createKubernetesObject, KEEP_ON_DELETE } from "./kubernetesObject";

export interface KargoHubArgs {
    /** The `kargo` Namespace; protected and kept on delete, since it holds Kargo's controllers' state and credentials. */
    readonly namespace: KubernetesObject;
    /** ExternalSecret for the admin account's password hash and token signing key; absent when it is off. */
    readonly adminCredentials?: ExternalSecret;
    /** Helm release name of the chart: the live release's. */
    readonly releaseName: pulumi.Input<string>;
    /** Kargo chart version, e.g. "1.11.2". */
    readonly chartVersion: pulumi.Input<string>;
    /** Hub chart values (core/install/chartValues.ts). */
    readonly values: pulumi.Input<Record<string, pulumi.Input<unknown>>>;
    /** One entry per remote shard controller that authenticates to this hub. */
    readonly remoteControllers: readonly RemoteControllerPlan[];
    /** ValidatingAdmissionPolicies and bindings confining each remote controller to its shard. */
    readonly shardIsolation: readonly KubernetesObject[];
    /** URL of this cluster's Kubernetes API as the remote controllers reach it. */
    readonly apiServerURL: pulumi.Input<string>;
    /** KMS key and extra readers for the published kubeconfigs (ControllerAuth). */
    readonly kmsKeyId?: string;
    readonly secretAdminRoleArns: readonly string[];
}

/**
 * The full Kargo install on the prod cluster: API server and UI, management controller, webhooks, the
 * `prod-shard` controller, and the identities of the remote shard controllers.
 */
export class KargoHub extends pulumi.ComponentResource {
    /** The installed chart; Kargo objects depend on it for their CRDs and webhooks. */
    readonly chart: pulumi.Resource;
    /** Shard name → the identity its remote controller authenticates to this hub with. */
    readonly controllerAuths: Readonly<Record<string, ControllerAuth>>;

    constructor(name: string, args: KargoHubArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eodhp:kargo:KargoHub", name, {}, opts);
        const namespace = createKubernetesObject(name, args.namespace, { parent: this, ...KEEP_ON_DELETE });
        const adminCredentials = args.adminCredentials ? [createKubernetesObject(name, args.adminCredentials, { parent: this, dependsOn: [namespace] })] : [];
        // The API server reads the admin Secret at start, so the ExternalSecret goes first.
        this.chart = createKargoChart(name, args, { parent: this, dependsOn: [namespace, ...adminCredentials] });
        // Registered before the identities, so no remote token exists while its shard is unconfined.
        const isolation = args.shardIsolation.map((object) => createKubernetesObject(name, object, { parent: this, dependsOn: [namespace] }));
        this.controllerAuths = Object.fromEntries(
            args.remoteControllers.map((remote) => [
                remote.shard.shardName,
                new ControllerAuth(
                    `${name}-${remote.shard.environment[0]}`,
                    {
                        identity: remote.identity,
                        kubeconfigSecretName: remote.shard.kubeconfigSecretName,
                        apiServerURL: args.apiServerURL,
                        readerRoleArn: remote.shard.readerRoleArn,
                        adminRoleArns: args.secretAdminRoleArns,
                        kmsKeyId: args.kmsKeyId,
                    },
                    // Bindings refer to roles and namespaces the chart creates.
                    { parent: this, dependsOn: [this.chart, ...isolation] },
                ),
            ]),
        );
        this.registerOutputs({ chart: this.chart, controllerAuths: this.controllerAuths });
    }
}

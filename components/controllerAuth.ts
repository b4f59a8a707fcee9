import * as secretsmanager from "@pulumi/aws/secretsmanager";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { hubKubeconfig, type ControllerIdentity } from "../core/controllerAuth";
import { createKubernetesObject } from "./kubernetesObject";

export interface ControllerAuthArgs {
    /** ServiceAccount, token Secret and bindings (core/controllerAuth.ts). */
    readonly identity: ControllerIdentity;
    /** Secrets Manager name under which the spoke's ExternalSecret finds the kubeconfig. */
    readonly kubeconfigSecretName: pulumi.Input<string>;
    /** URL of the hub's Kubernetes API. */
    readonly apiServerURL: pulumi.Input<string>;
}

/**
 * One remote shard controller's identity on the hub, and its hub kubeconfig published to Secrets Manager
 * (as a Pulumi secret) for the spoke to pick up: no token is ever copied by hand.
 */
export class ControllerAuth extends pulumi.ComponentResource {
    /** ARN of the Secrets Manager secret holding the kubeconfig. */
    readonly kubeconfigSecretArn: pulumi.Output<string>;

    constructor(name: string, args: ControllerAuthArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eodhp:kargo:ControllerAuth", name, {}, opts);
        const { identity } = args;
        const serviceAccount = createKubernetesObject(name, identity.serviceAccount, { parent: this });
        // The provider waits for the token controller to fill `data` (token, ca.crt) and marks it secret.
        const tokenSecret = createKubernetesObject(name, identity.tokenSecret, { parent: this, dependsOn: [serviceAccount] }) as k8s.core.v1.Secret;
        for (const binding of identity.bindings) createKubernetesObject(name, binding, { parent: this, dependsOn: [serviceAccount] });

        const kubeconfig = pulumi.all([args.apiServerURL, tokenSecret.data]).apply(([server, data]) => {
            if (!data?.token || !data["ca.crt"]) {
                throw new Error(`Secret ${identity.tokenSecret.metadata.name} has no token yet; run \`pulumi up\` again once the token controller has filled it`);
            }
            return hubKubeconfig({
                server,
                certificateAuthorityData: data["ca.crt"],
                token: Buffer.from(data.token, "base64").toString("utf8"),
                user: identity.serviceAccount.metadata.name,
            });
        });
        const secret = new secretsmanager.Secret(
            `${name}-kubeconfig`,
            {
                name: args.kubeconfigSecretName,
                description: `Kubeconfig with which the Kargo controller ${identity.serviceAccount.metadata.name} reaches the hub (managed by Pulumi, eodhp-kargo)`,
                recoveryWindowInDays: 7,
                tags: { "app.kubernetes.io/managed-by": "pulumi", "app.kubernetes.io/part-of": "eodhp-kargo" },
            },
            { parent: this },
        );
        new secretsmanager.SecretVersion(
            `${name}-kubeconfig`,
            { secretId: secret.id, secretString: pulumi.secret(kubeconfig) },
            { parent: this, additionalSecretOutputs: ["secretString"] },
        );
        this.kubeconfigSecretArn = secret.arn;
        this.registerOutputs({ kubeconfigSecretArn: this.kubeconfigSecretArn });
    }
}

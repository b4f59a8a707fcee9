/** Kubeconfigs for the cluster-pin tests, as `aws eks update-kubeconfig --alias <context>` writes them. */
import { stringify } from "yaml";
import type { EksCluster } from "../../core/install/clusterPin";

/** One context naming one cluster (by ARN) at `cluster.endpoint`. */
export function kubeconfigText(context: string, cluster: EksCluster): string {
    return stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: cluster.arn, cluster: { server: cluster.endpoint, "certificate-authority-data": "LS0t" } }],
        contexts: [{ name: context, context: { cluster: cluster.arn, user: cluster.arn } }],
        "current-context": context,
        users: [{ name: cluster.arn, user: { exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: "aws", args: ["eks", "get-token"] } } }],
    });
}

/**
 * Runs `body` with $KUBECONFIG holding `text` (a $KUBECONFIG naming no file is the kubeconfig's text, as the
 * provider reads it), and restores it after.
 */
export async function withKubeconfig<T>(text: string, body: () => Promise<T>): Promise<T> {
    const before = process.env.KUBECONFIG;
    process.env.KUBECONFIG = text;
    try {
        return await body();
    } finally {
        if (before === undefined) delete process.env.KUBECONFIG;
        else process.env.KUBECONFIG = before;
    }
}

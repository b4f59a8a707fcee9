/** Kubeconfigs for the cluster-pin tests, as `aws eks update-kubeconfig --alias <context>` writes them. */
import { offlineKubeconfig } from "../../cli/renderRuntime";

/** One context naming one cluster (by ARN) at `cluster.endpoint`. */
export const kubeconfigText = offlineKubeconfig;

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

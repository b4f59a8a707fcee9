/**
 * Pins a stack to its EKS cluster. The kubernetes provider follows a kubeconfig context, and a context is
 * only a name: one that points at the wrong cluster would apply prod's objects there. So, before the
 * provider exists, the context's API server is compared with the endpoint AWS reports for the stack's
 * `eksClusterName`, and a mismatch stops the run with nothing changed (deploy.ts).
 *
 * Which file the provider reads: the Node SDK passes `$KUBECONFIG` as the provider's `kubeconfig` input
 * (@pulumi/kubernetes 4.34.2 provider.js), which the provider takes as one path, `~` expanded, or else as
 * kubeconfig text (pulumi-kubernetes provider/pkg/provider/util.go parseKubeconfigString); without it,
 * client-go's default loading rules read `~/.kube/config` (provider.go Configure). A `:`-separated list is
 * not merged there, so it is not merged here either.
 */
import { parse } from "yaml";

/** The cluster a kubeconfig context points at. */
export interface KubeContextTarget {
    readonly file: string;
    readonly context: string;
    /** The `clusters[].name` the context names (an ARN when `aws eks update-kubeconfig` wrote it). */
    readonly cluster: string;
    readonly server: string;
}

/** The EKS cluster a stack deploys to, as `aws eks describe-cluster` reports it. */
export interface EksCluster {
    readonly name: string;
    readonly arn: string;
    readonly endpoint: string;
}

/** A kubeconfig file as read from disk; `text` undefined when it could not be read. */
export interface KubeconfigFile {
    readonly file: string;
    readonly text?: string;
}

/** The file the kubernetes provider will read: `$KUBECONFIG` (one path) or `~/.kube/config`. */
export function kubeconfigPath(env: Readonly<Record<string, string | undefined>>, home: string): string {
    const configured = env.KUBECONFIG;
    if (!configured) return `${home}/.kube/config`;
    return configured === "~" ? home : configured.startsWith("~/") ? `${home}/${configured.slice(2)}` : configured;
}

interface Named<T> {
    readonly name?: unknown;
    readonly context?: T;
    readonly cluster?: T;
}

/** Where `context` points in `kubeconfig`, or why that cannot be told. */
export function kubeContextTarget(kubeconfig: KubeconfigFile, context: string): KubeContextTarget | string {
    if (kubeconfig.text === undefined) return `cannot read the kubeconfig ${kubeconfig.file}`;
    let document: { contexts?: Array<Named<{ cluster?: unknown }>>; clusters?: Array<Named<{ server?: unknown }>> } | null;
    try {
        document = parse(kubeconfig.text) as typeof document;
    } catch (error) {
        return `cannot parse the kubeconfig ${kubeconfig.file}: ${(error as Error).message.split("\n")[0]}`;
    }
    const entry = (document?.contexts ?? []).find((candidate) => candidate?.name === context);
    if (!entry) return `kube context "${context}" is not in ${kubeconfig.file}`;
    const cluster = entry.context?.cluster;
    if (typeof cluster !== "string") return `kube context "${context}" in ${kubeconfig.file} names no cluster`;
    const server = (document?.clusters ?? []).find((candidate) => candidate?.name === cluster)?.cluster?.server;
    if (typeof server !== "string") return `cluster "${cluster}" of kube context "${context}" has no server in ${kubeconfig.file}`;
    return { file: kubeconfig.file, context, cluster, server };
}

/** An API server URL as one string per server: lower-case host, no default port, no trailing slash. */
function serverKey(server: string): string {
    try {
        const url = new URL(server);
        return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`;
    } catch {
        return server.trim().replace(/\/+$/, "").toLowerCase();
    }
}

/**
 * Why the stack must not run against `target`, or undefined when its context points at `expected`. The
 * message names both clusters and how to fix either side.
 */
export function clusterPinProblem(target: KubeContextTarget | string, expected: EksCluster, region: string): string | undefined {
    const wanted = `EKS cluster ${expected.name} (${expected.arn}, ${expected.endpoint})`;
    const fix = `aws eks update-kubeconfig --name ${expected.name} --region ${region} --alias <context>`;
    if (typeof target === "string") return `${target}; this stack deploys to ${wanted}; nothing was changed (write the context with: ${fix})`;
    if (serverKey(target.server) === serverKey(expected.endpoint)) return undefined;
    return (
        `kube context "${target.context}" (${target.file}) points at cluster ${target.cluster} (${target.server}), ` +
        `but this stack deploys to ${wanted}; nothing was changed. Point the context at ${expected.name} (${fix}), ` +
        `or correct eodhp-kargo:kubeContext / eodhp-kargo:eksClusterName`
    );
}

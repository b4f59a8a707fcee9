/**
 * Inputs of the stack's kubernetes provider. Server-side apply always; with `adoptExisting`, a create of an
 * object that already exists becomes a forced server-side apply of our fields onto it (same object, same UID;
 * field ownership moves to Pulumi's field manager). pulumi-kubernetes (provider/pkg/await/await.go, Creation:
 * `if c.ServerSideApply && (c.UpsertExistingObjects || …)` sends an apply PATCH instead of a POST, forced when
 * `enablePatchForce`, see patchForce). Both flags are set explicitly so the PULUMI_K8S_* environment variables
 * of whoever runs `pulumi up` cannot change the behaviour. Turning them off later is an in-place provider
 * update: provider.go DiffConfig replaces only for the cluster (kubeconfig/context/cluster/clusterIdentifier)
 * and renderYamlToDirectory, so no resource is replaced. See docs/adoption.md.
 *
 * `clusterIdentifier` is the EKS cluster's ARN. pulumi-kubernetes provider/pkg/provider/provider.go DiffConfig
 * (main 94977969): a clusterIdentifier that is *added* neither forces a replacement nor suppresses one, so the
 * first run after it appears is an in-place provider update as long as the context still names the same
 * cluster (checked before, clusterPin.ts); once present and unchanged, DiffConfig drops every replacement, so
 * a renamed context or another operator's `$KUBECONFIG` path never replaces the stack's objects; a changed
 * one (another `eksClusterName`) replaces every Kubernetes resource of the stack, as a move to another
 * cluster must.
 */
import type { StackSettings } from "../input/settings";

export interface KubernetesProviderInputs {
    readonly context: string;
    readonly clusterIdentifier: string;
    readonly enableServerSideApply: true;
    readonly upsertExistingObjects: boolean;
    readonly enablePatchForce: boolean;
}

export function kubernetesProviderInputs(settings: Pick<StackSettings, "kubeContext" | "adoptExisting">, clusterArn: string): KubernetesProviderInputs {
    return {
        context: settings.kubeContext,
        clusterIdentifier: clusterArn,
        enableServerSideApply: true,
        upsertExistingObjects: settings.adoptExisting,
        enablePatchForce: settings.adoptExisting,
    };
}

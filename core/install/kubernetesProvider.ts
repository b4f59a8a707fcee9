/**
 * Inputs of the stack's kubernetes provider. Server-side apply always; with `adoptExisting`, a create of an
 * object that already exists becomes a forced server-side apply of our fields onto it (same object, same UID;
 * field ownership moves to Pulumi's field manager). pulumi-kubernetes (provider/pkg/await/await.go, Creation:
 * `if c.ServerSideApply && (c.UpsertExistingObjects || …)` sends an apply PATCH instead of a POST, forced when
 * `enablePatchForce`, see patchForce). Both flags are set explicitly so the PULUMI_K8S_* environment variables
 * of whoever runs `pulumi up` cannot change the behaviour. Turning them off later is an in-place provider
 * update: provider.go DiffConfig replaces only for the cluster (kubeconfig/context/cluster/clusterIdentifier)
 * and renderYamlToDirectory, so no resource is replaced. See docs/operations.md, "Moving the live install to Pulumi".
 */
import type { StackSettings } from "../input/settings";

export interface KubernetesProviderInputs {
    readonly context: string;
    readonly enableServerSideApply: true;
    readonly upsertExistingObjects: boolean;
    readonly enablePatchForce: boolean;
}

export function kubernetesProviderInputs(settings: Pick<StackSettings, "kubeContext" | "adoptExisting">): KubernetesProviderInputs {
    return {
        context: settings.kubeContext,
        enableServerSideApply: true,
        upsertExistingObjects: settings.adoptExisting,
        enablePatchForce: settings.adoptExisting,
    };
}

import * as pulumi from "@pulumi/pulumi";

export interface HistoryGuardArgs {
    /** The resources whose deletion loses history: every Stage (it owns its Promotions) and Warehouse. */
    readonly owners: readonly pulumi.Resource[];
}

/**
 * A protected resource that depends on every Stage and Warehouse, so that no `pulumi destroy` reaches them
 * unless someone first unprotects this one (docs/real-runs.md, "What destroy does"). It creates nothing.
 *
 * Deleting a Stage deletes its Promotions: Kargo's Promotion webhook makes the Stage their controller owner
 * (akuity/kargo v1.11.2 `pkg/webhook/kubernetes/promotion/webhook.go`), and Kubernetes collects them.
 * The engine deletes dependents first, refuses a protected resource when it reaches it, and then skips
 * everything that resource depends on (pulumi/pulumi v3.259.0 `pkg/resource/deploy/step.go` DeleteStep.Apply,
 * `deployment_executor.go` erroredDeps, `step_executor.go` cancelDueToError), and `destroy --exclude-protected`
 * leaves a protected resource's dependencies too (`pkg/cmd/pulumi/operations/destroy.go` getProtectedExcludes).
 * Protecting the Stages themselves would also stop `pulumi up` from deleting the Stages of an app removed from
 * the catalogue; this guard only depends on the Stages that are in the program, so those still go.
 */
export class HistoryGuard extends pulumi.ComponentResource {
    constructor(name: string, args: HistoryGuardArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eodhp:kargo:HistoryGuard", name, {}, { ...opts, protect: true, dependsOn: [...args.owners] });
        this.registerOutputs({});
    }
}

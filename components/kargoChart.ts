/** The Kargo Helm chart, as both KargoHub and KargoShard install it. */
// By its module, not the package root (components/kubernetesObject.ts says why).
import { Chart } from "@pulumi/kubernetes/helm/v4";
import * as pulumi from "@pulumi/pulumi";
import { KARGO_CHART, KARGO_NAMESPACE } from "../core/input/settings";

export interface KargoChartArgs {
    /** Helm release name: the live release's (settings `helmReleaseName`, default `kargo`). */
    readonly releaseName: pulumi.Input<string>;
    readonly chartVersion: pulumi.Input<string>;
    readonly values: pulumi.Input<Record<string, pulumi.Input<unknown>>>;
}

const CRD_TYPE = "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition";

/**
 * Kargo's CRDs own every Freight, Promotion and Stage: removing the chart must not delete them. Helm keeps
 * them through `crds.keep`; Pulumi needs `retainOnDelete` on each CRD the chart renders.
 */
export const retainCrdsOnDelete: pulumi.ResourceTransform = (args) =>
    args.type === CRD_TYPE ? { props: args.props, opts: pulumi.mergeOptions(args.opts, { retainOnDelete: true }) } : undefined;

/**
 * helm.v4.Chart renders client-side, so `pulumi preview` lists every object the chart creates.
 *
 * `name` is the Helm release name. Without it the release would be named after the Pulumi resource
 * (`kargo-hub-chart`): pulumi-kubernetes provider/pkg/provider/helm/v4/chart.go, Construct, sets
 * `chartArgs.Name = name` when unset and passes it on as `cmd.ReleaseName` (read at main 94977969, the newest
 * commit after v4.32.0; the children's resource prefix stays the resource name either way). Kargo's chart
 * puts `app.kubernetes.io/instance: {{ .Release.Name }}` into every Deployment's `spec.selector`
 * (akuity/kargo v1.11.2 charts/kargo/templates/_helpers.tpl, kargo.selectorLabels), and a selector cannot
 * change, so adopting the live release under another name fails with "field is immutable". Preview hides it:
 * provider/pkg/await/await.go, Creation, retries a dry-run create that fails on an immutable field under a
 * generated name. Object names do not derive from the release (the chart hard-codes `kargo-api`,
 * `kargo-controller`, …), so only labels and selectors follow this value.
 */
export function createKargoChart(name: string, args: KargoChartArgs, opts: pulumi.ComponentResourceOptions): Chart {
    return new Chart(
        `${name}-chart`,
        { name: args.releaseName, chart: KARGO_CHART, version: args.chartVersion, namespace: KARGO_NAMESPACE, values: args.values },
        { ...opts, transforms: [...(opts.transforms ?? []), retainCrdsOnDelete] },
    );
}

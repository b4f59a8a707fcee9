/** The Kargo Helm chart, as both KargoHub and KargoShard install it. */
// By its module, not the package root (components/kubernetesObject.ts says why).
import { Chart } from "@pulumi/kubernetes/helm/v4";
import * as pulumi from "@pulumi/pulumi";
import { KARGO_CHART, KARGO_NAMESPACE } from "../core/input/settings";

export interface KargoChartArgs {
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

/** helm.v4.Chart renders client-side, so `pulumi preview` lists every object the chart creates. */
export function createKargoChart(name: string, args: KargoChartArgs, opts: pulumi.ComponentResourceOptions): Chart {
    return new Chart(
        `${name}-chart`,
        { chart: KARGO_CHART, version: args.chartVersion, namespace: KARGO_NAMESPACE, values: args.values },
        { ...opts, transforms: [...(opts.transforms ?? []), retainCrdsOnDelete] },
    );
}

/** The Kargo Helm chart, as both KargoHub and KargoShard install it. */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { KARGO_CHART, KARGO_NAMESPACE } from "../core/settings";

export interface KargoChartArgs {
    readonly chartVersion: pulumi.Input<string>;
    readonly values: pulumi.Input<Record<string, pulumi.Input<unknown>>>;
}

/** helm.v4.Chart renders client-side, so `pulumi preview` lists every object the chart creates. */
export function createKargoChart(name: string, args: KargoChartArgs, opts: pulumi.ComponentResourceOptions): k8s.helm.v4.Chart {
    return new k8s.helm.v4.Chart(
        `${name}-chart`,
        { chart: KARGO_CHART, version: args.chartVersion, namespace: KARGO_NAMESPACE, values: args.values, skipAwait: false },
        opts,
    );
}

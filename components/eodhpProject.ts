import * as pulumi from "@pulumi/pulumi";
import type { ProjectPlan } from "../core/plan/stackPlan";
import { createKubernetesObject } from "./kubernetesObject";

export interface EodhpProjectArgs {
    /** Everything the catalogue produced for the project (core/plan/stackPlan.ts). */
    readonly plan: ProjectPlan;
}

/**
 * The Kargo Project `eodhp` and its pipeline. The namespace and Project are protected (they hold Freight and
 * promotion history); each app's Warehouses and Stages are named after the app, so removing an app from the
 * catalogue deletes exactly those.
 */
export class EodhpProject extends pulumi.ComponentResource {
    constructor(name: string, args: EodhpProjectArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eodhp:kargo:EodhpProject", name, {}, opts);
        const { plan } = args;
        const namespace = createKubernetesObject(name, plan.namespace, { parent: this, protect: true });
        const project = createKubernetesObject(name, plan.project, { parent: this, protect: true, dependsOn: [namespace] });
        const afterProject = { parent: this, dependsOn: [project] };
        for (const object of plan.projectObjects) createKubernetesObject(name, object, afterProject);
        for (const { objects } of plan.pipelines) {
            for (const object of objects) createKubernetesObject(name, object, afterProject);
        }
        this.registerOutputs({});
    }
}

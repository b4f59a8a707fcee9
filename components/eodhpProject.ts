import * as pulumi from "@pulumi/pulumi";
import type { KubernetesObject } from "../core/kubernetes";
import type { ProjectPlan } from "../core/plan/stackPlan";
import { HistoryGuard } from "./historyGuard";
import { createKubernetesObject, KEEP_ON_DELETE } from "./kubernetesObject";

export interface EodhpProjectArgs {
    /** Everything the catalogue produced for the project (core/plan/stackPlan.ts). */
    readonly plan: ProjectPlan;
}

const isRbac = (object: KubernetesObject): boolean => object.kind === "Role" || object.kind === "RoleBinding";
/** Kinds whose deletion loses history: a Stage's Promotions are owned by it; a Warehouse makes the Freight. */
const HISTORY_OWNERS = new Set(["Stage", "Warehouse"]);

/** Resources registered together before the next group starts (see registerInGroups). */
export const REGISTRATION_GROUP_SIZE = 1000;

/** Resolves once Pulumi has registered every resource (a URN is known in preview as well as in up). */
function registeredAll(resources: readonly pulumi.Resource[]): Promise<void> {
    return new Promise((resolve) => void pulumi.all(resources.map((resource) => resource.urn)).apply(() => resolve()));
}

/**
 * The Kargo Project `eodhp` and its pipeline. The namespace and Project are protected and kept on delete (they
 * hold Freight and promotion history), and a HistoryGuard stands in front of every Stage and Warehouse; each
 * app's Warehouses and Stages are named after the app, so removing an app from the catalogue deletes exactly those.
 */
export class EodhpProject extends pulumi.ComponentResource {
    constructor(name: string, args: EodhpProjectArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eodhp:kargo:EodhpProject", name, {}, opts);
        const { plan } = args;
        const namespace = createKubernetesObject(name, plan.namespace, { parent: this, ...KEEP_ON_DELETE });
        const project = createKubernetesObject(name, plan.project, { parent: this, ...KEEP_ON_DELETE, dependsOn: [namespace] });
        const afterProject = { parent: this, dependsOn: [project] };
        for (const object of plan.projectObjects) createKubernetesObject(name, object, afterProject);
        // Each app's Roles first, then its Stages depending on them: Pulumi deletes dependents first and
        // pulumi-kubernetes waits until a deleted object is gone (provider/pkg/await/await.go Deletion), so a
        // removed app's Stages lose their finalizer, which its shard's controller removes through those Roles
        // (core/install/remoteControllerRbac.ts), before the Roles go.
        const owners: pulumi.Resource[] = [];
        const creators = plan.pipelines.flatMap((entry) => {
            const rbac: pulumi.Resource[] = [];
            return [...entry.objects.filter(isRbac), ...entry.objects.filter((object) => !isRbac(object))].map((object) => () => {
                const resource = createKubernetesObject(name, object, object.kind === "Stage" ? { parent: this, dependsOn: [project, ...rbac] } : afterProject);
                if (isRbac(object)) rbac.push(resource);
                if (HISTORY_OWNERS.has(object.kind)) owners.push(resource);
                return resource;
            });
        });
        // Pulumi keeps the engine connected until these outputs resolve (registerResourceOutputs holds an
        // rpcKeepAlive while it awaits them: node_modules/@pulumi/pulumi/runtime/resource.js), so every group is registered.
        this.registerOutputs(
            this.registerInGroups(creators).then(() => {
                new HistoryGuard(`${name}-history-guard`, { owners }, { parent: this });
                return {};
            }),
        );
    }

    /**
     * Registers the applications' objects a group at a time, each group once the one before is registered.
     * Every resource in flight holds Pulumi's per-property promises (`transferProperties` in @pulumi/pulumi
     * runtime/rpc.js), each with a captured stack trace unless cli/leanSdk.js runs first (about 100 KB a
     * resource with them; `pulumi up` runs the SDK as shipped), so registering 40,000 at once would need
     * gigabytes; in groups the memory stays that of one group.
     */
    private async registerInGroups(creators: ReadonlyArray<() => pulumi.Resource>): Promise<void> {
        for (let start = 0; start < creators.length; start += REGISTRATION_GROUP_SIZE) {
            await registeredAll(creators.slice(start, start + REGISTRATION_GROUP_SIZE).map((create) => create()));
        }
    }
}

/**
 * The promotion pipeline of one application: which Warehouses exist, which Stages, what feeds what, and
 * on which shard each runs. Warehouse/Stage manifests and the pipeline graph are both drawn from this.
 */
import { hasDevStage, type Application } from "../input/catalogue";
import type { Environment } from "../input/settings";

export type WarehouseRole = "config" | "images" | "dev-images" | "releases";

export interface WarehousePlan {
    readonly name: string;
    readonly role: WarehouseRole;
    readonly shard: string;
}

export interface StagePlan {
    readonly name: string;
    /** Environment overlay the stage writes (the hub's devEnvironment for the dev stage). */
    readonly targetEnv: Environment;
    readonly isDev: boolean;
    readonly shard: string;
    /** Warehouses whose Freight the stage requests. */
    readonly origins: readonly string[];
    /** Undefined: Freight comes directly from the Warehouses; otherwise the stage it is promoted from. */
    readonly upstream?: string;
}

export interface AppPipeline {
    readonly app: Application;
    readonly warehouses: readonly WarehousePlan[];
    readonly stages: readonly StagePlan[];
}

/*
 * Why the names made here need no length check of their own. The app name and every environment are DNS
 * labels (at most 63 characters, catalogueSchema.ts and settingsSchema.ts): the app name is a label value
 * (APPLICATION_LABEL) and the Argo CD Application that argocd-update syncs. A Stage or Warehouse name is
 * then at most 63 + 1 + 63 characters of [a-z0-9-], and the API server takes any DNS-1123 subdomain of up
 * to 253 as a custom resource's name (k8s.io/apiextensions-apiserver v0.34.3, the version in akuity/kargo
 * v1.11.2's go.mod: pkg/registry/customresource/validator.go, NameIsDNSSubdomain). Kargo asks no more: where
 * it copies a Stage name into a label it hashes it down to 63 (pkg/kubernetes/naming.go ShortenLabelValue),
 * and it cuts the Stage name in a Promotion's name to fit 253 (pkg/api/promotion.go), both at v1.11.2. The
 * branch kargo/<app>/<env> is two such labels, which git's ref-name rules (no "..", "~^:?*[\", control
 * characters, ".lock" ends) always accept. So any declared environment makes valid names with any valid app name.
 */
export function warehouseName(app: Application, role: WarehouseRole): string {
    return `${app.name}-${role}`;
}

export function stageName(app: Application, env: string): string {
    return `${app.name}-${env}`;
}

/**
 * `shards` maps each declared environment to its shard name. The catalogue parser has already checked that
 * every stage names one of them; the dev stage uses `devEnvironment`'s overlay and shard. `warehouseShard` puts
 * every Warehouse on that shard (the hub's, by default: then no spoke creates Freight that reaches prod);
 * undefined keeps each on the shard of the first stage it feeds.
 */
export function appPipeline(app: Application, shards: ReadonlyMap<Environment, string>, devEnvironment: Environment, warehouseShard?: string): AppPipeline {
    const shardOf = (env: string): string => {
        const shard = shards.get(env);
        if (shard === undefined) throw new Error(`no shard controller serves environment "${env}" (application "${app.name}")`);
        return shard;
    };
    const firstShard = warehouseShard ?? shardOf(app.stages[0]);
    const withDev = hasDevStage(app);
    const mainWarehouses: WarehousePlan[] = [
        { name: warehouseName(app, "config"), role: "config", shard: firstShard },
        ...(app.images.length + app.charts.length > 0 ? [{ name: warehouseName(app, "images"), role: "images" as const, shard: firstShard }] : []),
        ...(app.releases.length > 0 ? [{ name: warehouseName(app, "releases"), role: "releases" as const, shard: firstShard }] : []),
    ];
    const devWarehouse: WarehousePlan[] = withDev
        ? [{ name: warehouseName(app, "dev-images"), role: "dev-images", shard: warehouseShard ?? shardOf(devEnvironment) }]
        : [];

    const mainOrigins = mainWarehouses.map((warehouse) => warehouse.name);
    const mainStages: StagePlan[] = app.stages.map((env, index) => ({
        name: stageName(app, env),
        targetEnv: env,
        isDev: false,
        shard: shardOf(env),
        origins: mainOrigins,
        upstream: index === 0 ? undefined : stageName(app, app.stages[index - 1]),
    }));
    const devStage: StagePlan[] = withDev
        ? [
              {
                  name: stageName(app, "dev"),
                  targetEnv: devEnvironment,
                  isDev: true,
                  shard: shardOf(devEnvironment),
                  origins: [warehouseName(app, "config"), warehouseName(app, "dev-images")],
              },
          ]
        : [];
    return { app, warehouses: [...mainWarehouses, ...devWarehouse], stages: [...mainStages, ...devStage] };
}

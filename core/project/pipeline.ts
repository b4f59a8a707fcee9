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

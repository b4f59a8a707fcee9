/** Warehouses `<app>-config`, `<app>-images`, `<app>-dev-images` and `<app>-releases` (docs/catalogue.md). */
import type { Application, ChartSpec, ImageSpec, ReleaseSpec } from "../input/catalogue";
import { APPLICATION_LABEL, KARGO_API_VERSION, labels, type Warehouse } from "../kubernetes";
import type { AppPipeline, WarehousePlan } from "./pipeline";

/** Tags that create Freight automatically (the workflow doc's rule); anything else needs a manual Freight. */
export const RELEASE_TAG_PATTERN = String.raw`^v?[0-9]+\.[0-9]+\.[0-9]+`;
export const CONFIG_BRANCH = "main";
export const CONFIG_INTERVAL = "24h";
/** Kargo's own default, written out so a diff never shows a server-side default appearing. */
export const ARTIFACT_INTERVAL = "5m0s";
export const DEV_DISCOVERY_LIMIT = 20;

export interface WarehouseContext {
    readonly namespace: string;
    /** HTTPS URL of the deployment repository. */
    readonly gitRepoURL: string;
}

export function buildWarehouses(pipeline: AppPipeline, context: WarehouseContext): Warehouse[] {
    return pipeline.warehouses.map((plan) => buildWarehouse(pipeline.app, plan, context));
}

function buildWarehouse(app: Application, plan: WarehousePlan, context: WarehouseContext): Warehouse {
    const spec = warehouseSpec(app, plan, context);
    return {
        apiVersion: KARGO_API_VERSION,
        kind: "Warehouse",
        metadata: { name: plan.name, namespace: context.namespace, labels: labels({ [APPLICATION_LABEL]: app.name }) },
        spec: { shard: plan.shard, ...spec },
    };
}

/** Subscriptions are untyped in the CRD (`x-kubernetes-preserve-unknown-fields`): Kargo checks each kind itself. */
type Subscription = Warehouse["spec"]["subscriptions"][number];

function warehouseSpec(app: Application, plan: WarehousePlan, context: WarehouseContext): Omit<Warehouse["spec"], "shard"> {
    switch (plan.role) {
        case "config":
            return {
                interval: CONFIG_INTERVAL,
                freightCreationPolicy: "Automatic",
                subscriptions: [
                    {
                        git: {
                            repoURL: context.gitRepoURL,
                            commitSelectionStrategy: "NewestFromBranch",
                            branch: CONFIG_BRANCH,
                            includePaths: [`glob:${app.path}/**`, "glob:eodhp/envs/*/vars.yaml"],
                        },
                    },
                ],
            };
        case "images": {
            const criteria = releaseTagCriteria(app.images);
            return {
                interval: ARTIFACT_INTERVAL,
                freightCreationPolicy: "Automatic",
                ...(criteria === undefined ? {} : { freightCreationCriteria: { expression: criteria } }),
                subscriptions: [...app.images.map((image) => ({ image: imageSubscription(image) })), ...chartSubscriptions(app.charts)],
            };
        }
        case "dev-images":
            return {
                interval: ARTIFACT_INTERVAL,
                freightCreationPolicy: "Manual",
                subscriptions: [
                    ...app.images.map((image) => ({ image: image.enableDevTags ? devImageSubscription(image) : imageSubscription(image) })),
                    ...chartSubscriptions(app.charts),
                ],
            };
        case "releases":
            return {
                interval: ARTIFACT_INTERVAL,
                freightCreationPolicy: "Automatic",
                subscriptions: app.releases.map((release) => ({ git: releaseSubscription(release) })),
            };
    }
}

/**
 * Freight is created automatically only when every tag-selected image is at a release tag. Two kinds of image
 * take no part: Digest-selected ones follow a fixed tag, and images with `allowTags` already admit only the
 * tags their owner chose (a Lexical `^build-[0-9]{8}$` image would otherwise never create Freight).
 */
function releaseTagCriteria(images: readonly ImageSpec[]): string | undefined {
    const tagged = images.filter((image) => image.imageSelectionStrategy !== "Digest" && image.allowTagsRegexes.length === 0);
    if (tagged.length === 0) return undefined;
    const pattern = RELEASE_TAG_PATTERN.replace(/\\/g, "\\\\");
    return tagged.map((image) => `imageFrom('${image.repoURL}').Tag matches '${pattern}'`).join(" && ");
}

function imageSubscription(image: ImageSpec): Record<string, unknown> {
    return compact({
        repoURL: image.repoURL,
        imageSelectionStrategy: image.imageSelectionStrategy ?? "SemVer",
        constraint: image.constraint,
        strictSemvers: image.strictSemvers,
        allowTagsRegexes: nonEmpty(image.allowTagsRegexes),
        ignoreTagsRegexes: nonEmpty(image.ignoreTagsRegexes),
        discoveryLimit: image.discoveryLimit,
    });
}

/** Dev tags are commit hashes and branch names: newest build wins, no semver constraint or allow-list applies. */
function devImageSubscription(image: ImageSpec): Record<string, unknown> {
    return compact({
        repoURL: image.repoURL,
        imageSelectionStrategy: "NewestBuild",
        ignoreTagsRegexes: nonEmpty(image.ignoreTagsRegexes),
        discoveryLimit: DEV_DISCOVERY_LIMIT,
    });
}

function chartSubscriptions(charts: readonly ChartSpec[]): Subscription[] {
    return charts.map((chart) => ({
        chart: compact({
            repoURL: chart.repoURL,
            name: chart.name,
            semverConstraint: chart.semverConstraint,
            discoveryLimit: chart.discoveryLimit,
        }),
    }));
}

function releaseSubscription(release: ReleaseSpec): Record<string, unknown> {
    return compact({
        repoURL: release.repoURL,
        commitSelectionStrategy: "SemVer",
        semverConstraint: release.semverConstraint,
        discoveryLimit: release.discoveryLimit,
    });
}

function nonEmpty<T>(items: readonly T[]): readonly T[] | undefined {
    return items.length === 0 ? undefined : items;
}

/** Drops undefined fields so manifests show only what is set. */
export function compact(fields: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

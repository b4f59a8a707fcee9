/** Renders stacks once per test run (the mock runtime is process-wide) and caches the results. */
import * as path from "node:path";
import { renderStack, type RenderOptions, type RenderResult } from "../../cli/renderRuntime";
import { PROJECT_ROOT, readStackConfig } from "../../cli/stackFiles";

const FIXTURES = path.join(__dirname, "..", "fixtures");

/**
 * One application in the seed's richest shape. Tests about the install (hub, shards, tokens, secrets,
 * adoption) render with it: each project object kind is still there, at half the registrations.
 */
export const ONE_APP_CATALOGUE = path.join(FIXTURES, "one-app.yaml");

/** Every optional feature on at once, with every catalogue option: one render that many tests share. */
export const FULL_FEATURES: RenderOptions = {
    stack: "prod",
    catalogue: path.join(FIXTURES, "all-options.yaml"),
    configOverrides: {
        "eodhp-kargo:developerGroup": "kargo-developer",
        "eodhp-kargo:slackWebhookSecretName": "eodhp/kargo/slack-webhook",
        "eodhp-kargo:ciPromoterClaims": JSON.stringify({ sub: ["5f0c-b", "5f0c-a"], azp: ["github-actions"] }),
    },
};

const cache = new Map<string, Promise<RenderResult>>();

/**
 * Prod with the test controller's hub token on these generations (the steps of a rotation), secret values
 * kept so that tests can check what is published.
 */
export function rotationStep(generations: readonly string[]): RenderOptions {
    const shards = JSON.parse(readStackConfig("prod").config["eodhp-kargo:remoteShards"]) as Json[];
    const rotated = shards.map((shard) => (shard.environment === "test" ? { ...shard, tokenGenerations: generations } : shard));
    return { stack: "prod", catalogue: ONE_APP_CATALOGUE, configOverrides: { "eodhp-kargo:remoteShards": JSON.stringify(rotated) }, revealSecrets: true };
}

/** Renders serially: Pulumi's mock runtime holds one program at a time. */
let queue: Promise<unknown> = Promise.resolve();

/** `catalogue` naming the file the stack's own setting names: renderStack then sets the very same config. */
function isStacksOwnCatalogue({ stack, catalogue, projectRoot = PROJECT_ROOT }: RenderOptions): boolean {
    if (catalogue === undefined) return false;
    try {
        const { project, config } = readStackConfig(stack, projectRoot);
        const own = config[`${project}:catalogue`];
        return own !== undefined && path.resolve(projectRoot, own) === path.resolve(process.env.INIT_CWD ?? process.cwd(), catalogue);
    } catch {
        return false; // an unknown stack: renderStack reports it
    }
}

/** The same render however it is spelt: keys sorted, no empty overrides, no --catalogue naming the stack's own, no default project root. */
function cacheKey(options: RenderOptions): string {
    const { configOverrides, catalogue, projectRoot, ...rest } = options;
    const all: Record<string, unknown> = {
        ...rest,
        ...(projectRoot !== undefined && path.resolve(projectRoot) !== PROJECT_ROOT ? { projectRoot } : {}),
        ...(catalogue !== undefined && !isStacksOwnCatalogue(options) ? { catalogue } : {}),
        ...(configOverrides && Object.keys(configOverrides).length > 0 ? { configOverrides } : {}),
    };
    return JSON.stringify(
        Object.keys(all)
            .sort()
            .map((key) => [key, all[key]]),
    );
}

export function render(options: RenderOptions): Promise<RenderResult> {
    const key = cacheKey(options);
    let result = cache.get(key);
    if (!result) {
        result = queue.then(() => renderStack(options));
        queue = result.catch(() => undefined);
        cache.set(key, result);
    }
    return result;
}

export type Json = Record<string, any>;

export function resource(result: RenderResult, type: string, name: string): Json {
    const found = result.resources.find((candidate) => candidate.type === type && candidate.name === name);
    if (!found) throw new Error(`no ${type} named ${name}; have: ${result.resources.map((r) => `${r.type}::${r.name}`).join(", ")}`);
    return found;
}

export function manifest(result: RenderResult, kind: string, name: string, namespace?: string): Json {
    const found = result.manifests.find(
        (object) => object.kind === kind && object.metadata.name === name && (namespace === undefined || object.metadata.namespace === namespace),
    );
    if (!found) throw new Error(`no ${kind} named ${name}`);
    return found as Json;
}

/** Renders stacks once per test run (the mock runtime is process-wide) and caches the results. */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { canonical } from "../../cli/renderOutput";
import { renderStack, type RenderResult } from "../../cli/renderRuntime";
import { PROJECT_ROOT, readStackConfig, renderConfig, type RenderOptions, type StackConfig } from "../../core/plan/stackFiles";

const FIXTURES = path.join(__dirname, "..", "fixtures");
// The renders under test are the program's alone: never the kubeconfig of whoever runs the tests (the SDK
// would pass it on to the kubernetes provider). Tests that need one set it (test/support/kubeconfig.ts).
delete process.env.KUBECONFIG;

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

/**
 * Prod with the test controller's hub token on these generations (the steps of a rotation), secret values
 * kept so that tests can check what is published.
 */
export function rotationStep(generations: readonly string[]): RenderOptions {
    const shards = JSON.parse(readStackConfig("prod").config["eodhp-kargo:remoteShards"]) as Json[];
    const rotated = shards.map((shard) => (shard.environment === "test" ? { ...shard, tokenGenerations: generations } : shard));
    return { stack: "prod", catalogue: ONE_APP_CATALOGUE, configOverrides: { "eodhp-kargo:remoteShards": JSON.stringify(rotated) }, revealSecrets: true };
}

/** Renders by their exact options and the text of what they read: an error names the files as spelt. */
const byOptions = new Map<string, Promise<RenderResult>>();
/** Renders by what they read, wherever the files were: a copy of the catalogue renders the same. */
const bySource = new Map<string, Promise<RenderResult>>();
/** Stack files as read, by their text (parsing one with line positions costs milliseconds, and tests ask often). */
const stackConfigs = new Map<string, StackConfig>();

let queue: Promise<unknown> = Promise.resolve();

/** The same JSON however the keys were ordered (the render files' own canonical order). */
const keyOf = (record: Record<string, unknown>): string => JSON.stringify(canonical(record));

/**
 * Everything a render reads, as renderStack reads it (renderConfig): the stack file's text (the settings take
 * each value's YAML type from it), the config it runs with, the catalogue's text, and whether secrets are kept.
 * Undefined when a file is missing: renderStack reports that.
 */
function sourceKey(options: RenderOptions): string | undefined {
    const projectRoot = options.projectRoot ?? PROJECT_ROOT;
    try {
        const texts = ["Pulumi.yaml", `Pulumi.${options.stack}.yaml`].map((file) => readFileSync(path.join(projectRoot, file), "utf8"));
        const read = `${projectRoot}\0${options.stack}\0${texts.join("\0")}`;
        if (!stackConfigs.has(read)) stackConfigs.set(read, readStackConfig(options.stack, projectRoot));
        const { project, config, secretKeys } = renderConfig(options, structuredClone(stackConfigs.get(read) as StackConfig));
        const catalogue = config[`${project}:catalogue`];
        delete config[`${project}:catalogue`];
        const catalogueText = catalogue === undefined ? null : readFileSync(path.resolve(projectRoot, catalogue), "utf8");
        return keyOf({ texts, config, secretKeys, catalogueText, revealSecrets: options.revealSecrets === true });
    } catch {
        return undefined;
    }
}

/** Runs after every render asked for before it: the mock runtime holds one program at a time. */
function queued(options: RenderOptions): Promise<RenderResult> {
    const result = queue.then(() => renderStack(options));
    queue = result.catch(() => undefined);
    return result;
}

export async function render(options: RenderOptions): Promise<RenderResult> {
    const source = sourceKey(options);
    // A file is missing: nothing to key on, and nothing worth keeping (renderStack says which file).
    if (source === undefined) return queued(options);
    // Overrides as pairs: a key set to undefined (removed) must not read as a key left alone.
    const key = keyOf({ ...options, configOverrides: Object.entries(options.configOverrides ?? {}).sort(), source });
    const known = byOptions.get(key);
    if (known) return known;
    const same = bySource.get(source);
    if (same) {
        try {
            return await same;
        } catch {
            // Its error names the files as its options spelt them: render with ours for our own message.
        }
    }
    const result = queued(options);
    byOptions.set(key, result);
    if (!same) bySource.set(source, result);
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

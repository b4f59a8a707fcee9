/** Renders stacks once per test run (the mock runtime is process-wide) and caches the results. */
import { readFileSync } from "node:fs";
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

/**
 * Prod with the test controller's hub token on these generations (the steps of a rotation), secret values
 * kept so that tests can check what is published.
 */
export function rotationStep(generations: readonly string[]): RenderOptions {
    const shards = JSON.parse(readStackConfig("prod").config["eodhp-kargo:remoteShards"]) as Json[];
    const rotated = shards.map((shard) => (shard.environment === "test" ? { ...shard, tokenGenerations: generations } : shard));
    return { stack: "prod", catalogue: ONE_APP_CATALOGUE, configOverrides: { "eodhp-kargo:remoteShards": JSON.stringify(rotated) }, revealSecrets: true };
}

/** Renders by their exact options: a failed render's error names the files as the options spelt them. */
const byOptions = new Map<string, Promise<RenderResult>>();
/** Renders by what they read, wherever the files were: a copy of the catalogue renders the same. */
const bySource = new Map<string, Promise<RenderResult>>();

/** Renders serially: Pulumi's mock runtime holds one program at a time. */
let queue: Promise<unknown> = Promise.resolve();

const sortedJson = (record: Record<string, unknown>): string =>
    JSON.stringify(
        Object.keys(record)
            .sort()
            .map((key) => [key, record[key]]),
    );

/**
 * Everything a render reads, as renderStack reads it: the stack's config (overrides applied), the
 * catalogue's text and whether secrets are kept. Undefined when a file is missing (renderStack reports it).
 */
function sourceKey({ stack, catalogue, configOverrides = {}, projectRoot = PROJECT_ROOT, revealSecrets }: RenderOptions): string | undefined {
    try {
        const { project, config, secretKeys } = readStackConfig(stack, projectRoot);
        for (const [key, value] of Object.entries(configOverrides)) {
            if (value === undefined) delete config[key];
            else config[key] = value;
        }
        const catalogueKey = `${project}:catalogue`;
        const own = config[catalogueKey];
        delete config[catalogueKey];
        const catalogueFile =
            catalogue !== undefined
                ? path.resolve(process.env.INIT_CWD ?? process.cwd(), catalogue)
                : own !== undefined
                  ? path.resolve(projectRoot, own)
                  : undefined;
        const catalogueText = catalogueFile === undefined ? null : readFileSync(catalogueFile, "utf8");
        return sortedJson({ stack, project, config: sortedJson(config), secretKeys, catalogueText, revealSecrets: revealSecrets === true });
    } catch {
        return undefined;
    }
}

export async function render(options: RenderOptions): Promise<RenderResult> {
    // Overrides as pairs: a key set to undefined (removed) must not read as a key left alone.
    const key = sortedJson({ ...options, configOverrides: Object.entries(options.configOverrides ?? {}).sort() });
    const rendered = byOptions.get(key);
    if (rendered) return rendered;
    const source = sourceKey(options);
    const same = source === undefined ? undefined : bySource.get(source);
    if (same) {
        try {
            return await same;
        } catch {
            // Its error names the files as its options spelt them: render with ours for our own message.
        }
    }
    const result = queue.then(() => renderStack(options));
    queue = result.catch(() => undefined);
    byOptions.set(key, result);
    if (source !== undefined && !same) bySource.set(source, result);
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

/** Renders stacks once per test run (the mock runtime is process-wide) and caches the results. */
import { renderStack, type RenderOptions, type RenderResult } from "../../cli/renderRuntime";

const cache = new Map<string, Promise<RenderResult>>();

/** Renders serially: Pulumi's mock runtime holds one program at a time. */
let queue: Promise<unknown> = Promise.resolve();

/** The same render however it is spelt: keys sorted, no empty overrides. */
function cacheKey({ configOverrides, ...options }: RenderOptions): string {
    const all: Record<string, unknown> = { ...options, ...(configOverrides && Object.keys(configOverrides).length > 0 ? { configOverrides } : {}) };
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

/**
 * Runs the real program (index.ts) under Pulumi's mock runtime with a stack's config, and records every
 * resource it registers: no Pulumi CLI, cluster, credentials or network. Used by `npm run render`, the
 * diff and bench commands, and the tests.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { InputError } from "../core/input/errors";
import { loadStackPlan, stackFileLocator } from "../core/plan/loadStack";
import { parseStackSettings, type StackSettings } from "../core/input/settings";
import { compareObjects, compareText, type KubernetesObject } from "../core/kubernetes";

export const PROJECT_ROOT = path.resolve(__dirname, "..");
export const SECRET_PLACEHOLDER = "[secret]";

// How Pulumi's runtime marks a secret value on the wire (see PULUMI-MOCKS.md).
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG_VALUE = "1b47061264138c4ac30d75fd1eb44270";

export interface RenderedResource {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
    /** `type::name` of the parent resource, where the program gave one. */
    readonly parent?: string;
}

export interface RenderResult {
    readonly stack: string;
    /** Every resource the program registered, components included, sorted by type then name. */
    readonly resources: readonly RenderedResource[];
    /** Every Kubernetes object the program registered (Helm chart contents aside), sorted. */
    readonly manifests: readonly KubernetesObject[];
    /** Resource options the program set, by `type::name` (for tests of protect/dependsOn). */
    readonly options: ReadonlyMap<string, pulumi.ResourceOptions>;
    /** The provider reference (`urn::id`) each resource was registered with, by `type::name` (tests). */
    readonly providers: ReadonlyMap<string, string>;
    /** Names of the program's stack outputs. */
    readonly outputs: readonly string[];
}

export interface RenderOptions {
    readonly stack: string;
    /** Catalogue file to use instead of the stack's `catalogue` setting. */
    readonly catalogue?: string;
    /** Extra or replacement `eodhp-kargo:*` config values (tests). */
    readonly configOverrides?: Readonly<Record<string, string>>;
    readonly projectRoot?: string;
}

/** The stack's config as `pulumi.runtime.allConfig()` would return it; secure values stay unreadable. */
export function readStackConfig(stack: string, projectRoot = PROJECT_ROOT): { project: string; config: Record<string, string>; secretKeys: string[] } {
    const project = (parse(readFileSync(path.join(projectRoot, "Pulumi.yaml"), "utf8")) as { name: string }).name;
    const file = `Pulumi.${stack}.yaml`;
    let text: string;
    try {
        text = readFileSync(path.join(projectRoot, file), "utf8");
    } catch {
        throw new InputError({ file, entry: `stack "${stack}"` }, `unknown stack; there is no ${file} in ${projectRoot}`);
    }
    const values = ((parse(text) as { config?: Record<string, unknown> } | null)?.config ?? {}) as Record<string, unknown>;
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, value] of Object.entries(values)) {
        const fullKey = key.includes(":") ? key : `${project}:${key}`;
        if (value !== null && typeof value === "object" && "secure" in value) {
            // Offline there is no key to decrypt with; the program only ever sees a placeholder.
            config[fullKey] = SECRET_PLACEHOLDER;
            secretKeys.push(fullKey);
        } else {
            config[fullKey] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    return { project, config, secretKeys };
}

/** A stack's validated settings, read from its file as `pulumi up` would see them (errors name the line). */
export function readStackSettings(stack: string, projectRoot = PROJECT_ROOT): StackSettings {
    return parseStackSettings(stack, readStackConfig(stack, projectRoot).config, stackFileLocator(stack, projectRoot));
}

/** What the cluster and AWS would fill in after creation, so the program's applies run as in `pulumi up`. */
function simulatedOutputs(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
    const encode = (text: string): string => Buffer.from(text).toString("base64");
    if (type === "kubernetes:core/v1:Secret" && inputs.type === "kubernetes.io/service-account-token") {
        const namespace = (inputs.metadata as { namespace?: string }).namespace ?? "default";
        return { data: { token: encode(`offline-render-token-${name}`), "ca.crt": encode("offline-render-ca"), namespace: encode(namespace) } };
    }
    if (type === "aws:secretsmanager/secret:Secret") {
        return { arn: `arn:aws:secretsmanager:offline-render:000000000000:secret:${String(inputs.name)}` };
    }
    return {};
}

function simulatedCall(token: string, inputs: Record<string, unknown>): Record<string, unknown> {
    if (token === "aws:eks/getCluster:getCluster") {
        return { name: inputs.name, endpoint: `https://offline-render.invalid/eks/${String(inputs.name)}` };
    }
    return inputs;
}

/** Replaces Pulumi's secret wrappers by "[secret]", so no secret value leaves the render. */
export function redactSecrets(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(redactSecrets);
    if (value !== null && typeof value === "object") {
        const record = value as Record<string, unknown>;
        if (record[SECRET_SIG_KEY] === SECRET_SIG_VALUE) return SECRET_PLACEHOLDER;
        return Object.fromEntries(Object.entries(record).map(([key, inner]) => [key, redactSecrets(inner)]));
    }
    return value;
}

function isManifest(resource: RenderedResource): boolean {
    return (
        resource.type.startsWith("kubernetes:") &&
        !resource.type.startsWith("kubernetes:helm.sh/") &&
        typeof resource.inputs.apiVersion === "string" &&
        typeof resource.inputs.kind === "string"
    );
}

/** Runs index.ts for one stack under mocks and returns what it registered. Throws the program's error. */
export async function renderStack(options: RenderOptions): Promise<RenderResult> {
    const projectRoot = options.projectRoot ?? PROJECT_ROOT;
    const { project, config, secretKeys } = readStackConfig(options.stack, projectRoot);
    if (options.catalogue !== undefined) {
        // npm runs scripts from the project root; INIT_CWD is where the user typed the command.
        const file = path.resolve(process.env.INIT_CWD ?? process.cwd(), options.catalogue);
        // The file came from --catalogue, not from the stack's `catalogue` key: say so.
        if (!existsSync(file) || !statSync(file).isFile()) throw new InputError({ file: options.catalogue, field: "--catalogue" }, "no such file");
        const relative = path.relative(projectRoot, file);
        config[`${project}:catalogue`] = relative.startsWith("..") || path.isAbsolute(relative) ? file : relative;
    }
    Object.assign(config, options.configOverrides ?? {});
    // Validate exactly as index.ts will, before the runtime starts: bad input fails here with nothing
    // registered (an exception inside the mock runtime would also leave a rejected promise behind).
    loadStackPlan(options.stack, config, projectRoot);

    const registered: RenderedResource[] = [];
    const identities = new WeakMap<pulumi.Resource, string>();
    const resourceOptions = new Map<string, pulumi.ResourceOptions>();
    const providers = new Map<string, string>();

    pulumi.runtime.setAllConfig(config, secretKeys);
    pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                registered.push({ type: args.type, name: args.name, inputs: args.inputs });
                if (args.provider) providers.set(`${args.type}::${args.name}`, args.provider);
                return { id: args.id ?? `${args.name}-id`, state: { ...args.inputs, ...simulatedOutputs(args.type, args.name, args.inputs) } };
            },
            call: (args) => simulatedCall(args.token, args.inputs),
        },
        project,
        options.stack,
        false,
    );
    const parents = new Map<string, string>();
    let outputs: Record<string, unknown> = {};
    const programPath = path.join(projectRoot, "index.ts");
    delete require.cache[require.resolve(programPath)];
    await pulumi.runtime.runInPulumiStack(async () => {
        pulumi.runtime.registerStackTransformation((args) => {
            const identity = `${args.type}::${args.name}`;
            identities.set(args.resource, identity);
            resourceOptions.set(identity, args.opts);
            const parent = args.opts.parent && identities.get(args.opts.parent);
            if (parent) parents.set(identity, parent);
            return undefined;
        });
        // require, not import(): the program's `export =` object is its stack outputs, with no `default` key.
        outputs = require(programPath) as Record<string, unknown>;
        return outputs;
    });
    await pulumi.runtime.disconnect();

    const resources = registered
        .filter((resource) => resource.type !== "pulumi:pulumi:Stack")
        .map((resource): RenderedResource => {
            const parent = parents.get(`${resource.type}::${resource.name}`);
            return { type: resource.type, name: resource.name, inputs: redactSecrets(resource.inputs) as Record<string, unknown>, ...(parent ? { parent } : {}) };
        })
        .sort((a, b) => compareText(a.type, b.type) || compareText(a.name, b.name));
    const manifests = resources
        .filter(isManifest)
        .map((resource) => resource.inputs as unknown as KubernetesObject)
        .sort(compareObjects);
    return { stack: options.stack, resources, manifests, options: resourceOptions, providers, outputs: Object.keys(outputs).sort() };
}

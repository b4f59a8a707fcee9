/**
 * Runs the real program under Pulumi's mock runtime with a stack's config, and records every resource it
 * registers: no Pulumi CLI, cluster, credentials or network. It plans once, as index.ts does, and registers
 * that plan with the same deployStack (deploy.ts); test/render.test.ts runs index.ts itself too. Used by `npm run render`, the
 * diff and bench commands, and the tests.
 */
import { existsSync, statSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { deployStack } from "../deploy";
import { InputError } from "../core/input/errors";
import { loadStackPlan } from "../core/plan/loadStack";
import type { StackPlan } from "../core/plan/stackPlan";
import { compareObjects, compareText, type KubernetesObject } from "../core/kubernetes";
import { PROJECT_ROOT, readStackConfig, SECRET_PLACEHOLDER, type StackConfig } from "../core/plan/stackFiles";

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
    /** `type::name` of a resource the program registered, e.g. a parent or alias parent in `options` (tests). */
    readonly identityOf: (resource: pulumi.Resource) => string | undefined;
}

export interface RenderOptions {
    readonly stack: string;
    /** Catalogue file to use instead of the stack's `catalogue` setting. */
    readonly catalogue?: string;
    /** Extra or replacement `eodhp-kargo:*` config values (tests); undefined removes a key. */
    readonly configOverrides?: Readonly<Record<string, string | undefined>>;
    readonly projectRoot?: string;
    /** Tests only (the commands never set it): keep secret values instead of "[secret]", to check what is published. */
    readonly revealSecrets?: boolean;
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

/** The mocks' answer to a registration (also cli/pulumiLoadChild.js's): its id and its state, outputs filled in. */
export function simulatedResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
    return { id: args.id ?? `${args.name}-id`, state: { ...args.inputs, ...simulatedOutputs(args.type, args.name, args.inputs) } };
}

export function simulatedCall(token: string, inputs: Record<string, unknown>): Record<string, unknown> {
    if (token === "aws:eks/getCluster:getCluster") {
        return { name: inputs.name, endpoint: `https://offline-render.invalid/eks/${String(inputs.name)}` };
    }
    return inputs;
}

/**
 * Replaces Pulumi's secret wrappers by "[secret]", so no secret value leaves the render. A value holding no
 * secret is returned as it is, not copied: at 5,000 apps a copy of every input is over a gigabyte of heap.
 */
export function redactSecrets(value: unknown, reveal = false): unknown {
    if (Array.isArray(value)) {
        const items = value.map((item) => redactSecrets(item, reveal));
        return items.every((item, index) => item === value[index]) ? value : items;
    }
    if (value !== null && typeof value === "object") {
        const record = value as Record<string, unknown>;
        // How Pulumi's runtime marks a secret value on the wire (@pulumi/pulumi runtime/rpc).
        if (record[specialSigKey] === specialSecretSig) return reveal ? redactSecrets(record.value, reveal) : SECRET_PLACEHOLDER;
        const entries = Object.entries(record).map(([key, inner]) => [key, redactSecrets(inner, reveal)] as const);
        return entries.every(([key, inner]) => inner === record[key]) ? record : Object.fromEntries(entries);
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

/**
 * The config a render runs with: the stack file's (`stackConfig`, read from the project unless given; it is
 * changed in place), then `catalogue`, then the overrides, in that order.
 */
export function renderConfig(options: RenderOptions, stackConfig?: StackConfig): StackConfig {
    const projectRoot = options.projectRoot ?? PROJECT_ROOT;
    const { project, config, secretKeys } = stackConfig ?? readStackConfig(options.stack, projectRoot);
    if (options.catalogue !== undefined) {
        // npm runs scripts from the project root; INIT_CWD is where the user typed the command.
        const file = path.resolve(process.env.INIT_CWD ?? process.cwd(), options.catalogue);
        // The file came from --catalogue, not from the stack's `catalogue` key: say so.
        if (!existsSync(file) || !statSync(file).isFile()) throw InputError.at({ file: options.catalogue, field: "--catalogue" }, "no such file");
        const relative = path.relative(projectRoot, file);
        config[`${project}:catalogue`] = relative.startsWith("..") || path.isAbsolute(relative) ? file : relative;
    }
    for (const [key, value] of Object.entries(options.configOverrides ?? {})) {
        if (value === undefined) delete config[key];
        else config[key] = value;
    }
    return { project, config, secretKeys };
}

/**
 * Runs the program for one stack under mocks and returns what it registered. Throws the program's error.
 * `program` registers the plan; by default deployStack, which is what index.ts runs (a test passes index.ts).
 */
export async function renderStack(options: RenderOptions, program: (plan: StackPlan) => unknown = deployStack): Promise<RenderResult> {
    const projectRoot = options.projectRoot ?? PROJECT_ROOT;
    const { project, config, secretKeys } = renderConfig(options);
    // Plan exactly as index.ts does, before the runtime starts: bad input fails here with nothing
    // registered (an exception inside the mock runtime would also leave a rejected promise behind).
    const plan = loadStackPlan(options.stack, config, projectRoot);

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
                return simulatedResource(args);
            },
            call: (args) => simulatedCall(args.token, args.inputs),
        },
        project,
        options.stack,
        false,
    );
    const parents = new Map<string, string>();
    let outputs: Record<string, unknown> = {};
    await pulumi.runtime.runInPulumiStack(async () => {
        pulumi.runtime.registerStackTransformation((args) => {
            const identity = `${args.type}::${args.name}`;
            identities.set(args.resource, identity);
            resourceOptions.set(identity, args.opts);
            const parent = args.opts.parent && identities.get(args.opts.parent);
            if (parent) parents.set(identity, parent);
            return undefined;
        });
        // The program's value is its stack outputs (index.ts: `export =` of the role's own outputs).
        outputs = ((await program(plan)) ?? {}) as Record<string, unknown>;
        return outputs;
    });
    await pulumi.runtime.disconnect();

    const resources = registered
        .filter((resource) => resource.type !== "pulumi:pulumi:Stack")
        .map((resource): RenderedResource => {
            const parent = parents.get(`${resource.type}::${resource.name}`);
            return {
                type: resource.type,
                name: resource.name,
                inputs: redactSecrets(resource.inputs, options.revealSecrets) as Record<string, unknown>,
                ...(parent ? { parent } : {}),
            };
        })
        .sort((a, b) => compareText(a.type, b.type) || compareText(a.name, b.name));
    const manifests = resources
        .filter(isManifest)
        .map((resource) => resource.inputs as unknown as KubernetesObject)
        .sort(compareObjects);
    const identityOf = (resource: pulumi.Resource) => identities.get(resource);
    return { stack: options.stack, resources, manifests, options: resourceOptions, providers, outputs: Object.keys(outputs).sort(), identityOf };
}

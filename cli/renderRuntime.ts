/**
 * Runs the real program under Pulumi's mock runtime with a stack's config, and records every resource it
 * registers: no Pulumi CLI, cluster, credentials or network. It plans once, as index.ts does, and registers
 * that plan with the same deployStack (deploy.ts); test/render.test.ts runs index.ts itself too. Used by `npm run render`, the
 * diff and bench commands, and the tests.
 */
import { createHmac, randomBytes } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { deployStack } from "../deploy";
import type { EksCluster } from "../core/install/clusterPin";
import { loadStackPlan } from "../core/plan/loadStack";
import type { StackPlan } from "../core/plan/stackPlan";
import { compareObjects, compareText, type KubernetesObject } from "../core/kubernetes";
import { PROJECT_ROOT, renderConfig, SECRET_PLACEHOLDER, type RenderOptions } from "../core/plan/stackFiles";

export type { RenderOptions } from "../core/plan/stackFiles";

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
    /** Per resource holding secrets, by `type::name`: each secret's path → a keyed digest of its value (see secretDigests). */
    readonly secretDigests: ReadonlyMap<string, Readonly<Record<string, string>>>;
    /** `type::name` of a resource the program registered, e.g. a parent or alias parent in `options` (tests). */
    readonly identityOf: (resource: pulumi.Resource) => string | undefined;
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

/** The EKS cluster `aws eks describe-cluster` reports in an offline render. */
export function offlineEksCluster(name: string): EksCluster {
    return { name, arn: `arn:aws:eks:offline-render:000000000000:cluster/${name}`, endpoint: `https://offline-render.invalid/eks/${name}` };
}

/** A kubeconfig whose `context` names `cluster` at its endpoint, as `aws eks update-kubeconfig --alias` writes one. */
export function offlineKubeconfig(context: string, cluster: EksCluster): string {
    return stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: cluster.arn, cluster: { server: cluster.endpoint, "certificate-authority-data": "LS0t" } }],
        contexts: [{ name: context, context: { cluster: cluster.arn, user: cluster.arn } }],
        "current-context": context,
        users: [{ name: cluster.arn, user: { exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: "aws", args: ["eks", "get-token"] } } }],
    });
}

/**
 * The mocks' answer to a registration (also scripts/pulumiLoadChild.js's): its id and its state, outputs filled
 * in. A resource being created comes with an empty id (the provider assigns one), so every resource gets its own,
 * and inputs built from another's id (a SecretVersion's `secretId`) show in the render as they will in `pulumi up`.
 */
export function simulatedResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
    return { id: args.id || `${args.name}-id`, state: { ...args.inputs, ...simulatedOutputs(args.type, args.name, args.inputs) } };
}

export function simulatedCall(token: string, inputs: Record<string, unknown>): Record<string, unknown> {
    if (token === "aws:eks/getCluster:getCluster") return { ...offlineEksCluster(String(inputs.name)) };
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

/** Digests are keyed per process: comparable between two renders of one diff, useless to anyone else. */
const DIGEST_KEY = randomBytes(32);

/** Each secret's path in `value` (`data.token`) → a digest of its value, so a diff can tell a changed secret without its value. */
export function secretDigests(value: unknown, path = "", found: Record<string, string> = {}): Record<string, string> {
    if (Array.isArray(value)) value.forEach((item, index) => secretDigests(item, `${path}[${index}]`, found));
    else if (value !== null && typeof value === "object") {
        const record = value as Record<string, unknown>;
        if (record[specialSigKey] === specialSecretSig) {
            found[path] = createHmac("sha256", DIGEST_KEY)
                .update(JSON.stringify(record.value) ?? "")
                .digest("hex");
        } else for (const [key, inner] of Object.entries(record)) secretDigests(inner, path === "" ? key : `${path}.${key}`, found);
    }
    return found;
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
 * The kubernetes provider's inputs without what the SDK copies from the environment of whoever renders:
 * @pulumi/kubernetes 4.34.2 provider.js sets `kubeconfig` from $KUBECONFIG when the program gives none, and
 * that may be a path (different on every machine) or a whole kubeconfig with its token. It is shown as
 * "[$KUBECONFIG]", so a render is the same everywhere and never carries a credential.
 */
export function withoutEnvironment(type: string, inputs: Record<string, unknown>): Record<string, unknown> {
    const fromEnvironment = type === "pulumi:providers:kubernetes" && process.env.KUBECONFIG !== undefined && inputs.kubeconfig === process.env.KUBECONFIG;
    return fromEnvironment ? { ...inputs, kubeconfig: ENVIRONMENT_KUBECONFIG } : inputs;
}
export const ENVIRONMENT_KUBECONFIG = "[$KUBECONFIG]";

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
                registered.push({ type: args.type, name: args.name, inputs: withoutEnvironment(args.type, args.inputs) });
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

    const digests = new Map<string, Record<string, string>>();
    const resources = registered
        .filter((resource) => resource.type !== "pulumi:pulumi:Stack")
        .map((resource): RenderedResource => {
            const identity = `${resource.type}::${resource.name}`;
            const parent = parents.get(identity);
            const inputs = redactSecrets(resource.inputs, options.revealSecrets) as Record<string, unknown>;
            // Only a resource holding a secret comes back as a copy (redactSecrets returns the rest as they are).
            if (inputs !== resource.inputs) digests.set(identity, secretDigests(resource.inputs));
            return { type: resource.type, name: resource.name, inputs, ...(parent ? { parent } : {}) };
        })
        .sort((a, b) => compareText(a.type, b.type) || compareText(a.name, b.name));
    const manifests = resources
        .filter(isManifest)
        .map((resource) => resource.inputs as unknown as KubernetesObject)
        .sort(compareObjects);
    return {
        stack: options.stack,
        resources,
        manifests,
        options: resourceOptions,
        providers,
        outputs: Object.keys(outputs).sort(),
        secretDigests: digests,
        identityOf: (resource: pulumi.Resource) => identities.get(resource),
    };
}

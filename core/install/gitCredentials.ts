/**
 * Where each Kargo controller finds the git credential it pushes with, so that no spoke can read the one prod
 * pushes with. How Kargo v1.11.2 looks one up (akuity/kargo pkg/credentials/kubernetes/database.go, Get and
 * getCredentialsSecret):
 *
 * 1. on the control plane (the hub), List the Secrets labelled `kargo.akuity.io/cred-type: git` in the
 *    project namespace, then in SHARED_RESOURCES_NAMESPACE, and take the first whose `repoURL` matches;
 * 2. only then, and only when the controller runs with a remote kubeconfig and LOCAL_CLUSTER_CREDS_FALLBACK is
 *    "true" (cmd/controlplane/controller.go setupKargoManager builds the local client only then), the same two
 *    Lists on the controller's own cluster;
 * 3. a List that fails (Forbidden included) returns the error at once: the lookup does not fall through.
 *
 * Both clients read Secrets uncached (setupKargoManager: `DisableFor: &corev1.Secret{}` for the manager's
 * client and for the local cluster's), so each lookup is a plain namespaced List: `list` in that namespace is
 * all it needs, no cluster-wide watch. RBAC cannot limit a List by label, and a List returns the Secrets'
 * data, so whoever may make it reads every Secret there: the namespaces a spoke lists must hold no credential
 * it must not use.
 *
 * Hence:
 * - the hub's own credential (prod's) sits in the hub's `kargo-shared-resources`, which the hub's controller
 *   reads through the chart's binding and no spoke can read;
 * - each spoke's SHARED_RESOURCES_NAMESPACE is a namespace of its own (`kargo-shared-resources-<env>`), made
 *   on the hub for it alone, so its second List on the hub succeeds without touching prod's;
 * - `eodhp` on the hub holds no git credential, and spokes may only `list` there (their first List);
 * - each spoke's credential lives on its own cluster, in namespace `eodhp`, filled from its own Secrets
 *   Manager entry, and the spoke's controller runs with the fallback on.
 */
import { buildExternalSecret } from "./externalSecret";
import { KARGO_NAMESPACE, PROJECT_NAME, type HubSettings, type RemoteShard, type ShardSettings } from "../input/settings";
import { labels, role, roleBinding, type ExternalSecret, type KubernetesObject } from "../kubernetes";
import { SLACK_WEBHOOK_SECRET } from "../project/projectObjects";

/** The chart's `global.sharedResources.namespace` on the hub (its default, set explicitly). */
export const HUB_SHARED_RESOURCES_NAMESPACE = "kargo-shared-resources";
export const GIT_CREDENTIALS_SECRET = "git-credentials";
/** api/v1alpha1 LabelKeyCredentialType: the label the lookup's List selects on. */
export const CREDENTIAL_TYPE_LABEL = "kargo.akuity.io/cred-type";
/** Read by setupKargoManager from the controller's environment; the chart has no value for it, so `controller.env`. */
export const LOCAL_CREDENTIALS_FALLBACK = { name: "LOCAL_CLUSTER_CREDS_FALLBACK", value: "true" };
/** The chart's controller ServiceAccount (charts/kargo/templates/_helpers.tpl kargo.controller.fullname, no `controller.id`). */
export const CHART_CONTROLLER_ACCOUNT = "kargo-controller";
/** On the hub, in the project namespace: the remote controllers' first List. */
export const CREDENTIAL_LOOKUP_ROLE = "kargo-remote-controller-credential-lookup";
/** On the hub, in a spoke's shared namespace; on a spoke, in its local project namespace. */
export const SHARED_READER_ROLE = "kargo-controller-shared-reader";
/** On a spoke, in its own (empty) SHARED_RESOURCES_NAMESPACE: the fallback's last List. */
export const LOCAL_LOOKUP_ROLE = "kargo-controller-credential-lookup";
const SHARED_PREFIX = `${HUB_SHARED_RESOURCES_NAMESPACE}-`;

/** A spoke's SHARED_RESOURCES_NAMESPACE, the same name on the hub and on the spoke (its length: settingsValues.ts MAX_ENVIRONMENT_LENGTH). */
export function shardSharedNamespace(environment: string): string {
    return `${SHARED_PREFIX}${environment}`;
}

/** ExternalSecret for a git credential Kargo finds: labelled `git`, with the repository it is for. */
export function buildGitCredentials(args: {
    readonly namespace: string;
    readonly clusterSecretStore: string;
    readonly repoURL: string;
    readonly remoteKey: string;
}): ExternalSecret {
    return buildExternalSecret({
        name: GIT_CREDENTIALS_SECRET,
        namespace: args.namespace,
        clusterSecretStore: args.clusterSecretStore,
        secretLabels: { [CREDENTIAL_TYPE_LABEL]: "git" },
        values: ["username", "password"].map((key) => ({ secretKey: key, remoteKey: args.remoteKey, property: key })),
        template: { repoURL: args.repoURL, username: "{{ .username }}", password: "{{ .password }}" },
    });
}

/** A namespace this program makes, and what goes into it once it exists. */
export interface NamespaceWithObjects {
    readonly namespace: KubernetesObject;
    readonly objects: readonly KubernetesObject[];
}

const namespace = (name: string): KubernetesObject => ({ apiVersion: "v1", kind: "Namespace", metadata: { name, labels: labels() } });
const SECRETS = (verbs: readonly string[]) => [{ apiGroups: [""], resources: ["secrets"], verbs: [...verbs] }];
const account = (name: string) => ({ kind: "ServiceAccount", name, namespace: KARGO_NAMESPACE });

/**
 * A spoke's own credential and the namespaces its fallback Lists (the spoke's chart installs no RBAC of its
 * own: `dataPlane.install: false`, core/install/chartValues.ts), each with `list` for the chart's controller:
 * - namespace `<project>` on the spoke, the fallback's first List, holding the credential;
 * - its SHARED_RESOURCES_NAMESPACE on the spoke, the fallback's second List, empty: without it, a repository
 *   the spoke has no credential for (a public chart or image registry its Warehouses or steps read) would end
 *   the lookup with Forbidden instead of "no credential".
 */
export function buildSpokeCredentials(settings: ShardSettings, projectNamespace: string): NamespaceWithObjects[] {
    const controller = [account(CHART_CONTROLLER_ACCOUNT)];
    const sharedNamespace = shardSharedNamespace(settings.environment[0]);
    return [
        {
            namespace: namespace(projectNamespace),
            objects: [
                buildGitCredentials({
                    namespace: projectNamespace,
                    clusterSecretStore: settings.clusterSecretStore,
                    repoURL: settings.gitRepoUrl,
                    remoteKey: settings.gitCredentialsSecretName,
                }),
                role(SHARED_READER_ROLE, projectNamespace, SECRETS(["list"])),
                roleBinding(SHARED_READER_ROLE, projectNamespace, { kind: "Role", name: SHARED_READER_ROLE }, controller),
            ],
        },
        {
            namespace: namespace(sharedNamespace),
            objects: [
                role(LOCAL_LOOKUP_ROLE, sharedNamespace, SECRETS(["list"])),
                roleBinding(LOCAL_LOOKUP_ROLE, sharedNamespace, { kind: "Role", name: LOCAL_LOOKUP_ROLE }, controller),
            ],
        },
    ];
}

/**
 * On the hub, a spoke's shared namespace and its reads there: `list` for the credential lookup's second List,
 * `get` for `sharedSecret()` in expressions (pkg/expressions/function/functions.go SharedSecret: a Get in
 * SHARED_RESOURCES_NAMESPACE through the control-plane client), which the Slack steps use.
 */
export function buildShardSharedResources(shard: RemoteShard, controllerName: string): NamespaceWithObjects {
    const name = shardSharedNamespace(shard.environment[0]);
    return {
        namespace: namespace(name),
        objects: [
            role(SHARED_READER_ROLE, name, SECRETS(["get", "list"])),
            roleBinding(`${controllerName}-shared-reader`, name, { kind: "Role", name: SHARED_READER_ROLE }, [account(controllerName)]),
        ],
    };
}

/**
 * On the hub: prod's credential in the hub's shared namespace, and in the project namespace, for the remote
 * controllers, only the List their lookup makes first, never a Get of a named Secret.
 */
export function buildHubCredentials(settings: HubSettings, remoteControllers: ReadonlyArray<{ readonly name: string }>): KubernetesObject[] {
    const lookup = remoteControllers.map((controller) => account(controller.name));
    return [
        buildGitCredentials({
            namespace: HUB_SHARED_RESOURCES_NAMESPACE,
            clusterSecretStore: settings.clusterSecretStore,
            repoURL: settings.gitRepoUrl,
            remoteKey: settings.gitCredentialsSecretName,
        }),
        ...(lookup.length === 0
            ? []
            : [
                  role(CREDENTIAL_LOOKUP_ROLE, PROJECT_NAME, SECRETS(["list"])),
                  roleBinding(CREDENTIAL_LOOKUP_ROLE, PROJECT_NAME, { kind: "Role", name: CREDENTIAL_LOOKUP_ROLE }, lookup),
              ]),
    ];
}

/** Where the Slack URL is copied: each controller's shared namespace on the hub, the hub's own first. */
export function slackCopies(remoteShards: readonly RemoteShard[]): Array<{ name: string; namespace: string }> {
    return [
        { name: SLACK_WEBHOOK_SECRET, namespace: HUB_SHARED_RESOURCES_NAMESPACE },
        ...remoteShards.map((shard) => ({ name: `${SLACK_WEBHOOK_SECRET}-${shard.environment[0]}`, namespace: shardSharedNamespace(shard.environment[0]) })),
    ];
}

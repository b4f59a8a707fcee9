import { strict as assert } from "node:assert";
import { parseStackSettings } from "../core/input/settings";
import { hubObjectsOf, planHub } from "../core/plan/stackPlan";
import { hubSettings, shardConfig, shippedCatalogue } from "./support/fixtures";
import { manifest, render, resource, type Json } from "./support/render";
import { mayRead, secretReadNamespaces } from "./support/secretReads";

const CHART = "kubernetes:helm.sh/v4:Chart";
const REPO = "https://github.com/EO-DataHub/eodhp-argocd-deployment.git";
const SPOKES = ["test", "staging"] as const;

/** ExternalSecrets that make a git credential Kargo finds: labelled `git`, for a repository. */
const gitCredentials = (objects: readonly Json[]): Json[] =>
    objects.filter((o) => o.kind === "ExternalSecret" && o.spec.target.template?.metadata?.labels?.["kargo.akuity.io/cred-type"] === "git");
const remoteKey = (credential: Json): string => credential.spec.data[0].remoteRef.key;

/**
 * The Lists of akuity/kargo v1.11.2 pkg/credentials/kubernetes/database.go Get, in order: the project
 * namespace, then SHARED_RESOURCES_NAMESPACE, on the control plane; then the same on the controller's own
 * cluster, when it runs with a remote kubeconfig and LOCAL_CLUSTER_CREDS_FALLBACK is "true"
 * (cmd/controlplane/controller.go setupKargoManager). The first matching Secret wins; a failed List aborts.
 */
function credentialLists(sharedNamespace: string, localFallback: boolean): Array<{ cluster: "hub" | "local"; namespace: string }> {
    const clusters = localFallback ? (["hub", "local"] as const) : (["hub"] as const);
    return clusters.flatMap((cluster) => ["eodhp", sharedNamespace].map((namespace) => ({ cluster, namespace })));
}

describe("git credentials: no spoke can read the credential prod pushes with", () => {
    it("a shard stack names its own git credential and the repository it is for", () => {
        const config = shardConfig({ "eodhp-kargo:gitRepoUrl": "git@github.com:EO-DataHub/eodhp-argocd-deployment.git" });
        const settings = parseStackSettings("test", config);
        assert.deepEqual(settings.role === "shard" && [settings.gitRepoUrl, settings.gitCredentialsSecretName], [REPO, "eodhp/kargo/git-credentials-test"]);
        const without = Object.fromEntries(Object.entries(config).filter(([key]) => key !== "eodhp-kargo:gitCredentialsSecretName"));
        assert.throws(() => parseStackSettings("test", without), /eodhp-kargo:gitCredentialsSecretName: is required/);
    });

    it("no remote controller may get, list or watch Secrets where prod's credential is, nor cluster-wide", async () => {
        const hub = (await render({ stack: "prod" })).manifests as readonly Json[];
        const prods = gitCredentials(hub).filter((credential) => remoteKey(credential) === "eodhp/kargo/git-credentials-prod");
        assert.deepEqual(
            prods.map((credential) => credential.metadata.namespace),
            ["kargo-shared-resources"],
        );
        for (const env of SPOKES) {
            const controller = { namespace: "kargo", name: `kargo-controller-${env}` };
            for (const verb of ["get", "list", "watch"]) assert.ok(!mayRead(hub, controller, "kargo-shared-resources", verb), `${env}: ${verb}`);
            const readable = secretReadNamespaces(hub, controller);
            // Every namespace it may read holds no git credential at all.
            assert.deepEqual(readable, ["eodhp", `kargo-shared-resources-${env}`], `${env} reads Secrets only in the project namespace and its own`);
            for (const namespace of readable) assert.deepEqual(gitCredentials(hub.filter((o) => o.metadata.namespace === namespace)), [], namespace);
            // The check sees the binding the remote controllers had before.
            const before = {
                kind: "RoleBinding",
                metadata: { name: `kargo-controller-${env}-shared-resources-reader`, namespace: "kargo-shared-resources" },
                roleRef: { kind: "Role", name: "kargo-shared-resources-controller-reader" },
                subjects: [{ kind: "ServiceAccount", name: `kargo-controller-${env}`, namespace: "kargo" }],
            };
            assert.ok(mayRead([...hub, before], controller, "kargo-shared-resources", "list"));
        }
    });

    for (const env of SPOKES) {
        it(`the ${env} controller's lookup makes only Lists it may make and finds its own credential on its own cluster`, async () => {
            const hub = (await render({ stack: "prod" })).manifests as readonly Json[];
            const spoke = await render({ stack: env });
            const values = resource(spoke, CHART, "kargo-shard-chart").inputs.values;
            const sharedNamespace = values.global.sharedResources.namespace;
            assert.equal(sharedNamespace, `kargo-shared-resources-${env}`);
            const fallback = (values.controller.env as readonly Json[]).some((e) => e.name === "LOCAL_CLUSTER_CREDS_FALLBACK" && e.value === "true");
            assert.ok(fallback, "the chart values turn the local fallback on");
            const clusters = {
                hub: { objects: hub, account: { namespace: "kargo", name: `kargo-controller-${env}` } },
                // The chart's controller ServiceAccount on the spoke (charts/kargo/templates/_helpers.tpl).
                local: { objects: spoke.manifests as readonly Json[], account: { namespace: "kargo", name: "kargo-controller" } },
            };
            let found: Json | undefined;
            for (const { cluster, namespace } of credentialLists(sharedNamespace, fallback)) {
                const { objects, account } = clusters[cluster];
                assert.ok(mayRead(objects, account, namespace, "list"), `${cluster}: list in ${namespace} would abort the lookup`);
                found = gitCredentials(objects.filter((o) => o.metadata.namespace === namespace)).find((c) => c.spec.target.template.data.repoURL === REPO);
                if (found) {
                    assert.deepEqual([cluster, namespace], ["local", "eodhp"]);
                    break;
                }
            }
            assert.ok(found, "found");
            // A repository it has no credential for (a public chart or image registry): every List runs, and
            // each must be allowed, or the lookup ends in Forbidden instead of "no credential".
            for (const { cluster, namespace } of credentialLists(sharedNamespace, fallback)) {
                const { objects, account } = clusters[cluster];
                assert.ok(mayRead(objects, account, namespace, "list"), `${cluster}: list in ${namespace} would abort a lookup that finds nothing`);
            }
            assert.equal(remoteKey(found), `eodhp/kargo/git-credentials-${env}`);
            assert.equal(found.spec.target.name, "git-credentials");
            assert.equal(manifest(spoke, "Namespace", "eodhp").kind, "Namespace");
        });
    }

    it("the hub's controller finds prod's credential in the shared namespace its chart values name", async () => {
        const prod = await render({ stack: "prod" });
        const shared = resource(prod, CHART, "kargo-hub-chart").inputs.values.global.sharedResources.namespace;
        const credential = manifest(prod, "ExternalSecret", "git-credentials", shared);
        assert.equal(credential.spec.target.template.data.repoURL, REPO);
        assert.equal(remoteKey(credential), "eodhp/kargo/git-credentials-prod");
        assert.deepEqual(gitCredentials((prod.manifests as readonly Json[]).filter((o) => o.metadata.namespace === "eodhp")), []);
    });

    it("each spoke's promotions read the Slack URL from its own copy, and nothing in eodhp", () => {
        const plan = planHub(hubSettings({ slackWebhookSecretName: "eodhp/kargo/slack-webhook" }), shippedCatalogue());
        const objects = hubObjectsOf(plan) as readonly Json[];
        const slack = objects.filter((o) => o.kind === "ExternalSecret" && o.spec.target.name === "slack-webhook");
        assert.ok(slack.every((copy) => copy.metadata.namespace !== "eodhp"));
        for (const env of SPOKES) {
            const controller = { namespace: "kargo", name: `kargo-controller-${env}` };
            // sharedSecret() is a Get (pkg/expressions/function/functions.go getSecret).
            const gettable = slack.filter((copy) => mayRead(objects, controller, copy.metadata.namespace, "get"));
            assert.deepEqual(
                gettable.map((copy) => copy.metadata.namespace),
                [`kargo-shared-resources-${env}`],
            );
        }
    });
});

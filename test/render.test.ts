import { strict as assert } from "node:assert";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { renderCommand, renderMain } from "../cli/render";
import { manifestsYaml, resourcesJson } from "../cli/renderOutput";
import { ENVIRONMENT_KUBECONFIG, offlineEksCluster, renderStack } from "../cli/renderRuntime";
import { readStackSettings } from "../core/plan/stackFiles";
import type { HubSettings } from "../core/input/settings";
import { objectKey } from "../core/kubernetes";
import { loadCatalogue } from "../core/plan/loadStack";
import { hubObjectsOf, planHub } from "../core/plan/stackPlan";
import { runInProcess } from "./support/cli";
import { ROOT } from "./support/fixtures";
import { kubeconfigText, withKubeconfig } from "./support/kubeconfig";
import { FULL_FEATURES, manifest, ONE_APP_CATALOGUE, render, resource, type Json } from "./support/render";

const CHART = "kubernetes:helm.sh/v4:Chart";

describe("render: the prod stack (hub)", () => {
    it("registers the hub, one ControllerAuth per remote shard, the eodhp project and its history guard as components", async () => {
        const prod = await render({ stack: "prod" });
        const components = prod.resources.filter((r) => r.type.startsWith("eodhp:kargo:")).map((r) => `${r.type}::${r.name}`);
        assert.deepEqual(components, [
            "eodhp:kargo:ControllerAuth::kargo-hub-staging",
            "eodhp:kargo:ControllerAuth::kargo-hub-test",
            "eodhp:kargo:EodhpProject::eodhp",
            "eodhp:kargo:HistoryGuard::eodhp-history-guard",
            "eodhp:kargo:KargoHub::kargo-hub",
        ]);
        assert.equal(resource(prod, "eodhp:kargo:ControllerAuth", "kargo-hub-test").parent, "eodhp:kargo:KargoHub::kargo-hub");
        assert.equal(resource(prod, "kubernetes:kargo.akuity.io/v1alpha1:Stage", "eodhp-jupyter-test").parent, "eodhp:kargo:EodhpProject::eodhp");
        assert.deepEqual(resource(prod, "pulumi:providers:kubernetes", "kubernetes").inputs.context, "eodhp-prod");
        assert.equal(resource(prod, "pulumi:providers:aws", "aws").inputs.region, "eu-west-2");
    });

    it("installs the pinned Kargo chart with hub values: 2 API replicas behind Keycloak OIDC, prod-shard as default controller", async () => {
        const chart = resource(await render({ stack: "prod" }), CHART, "kargo-hub-chart").inputs;
        assert.equal(chart.chart, "oci://ghcr.io/akuity/kargo-charts/kargo");
        assert.equal(chart.version, "1.11.2");
        assert.equal(chart.namespace, "kargo");
        const { api, controller, managementController, webhooksServer, externalWebhooksServer } = chart.values;
        assert.equal(api.replicas, 2);
        assert.equal(api.host, "kargo.eodatahub.org.uk");
        assert.deepEqual(api.ingress.tls, { enabled: true, selfSignedCert: false, secretName: "kargo-api-ingress-cert" });
        assert.equal(api.ingress.annotations["cert-manager.io/cluster-issuer"], "letsencrypt-prod");
        assert.deepEqual(api.oidc, {
            enabled: true,
            issuerURL: "https://eodatahub.org.uk/keycloak/realms/eodhp",
            clientID: "kargo",
            additionalScopes: ["groups"],
            admins: { claims: { groups: ["admin"] } },
        });
        assert.deepEqual(controller, { shardName: "prod-shard", isDefault: true, argocd: { namespace: "argocd" } });
        assert.equal(managementController.enabled, true);
        assert.equal(externalWebhooksServer.enabled, true);
        const regex = new RegExp(webhooksServer.controlplaneUserRegex);
        for (const user of [
            "kargo-api",
            "kargo-controller",
            "kargo-management-controller",
            "kargo-garbage-collector",
            "kargo-controller-test",
            "kargo-controller-staging",
        ]) {
            assert.ok(regex.test(`system:serviceaccount:kargo:${user}`), user);
        }
        for (const user of ["kargo:kargo-controller-qa", "kargo:kargo-external-webhooks-server", "kargo:default", "eodhp:kargo-controller-test"]) {
            assert.ok(!regex.test(`system:serviceaccount:${user}`), user);
        }
    });

    it("as break-glass (adminAccount true), fills the admin Secret from Secrets Manager before the chart, never from config", async () => {
        const prod = await render({
            stack: "prod",
            catalogue: ONE_APP_CATALOGUE,
            configOverrides: { "eodhp-kargo:adminAccount": "true", "eodhp-kargo:adminCredentialsSecretName": "eodhp/kargo/admin-credentials" },
        });
        const api = (resource(prod, CHART, "kargo-hub-chart").inputs as Json).values.api;
        assert.deepEqual(api.secret, { name: "kargo-admin-credentials" });
        assert.deepEqual(api.adminAccount, { enabled: true, tokenTTL: "1h" }, "short admin tokens; no password or key in chart values");
        const admin = manifest(prod, "ExternalSecret", "kargo-admin-credentials", "kargo");
        assert.deepEqual(
            admin.spec.data.map((d: Json) => d.secretKey),
            ["ADMIN_ACCOUNT_PASSWORD_HASH", "ADMIN_ACCOUNT_TOKEN_SIGNING_KEY"],
        );
        assert.ok(admin.spec.data.every((d: Json) => d.remoteRef.key === "eodhp/kargo/admin-credentials"));
        const chartOptions = prod.options.get(`${CHART}::kargo-hub-chart`);
        const dependsOn = (chartOptions?.dependsOn ?? []) as unknown[];
        assert.equal(dependsOn.length, 2, "chart waits for the namespace and the admin ExternalSecret");
    });

    it("the shipped hub renders with the admin account off: no admin Secret, no ExternalSecret", async () => {
        const prod = await render({ stack: "prod" });
        const api = (resource(prod, CHART, "kargo-hub-chart").inputs as Json).values.api;
        assert.deepEqual(api.adminAccount, { enabled: false });
        assert.equal(api.secret, undefined, "the chart renders its own empty kargo-api Secret");
        assert.equal(
            prod.manifests.find((object) => object.kind === "ExternalSecret" && object.metadata.name === "kargo-admin-credentials"),
            undefined,
        );
        assert.equal(((prod.options.get(`${CHART}::kargo-hub-chart`)?.dependsOn ?? []) as unknown[]).length, 1, "chart waits for the namespace only");
    });

    for (const env of ["test", "staging"]) {
        it(`gives the ${env} controller an unlabelled ServiceAccount (no Secret read in every Project), token Secret and bindings on the hub`, async () => {
            const prod = await render({ stack: "prod" });
            const name = `kargo-controller-${env}`;
            assert.equal(manifest(prod, "ServiceAccount", name, "kargo").metadata.labels["app.kubernetes.io/component"], undefined);
            const token = manifest(prod, "Secret", `${name}-token-1`, "kargo");
            assert.equal(token.type, "kubernetes.io/service-account-token");
            assert.equal(token.metadata.annotations["kubernetes.io/service-account.name"], name);
            const subject = [{ kind: "ServiceAccount", name, namespace: "kargo" }];
            const crb = manifest(prod, "ClusterRoleBinding", name);
            assert.deepEqual(
                [crb.roleRef, crb.subjects],
                [{ apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "kargo-remote-controller" }, subject],
            );
            const roleBindings = prod.manifests.filter((o) => o.kind === "RoleBinding" && o.metadata.name.startsWith(name)) as Json[];
            assert.deepEqual(roleBindings.map((rb) => [rb.metadata.namespace, rb.roleRef.name]).sort(), [
                ["kargo", `${name}-heartbeat`],
                [`kargo-shared-resources-${env}`, "kargo-controller-shared-reader"],
            ]);
            assert.ok(roleBindings.every((rb) => JSON.stringify(rb.subjects) === JSON.stringify(subject)));
        });

        it(`publishes the ${env} controller's hub kubeconfig to Secrets Manager as a secret`, async () => {
            const prod = await render({ stack: "prod" });
            const secret = resource(prod, "aws:secretsmanager/secret:Secret", `kargo-hub-${env}-kubeconfig`);
            assert.equal(secret.inputs.name, `eodhp/kargo/hub-kubeconfig-${env}`);
            const version = resource(prod, "aws:secretsmanager/secretVersion:SecretVersion", `kargo-hub-${env}-kubeconfig`);
            assert.equal(version.inputs.secretString, "[secret]");
        });
    }

    it("renders the project with every Kubernetes object explicitly named", async () => {
        const prod = await render({ stack: "prod" });
        assert.ok(prod.manifests.every((object) => typeof object.metadata.name === "string" && object.metadata.name.length > 0));
        const stages = prod.manifests.filter((object) => object.kind === "Stage");
        assert.equal(stages.length, 21);
        // What the program registered is exactly what the plan holds: nothing dropped, nothing extra.
        const plan = planHub(readStackSettings("prod") as HubSettings, loadCatalogue(readStackSettings("prod") as HubSettings, ROOT));
        assert.deepEqual(prod.manifests.map(objectKey).sort(), hubObjectsOf(plan).map(objectKey).sort());
        // A Stage waits for (and on deletion outlives) its app's Roles: the Project and jupyter's four RBAC objects.
        const jupyterRbac = prod.manifests.filter((object) => /^Role(Binding)?$/.test(object.kind) && object.metadata.name.startsWith("jupyter-"));
        assert.equal(jupyterRbac.length, 4);
        const dependsOn = prod.options.get("kubernetes:kargo.akuity.io/v1alpha1:Stage::eodhp-jupyter-test")?.dependsOn as unknown[];
        assert.equal(dependsOn.length, 1 + jupyterRbac.length);
    });
});

describe("render: the test and staging stacks (spokes)", () => {
    for (const env of ["test", "staging"]) {
        it(`${env} installs only a shard controller, the hub kubeconfig ExternalSecret and its own git credential`, async () => {
            const spoke = await render({ stack: env });
            assert.deepEqual(
                spoke.resources.map((r) => `${r.type}::${r.name}`),
                [
                    "eodhp:kargo:KargoShard::kargo-shard",
                    "kubernetes:core/v1:Namespace::kargo-shard-eodhp",
                    "kubernetes:core/v1:Namespace::kargo-shard-kargo",
                    // The lookup's last List, on the spoke: its own shared-resources namespace, empty.
                    `kubernetes:core/v1:Namespace::kargo-shard-kargo-shared-resources-${env}`,
                    "kubernetes:external-secrets.io/v1:ExternalSecret::kargo-shard-git-credentials",
                    "kubernetes:external-secrets.io/v1:ExternalSecret::kargo-shard-kargo-hub-kubeconfig",
                    `${CHART}::kargo-shard-chart`,
                    "kubernetes:rbac.authorization.k8s.io/v1:Role::kargo-shard-kargo-controller-credential-lookup",
                    "kubernetes:rbac.authorization.k8s.io/v1:Role::kargo-shard-kargo-controller-shared-reader",
                    "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding::kargo-shard-kargo-controller-credential-lookup",
                    "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding::kargo-shard-kargo-controller-shared-reader",
                    // Looks up the spoke's EKS cluster, against which the kube context is checked (deploy.ts).
                    "pulumi:providers:aws::aws",
                    "pulumi:providers:kubernetes::kubernetes",
                ],
            );
            const externalSecret = manifest(spoke, "ExternalSecret", "kargo-hub-kubeconfig", "kargo");
            assert.deepEqual(externalSecret.spec.data, [
                { secretKey: "kubeconfig.yaml", remoteRef: { key: `eodhp/kargo/hub-kubeconfig-${env}`, property: "kubeconfig" } },
                { secretKey: "token", remoteRef: { key: `eodhp/kargo/hub-kubeconfig-${env}`, property: "token" } },
            ]);
            assert.equal(externalSecret.spec.refreshInterval, "10m", "a rotated token reaches the spoke within 15 minutes");
            assert.equal(externalSecret.spec.target.name, "kargo-hub-kubeconfig");
            const values = resource(spoke, CHART, "kargo-shard-chart").inputs.values;
            assert.deepEqual(values.controller, {
                shardName: `${env}-shard`,
                kubeconfigSecrets: { kargo: "kargo-hub-kubeconfig" },
                env: [{ name: "LOCAL_CLUSTER_CREDS_FALLBACK", value: "true" }],
                // The token file the kubeconfig names, from a whole Secret volume (no subPath) the kubelet refreshes.
                volumes: [{ name: "hub-token", secret: { secretName: "kargo-hub-kubeconfig", items: [{ key: "token", path: "token" }] } }],
                volumeMounts: [{ name: "hub-token", mountPath: "/etc/kargo/hub-token", readOnly: true }],
                argocd: { integrationEnabled: true, namespace: "argocd" },
                rollouts: { integrationEnabled: false },
            });
            for (const off of ["api", "externalWebhooksServer", "managementController", "garbageCollector", "webhooksServer"]) {
                assert.equal(values[off].enabled, false, off);
            }
            assert.deepEqual(
                [values.webhooks, values.crds, values.dataPlane, values.global],
                [
                    { register: false },
                    { install: false },
                    { install: false, controller: { install: false } },
                    { kargoNamespace: "kargo", sharedResources: { namespace: `kargo-shared-resources-${env}` } },
                ],
            );
        });
    }
});

describe("render: contract of the offline render", () => {
    // With every catalogue option and feature: the richest input, whose render other tests share.
    it("is byte-identical across renders of the same input", async () => {
        const first = await renderStack(FULL_FEATURES);
        const second = await render(FULL_FEATURES);
        assert.equal(manifestsYaml(first), manifestsYaml(second));
        assert.equal(resourcesJson(first), resourcesJson(second));
    });

    it("sorts resources.json by type then name, with type, name, inputs and parent", async () => {
        const entries = JSON.parse(resourcesJson(await render({ stack: "prod" }))) as Json[];
        const keys = entries.map((entry) => `${entry.type}\u0000${entry.name}`);
        assert.deepEqual(keys, [...keys].sort());
        for (const entry of entries)
            assert.deepEqual(
                Object.keys(entry).filter((k) => k !== "parent"),
                ["type", "name", "inputs"],
            );
    });

    it("writes both files, and on bad input the CLI exits 1 writing nothing", async () => {
        const dir = mkdtempSync(path.join(tmpdir(), "render-"));
        try {
            const bad = path.join(dir, "bad.yaml");
            writeFileSync(bad, "applications:\n  - name: a\n    path: apps/a\n    stages: [qa]\n");
            const failed = await runInProcess(renderMain(), ["--stack", "prod", "--catalogue", bad, "--out", path.join(dir, "out")]);
            assert.equal(failed.status, 1);
            assert.match(failed.stderr, /^error: .*bad\.yaml:4: application "a": stages\[0\]: unknown stage "qa"/m);
            assert.ok(!existsSync(path.join(dir, "out")), "nothing written");
            await assert.rejects(
                renderCommand(["--stack", "qa", "--out", path.join(dir, "out")]),
                /Pulumi\.qa\.yaml: stack "qa": unknown stack: there is no Pulumi\.qa\.yaml; the stacks are prod, staging, test/,
            );
            assert.match((await runInProcess(renderMain(), ["--help"])).stdout, /--stack STACK +the stack to render \(required\): prod, staging, test$/m);
            const printed = await renderCommand(["--stack", "test", "--out", path.join(dir, "out")]);
            assert.match(printed, /test: 13 Pulumi resources, 9 Kubernetes objects \(3 Namespace, 2 ExternalSecret, 2 Role, 2 RoleBinding\)/);
            assert.match(readFileSync(path.join(dir, "out", "test", "manifests.yaml"), "utf8"), /kind: ExternalSecret/);
            assert.equal(JSON.parse(readFileSync(path.join(dir, "out", "test", "resources.json"), "utf8")).length, 13);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    it("index.ts itself, run under mocks, registers exactly what the render registers", async () => {
        const program = path.join(ROOT, "index.ts");
        let outputs: unknown;
        // index.ts checks the kube context against the EKS cluster, so it runs with a kubeconfig that matches.
        const kubeconfig = kubeconfigText("eodhp-prod", offlineEksCluster("eodhp-prod"));
        const viaIndex = await withKubeconfig(kubeconfig, () =>
            renderStack(FULL_FEATURES, async () => {
                delete require.cache[require.resolve(program)];
                outputs = await require(program);
                return outputs;
            }),
        );
        // The SDK passes $KUBECONFIG on as the provider's `kubeconfig` input (its token never reaches the render's
        // files: shown as a placeholder); the shared render ran without one.
        const { kubeconfig: passedOn, ...providerInputs } = resource(viaIndex, "pulumi:providers:kubernetes", "kubernetes").inputs;
        assert.equal(passedOn, ENVIRONMENT_KUBECONFIG);
        assert.ok(!resourcesJson(viaIndex).includes("get-token"), "nothing of the kubeconfig itself");
        const withoutKubeconfig = {
            ...viaIndex,
            resources: viaIndex.resources.map((r) => (r.type === "pulumi:providers:kubernetes" ? { ...r, inputs: providerInputs } : r)),
        };
        const rendered = await render(FULL_FEATURES);
        assert.equal(manifestsYaml(viaIndex), manifestsYaml(rendered));
        assert.equal(resourcesJson(withoutKubeconfig), resourcesJson(rendered));
        assert.equal((outputs as Json).kargoUrl, "https://kargo.eodatahub.org.uk");
    });

    it("registers no resource when the input is bad", async () => {
        const pulumi = await import("@pulumi/pulumi");
        const registered: string[] = [];
        // This test replaces the process-wide mocks; they are cleared as soon as it ends, pass or fail.
        try {
            pulumi.runtime.setAllConfig({ "eodhp-kargo:role": "hub" }, []);
            pulumi.runtime.setMocks(
                { newResource: (args) => (registered.push(args.name), { id: args.name, state: args.inputs }), call: (args) => args.inputs },
                "eodhp-kargo",
                "prod",
            );
            const program = path.join(ROOT, "index.ts");
            delete require.cache[require.resolve(program)];
            assert.throws(() => require(program), /Pulumi\.prod\.yaml(:\d+)?: stack "prod": eodhp-kargo:environment: is required/);
        } finally {
            pulumi.runtime.setAllConfig({}, []);
            pulumi.runtime.resetOptions("", "", -1, "", "", false, "");
        }
        assert.deepEqual(registered, []);
    });
});

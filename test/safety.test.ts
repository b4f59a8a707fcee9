import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { parse, stringify } from "yaml";
import { manifestsYaml, resourcesJson } from "../cli/renderOutput";
import type { Catalogue } from "../core/input/catalogue";
import { checkKargoRules } from "../core/project/kargoRules";
import { inflatePromotion, tasksByName } from "../core/project/promotionInflation";
import { isKind, objectKey, type KubernetesObject } from "../core/kubernetes";
import { planHub, projectObjectsOf } from "../core/plan/stackPlan";
import { catalogueOf, hubSettings, ROOT, SHIPPED_CATALOGUE, shippedCatalogue } from "./support/fixtures";
import { FULL_FEATURES, render, rotationStep, type Json } from "./support/render";
import { renderedObjectProblems as schemaProblems } from "./support/schemas";

describe("safety: every object is one the CRDs and Kargo accept", () => {
    for (const [what, options] of [
        ["the shipped prod stack", { stack: "prod" }],
        ["every catalogue option with every feature", FULL_FEATURES],
        // Mid-rotation: the test controller holds two token generations.
        ["a token rotation in progress", rotationStep(["a", "b"])],
        ["the test spoke", { stack: "test" }],
        ["the staging spoke", { stack: "staging" }],
    ] as const) {
        it(`${what}: no unknown field, wrong type or broken Kargo rule`, async () => {
            const result = await render(options);
            assert.deepEqual(schemaProblems(result.manifests), []);
            // Each Stage's Promotion, as Kargo's webhook would inflate and store it, fits the Promotion CRD too.
            const tasks = tasksByName(result.manifests);
            assert.deepEqual(schemaProblems(result.manifests.filter(isKind("Stage")).map((stage) => inflatePromotion(stage, tasks))), []);
            assert.deepEqual(checkKargoRules(result.manifests, new Set(["test-shard", "staging-shard", "prod-shard"])), []);
        });
    }

    it("the checker itself rejects a legacy field, so the check above can fail", () => {
        const warehouse = {
            apiVersion: "kargo.akuity.io/v1alpha1",
            kind: "Warehouse",
            metadata: { name: "w", namespace: "eodhp" },
            spec: { interval: "5m0s", subscriptions: [{ image: { repoURL: "r/i", semverConstraint: ">=1" } }] },
        };
        assert.equal(schemaProblems([warehouse]).length, 1);
    });
});

describe("safety: no secret value leaves the program", () => {
    it("keeps the planted controller token out of both render files and marks the kubeconfig secret", async () => {
        const prod = await render({ stack: "prod" });
        const files = manifestsYaml(prod) + resourcesJson(prod);
        // The mock runtime plays the token controller and plants this token in the token Secrets' data.
        for (const planted of ["offline-render-token-kargo-hub-test-kargo-controller-test-token-1", "offline-render-token"]) {
            assert.ok(!files.includes(planted), `${planted} leaked`);
            assert.ok(!files.includes(Buffer.from(planted).toString("base64").slice(0, 16)), `${planted} leaked base64-encoded`);
        }
        const versionOptions = prod.options.get("aws:secretsmanager/secretVersion:SecretVersion::kargo-hub-test-kubeconfig");
        assert.ok((versionOptions as pulumi.CustomResourceOptions | undefined)?.additionalSecretOutputs?.includes("secretString"));
    });

    it("stack files hold no credentials: every secret is a Secrets Manager name", () => {
        for (const stack of ["prod", "test", "staging"]) {
            const config = (parse(readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> }).config;
            const text = JSON.stringify(config);
            assert.ok(!/password|token|signing|"secure"/i.test(text), `${stack} holds a credential-like key`);
            const secretRefs = [...text.matchAll(/"[^"]*SecretName":"([^"]*)"/g)].map((match) => match[1]);
            assert.ok(secretRefs.length > 0);
            for (const name of secretRefs) assert.match(name, /^eodhp\/kargo\/[a-z-]+$/, `${stack}: ${name}`);
        }
    });

    it("never reads a secret value into a chart value or manifest: only Secret names are referenced", async () => {
        const prod = await render(FULL_FEATURES);
        const secretObjects = prod.manifests.filter((object) => object.kind === "Secret") as Json[];
        assert.ok(secretObjects.every((secret) => secret.data === undefined && secret.stringData === undefined));
        for (const stack of ["prod", "test", "staging"]) {
            const charts = (await render(stack === "prod" ? FULL_FEATURES : { stack })).resources.filter((r) => r.type === "kubernetes:helm.sh/v4:Chart");
            assert.equal(charts.length, 1);
            const values = JSON.stringify(charts[0].inputs.values);
            // The chart reads credentials from Secrets by name; a value here would land in a Helm-rendered manifest.
            assert.doesNotMatch(values, /passwordHash|tokenSigningKey|password|BEGIN [A-Z ]*PRIVATE KEY|offline-render/i, stack);
        }
    });
});

describe("safety: deterministic output", () => {
    it("re-ordering the catalogue changes no object", async () => {
        const dir = mkdtempSync(path.join(tmpdir(), "reorder-"));
        try {
            const document = parse(SHIPPED_CATALOGUE) as { applications: unknown[] };
            const reversed = path.join(dir, "reversed.yaml");
            writeFileSync(reversed, stringify({ applications: [...document.applications].reverse() }));
            const original = await render({ stack: "prod" });
            const reordered = await render({ stack: "prod", catalogue: reversed });
            assert.equal(manifestsYaml(reordered), manifestsYaml(original));
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("safety: deletes", () => {
    it("protects the kargo and eodhp namespaces, the Project and the history guard", async () => {
        const prod = await render({ stack: "prod" });
        const protectedResources = [...prod.options.entries()]
            .filter(([, options]) => options.protect)
            .map(([identity]) => identity)
            .sort();
        assert.deepEqual(protectedResources, [
            "eodhp:kargo:HistoryGuard::eodhp-history-guard",
            "kubernetes:core/v1:Namespace::eodhp-eodhp",
            "kubernetes:core/v1:Namespace::kargo-hub-kargo",
            "kubernetes:kargo.akuity.io/v1alpha1:Project::eodhp-eodhp",
        ]);
        const spoke = await render({ stack: "test" });
        assert.equal(spoke.options.get("kubernetes:core/v1:Namespace::kargo-shard-kargo")?.protect, true);
    });

    it("removing an app deletes only its Warehouses, Stages and per-app Roles; nothing else changes, the shared tasks included", () => {
        const before = projectObjectsOf(planHub(hubSettings(), shippedCatalogue()).project);
        const without = (SHIPPED_CATALOGUE.match(/^ {2}- name: .*$/gm) ?? []).length;
        assert.equal(without, 6);
        const catalogue = shippedCatalogue();
        const after = projectObjectsOf(
            planHub(hubSettings(), { ...catalogue, applications: catalogue.applications.filter((app) => app.name !== "jupyter") }).project,
        );
        const keyed = (objects: KubernetesObject[]) => new Map(objects.map((object) => [objectKey(object), JSON.stringify(object)]));
        const [old, next] = [keyed(before), keyed(after)];
        const deleted = [...old.keys()].filter((key) => !next.has(key)).sort();
        const created = [...next.keys()].filter((key) => !old.has(key));
        const changed = [...next.keys()].filter((key) => old.has(key) && old.get(key) !== next.get(key));
        assert.deepEqual(deleted, [
            ...["Role", "RoleBinding"].flatMap((kind) => ["staging", "test"].map((env) => `${kind}/eodhp/jupyter-kargo-controller-${env}`)),
            "Stage/eodhp/jupyter-dev",
            "Stage/eodhp/jupyter-prod",
            "Stage/eodhp/jupyter-staging",
            "Stage/eodhp/jupyter-test",
            "Warehouse/eodhp/jupyter-config",
            "Warehouse/eodhp/jupyter-dev-images",
            "Warehouse/eodhp/jupyter-images",
        ]);
        assert.deepEqual(created, []);
        assert.deepEqual(changed, []);
    });

    it("adding an app creates only its own objects, with developers and a CI group limited by Stage name too; nothing else changes", () => {
        const catalogue = shippedCatalogue();
        const limited = hubSettings({ developerGroup: "kargo-developer", ciPromoterEnvironments: '["test", "staging"]' });
        const extra = catalogueOf([
            {
                name: "zz-new",
                path: "apps/zz-new",
                images: [{ repoURL: "r/zz", enableDevTags: true, customPath: { file: "base/v.yaml", key: "image.tag", valueType: "tag" } }],
                releases: [
                    {
                        name: "r",
                        repoURL: "https://github.com/o/r.git",
                        updates: [{ file: "base/k.yaml", key: "resources.0", urlPrefix: "p/", urlSuffix: "/s" }],
                    },
                ],
            },
        ]).applications[0];
        const keyed = (apps: Catalogue["applications"]) =>
            new Map(
                projectObjectsOf(planHub(limited, { ...catalogue, applications: apps }).project).map((object) => [objectKey(object), JSON.stringify(object)]),
            );
        const [old, next] = [keyed(catalogue.applications), keyed([...catalogue.applications, extra])];
        assert.deepEqual([...next.keys()].filter((key) => !old.has(key)).sort(), [
            ...["Role", "RoleBinding"].flatMap((kind) => [
                ...["staging", "test"].map((env) => `${kind}/eodhp/zz-new-kargo-controller-${env}`),
                ...["dev-test", "staging-test"].map((group) => `${kind}/eodhp/zz-new-promote-${group}`),
            ]),
            "Stage/eodhp/zz-new-dev",
            "Stage/eodhp/zz-new-prod",
            "Stage/eodhp/zz-new-staging",
            "Stage/eodhp/zz-new-test",
            "Warehouse/eodhp/zz-new-config",
            "Warehouse/eodhp/zz-new-dev-images",
            "Warehouse/eodhp/zz-new-images",
            "Warehouse/eodhp/zz-new-releases",
        ]);
        assert.deepEqual(
            [...old.keys()].filter((key) => !next.has(key) || next.get(key) !== old.get(key)),
            [],
        );
    });
});

describe("safety: least privilege", () => {
    it("no Role or ClusterRole the program creates grants * verbs, resources or groups", async () => {
        const prod = await render(FULL_FEATURES);
        const roles = prod.manifests.filter((object) => object.kind === "Role" || object.kind === "ClusterRole") as Json[];
        assert.ok(roles.length >= 2);
        for (const role of roles) {
            for (const rule of role.rules) {
                for (const field of ["verbs", "resources", "apiGroups"]) assert.ok(!rule[field].includes("*"), `${role.metadata.name} ${field}`);
            }
        }
    });

    it("the developer group may promote into and approve for the dev and test stages only, create Freight, not edit the pipeline", async () => {
        const prod = await render(FULL_FEATURES);
        const account = prod.manifests.find((o) => o.kind === "ServiceAccount" && o.metadata.name === "kargo-developer") as Json;
        assert.equal(account.metadata.annotations["rbac.kargo.akuity.io/claims"], '{"groups":["kargo-developer"]}');
        const bindings = prod.manifests.filter((o) => o.kind === "RoleBinding" && o.metadata.name.startsWith("kargo-developer")) as Json[];
        assert.deepEqual(
            bindings.map((b) => b.roleRef.name),
            ["kargo-developer"],
            "not Kargo's kargo-promoter (promote everywhere)",
        );
        const role = prod.manifests.find((o) => o.kind === "Role" && o.metadata.name === "kargo-developer") as Json;
        const writes = role.rules.flatMap((rule: Json) =>
            rule.verbs.filter((verb: string) => !["get", "list", "watch"].includes(verb)).map((verb: string) => `${verb} ${rule.resources.join(",")}`),
        );
        assert.deepEqual(writes, ["create freights,promotions", "patch freights/status"]);
        const promotable = prod.manifests
            .filter((o) => o.kind === "RoleBinding" && (o as Json).subjects.some((s: Json) => s.kind === "ServiceAccount" && s.name === "kargo-developer"))
            .map((binding) => prod.manifests.find((o) => o.kind === "Role" && o.metadata.name === (binding as Json).roleRef.name) as Json)
            .flatMap((promoteRole) => promoteRole.rules.flatMap((rule: Json) => (rule.verbs.includes("promote") ? rule.resourceNames : [])));
        assert.ok(promotable.length > 0 && promotable.every((stage: string) => /-(dev|test)$/.test(stage)), promotable.join());
        const chart = prod.resources.find((r) => r.type === "kubernetes:helm.sh/v4:Chart")?.inputs as Json;
        assert.deepEqual(chart.values.api.oidc.users, { claims: { groups: ["kargo-developer"] } }, "developers may list Projects (read-only, no Secrets)");
    });
});

describe("safety: Kargo's CRDs outlive the chart", () => {
    it("marks every CRD the chart renders retainOnDelete, and leaves other objects alone", async () => {
        const { retainCrdsOnDelete } = await import("../components/kargoChart");
        const crd = await retainCrdsOnDelete({
            type: "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition",
            name: "c",
            custom: true,
            props: { a: 1 },
            opts: { protect: false },
        });
        assert.deepEqual(crd, { props: { a: 1 }, opts: { protect: false, retainOnDelete: true } });
        assert.equal(await retainCrdsOnDelete({ type: "kubernetes:apps/v1:Deployment", name: "d", custom: true, props: {}, opts: {} }), undefined);
    });

    it("installs both charts with that transform", async () => {
        const { retainCrdsOnDelete } = await import("../components/kargoChart");
        for (const [stack, chart] of [
            ["prod", "kargo-hub-chart"],
            ["test", "kargo-shard-chart"],
        ]) {
            const result = await render({ stack });
            const options = result.options.get(`kubernetes:helm.sh/v4:Chart::${chart}`) as pulumi.ComponentResourceOptions;
            assert.deepEqual(options.transforms, [retainCrdsOnDelete], stack);
        }
    });
});

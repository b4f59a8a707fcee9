import { strict as assert } from "node:assert";
import { stringify } from "yaml";
import { applicationSetDocuments, scanApplicationSets } from "../core/review/applicationSets";
import { kustomizeApplicationSets } from "../core/review/kustomizeBuild";
import { RepoYaml, type RepoReader } from "../core/review/repoFiles";

/** A repository held in memory: path → file text (no git directory generator here lists subdirectories). */
function memoryRepo(files: Record<string, string>): RepoReader {
    const paths = Object.keys(files).sort();
    return {
        readText: (file) => files[file],
        isDirectory: (dir) => dir === "" || paths.some((file) => file.startsWith(`${dir}/`)),
        yamlFiles: () => paths,
        subdirectories: () => [],
    };
}

const applicationSet = (name: string, labels: Record<string, string> = {}) =>
    stringify({
        apiVersion: "argoproj.io/v1alpha1",
        kind: "ApplicationSet",
        metadata: { name, labels },
        spec: {
            generators: [{ list: { elements: [{ app: "a" }, { app: "b" }] } }],
            template: {
                metadata: { name: "{{app}}", annotations: { keep: "yes", drop: "me" } },
                spec: {
                    sources: [
                        { path: "apps/{{app}}", targetRevision: "main" },
                        { path: "extra", targetRevision: "main" },
                    ],
                },
            },
        },
    });

function build(files: Record<string, string>) {
    const yaml = new RepoYaml(memoryRepo(files));
    return kustomizeApplicationSets(yaml, applicationSetDocuments(yaml).documents);
}

describe("check-repo: ApplicationSets as kustomize builds them", () => {
    it("merges a strategic-merge patch as a JSON merge patch: maps merge, null deletes, lists are replaced", () => {
        const { builds, covered } = build({
            "base/sets.yaml": applicationSet("one"),
            "base/kustomization.yaml": "resources: [sets.yaml]\n",
            "env/kustomization.yaml": stringify({
                resources: ["../base"],
                patchesStrategicMerge: ["patch.yaml"],
            }),
            "env/patch.yaml": stringify({
                apiVersion: "argoproj.io/v1alpha1",
                kind: "ApplicationSet",
                metadata: { name: "one" },
                spec: { template: { metadata: { annotations: { drop: null, added: "x" } }, spec: { sources: [{ path: "only", targetRevision: "v1" }] } } },
            }),
        });
        assert.deepEqual([...covered].sort(), ["base/sets.yaml", "env/patch.yaml"]);
        assert.deepEqual(
            builds.map((b) => b.kustomization),
            ["env/kustomization.yaml"],
        );
        const template = (builds[0].applicationSets[0].object.value.spec as { template: unknown }).template;
        assert.deepEqual(template, {
            metadata: { name: "{{app}}", annotations: { keep: "yes", added: "x" } },
            spec: { sources: [{ path: "only", targetRevision: "v1" }] },
        });
        assert.deepEqual(builds[0].applicationSets[0].object.siteOf("/spec/template/spec/sources/0/targetRevision"), {
            file: "env/patch.yaml",
            line: 14,
            patch: "env/kustomization.yaml patchesStrategicMerge[0] (patch.yaml)",
        });
    });

    it("selects by target: name and kind as anchored regular expressions, namespace after the namespace transformer, labels; components patch their parent's resources", () => {
        const { builds } = build({
            "base/sets.yaml": `${applicationSet("one", { tier: "a" })}---\n${applicationSet("two", { tier: "b" })}`,
            "base/kustomization.yaml": stringify({ resources: ["sets.yaml"], namespace: "argocd" }),
            "component/kustomization.yaml": stringify({
                kind: "Component",
                patches: [
                    {
                        target: { kind: "Application.*", labelSelector: "tier in (b)" },
                        patch: '[{"op": "replace", "path": "/spec/template/metadata/name", "value": "c"}]',
                    },
                ],
            }),
            "env/kustomization.yaml": stringify({
                resources: ["../base"],
                components: ["../component"],
                patches: [
                    { target: { name: "on", kind: "ApplicationSet" }, patch: "- op: remove\n  path: /spec/template/metadata/annotations\n" },
                    { target: { name: "o.e", namespace: "argocd" }, patch: "- op: add\n  path: /metadata/labels/seen\n  value: one\n" },
                    { target: { kind: "Deployment" }, patch: "- op: remove\n  path: /nothing\n" },
                    { patch: stringify({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" }, spec: { replicas: 2 } }) },
                ],
            }),
        });
        const [one, two] = builds[0].applicationSets.map(
            (set) => set.object.value as { metadata: Record<string, unknown>; spec: { template: { metadata: unknown } } },
        );
        assert.deepEqual(one.metadata, { name: "one", labels: { tier: "a", seen: "one" }, namespace: "argocd" });
        assert.deepEqual(one.spec.template.metadata, { name: "{{app}}", annotations: { keep: "yes", drop: "me" } });
        assert.deepEqual(two.spec.template.metadata, { name: "c", annotations: { keep: "yes", drop: "me" } });
    });

    it("reads a legacy inline strategic-merge patch and points a missing target at the overlay", () => {
        const yaml = new RepoYaml(
            memoryRepo({
                "base/sets.yaml": applicationSet("one"),
                "base/kustomization.yaml": "resources: [sets.yaml]\n",
                "env/kustomization.yaml": `resources: [../base]\npatchesStrategicMerge:\n  - |\n    apiVersion: argoproj.io/v1alpha1\n    kind: ApplicationSet\n    metadata:\n      name: other\n`,
            }),
        );
        assert.deepEqual(scanApplicationSets(yaml).malformed, [
            {
                file: "env/kustomization.yaml",
                line: 3,
                reason: 'kustomize cannot build env/kustomization.yaml: patchesStrategicMerge[0]: no ApplicationSet named "other" to patch',
            },
        ]);
    });
});

/**
 * A small deployment repository (eodhp-argocd-deployment's layout) for the check-repo tests, written into a
 * temp dir from code: a clean variant, one with a planted mistake of each kind check-repo finds, and the
 * clean one with its Argo CD part laid out as one root ApplicationSet that per-environment kustomize
 * overlays patch.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";

/** The catalogue the fixture repository matches. hub's dev stage targets test, which hub's stages leave out. */
export const FIXTURE_CATALOGUE = `applications:
  - name: web
    path: apps/web
    images:
      - repoURL: registry.example/web
        enableDevTags: true
      - repoURL: registry.example/side
        customPath:
          file: base/values.yaml
          key: side.image
  - name: hub
    path: apps/hub
    stages: [staging, prod]
    images:
      - repoURL: registry.example/hub
        enableDevTags: true
        customPath:
          file: base/values.yaml
          key: hub.image.tag
          valueType: tag
      - repoURL: registry.example/sidecar
        customPath:
          file: base/values.yaml
          key: hub\\.sidecar.image
          valueType: full
    charts:
      - name: jupyterhub
        repoURL: https://hub.jupyter.org/helm-chart/
        generatorFile: base/chart.yaml
      - repoURL: oci://ghcr.io/org/charts/thing
        generatorFiles:
          - envs/{{env}}/thing-chart.yaml
          - base/thing-extra.yaml
  - name: events
    path: apps/events
    stages: [test, prod]
    releases:
      - name: argo-events
        repoURL: https://github.com/argoproj/argo-events.git
        updates:
          - file: base/kustomization.yaml
            key: resources.1
            urlPrefix: "https://raw.githubusercontent.com/argoproj/argo-events/"
            urlSuffix: "/manifests/install.yaml"
          - file: base/crds.yaml
            key: spec.sources.0.url
            urlPrefix: "https://github.com/argoproj/argo-events/releases/download/"
`;

type Files = Record<string, unknown>;

const DEPLOYMENT_REPO_URL = "https://github.com/EO-DataHub/eodhp-argocd-deployment.git";

const kustomization = (extra: Record<string, unknown> = {}) => ({ apiVersion: "kustomize.config.k8s.io/v1beta1", kind: "Kustomization", ...extra });
const generator = (repo: string, name: string, version?: string) => ({
    apiVersion: "builtin",
    kind: "HelmChartInflationGenerator",
    metadata: { name },
    repo,
    name,
    ...(version === undefined ? {} : { version }),
});

function cleanFiles(): Files {
    const files: Files = {
        ".gomplate.yaml": { plugins: {} },
        "apps/web/base/kustomization.yaml": kustomization({ resources: ["deployment.yaml"], images: [{ name: "registry.example/web", newTag: "1.0.0" }] }),
        "apps/web/base/deployment.yaml": { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" } },
        "apps/web/base/values.yaml": { side: { image: "registry.example/side:1.2.3" } },
        "apps/hub/base/values.yaml": { hub: { image: { tag: "4.2.0" } }, "hub.sidecar": { image: "registry.example/sidecar:0.1.0" } },
        "apps/hub/base/chart.yaml": generator("https://hub.jupyter.org/helm-chart", "jupyterhub", "4.1.0"),
        "apps/hub/base/thing-extra.yaml": generator("oci://ghcr.io/org/charts", "thing", "1.0.0"),
        "apps/hub/base/kustomization.yaml": kustomization({ generators: ["chart.yaml"] }),
        "apps/events/base/kustomization.yaml": kustomization({
            resources: ["crds.yaml", "https://raw.githubusercontent.com/argoproj/argo-events/v1.9.0/manifests/install.yaml"],
        }),
        "apps/events/base/crds.yaml": { spec: { sources: [{ url: "https://github.com/argoproj/argo-events/releases/download/v1.9.0/crds.yaml" }] } },
        "argocd/apps.yaml": {
            apiVersion: "argoproj.io/v1alpha1",
            kind: "ApplicationSet",
            metadata: { name: "apps" },
            spec: {
                generators: [
                    {
                        git: {
                            repoURL: DEPLOYMENT_REPO_URL,
                            directories: [{ path: "apps/web/envs/*" }, { path: "apps/hub/envs/*" }],
                        },
                    },
                ],
                template: {
                    metadata: { name: "{{path[1]}}", annotations: { "kargo.akuity.io/authorized-stage": "eodhp:{{path[1]}}-{{path.basename}}" } },
                    spec: {
                        source: {
                            repoURL: DEPLOYMENT_REPO_URL,
                            targetRevision: "kargo/{{path[1]}}/{{path.basename}}",
                            path: "{{path}}",
                        },
                    },
                },
            },
        },
        "argocd/events.yaml": {
            apiVersion: "argoproj.io/v1alpha1",
            kind: "ApplicationSet",
            metadata: { name: "events" },
            spec: {
                goTemplate: true,
                generators: [{ list: { elements: [{ env: "test" }, { env: "prod" }] } }],
                template: {
                    metadata: { name: "events", annotations: { "kargo.akuity.io/authorized-stage": "eodhp:events-{{.env}}" } },
                    spec: { source: { targetRevision: "kargo/events/{{ .env }}", path: "apps/events/envs/{{.env}}" } },
                },
            },
        },
    };
    for (const env of ["test", "staging", "prod"]) {
        files[`eodhp/envs/${env}/vars.yaml`] = { env };
        files[`apps/web/envs/${env}/kustomization.yaml`] = kustomization({ resources: ["../../base"] });
        files[`apps/hub/envs/${env}/kustomization.yaml`] = kustomization({ resources: ["../../base"] });
        files[`apps/hub/envs/${env}/thing-chart.yaml`] = generator("oci://ghcr.io/org/charts/", "thing", "1.0.0");
        files[`apps/events/envs/${env}/kustomization.yaml`] = kustomization({ resources: ["../../base"] });
    }
    return files;
}

/** The clean repository with one mistake of each kind; the test names each expected finding. */
function mistakenFiles(): Files {
    const files = cleanFiles();
    delete files["apps/hub/envs/test/kustomization.yaml"]; // the overlay of hub's dev stage
    files["apps/web/base/kustomization.yaml"] = kustomization({ resources: ["deployment.yaml"] }); // no images: entry
    files["apps/web/base/values.yaml"] = { side: { img: "registry.example/side:1.2.3" } }; // customPath key missing
    files["apps/hub/base/values.yaml"] = { hub: { image: { tag: "not a tag" } }, "hub.sidecar": { image: "elsewhere/sidecar:0.1.0" } };
    files["apps/hub/base/chart.yaml"] = { ...generator("https://hub.jupyter.org/helm-chart", "jupyterhub", "4.1.0"), kind: "HelmChart" };
    delete files["apps/hub/base/thing-extra.yaml"];
    files["apps/hub/envs/staging/thing-chart.yaml"] = generator("oci://ghcr.io/org/charts", "thing");
    files["apps/hub/envs/prod/thing-chart.yaml"] = generator("oci://ghcr.io/org/charts/thing", "thing", "1.0.0");
    files["apps/events/base/kustomization.yaml"] = kustomization({ resources: ["crds.yaml"] }); // resources.1 out of range
    files["apps/events/base/crds.yaml"] = { spec: { sources: [{ url: "https://example.org/crds.yaml" }] } };
    delete files[".gomplate.yaml"];
    delete files["eodhp/envs/staging/vars.yaml"];
    const events = files["argocd/events.yaml"] as {
        spec: { template: { metadata: { annotations: Record<string, string> }; spec: { source: Record<string, string> } } };
    };
    events.spec.template.metadata.annotations["kargo.akuity.io/authorized-stage"] = "eodhp:event-{{.env}}";
    events.spec.template.spec.source.targetRevision = "main";
    files["argocd/broken.yaml"] = "kind: ApplicationSet\nmetadata:\n  name: [broken\n";
    files["argocd/matrix.yaml"] = {
        kind: "ApplicationSet",
        metadata: { name: "matrix" },
        spec: { generators: [{ matrix: { generators: [] } }], template: {} },
    };
    return files;
}

/** The root ApplicationSet's identity and git directory generator, reading `directory`. */
const rootHead = (directory: string) => `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: eodhp
  namespace: argocd
spec:
  generators:
    - git:
        repoURL: ${DEPLOYMENT_REPO_URL}
        revision: main
        directories:
          - path: ${directory}
`;

/** The root ApplicationSet: its directory and revision are placeholders every environment's overlay patches. */
const ROOT_APPLICATION_SET = `${rootHead("INJECT_PATH")}  template:
    metadata:
      name: "{{path[1]}}"
    spec:
      project: default
      source:
        repoURL: ${DEPLOYMENT_REPO_URL}
        targetRevision: INJECT_REVISION
        path: "{{path}}"
      destination:
        server: https://kubernetes.default.svc
        namespace: "{{path[1]}}"
`;

/** JSON 6902 operations setting an environment's directory pattern, revision and authorized stage. */
const jsonPatchOps = (env: string, revision: string) => `- op: replace
  path: /spec/generators/0/git/directories/0/path
  value: apps/*/envs/${env}
- op: replace
  path: /spec/template/spec/source/targetRevision
  value: ${revision}
- op: add
  path: /spec/template/metadata/annotations
  value:
    kargo.akuity.io/authorized-stage: "eodhp:{{path[1]}}-${env}"
`;

/** An environment's overlay with those operations inline (line 15: the targetRevision value). */
export const jsonPatchOverlay = (env: string, revision = `kargo/{{path[1]}}/${env}`) => `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../../base
patches:
  - target:
      kind: ApplicationSet
      name: eodhp
    patch: |-
${jsonPatchOps(env, revision).replace(/^(?=.)/gm, "      ")}`;

/** The same with a strategic-merge patch file (a JSON merge patch for this CRD: the generators list is replaced). */
const mergePatch = (env: string) => `${rootHead(`apps/*/envs/${env}`)}  template:
    metadata:
      annotations:
        kargo.akuity.io/authorized-stage: "eodhp:{{path[1]}}-${env}"
    spec:
      source:
        targetRevision: "kargo/{{path[1]}}/${env}"
`;

/** The clean repository, its ApplicationSets replaced by one root ApplicationSet and an overlay per environment. */
function overlaidFiles(): Files {
    const files = cleanFiles();
    delete files["argocd/apps.yaml"];
    delete files["argocd/events.yaml"];
    files["eodhp/base/apps.yaml"] = ROOT_APPLICATION_SET;
    files["eodhp/base/kustomization.yaml"] = kustomization({ resources: ["apps.yaml"] });
    // dev reads main and is not one of the catalogue's environments.
    files["eodhp/envs/dev/kustomization.yaml"] = jsonPatchOverlay("dev", "main");
    files["eodhp/envs/test/kustomization.yaml"] = jsonPatchOverlay("test");
    files["eodhp/envs/staging/kustomization.yaml"] = kustomization({
        resources: ["../../base"],
        patchesJson6902: [{ target: { group: "argoproj.io", version: "v1alpha1", kind: "ApplicationSet", name: "eodhp" }, path: "appset-patch.yaml" }],
    });
    files["eodhp/envs/staging/appset-patch.yaml"] = jsonPatchOps("staging", "kargo/{{path[1]}}/staging");
    files["eodhp/envs/prod/kustomization.yaml"] = kustomization({ resources: ["../../base"], patches: [{ path: "appset-patch.yaml" }] });
    files["eodhp/envs/prod/appset-patch.yaml"] = mergePatch("prod");
    return files;
}

export type DeploymentRepoVariant = "clean" | "mistaken" | "overlaid";

/** Writes the fixture repository into `dir` (which must exist). */
export function writeDeploymentRepo(dir: string, variant: DeploymentRepoVariant): void {
    const files = { clean: cleanFiles, mistaken: mistakenFiles, overlaid: overlaidFiles }[variant]();
    for (const [file, content] of Object.entries(files)) {
        const full = path.join(dir, file);
        mkdirSync(path.dirname(full), { recursive: true });
        writeFileSync(full, typeof content === "string" ? content : stringify(content));
    }
}

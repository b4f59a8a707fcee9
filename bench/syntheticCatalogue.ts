/**
 * A catalogue of N applications in the seed's richest shapes, for `npm run bench` and the scale test:
 * several images (customPath tag and full, dev tags), charts with several generator files and `{{env}}`,
 * releases with several updates, and custom stage orders. Deterministic: app i always looks the same.
 */
import { stringify } from "yaml";

const STAGE_ORDERS = [undefined, ["test", "prod"], undefined, ["staging", "prod"], undefined];

function syntheticApp(index: number): Record<string, unknown> {
    const name = `app-${String(index).padStart(5, "0")}`;
    const registry = `public.ecr.aws/eodh/${name}`;
    const stages = STAGE_ORDERS[index % STAGE_ORDERS.length];
    return {
        name,
        path: `apps/${name}`,
        ...(stages ? { stages } : {}),
        // As the seed's jupyter: a plain image with dev tags, and two referenced from one Helm values file.
        images: [
            { repoURL: `${registry}-api`, constraint: ">=1.0.0", enableDevTags: true, allowTags: "^v?\\d+\\.\\d+\\.\\d+$", ignoreTags: ["latest"] },
            { repoURL: `${registry}-hub`, enableDevTags: true, customPath: { file: "base/values.yaml", key: "hub.image.tag", valueType: "tag" } },
            { repoURL: `${registry}-worker`, customPath: { file: "base/values.yaml", key: "worker.image", valueType: "full" } },
        ],
        charts: [
            {
                name: `${name}-chart`,
                repoURL: "https://charts.example.com/eodh",
                constraint: "^2.1.0",
                generatorFiles: ["base/chart.yaml", "envs/{{env}}/chart.yaml"],
            },
        ],
        // As the seed's argo-events, with a second manifest from the same release.
        releases: [
            {
                name: `${name}-crds`,
                repoURL: `https://github.com/eodh/${name}-crds.git`,
                constraint: "^1.9.0",
                updates: [
                    {
                        file: "base/kustomization.yaml",
                        key: "resources.1",
                        urlPrefix: `https://raw.githubusercontent.com/eodh/${name}-crds/`,
                        urlSuffix: "/manifests/install.yaml",
                    },
                    {
                        file: "base/kustomization.yaml",
                        key: "resources.2",
                        urlPrefix: `https://raw.githubusercontent.com/eodh/${name}-crds/`,
                        urlSuffix: "/manifests/rbac.yaml",
                    },
                ],
            },
        ],
    };
}

export function syntheticCatalogue(count: number): string {
    // No YAML aliases: apps share the stage-order arrays, and the parser caps aliases.
    return stringify({ applications: Array.from({ length: count }, (_, index) => syntheticApp(index)) }, { aliasDuplicateObjects: false });
}

import { strict as assert } from "node:assert";
import type * as pulumi from "@pulumi/pulumi";
import { compareUrns, stackUrns, urnsFile } from "../scripts/urns";
import type { RenderResult } from "../cli/renderRuntime";
import { render } from "./support/render";

const ROOT = "urn:pulumi:prod::eodhp-kargo::";

/** A render of a component `hub` (type eodhp:kargo:KargoHub) with one child `<hub>-chart`, each with these aliases. */
function renamed(hub: string, hubAliases: pulumi.Alias[] = [], chartAliases: (string | pulumi.Alias)[] = []): RenderResult {
    const component = {} as pulumi.Resource;
    const [hubId, chartId] = [`eodhp:kargo:KargoHub::${hub}`, `kubernetes:helm.sh/v4:Chart::${hub}-chart`];
    return {
        stack: "prod",
        resources: [
            { type: "eodhp:kargo:KargoHub", name: hub, inputs: {} },
            { type: "kubernetes:helm.sh/v4:Chart", name: `${hub}-chart`, inputs: {}, parent: hubId },
        ],
        manifests: [],
        options: new Map([
            [hubId, { aliases: hubAliases }],
            [chartId, { parent: component, aliases: chartAliases }],
        ]),
        providers: new Map(),
        outputs: [],
        secretDigests: new Map(),
        identityOf: (resource) => (resource === component ? hubId : undefined),
    };
}
const RECORDED = [`${ROOT}eodhp:kargo:KargoHub::kargo-hub`, `${ROOT}eodhp:kargo:KargoHub$kubernetes:helm.sh/v4:Chart::kargo-hub-chart`];

/**
 * Pulumi keys each resource in the stack's state by its URN (type, name and parents' types). A URN that
 * changes is a delete and a create; for a Stage, the delete takes every Promotion it owns. The files hold the
 * shipped stacks' URNs; a rename must keep the recorded URN through `aliases`.
 */
describe("URNs: a refactor never deletes and recreates what a stack has deployed", () => {
    it("matches a registration to a recorded URN as the engine does: own URN, own aliases, then names under the parent's old URN", () => {
        const project = "eodhp-kargo";
        assert.deepEqual(compareUrns(renamed("kargo-hub"), project, RECORDED), { gone: [], added: [] });
        // Renamed without an alias: both resources would be deleted and created anew.
        assert.deepEqual(compareUrns(renamed("hub"), project, RECORDED), {
            gone: RECORDED,
            added: [`${ROOT}eodhp:kargo:KargoHub$kubernetes:helm.sh/v4:Chart::hub-chart`, `${ROOT}eodhp:kargo:KargoHub::hub`],
        });
        // The component's alias carries its child, whose name starts with the component's (`hub-chart` was `kargo-hub-chart`).
        assert.deepEqual(compareUrns(renamed("hub", [{ name: "kargo-hub" }]), project, RECORDED), { gone: [], added: [] });
        // A child renamed on its own, by a name alias or a full URN.
        const chartRenamed = (alias: string | pulumi.Alias) => {
            const result = renamed("kargo-hub", [], [alias]);
            const [hub, chart] = result.resources;
            return {
                ...result,
                resources: [hub, { ...chart, name: "kargo" }],
                options: new Map([...result.options].map(([id, opts]) => [id.replace("kargo-hub-chart", "kargo"), opts])),
            };
        };
        assert.deepEqual(compareUrns(chartRenamed({ name: "kargo-hub-chart" }), project, RECORDED), { gone: [], added: [] });
        assert.deepEqual(compareUrns(chartRenamed(RECORDED[1]), project, RECORDED), { gone: [], added: [] });
        assert.deepEqual(compareUrns(chartRenamed({ name: "other" }), project, RECORDED).gone, [RECORDED[1]]);
    });

    for (const stack of ["prod", "test", "staging"]) {
        it(`${stack}: every resource keeps a URN recorded in test/fixtures/urns/${stack}.txt, as its own or as an alias`, async () => {
            const { gone, added } = await stackUrns(stack, (name) => render({ stack: name }));
            assert.ok(
                gone.length + added.length === 0,
                [
                    `${stack}: URNs differ from ${urnsFile(stack)}`,
                    ...gone.map((urn) => `  no longer registered: ${urn}`),
                    ...added.map((urn) => `  not recorded:         ${urn}`),
                    "A renamed or re-parented resource would be deleted and created anew (a Stage with its Promotions): give it",
                    '`aliases: [{ name: <old name> }]` (or `parent:`/`type:`) so it keeps its recorded URN (docs/real-runs.md, "Keeping URNs").',
                    "Only for a resource really added or removed: `npm run urns`, and commit test/fixtures/urns/.",
                ].join("\n"),
            );
        });
    }
});

import { strict as assert } from "node:assert";
import type { Stage } from "../core/kubernetes";
import { inflateSteps, tasksByName } from "../core/project/promotionInflation";
import { catalogueError, catalogueOf } from "./support/fixtures";
import { find, projectObjects } from "./support/projectObjects";
import type { Json } from "./support/render";
import { renderedObjectProblems } from "./support/schemas";

const NOTEBOOK = "public.ecr.aws/eodh/notebook";
/** The notebook image in the hub's values and in every environment's profile list. */
const notebookApp = (second: Record<string, unknown> = {}) => ({
    name: "notebooks",
    path: "apps/notebooks",
    images: [
        {
            repoURL: NOTEBOOK,
            constraint: ">=1.0.0",
            enableDevTags: true,
            customPath: { file: "base/values.yaml", key: "singleuser.image.tag", valueType: "tag" },
        },
        { repoURL: NOTEBOOK, customPath: { file: "envs/{{env}}/profiles.yaml", key: "profiles.0.image" }, ...second },
    ],
});
const yamlOf = (entries: string[]) => `applications:\n  - name: n\n    path: apps/n\n    images:\n${entries.map((entry) => `      - ${entry}\n`).join("")}`;

describe("one image written to several places (the image listed once per place)", () => {
    const objects = projectObjects(catalogueOf([notebookApp()]));

    it("subscribes to the image once, in each Warehouse that carries it", () => {
        for (const warehouse of ["notebooks-images", "notebooks-dev-images"]) {
            const subscriptions = find(objects, "Warehouse", warehouse).spec.subscriptions as Json[];
            assert.deepEqual(
                subscriptions.map((subscription) => subscription.image.repoURL),
                [NOTEBOOK],
                warehouse,
            );
        }
        assert.equal(find(objects, "Warehouse", "notebooks-images").spec.subscriptions[0].image.constraint, ">=1.0.0", "the first entry's settings");
    });

    it("writes the tag to both places, each with its own key, value type and environment", () => {
        const steps = inflateSteps(find(objects, "Stage", "notebooks-staging") as Stage, tasksByName(objects)) as Json[];
        const writes = steps.filter((step) => step.uses === "yaml-update").map((step) => [step.config.path, step.config.updates]);
        const tag = `imageFrom('${NOTEBOOK}').Tag`;
        assert.deepEqual(writes, [
            ["./src/apps/notebooks/base/values.yaml", [{ key: "singleuser.image.tag", value: `\${{ quote(${tag}) }}` }]],
            ["./src/apps/notebooks/envs/staging/profiles.yaml", [{ key: "profiles.0.image", value: `${NOTEBOOK}:\${{ ${tag} }}` }]],
        ]);
    });

    it("renders objects the CRDs and Kargo accept", () => {
        assert.deepEqual(renderedObjectProblems(objects), []);
    });

    it("takes a setting given in both entries when they agree", () => {
        const agreeing = projectObjects(catalogueOf([notebookApp({ constraint: ">=1.0.0", discoveryLimit: 5 })]));
        assert.equal(find(agreeing, "Warehouse", "notebooks-images").spec.subscriptions.length, 1);
    });

    const A = "customPath: {file: a.yaml, key: k}";
    const B = "customPath: {file: b.yaml, key: k}";
    const disagreements: Array<[what: string, first: string, second: string, error: RegExp]> = [
        [
            "constraint",
            `constraint: '>=1.0.0', ${A}`,
            `constraint: '>=2.0.0', ${B}`,
            /images\[1\]\.constraint: is ">=2\.0\.0" but images\[0\] says ">=1\.0\.0"/,
        ],
        [
            "the alias semverConstraint",
            `constraint: '>=1.0.0', ${A}`,
            `semverConstraint: '>=2.0.0', ${B}`,
            /images\[1\]\.semverConstraint: is ">=2\.0\.0" but images\[0\]/,
        ],
        ["allowTags", `allowTags: '^w', ${A}`, `allowTags: '^v', ${B}`, /images\[1\]\.allowTags: is \["\^v"\] but images\[0\] says \["\^w"\]/],
        ["ignoreTags", `ignoreTags: [y], ${A}`, `ignoreTags: [x], ${B}`, /images\[1\]\.ignoreTags: is \["\^x\$"\] but images\[0\] says \["\^y\$"\]/],
        [
            "the strategy",
            `imageSelectionStrategy: SemVer, ${A}`,
            `imageSelectionStrategy: Lexical, ${B}`,
            /images\[1\]\.imageSelectionStrategy: is "Lexical" but images\[0\] says "SemVer"/,
        ],
        ["discoveryLimit", `discoveryLimit: 5, ${A}`, `discoveryLimit: 9, ${B}`, /images\[1\]\.discoveryLimit: is 9 but images\[0\] says 5/],
    ];
    for (const [what, first, second, expected] of disagreements) {
        it(`refuses entries that disagree on ${what}, naming both`, () => {
            assert.match(catalogueError(yamlOf([`{repoURL: r/i, ${first}}`, `{repoURL: r/i, ${second}}`])), expected);
        });
    }

    it("refuses the same image twice without a second place to write it", () => {
        assert.match(
            catalogueError(yamlOf(["{repoURL: r/i, customPath: {file: a.yaml, key: k}}", "{repoURL: r/i}"])),
            /^catalogue\.yaml:6: application "n": images\[1\]\.repoURL: duplicates images\[0\]/,
        );
    });

    it("refuses two entries writing the same key of the same file", () => {
        assert.match(
            catalogueError(
                yamlOf(["{repoURL: r/i, customPath: {file: a.yaml, key: k}}", "{repoURL: r/i, customPath: {file: a.yaml, key: k, valueType: tag}}"]),
            ),
            /images\[1\]\.customPath\.key: writes k in a\.yaml again; images\[0\]\.customPath already does/,
        );
    });
});

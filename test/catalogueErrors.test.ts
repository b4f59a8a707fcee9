import { strict as assert } from "node:assert";
import { parseCatalogue } from "../core/input/catalogue";
import { BAD_CATALOGUES } from "./support/badCatalogues";
import { isScalar, parseDocument, visit } from "yaml";
import { catalogueError, SHIPPED_CATALOGUE } from "./support/fixtures";

describe("catalogue: bad input names file, line, application and field", () => {
    for (const [what, text, expected] of BAD_CATALOGUES) {
        it(`rejects ${what}`, () => {
            assert.match(catalogueError(text), expected);
        });
    }

    it("rejects dev tags when the hub has no test shard for the dev stage", () => {
        assert.throws(
            () =>
                parseCatalogue(
                    "applications:\n  - name: a\n    path: apps/a\n    stages: [prod]\n    images:\n      - {repoURL: r/i, enableDevTags: true}\n",
                    "c.yaml",
                    { environments: ["prod"], devEnvironment: "test" },
                ),
            /^InputError: c\.yaml:6: application "a": images\[0\]\.enableDevTags: needs a "test" shard for the a-dev stage/,
        );
    });

    it("is not needed for the shipped catalogue: it quotes every constraint, so an edit to a >= range still parses", () => {
        const unquoted: string[] = [];
        visit(parseDocument(SHIPPED_CATALOGUE), {
            Pair: (_, pair) => {
                if (isScalar(pair.key) && pair.key.value === "constraint" && isScalar(pair.value) && pair.value.type === "PLAIN")
                    unquoted.push(String(pair.value.value));
            },
        });
        assert.deepEqual(unquoted, []);
    });
});

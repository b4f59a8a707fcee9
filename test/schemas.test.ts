import { strict as assert } from "node:assert";
import { checkAgainstSchemas, knowsKind, re2ToJs, type SchemaProblem } from "./support/schemas";

// These tests prove the schema checker itself can fail: every rule the rest of the suite relies on
// has a passing and a failing example here.

const KARGO = "kargo.akuity.io/v1alpha1";

function warehouse(subscriptions: unknown[], extraSpec: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        apiVersion: KARGO,
        kind: "Warehouse",
        metadata: { name: "app-images", namespace: "eodhp" },
        spec: { subscriptions, ...extraSpec },
    };
}

function stage(steps: unknown[]): Record<string, unknown> {
    return {
        apiVersion: KARGO,
        kind: "Stage",
        metadata: { name: "dev", namespace: "eodhp" },
        spec: {
            requestedFreight: [{ origin: { kind: "Warehouse", name: "app-images" }, sources: { direct: true } }],
            promotionTemplate: { spec: { steps } },
        },
    };
}

function externalSecret(spec: Record<string, unknown>): Record<string, unknown> {
    return {
        apiVersion: "external-secrets.io/v1",
        kind: "ExternalSecret",
        metadata: { name: "kubeconfig", namespace: "kargo" },
        spec,
    };
}

const GIT_SUBSCRIPTION = { git: { repoURL: "https://github.com/example/deploy.git", branch: "main" } };

const GIT_CLONE = {
    uses: "git-clone",
    config: {
        repoURL: "https://github.com/example/deploy.git",
        checkout: [{ branch: "main", path: "./src" }],
    },
};

/** Fails with the problems listed, so a broken expectation is readable. */
function assertValid(obj: Record<string, unknown>): void {
    assert.deepEqual(checkAgainstSchemas(obj), []);
}

function assertProblem(problems: SchemaProblem[], path: string, message: RegExp): void {
    assert.ok(
        problems.some((p) => p.path === path && message.test(p.message)),
        `expected a problem at ${path} matching ${message}, got ${JSON.stringify(problems, null, 2)}`,
    );
}

describe("schema checker", () => {
    it("knows the Kargo kinds and ExternalSecret v1", () => {
        for (const kind of ["Project", "ProjectConfig", "Warehouse", "Stage", "PromotionTask", "ClusterPromotionTask", "Freight", "Promotion"]) {
            assert.ok(knowsKind(`${KARGO}/${kind}`), kind);
        }
        assert.ok(knowsKind("external-secrets.io/v1/ExternalSecret"));
        // v1beta1 is no longer served by external-secrets v2.9.0.
        assert.ok(!knowsKind("external-secrets.io/v1beta1/ExternalSecret"));
    });

    it("rejects an unknown apiVersion/kind", () => {
        const problems = checkAgainstSchemas({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" } });
        assert.equal(problems.length, 1);
        assert.match(problems[0].message, /no schema/);
    });

    describe("metadata and top level", () => {
        it("requires metadata.name", () => {
            const obj = warehouse([GIT_SUBSCRIPTION]);
            obj.metadata = { namespace: "eodhp" };
            assertProblem(checkAgainstSchemas(obj), "/metadata", /required property 'name'/);
        });

        it("rejects unknown metadata keys and non-string label values", () => {
            const obj = warehouse([GIT_SUBSCRIPTION]);
            obj.metadata = { name: "w", namespace: "eodhp", label: { a: "b" }, labels: { replicas: 3 } };
            const problems = checkAgainstSchemas(obj);
            assertProblem(problems, "/metadata/label", /additional properties \(label\)/);
            assertProblem(problems, "/metadata/labels/replicas", /must be string/);
        });

        it("rejects unknown top-level keys", () => {
            const obj = { ...warehouse([GIT_SUBSCRIPTION]), data: { a: "b" } };
            assertProblem(checkAgainstSchemas(obj), "/data", /additional properties \(data\)/);
        });

        it("names the object Kind/namespace/name", () => {
            const obj = warehouse([GIT_SUBSCRIPTION], { intervl: "5m" });
            assert.equal(checkAgainstSchemas(obj)[0].object, "Warehouse/eodhp/app-images");
        });
    });

    describe("Project", () => {
        // Project has had no spec since Kargo v1.7: the CRD declares only metadata and status.
        it("passes with metadata only", () => {
            assertValid({ apiVersion: KARGO, kind: "Project", metadata: { name: "eodhp" } });
        });

        it("rejects spec: {}", () => {
            const problems = checkAgainstSchemas({ apiVersion: KARGO, kind: "Project", metadata: { name: "eodhp" }, spec: {} });
            assertProblem(problems, "/spec", /additional properties \(spec\)/);
            assert.equal(problems[0].object, "Project/eodhp");
        });

        it("rejects a namespace on the cluster-scoped Project", () => {
            const problems = checkAgainstSchemas({
                apiVersion: KARGO,
                kind: "Project",
                metadata: { name: "eodhp", namespace: "kargo" },
            });
            assertProblem(problems, "/metadata/namespace", /cluster-scoped/);
        });
    });

    describe("Warehouse", () => {
        it("passes a minimal Warehouse with a git subscription (interval is defaulted)", () => {
            assertValid(warehouse([GIT_SUBSCRIPTION]));
        });

        it("rejects a misspelt spec field", () => {
            assertProblem(checkAgainstSchemas(warehouse([GIT_SUBSCRIPTION], { intervl: "5m" })), "/spec/intervl", /additional properties \(intervl\)/);
        });

        it("checks spec.interval against the CRD pattern", () => {
            assertValid(warehouse([GIT_SUBSCRIPTION], { interval: "1h30m" }));
            assertProblem(checkAgainstSchemas(warehouse([GIT_SUBSCRIPTION], { interval: "5 min" })), "/spec/interval", /must match pattern/);
        });

        it("rejects the legacy image allowTags", () => {
            const problems = checkAgainstSchemas(warehouse([{ image: { repoURL: "ghcr.io/example/app", allowTags: "^v1" } }]));
            assertProblem(problems, "/spec/subscriptions/0/image/allowTags", /allowTags/);
        });

        it("rejects unknown and mistyped subscription fields", () => {
            const problems = checkAgainstSchemas(warehouse([{ image: { repoURL: "ghcr.io/example/app", semverConstraint: "^1", discoveryLimit: "20" } }]));
            assertProblem(problems, "/spec/subscriptions/0/image/semverConstraint", /must NOT have additional properties \(semverConstraint\)/);
            assertProblem(problems, "/spec/subscriptions/0/image/discoveryLimit", /must be integer/);
        });

        it("requires exactly one of git, image, chart per subscription", () => {
            const problems = checkAgainstSchemas(warehouse([{ ...GIT_SUBSCRIPTION, chart: { repoURL: "oci://ghcr.io/x/y" } }, { helm: {} }]));
            assertProblem(problems, "/spec/subscriptions/0", /exactly one of git, image, chart/);
            assertProblem(problems, "/spec/subscriptions/1", /exactly one of git, image, chart/);
        });
    });

    describe("Stage and promotion steps", () => {
        it("passes a git-clone step", () => {
            assertValid(stage([GIT_CLONE]));
        });

        it("rejects a git-clone config without checkout", () => {
            const problems = checkAgainstSchemas(stage([{ uses: "git-clone", config: { repoURL: "https://github.com/example/deploy.git" } }]));
            assertProblem(problems, "/spec/promotionTemplate/spec/steps/0/config", /required property 'checkout'/);
        });

        it("accepts a whole ${{ }} expression where a boolean or integer is expected", () => {
            assertValid(
                stage([
                    GIT_CLONE,
                    { uses: "git-push", config: { path: "./src", generateTargetBranch: "${{ vars.pr }}" } },
                    { uses: "git-wait-for-pr", config: { repoURL: "https://github.com/example/deploy.git", prNumber: "${{ outputs.pr.pr.id }}" } },
                ]),
            );
        });

        it("accepts expressions inside constrained strings, but not a mere string where a boolean is expected", () => {
            assertValid(stage([{ uses: "http", config: { url: "${{ vars.baseURL }}/api", method: "${{ vars.method }}" } }]));
            const problems = checkAgainstSchemas(stage([{ uses: "git-push", config: { path: "./src", generateTargetBranch: "yes-${{ vars.pr }}" } }]));
            assertProblem(problems, "/spec/promotionTemplate/spec/steps/0/config/generateTargetBranch", /must be boolean/);
        });

        it("resolves $refs across step schemas (argocd-update -> argocd-common.json)", () => {
            assertValid(stage([{ uses: "argocd-update", config: { apps: [{ selector: { matchLabels: { app: "x" } } }] } }]));
            const problems = checkAgainstSchemas(stage([{ uses: "argocd-update", config: { apps: [{ selector: { matchLabelz: { app: "x" } } }] } }]));
            assertProblem(problems, "/spec/promotionTemplate/spec/steps/0/config/apps/0/selector/matchLabelz", /additional properties/);
        });

        it("rejects an unknown step", () => {
            const problems = checkAgainstSchemas(stage([{ uses: "no-such-step", config: {} }]));
            assertProblem(problems, "/spec/promotionTemplate/spec/steps/0/uses", /unknown step "no-such-step"/);
        });

        it("checks PromotionTask steps too", () => {
            const task = {
                apiVersion: KARGO,
                kind: "PromotionTask",
                metadata: { name: "update", namespace: "eodhp" },
                spec: { vars: [{ name: "repoURL" }], steps: [{ uses: "git-clone", config: { repoURL: "${{ vars.repoURL }}" } }] },
            };
            assertProblem(checkAgainstSchemas(task), "/spec/steps/0/config", /required property 'checkout'/);
        });
    });

    describe("ExternalSecret", () => {
        const valid = {
            secretStoreRef: { kind: "ClusterSecretStore", name: "aws" },
            target: { name: "kargo-hub-kubeconfig" },
            data: [{ secretKey: "kubeconfig.yaml", remoteRef: { key: "kargo/east/kubeconfig" } }],
        };

        it("passes a minimal v1 ExternalSecret", () => {
            assertValid(externalSecret(valid));
        });

        it("rejects a misspelt spec field", () => {
            const { data, ...rest } = valid;
            assertProblem(checkAgainstSchemas(externalSecret({ ...rest, dataa: data })), "/spec/dataa", /additional properties \(dataa\)/);
        });
    });

    it("translates RE2-only pattern syntax", () => {
        // From the ExternalSecret CRD: `\_` is a valid RE2 escape but a SyntaxError in a `u` RegExp.
        const { source, flags } = re2ToJs("^[\\w.\\-\\_]+$");
        assert.ok(new RegExp(source, flags + "u").test("a-b_c.d"));
        assert.deepEqual(re2ToJs("(?i)^(?P<x>a)\\z"), { source: "^(?<x>a)(?![\\s\\S])", flags: "i" });
    });
});

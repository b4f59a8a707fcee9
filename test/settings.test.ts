import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { readStackConfig } from "../core/plan/stackFiles";
import { readStackFile } from "../core/plan/loadStack";
import { environmentShards, parseStackSettings } from "../core/input/settings";
import { hubConfig, hubSettings, shardConfig } from "./support/fixtures";

function settingsError(stack: string, config: Record<string, string>): string {
    try {
        parseStackSettings(stack, config);
    } catch (error) {
        return (error as Error).message;
    }
    throw new Error("expected the config to be rejected");
}

describe("stack settings", () => {
    it("applies documented defaults on the hub", () => {
        const settings = hubSettings();
        assert.equal(settings.awsRegion, "eu-west-2");
        assert.deepEqual(
            [settings.oidcIssuerUrl, settings.oidcClientId, settings.oidcAdminGroup],
            ["https://eodatahub.org.uk/keycloak/realms/eodhp", "kargo", "admin"],
        );
        assert.equal(settings.ingressClassName, "nginx");
        assert.equal(settings.catalogue, "catalogue.yaml");
        assert.equal(settings.ciPromotersGroup, "ci-promoters");
        assert.equal(settings.slackWebhookSecretName, undefined);
        assert.equal(settings.developerGroup, undefined);
        assert.equal(settings.argocdNamespace, "argocd");
        assert.deepEqual(
            settings.remoteShards.map((shard) => shard.tokenGenerations),
            [["1"], ["1"]],
            "one token generation until the first rotation",
        );
    });

    it("keeps token generations in the order given, newest last", () => {
        const remoteShards = JSON.stringify([
            { environment: "test", shardName: "s", kubeconfigSecretName: "a", tokenGenerations: ["2026-01", "2026-07"], readableByAccount: true },
        ]);
        const environments = JSON.stringify(["test", "prod"]);
        assert.deepEqual(hubSettings({ remoteShards, environments }).remoteShards[0].tokenGenerations, ["2026-01", "2026-07"]);
        const unquoted = JSON.stringify([
            { environment: "test", shardName: "s", kubeconfigSecretName: "a", tokenGenerations: [1, 2], readableByAccount: true },
        ]);
        assert.deepEqual(
            hubSettings({ remoteShards: unquoted, environments }).remoteShards[0].tokenGenerations,
            ["1", "2"],
            "YAML numbers name generations too",
        );
    });

    it("maps every environment with a controller to its shard, in promotion order", () => {
        assert.deepEqual(
            [...environmentShards(hubSettings()).entries()],
            [
                ["test", "test-shard"],
                ["staging", "staging-shard"],
                ["prod", "prod-shard"],
            ],
        );
    });

    it("reads a shard stack with only the shard keys", () => {
        const settings = parseStackSettings("test", shardConfig());
        assert.equal(settings.role, "shard");
        assert.equal(settings.shardName, "test-shard");
    });

    it("ignores other namespaces (aws:, kubernetes:)", () => {
        assert.equal(parseStackSettings("test", shardConfig({ "aws:region": "eu-west-2" })).role, "shard");
    });

    it("turns on Slack only with a webhook secret, dev stages off by default", () => {
        const slack = hubSettings({ slackWebhookSecretName: "eodhp/kargo/slack" });
        assert.deepEqual([slack.slackWebhookSecretName, slack.slackNotifyDevStages], ["eodhp/kargo/slack", false]);
        assert.equal(hubSettings({ slackWebhookSecretName: "eodhp/kargo/slack", slackNotifyDevStages: "true" }).slackNotifyDevStages, true);
    });

    it("runs Warehouses on the hub's shard unless warehouseShard is firstStage", () => {
        assert.equal(hubSettings().warehouseShard, "hub");
        assert.equal(hubSettings({ warehouseShard: "firstStage" }).warehouseShard, "firstStage");
    });

    it("lets developers promote into the dev stages and the first environment, and CI everywhere, by default", () => {
        assert.deepEqual(hubSettings().developerPromotionEnvironments, ["dev", "test"]);
        assert.deepEqual(hubSettings().ciPromoterEnvironments, ["dev", "test", "staging", "prod"]);
        assert.deepEqual(hubSettings({ developerPromotionEnvironments: '["dev","test","staging"]' }).developerPromotionEnvironments, [
            "dev",
            "test",
            "staging",
        ]);
    });

    const cases: Array<[string, string, Record<string, string>, RegExp]> = [
        [
            "a system: group for CI",
            "prod",
            hubConfig({ ciPromotersGroup: "system:authenticated" }),
            /eodhp-kargo:ciPromotersGroup: "system:authenticated" is a Kubernetes system group/,
        ],
        [
            "a system: developer group",
            "prod",
            hubConfig({ developerGroup: "system:masters" }),
            /eodhp-kargo:developerGroup: "system:masters" is a Kubernetes system group/,
        ],
        [
            "an unknown promotion environment",
            "prod",
            hubConfig({ developerPromotionEnvironments: '["qa"]' }),
            /eodhp-kargo:developerPromotionEnvironments\[0\]: "qa" is not one of dev, test, staging, prod/,
        ],
        [
            "a promotion environment list that is not a list",
            "prod",
            hubConfig({ ciPromoterEnvironments: "test" }),
            /eodhp-kargo:ciPromoterEnvironments: must be a list, got string "test"/,
        ],
        [
            "admin credentials with the admin account off",
            "prod",
            hubConfig({ adminCredentialsSecretName: "eodhp/kargo/admin-credentials" }),
            /eodhp-kargo:adminCredentialsSecretName: only applies when eodhp-kargo:adminAccount is true/,
        ],
        [
            "a token TTL that is not a duration",
            "prod",
            hubConfig({ adminAccount: "true", adminCredentialsSecretName: "a", adminTokenTTL: "1 day" }),
            /eodhp-kargo:adminTokenTTL: must be a duration such as 1h or 30m, got "1 day"/,
        ],
        [
            "an unknown warehouse placement",
            "prod",
            hubConfig({ warehouseShard: "spoke" }),
            /eodhp-kargo:warehouseShard: must be one of hub, firstStage, got "spoke"/,
        ],
        [
            "a missing key, naming how to set it",
            "prod",
            hubConfig({ apiHost: undefined }),
            /^Pulumi\.prod\.yaml: stack "prod": eodhp-kargo:apiHost: is required; set it with: pulumi config set apiHost <value> --stack prod$/,
        ],
        ["a missing role", "test", {}, /^Pulumi\.test\.yaml: stack "test": eodhp-kargo:role: is required/],
        [
            "a hub without a certificate issuer for its ingress",
            "prod",
            hubConfig({ ingressClusterIssuer: undefined }),
            /eodhp-kargo:ingressClusterIssuer: is required/,
        ],
        ["a wrong role", "prod", hubConfig({ role: "center" }), /eodhp-kargo:role: must be one of hub, shard, got "center"/],
        ["a misspelt key", "prod", hubConfig({ apiHots: "x" }), /eodhp-kargo:apiHots: unknown key \(did you mean "apiHost"\?\)/],
        [
            "a hub key on a shard",
            "test",
            shardConfig({ "eodhp-kargo:apiHost": "x" }),
            /^Pulumi\.test\.yaml: stack "test": eodhp-kargo:apiHost: is not used by a shard stack; remove it/,
        ],
        [
            "a host with a scheme",
            "prod",
            hubConfig({ apiHost: "https://kargo.eodatahub.org.uk" }),
            /eodhp-kargo:apiHost: .* \(give the host name only, without https:\/\/\)/,
        ],
        ["an http OIDC issuer", "prod", hubConfig({ oidcIssuerUrl: "http://keycloak/realms/eodhp" }), /eodhp-kargo:oidcIssuerUrl: must be an https:\/\/ URL/],
        ["a loose chart version", "prod", hubConfig({ chartVersion: "^1.11" }), /eodhp-kargo:chartVersion: must be an exact chart version such as 1\.11\.2/],
        ["an invalid shard name", "prod", hubConfig({ shardName: "Prod_Shard" }), /eodhp-kargo:shardName: "Prod_Shard" must consist of lower-case letters/],
        ["remoteShards that are not a list", "prod", hubConfig({ remoteShards: "{}" }), /eodhp-kargo:remoteShards: must be a list/],
        [
            "a remote shard reusing the hub's environment",
            "prod",
            hubConfig({ remoteShards: JSON.stringify([{ environment: "prod", shardName: "x", kubeconfigSecretName: "s" }]) }),
            /eodhp-kargo:remoteShards\[0\]: "prod" is already used by the hub/,
        ],
        [
            "two remote shards with one name",
            "prod",
            hubConfig({
                remoteShards: JSON.stringify([
                    { environment: "test", shardName: "s", kubeconfigSecretName: "a" },
                    { environment: "staging", shardName: "s", kubeconfigSecretName: "b" },
                ]),
            }),
            /remoteShards\[1\]: "s" is already used by remoteShards\[0\]/,
        ],
        [
            "a misspelt remote shard key",
            "prod",
            hubConfig({ remoteShards: JSON.stringify([{ environment: "test", shard: "s", kubeconfigSecretName: "a" }]) }),
            /remoteShards\[0\]\.shard: unknown key \(did you mean "shardName"\?\)/,
        ],
        [
            "an empty list of token generations",
            "prod",
            hubConfig({
                remoteShards: JSON.stringify([{ environment: "test", shardName: "s", kubeconfigSecretName: "a", tokenGenerations: [] }]),
            }),
            /remoteShards\[0\]\.tokenGenerations: must list at least one generation, newest last/,
        ],
        [
            "a token generation listed twice",
            "prod",
            hubConfig({
                remoteShards: JSON.stringify([{ environment: "test", shardName: "s", kubeconfigSecretName: "a", tokenGenerations: ["a", "b", "a"] }]),
            }),
            /remoteShards\[0\]\.tokenGenerations\[2\]: "a" is listed twice/,
        ],
        [
            "a token generation that cannot end a Secret name",
            "prod",
            hubConfig({
                remoteShards: JSON.stringify([{ environment: "test", shardName: "s", kubeconfigSecretName: "a", tokenGenerations: ["2026_Q1"] }]),
            }),
            /remoteShards\[0\]\.tokenGenerations\[0\]: "2026_Q1" must be a DNS label of at most 16 characters/,
        ],
        [
            "a bad Secrets Manager name",
            "prod",
            hubConfig({ gitCredentialsSecretName: "git credentials!" }),
            /eodhp-kargo:gitCredentialsSecretName: "git credentials!" is not a valid AWS Secrets Manager name/,
        ],
        ["an SCP git URL it cannot read", "prod", hubConfig({ gitRepoUrl: "not a url" }), /eodhp-kargo:gitRepoUrl: must be a git repository URL/],
        [
            "a Slack option without Slack",
            "prod",
            hubConfig({ slackNotifyDevStages: "true" }),
            /eodhp-kargo:slackNotifyDevStages: only applies when eodhp-kargo:slackWebhookSecretName is set/,
        ],
        [
            "a non-boolean flag",
            "prod",
            hubConfig({ slackWebhookSecretName: "s", slackNotifyDevStages: "yes" }),
            /eodhp-kargo:slackNotifyDevStages: must be true or false, got string "yes"/,
        ],
    ];
    for (const [what, stack, config, expected] of cases) {
        it(`rejects ${what}`, () => {
            assert.match(settingsError(stack, config), expected);
        });
    }

    it("removes the OIDC issuer's trailing slash", () => {
        assert.equal(
            hubSettings({ oidcIssuerUrl: "https://eodatahub.org.uk/keycloak/realms/eodhp/" }).oidcIssuerUrl,
            "https://eodatahub.org.uk/keycloak/realms/eodhp",
        );
    });

    it("derives the dev environment and the auto-promoted ones from the declared environments when unset", () => {
        const noTest = hubSettings({ environments: '["qa","prod"]', environment: '["qa","prod"]', remoteShards: "[]" });
        assert.deepEqual([noTest.devEnvironment, noTest.autoPromotedEnvironments, noTest.developerPromotionEnvironments], ["qa", ["qa"], ["dev", "qa"]]);
        assert.equal(hubSettings().devEnvironment, "test");
    });

    it("rewrites an SSH deployment-repo URL to HTTPS", () => {
        assert.equal(
            hubSettings({ gitRepoUrl: "git@github.com:EO-DataHub/eodhp-argocd-deployment.git" }).gitRepoUrl,
            "https://github.com/EO-DataHub/eodhp-argocd-deployment.git",
        );
    });
});

describe("stack settings: errors name the line in Pulumi.<stack>.yaml", () => {
    it("points at the bad key, nested keys included", () => {
        const dir = mkdtempSync(path.join(tmpdir(), "stack-"));
        try {
            writeFileSync(path.join(dir, "Pulumi.yaml"), "name: eodhp-kargo\nruntime: nodejs\n");
            const text = [
                "config:",
                "  eodhp-kargo:role: shard",
                "  eodhp-kargo:environment: test",
                "  eodhp-kargo:shardName: Test_Shard",
                "  eodhp-kargo:kubeContext: eodhp-test",
                "",
            ].join("\n");
            writeFileSync(path.join(dir, "Pulumi.test.yaml"), text);
            assert.match(settingsError("test", readStackConfig("test", dir).config), /eodhp-kargo:shardName/);
            assert.throws(
                () => parseStackSettings("test", readStackConfig("test", dir).config, readStackFile("test", dir)),
                /^InputError: Pulumi\.test\.yaml:4: stack "test": eodhp-kargo:shardName: "Test_Shard" must consist of lower-case letters/,
            );
            writeFileSync(
                path.join(dir, "Pulumi.prod.yaml"),
                `config:\n  eodhp-kargo:remoteShards:\n    - environment: test\n      shardName: t\n      kubeconfigSecretName: "bad name"\n`,
            );
            const config = { ...hubConfig(), "eodhp-kargo:remoteShards": readStackConfig("prod", dir).config["eodhp-kargo:remoteShards"] };
            assert.throws(
                () => parseStackSettings("prod", config, readStackFile("prod", dir)),
                /^InputError: Pulumi\.prod\.yaml:5: stack "prod": eodhp-kargo:remoteShards\[0\]\.kubeconfigSecretName: "bad name" is not a valid AWS Secrets Manager name/,
            );
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});

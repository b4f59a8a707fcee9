/** Inputs shared by the tests: the shipped catalogue's text, hub settings, and catalogue builders. */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { parseCatalogue, type Catalogue } from "../../core/input/catalogue";
import { parseStackSettings, type HubSettings } from "../../core/input/settings";

export const ROOT = path.resolve(__dirname, "..", "..");
export const SHIPPED_CATALOGUE = readFileSync(path.join(ROOT, "catalogue.yaml"), "utf8");
export const ENVIRONMENTS = { environments: ["test", "staging", "prod"], devEnvironment: "test" };

/** Config as `pulumi.runtime.allConfig()` returns it for the hub (values as in Pulumi.prod.yaml). */
export function hubConfig(overrides: Record<string, string | undefined> = {}): Record<string, string> {
    const base: Record<string, string> = {
        "eodhp-kargo:role": "hub",
        "eodhp-kargo:environment": "prod",
        "eodhp-kargo:shardName": "prod-shard",
        "eodhp-kargo:kubeContext": "eodhp-prod",
        "eodhp-kargo:eksClusterName": "eodhp-prod",
        "eodhp-kargo:chartVersion": "1.11.2",
        "eodhp-kargo:clusterSecretStore": "aws-secrets-manager",
        "eodhp-kargo:apiHost": "kargo.eodatahub.org.uk",
        "eodhp-kargo:oidcIssuerUrl": "https://eodatahub.org.uk/keycloak/realms/eodhp",
        "eodhp-kargo:ingressClusterIssuer": "letsencrypt-prod",
        "eodhp-kargo:remoteShards": JSON.stringify([
            { environment: "test", shardName: "test-shard", kubeconfigSecretName: "eodhp/kargo/hub-kubeconfig-test", readableByAccount: true },
            { environment: "staging", shardName: "staging-shard", kubeconfigSecretName: "eodhp/kargo/hub-kubeconfig-staging", readableByAccount: true },
        ]),
        "eodhp-kargo:gitRepoUrl": "https://github.com/EO-DataHub/eodhp-argocd-deployment.git",
        "eodhp-kargo:gitCredentialsSecretName": "eodhp/kargo/git-credentials-prod",
        "eodhp-kargo:githubWebhookSecretName": "eodhp/kargo/github-webhook",
    };
    for (const [key, value] of Object.entries(overrides)) {
        if (value === undefined) delete base[`eodhp-kargo:${key}`];
        else base[`eodhp-kargo:${key}`] = value;
    }
    return base;
}

/** Config as `pulumi.runtime.allConfig()` returns it for the test spoke (values as in Pulumi.test.yaml). */
export const shardConfig = (extra: Record<string, string> = {}) => ({
    "eodhp-kargo:role": "shard",
    "eodhp-kargo:environment": "test",
    "eodhp-kargo:shardName": "test-shard",
    "eodhp-kargo:kubeContext": "eodhp-test",
    "eodhp-kargo:eksClusterName": "eodhp-test",
    "eodhp-kargo:chartVersion": "1.11.2",
    "eodhp-kargo:clusterSecretStore": "aws-secrets-manager",
    "eodhp-kargo:hubKubeconfigSecretName": "eodhp/kargo/hub-kubeconfig-test",
    "eodhp-kargo:gitRepoUrl": "https://github.com/EO-DataHub/eodhp-argocd-deployment.git",
    "eodhp-kargo:gitCredentialsSecretName": "eodhp/kargo/git-credentials-test",
    ...extra,
});

export function hubSettings(overrides: Record<string, string | undefined> = {}): HubSettings {
    return parseStackSettings("prod", hubConfig(overrides)) as HubSettings;
}

/** `hub`: the hub whose declared environments the catalogue is read against (default test, staging, prod). */
export function catalogueOf(applications: unknown[], file = "catalogue.yaml", hub?: HubSettings): Catalogue {
    return parseCatalogue(stringify({ applications }), file, environmentsOf(hub));
}

const shippedByEnvironments = new Map<string, Catalogue>();

/** The shipped catalogue, read against the hub's environments; parsed once per set of them, and frozen. */
export function shippedCatalogue(hub?: HubSettings): Catalogue {
    const environments = environmentsOf(hub);
    const key = JSON.stringify(environments);
    let catalogue = shippedByEnvironments.get(key);
    if (!catalogue) shippedByEnvironments.set(key, (catalogue = deepFreeze(parseCatalogue(SHIPPED_CATALOGUE, "catalogue.yaml", environments))));
    return catalogue;
}

/** Frozen all the way down: a test or core function that writes to a shared value throws instead. */
function deepFreeze<T>(value: T): T {
    if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
        Object.freeze(value);
        for (const inner of Object.values(value)) deepFreeze(inner);
    }
    return value;
}

function environmentsOf(hub: HubSettings | undefined): { environments: readonly string[]; devEnvironment: string } {
    return hub ? { environments: hub.environments, devEnvironment: hub.devEnvironment } : ENVIRONMENTS;
}

/** Parses catalogue text and returns the error message (fails the test if it parses). */
export function catalogueError(text: string): string {
    try {
        parseCatalogue(text, "catalogue.yaml", ENVIRONMENTS);
    } catch (error) {
        return (error as Error).message;
    }
    throw new Error("expected the catalogue to be rejected");
}

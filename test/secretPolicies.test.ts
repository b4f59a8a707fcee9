import { strict as assert } from "node:assert";
import { secretReadPolicy } from "../core/install/secretPolicies";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { hubSettings, ROOT } from "./support/fixtures";
import { manifest, ONE_APP_CATALOGUE, render, resource, type Json } from "./support/render";
import { checkAgainstSchemas } from "./support/schemas";

const TEST_READER = "arn:aws:iam::111111111111:role/eodhp-test-external-secrets";
const DEPLOYER = "arn:aws:iam::222222222222:role/pulumi-deployer";
const SHARDS = JSON.stringify([
    { environment: "test", shardName: "test-shard", kubeconfigSecretName: "eodhp/kargo/hub-kubeconfig-test", readerRoleArn: TEST_READER },
    { environment: "staging", shardName: "staging-shard", kubeconfigSecretName: "eodhp/kargo/hub-kubeconfig-staging", readableByAccount: true },
]);

describe("secrets: each published hub kubeconfig is readable only by its spoke", () => {
    it("grants GetSecretValue to the reader and denies everyone else but the listed admins", () => {
        const policy = JSON.parse(secretReadPolicy({ readers: [TEST_READER], admins: [DEPLOYER] }));
        assert.deepEqual(policy.Statement[0].Principal, { AWS: [TEST_READER] });
        assert.equal(policy.Statement[0].Effect, "Allow");
        assert.deepEqual(policy.Statement[1].Condition, { ArnNotEquals: { "aws:PrincipalArn": [DEPLOYER, TEST_READER].sort() } });
        assert.equal(policy.Statement[1].Effect, "Deny");
        assert.equal(policy.Statement[1].Principal, "*");
    });

    it("manages a SecretPolicy for a shard with readerRoleArn, on a customer-managed KMS key when given", async () => {
        const prod = await render({
            stack: "prod",
            catalogue: ONE_APP_CATALOGUE,
            configOverrides: {
                "eodhp-kargo:remoteShards": SHARDS,
                "eodhp-kargo:kmsKeyId": "alias/eodhp-kargo",
                "eodhp-kargo:secretAdminRoleArns": JSON.stringify([DEPLOYER]),
            },
        });
        const policy = resource(prod, "aws:secretsmanager/secretPolicy:SecretPolicy", "kargo-hub-test-kubeconfig").inputs as Json;
        assert.equal(policy.blockPublicPolicy, true);
        assert.deepEqual(JSON.parse(policy.policy).Statement[0].Principal, { AWS: [TEST_READER] });
        assert.equal(prod.resources.filter((r) => r.type === "aws:secretsmanager/secretPolicy:SecretPolicy").length, 1, "no policy without a reader");
        const secret = resource(prod, "aws:secretsmanager/secret:Secret", "kargo-hub-test-kubeconfig").inputs as Json;
        assert.equal(secret.kmsKeyId, "alias/eodhp-kargo");
    });

    it("the shipped hub protects each published kubeconfig with a policy, or its stack file opts out explicitly with a comment", async () => {
        const prod = await render({ stack: "prod" });
        const text = readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8").split("\n");
        for (const env of ["test", "staging"]) {
            const policy = prod.resources.find((r) => r.type === "aws:secretsmanager/secretPolicy:SecretPolicy" && r.name === `kargo-hub-${env}-kubeconfig`);
            if (policy) continue;
            const entry = text.findIndex((line) => line.trim() === `- environment: ${env}`);
            const optOut = text.findIndex((line, index) => index > entry && line.trim() === "readableByAccount: true");
            assert.ok(entry >= 0 && optOut > entry, `${env}: no policy and no readableByAccount: true`);
            assert.match(text[optOut - 1], /^\s*#/, `${env}: the opt-out says why in a comment`);
        }
    });

    it("requires readerRoleArn unless the shard opts out explicitly, and not both", () => {
        const shards = (extra: Record<string, unknown>) =>
            JSON.stringify([{ environment: "test", shardName: "test-shard", kubeconfigSecretName: "k", ...extra }]);
        const environments = JSON.stringify(["test", "prod"]);
        assert.throws(
            () => hubSettings({ environments, remoteShards: shards({}) }),
            /remoteShards\[0\]\.readerRoleArn: is required: name the spoke's external-secrets IAM role.*or opt out explicitly with readableByAccount: true/,
        );
        assert.throws(() => hubSettings({ environments, remoteShards: shards({ readableByAccount: false }) }), /remoteShards\[0\]\.readerRoleArn: is required/);
        assert.throws(
            () => hubSettings({ environments, remoteShards: shards({ readerRoleArn: TEST_READER, readableByAccount: true }) }),
            /remoteShards\[0\]\.readableByAccount: only applies without readerRoleArn/,
        );
        assert.equal(hubSettings({ environments, remoteShards: shards({ readerRoleArn: TEST_READER }) }).remoteShards[0].readerRoleArn, TEST_READER);
    });

    it("accepts role ARNs with a path (IAM Identity Center roles), and names the role for a session ARN", () => {
        const sso = "arn:aws:iam::222222222222:role/aws-reserved/sso.amazonaws.com/eu-west-2/AWSReservedSSO_PlatformAdmin_0123456789abcdef";
        assert.deepEqual(hubSettings({ secretAdminRoleArns: JSON.stringify([sso]) }).secretAdminRoleArns, [sso]);
        assert.throws(
            () =>
                hubSettings({
                    secretAdminRoleArns: JSON.stringify(["arn:aws:sts::222222222222:assumed-role/AWSReservedSSO_PlatformAdmin_0123456789abcdef/alice"]),
                }),
            /is an assumed-role session ARN, not the role's; use the role's ARN, path included: aws iam get-role --role-name AWSReservedSSO_PlatformAdmin_0123456789abcdef --query Role\.Arn/,
        );
    });

    it("rejects a reader that is not an IAM role ARN", () => {
        const bad = JSON.stringify([{ environment: "test", shardName: "test-shard", kubeconfigSecretName: "k", readerRoleArn: "arn:aws:iam::1:user/x" }]);
        assert.throws(() => hubSettings({ remoteShards: bad }), /remoteShards\[0\]\.readerRoleArn: must be an IAM role ARN/);
        assert.throws(() => hubSettings({ secretAdminRoleArns: '["nope"]' }), /secretAdminRoleArns\[0\]: must be an IAM role ARN/);
    });
});

describe("secrets: on a spoke, only the kargo namespace can read the hub kubeconfig", () => {
    const READER = "arn:aws:iam::111111111111:role/eodhp-test-kargo-hub-kubeconfig";

    it("reads through a namespaced SecretStore with IRSA when a reader role is set", async () => {
        const test = await render({ stack: "test", configOverrides: { "eodhp-kargo:hubKubeconfigReaderRoleArn": READER } });
        const store = test.manifests.find((o) => o.kind === "SecretStore") as Json;
        assert.equal(store.metadata.namespace, "kargo");
        assert.deepEqual(checkAgainstSchemas(store), [], "the external-secrets v2.9.0 SecretStore CRD accepts it");
        assert.ok(checkAgainstSchemas({ ...store, spec: { provider: { aws: { service: "SecretsManager" } }, bogus: 1 } }).length > 0, "the CRD check can fail");
        assert.deepEqual(store.spec.provider.aws.auth, { jwt: { serviceAccountRef: { name: "kargo-hub-kubeconfig-reader" } } });
        const account = test.manifests.find((o) => o.kind === "ServiceAccount" && o.metadata.name === "kargo-hub-kubeconfig-reader") as Json;
        assert.equal(account.metadata.annotations["eks.amazonaws.com/role-arn"], READER);
        const external = manifest(test, "ExternalSecret", "kargo-hub-kubeconfig", "kargo");
        assert.deepEqual(external.spec.secretStoreRef, { kind: "SecretStore", name: "kargo-hub-kubeconfig" });
    });

    it("keeps the ClusterSecretStore without one", async () => {
        const test = await render({ stack: "test" });
        assert.equal(
            test.manifests.find((o) => o.kind === "SecretStore"),
            undefined,
        );
        assert.deepEqual(manifest(test, "ExternalSecret", "kargo-hub-kubeconfig", "kargo").spec.secretStoreRef.kind, "ClusterSecretStore");
    });
});

describe("hardening: the admin account is break-glass", () => {
    it("is off by default; adminAccount true turns it on with 1h tokens, and needs its credentials", () => {
        assert.equal(hubSettings().adminAccount, false);
        const breakGlass = { adminAccount: "true", adminCredentialsSecretName: "eodhp/kargo/admin-credentials" };
        const on = hubSettings(breakGlass);
        assert.deepEqual([on.adminAccount, on.adminCredentialsSecretName, on.adminTokenTTL], [true, "eodhp/kargo/admin-credentials", "1h"]);
        assert.equal(hubSettings({ ...breakGlass, adminTokenTTL: "15m" }).adminTokenTTL, "15m");
        assert.throws(() => hubSettings({ adminAccount: "true" }), /adminCredentialsSecretName: is required while eodhp-kargo:adminAccount is true/);
    });
});

describe("hardening: Pod Security on the kargo namespace", () => {
    for (const stack of ["prod", "test"]) {
        it(`enforces baseline and warns about restricted on ${stack}`, async () => {
            const rendered = await render({ stack });
            const namespace = rendered.manifests.find((o) => o.kind === "Namespace" && o.metadata.name === "kargo") as Json;
            assert.equal(namespace.metadata.labels["pod-security.kubernetes.io/enforce"], "baseline");
            assert.equal(namespace.metadata.labels["pod-security.kubernetes.io/warn"], "restricted");
        });
    }
});

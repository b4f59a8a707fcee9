import { strict as assert } from "node:assert";
import { secretReadPolicy } from "../core/install/secretPolicies";
import { hubSettings } from "./support/fixtures";
import { render, resource } from "./support/render";

const TEST_READER = "arn:aws:iam::111111111111:role/eodhp-test-external-secrets";
const DEPLOYER = "arn:aws:iam::222222222222:role/pulumi-deployer";
const SHARDS = JSON.stringify([
    { environment: "test", shardName: "test-shard", kubeconfigSecretName: "eodhp/kargo/hub-kubeconfig-test", readerRoleArn: TEST_READER },
    { environment: "staging", shardName: "staging-shard", kubeconfigSecretName: "eodhp/kargo/hub-kubeconfig-staging" },
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
            configOverrides: {
                "eodhp-kargo:remoteShards": SHARDS,
                "eodhp-kargo:kmsKeyId": "alias/eodhp-kargo",
                "eodhp-kargo:secretAdminRoleArns": JSON.stringify([DEPLOYER]),
            },
        });
        const policy = resource(prod, "aws:secretsmanager/secretPolicy:SecretPolicy", "kargo-hub-test-kubeconfig").inputs as Record<string, any>;
        assert.equal(policy.blockPublicPolicy, true);
        assert.deepEqual(JSON.parse(policy.policy).Statement[0].Principal, { AWS: [TEST_READER] });
        assert.equal(prod.resources.filter((r) => r.type === "aws:secretsmanager/secretPolicy:SecretPolicy").length, 1, "no policy without a reader");
        const secret = resource(prod, "aws:secretsmanager/secret:Secret", "kargo-hub-test-kubeconfig").inputs as Record<string, any>;
        assert.equal(secret.kmsKeyId, "alias/eodhp-kargo");
    });

    it("rejects a reader that is not an IAM role ARN", () => {
        const bad = JSON.stringify([{ environment: "test", shardName: "test-shard", kubeconfigSecretName: "k", readerRoleArn: "arn:aws:iam::1:user/x" }]);
        assert.throws(() => hubSettings({ remoteShards: bad }), /remoteShards\[0\]\.readerRoleArn: must be an IAM role ARN/);
        assert.throws(() => hubSettings({ secretAdminRoleArns: '["nope"]' }), /secretAdminRoleArns: must be a list of IAM role ARNs/);
    });
});

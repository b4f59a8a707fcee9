/**
 * Resource policies for the Secrets Manager entries: who may read each secret's value. The hub kubeconfig of
 * a remote shard is a bearer token for the hub, so only that spoke's external-secrets IAM role reads it.
 * The same shape serves the hand-made entries (docs/security.md).
 */

export interface SecretReadPolicyArgs {
    /** IAM role ARNs that read the value (the spoke's or hub's external-secrets role). */
    readonly readers: readonly string[];
    /**
     * Other principals still allowed to read it, e.g. the role Pulumi deploys with (its refresh of the secret
     * version reads the value). Everyone else is denied, whatever their identity policies say.
     */
    readonly admins: readonly string[];
}

/** An IAM policy document (JSON, keys in a stable order) granting GetSecretValue to `readers` only. */
export function secretReadPolicy(args: SecretReadPolicyArgs): string {
    const allowed = [...new Set([...args.readers, ...args.admins])].sort();
    return JSON.stringify(
        {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "ReadersGetTheValue",
                    Effect: "Allow",
                    Principal: { AWS: [...args.readers].sort() },
                    Action: "secretsmanager:GetSecretValue",
                    Resource: "*",
                },
                {
                    Sid: "NobodyElseGetsTheValue",
                    Effect: "Deny",
                    Principal: "*",
                    Action: "secretsmanager:GetSecretValue",
                    Resource: "*",
                    Condition: { ArnNotEquals: { "aws:PrincipalArn": allowed } },
                },
            ],
        },
        null,
        2,
    );
}

/**
 * Test support: check rendered Kubernetes objects against the reference schemas in
 * `test/fixtures/schemas` (Kargo v1.11.2 CRDs, step and subscription schemas; external-secrets
 * v2.9.0 ExternalSecret CRD).
 *
 * Why: the API server silently prunes unknown fields from custom resources, and Kargo only
 * validates step configs when a promotion runs. A typo in a rendered object would therefore pass
 * `pulumi up` and break later. Here every such mistake is a test failure instead.
 */
import { KIND_CHECKS } from "./kargoChecks";
import { schemas } from "./schemaRegistry";
import { isObject, objectId, validate, type SchemaProblem } from "./schemaHelpers";

export type { SchemaProblem } from "./schemaHelpers";
export { re2ToJs } from "./re2";

/** Checks one object; returns [] when it is valid. */
export function checkAgainstSchemas(obj: Record<string, unknown>): SchemaProblem[] {
    const object = objectId(obj);
    const key = `${String(obj.apiVersion)}/${String(obj.kind)}`;
    const kind = schemas().kinds.get(key);
    if (!kind) {
        return [{ object, path: "", message: `no schema for ${key}` }];
    }
    const findings = validate(kind.validate(), obj, "");
    const metadata = obj.metadata;
    if (kind.scope === "Cluster" && isObject(metadata) && metadata.namespace !== undefined) {
        findings.push({ path: "/metadata/namespace", message: `must NOT be set: ${String(obj.kind)} is cluster-scoped` });
    }
    findings.push(...(KIND_CHECKS[key]?.(obj) ?? []));
    return findings.map((f) => ({ object, ...f }));
}

/** The "apiVersion/Kind" pairs the checker knows, e.g. "kargo.akuity.io/v1alpha1/Stage". */
export function supportedKinds(): string[] {
    return [...schemas().kinds.keys()].sort();
}


/**
 * Test support: check rendered Kubernetes objects against the reference schemas in
 * `crds` (Kargo v1.11.2 CRDs, step and subscription schemas; external-secrets
 * v2.9.0 ExternalSecret CRD).
 *
 * Why: the API server silently prunes unknown fields from custom resources, and Kargo only
 * validates step configs when a promotion runs. A typo in a rendered object would therefore pass
 * `pulumi up` and break later. Here every such mistake is a test failure instead.
 */
import { KIND_CHECKS } from "./kargoChecks";
import { schemas } from "./schemaRegistry";
import { isObject, objectId, validate, type SchemaProblem } from "./schemaHelpers";

import { objectKey, type KubernetesObject } from "../../core/kubernetes";

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

/** Whether the checker has a schema for an "apiVersion/Kind", e.g. "kargo.akuity.io/v1alpha1/Stage". */
export function knowsKind(key: string): boolean {
    return schemas().kinds.get(key) !== undefined;
}

/** Fields Kubernetes accepts on the built-in kinds this program creates (they have no CRD to check against). */
const BUILT_IN_FIELDS: Readonly<Record<string, readonly string[]>> = {
    Namespace: [],
    ServiceAccount: [],
    Secret: ["type", "data", "stringData"],
    Role: ["rules"],
    ClusterRole: ["rules"],
    RoleBinding: ["roleRef", "subjects"],
    ClusterRoleBinding: ["roleRef", "subjects"],
    ValidatingAdmissionPolicy: ["spec"],
    ValidatingAdmissionPolicyBinding: ["spec"],
};

/** Every rendered object checked: CRD kinds against their schemas, built-in kinds for unknown top-level fields. */
export function renderedObjectProblems(objects: readonly KubernetesObject[]): string[] {
    return objects.flatMap((object) => {
        const builtIn = BUILT_IN_FIELDS[object.kind];
        if (builtIn) {
            const unknown = Object.keys(object).filter((key) => !["apiVersion", "kind", "metadata", ...builtIn].includes(key));
            return unknown.map((key) => `${objectKey(object)}: unknown field ${key}`);
        }
        return checkAgainstSchemas(object as Record<string, unknown>).map((problem) => `${problem.object} ${problem.path}: ${problem.message}`);
    });
}

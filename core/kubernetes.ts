/** Plain Kubernetes object shapes shared by the builders, and the order in which renders list them. */
import type { ExternalSecretBody } from "./generated/externalSecrets";
import type { ProjectBody, ProjectConfigBody, PromotionBody, PromotionTaskBody, StageBody, WarehouseBody } from "./generated/kargo";

export interface ObjectMeta {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
}

export interface KubernetesObject {
    readonly apiVersion: string;
    readonly kind: string;
    readonly metadata: ObjectMeta;
    readonly [field: string]: unknown;
}

export const KARGO_API_VERSION = "kargo.akuity.io/v1alpha1";
export const EXTERNAL_SECRETS_API_VERSION = "external-secrets.io/v1";
export const RBAC_API_VERSION = "rbac.authorization.k8s.io/v1";

/** Labels on everything this program creates, so operators can find it with a selector. */
export const MANAGED_LABELS: Readonly<Record<string, string>> = {
    "app.kubernetes.io/managed-by": "pulumi",
    "app.kubernetes.io/part-of": "eodhp-kargo",
};
export const APPLICATION_LABEL = "eodatahub.org.uk/application";

export function labels(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
    return { ...MANAGED_LABELS, ...extra };
}

/** `Kind/namespace/name`: unique per cluster, stable across renders. */
export function objectKey(object: KubernetesObject): string {
    return `${object.kind}/${object.metadata.namespace ?? ""}/${object.metadata.name}`;
}

/** Creation order a reader expects: namespaces and identities first, then Kargo's objects, pipeline last. */
const KIND_ORDER = [
    "Namespace",
    "ServiceAccount",
    "Secret",
    "ClusterRole",
    "ClusterRoleBinding",
    "Role",
    "RoleBinding",
    "ExternalSecret",
    "Project",
    "ProjectConfig",
    "PromotionTask",
    "Warehouse",
    "Stage",
];

/** Position of `value` in a preferred `order`; values not listed come after all listed ones. */
export function rankIn(order: readonly string[], value: string): number {
    const rank = order.indexOf(value);
    return rank === -1 ? order.length : rank;
}

export function compareObjects(a: KubernetesObject, b: KubernetesObject): number {
    return (
        rankIn(KIND_ORDER, a.kind) - rankIn(KIND_ORDER, b.kind) ||
        compareText(a.kind, b.kind) ||
        compareText(a.metadata.namespace ?? "", b.metadata.namespace ?? "") ||
        compareText(a.metadata.name, b.metadata.name)
    );
}

/** Locale-independent ordering, so renders are byte-identical on every machine. */
export function compareText(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

/** A Kargo or external-secrets object typed from its CRD (core/generated/), with our metadata shape. */
type TypedObject<Body, ApiVersion extends string, Kind extends string> = Omit<Body, "apiVersion" | "kind"> & {
    readonly apiVersion: ApiVersion;
    readonly kind: Kind;
    readonly metadata: ObjectMeta;
};
type KargoObject<Body, Kind extends string> = TypedObject<Body, typeof KARGO_API_VERSION, Kind>;
export type Project = KargoObject<ProjectBody, "Project">;
export type ProjectConfig = KargoObject<ProjectConfigBody, "ProjectConfig">;
export type Warehouse = KargoObject<WarehouseBody, "Warehouse">;
export type Stage = KargoObject<StageBody, "Stage">;
export type PromotionTask = KargoObject<PromotionTaskBody, "PromotionTask">;
export type Promotion = KargoObject<PromotionBody, "Promotion">;
export type ExternalSecret = TypedObject<ExternalSecretBody, typeof EXTERNAL_SECRETS_API_VERSION, "ExternalSecret">;
/** A step of a Stage's promotion template (may reference a task) or of a PromotionTask. */
export type TemplateStep = NonNullable<NonNullable<Stage["spec"]["promotionTemplate"]>["spec"]["steps"]>[number];
export type TaskStep = PromotionTask["spec"]["steps"][number];

/** Narrows a plain object to the typed kind it says it is. */
export function isKind<K extends keyof KindTypes>(kind: K): (object: KubernetesObject) => object is KubernetesObject & KindTypes[K] {
    return (object): object is KubernetesObject & KindTypes[K] => object.kind === kind;
}

interface KindTypes {
    Stage: Stage;
    Warehouse: Warehouse;
    PromotionTask: PromotionTask;
    ProjectConfig: ProjectConfig;
    ExternalSecret: ExternalSecret;
}

/** A namespaced Role with these rules. */
export function role(name: string, namespace: string, rules: ReadonlyArray<Record<string, unknown>>): KubernetesObject {
    return { apiVersion: RBAC_API_VERSION, kind: "Role", metadata: { name, namespace, labels: labels() }, rules };
}

/** A RoleBinding of `roleRef` (a Role in the same namespace, or a ClusterRole) to `subjects`. */
export function roleBinding(
    name: string,
    namespace: string,
    roleRef: { kind: "Role" | "ClusterRole"; name: string },
    subjects: ReadonlyArray<Record<string, string>>,
): KubernetesObject {
    return {
        apiVersion: RBAC_API_VERSION,
        kind: "RoleBinding",
        metadata: { name, namespace, labels: labels() },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", ...roleRef },
        subjects,
    };
}

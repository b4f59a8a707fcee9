/**
 * Shard isolation on the hub: one ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1, Kubernetes
 * >= 1.30) per remote shard controller, matched on its username only, so the hub's own controllers, the API
 * server and Pulumi never evaluate it. Upstream Kargo trusts every shard controller fully; this limits a
 * spoke's token to what Kargo v1.11.2's shard controller writes for its own shard
 * (the list below, with the source files at v1.11.2):
 *
 * - Stage status, and the Stage metadata it patches: finalizer `kargo.akuity.io/finalizer`
 *   (pkg/api/finalizers.go EnsureFinalizer/RemoveFinalizer, from pkg/controller/stages/regular_stages.go),
 *   annotations `kargo.akuity.io/argocd-context` (pkg/api/stage.go AnnotateStageWithArgoCDContext) and
 *   `kargo.akuity.io/reverify` (pkg/api/stage.go ReverifyStageFreight, from
 *   pkg/controller/promotions/promotions.go); never the spec, labels or ownerReferences (only the management
 *   controller patches ownerReferences, on namespaces: pkg/api/finalizers.go PatchOwnerReferences; an owner
 *   reference to a missing object would let the garbage collector delete the Stage and its Promotions).
 * - Warehouse status (pkg/controller/warehouses/warehouses.go patchStatus) and Freight creation from its
 *   own Warehouses (createFreightFn there); never a Warehouse's spec.
 * - Promotions into its own Stages: the Stage controller's auto-promotion (regular_stages.go,
 *   api.NewMinimalPromotion); the label `kargo.akuity.io/shard` is set from the Stage by Kargo's mutating
 *   webhook (pkg/webhook/kubernetes/promotion/webhook.go Default), which runs before validating admission.
 *   Never with `kargo.akuity.io/create-actor` or the auto-promotion hold/resume annotations
 *   (api/v1alpha1/annotations.go): the controller creates api.NewMinimalPromotion (pkg/api/promotion.go: no
 *   annotations), only the API server sets create-actor (pkg/server/promote_*.go SetCreateActorAnnotation,
 *   pkg/server/common.go annotateResourceWithCreator), and for a control-plane user (the spokes are in
 *   controlplaneUserRegex, core/install/chartValues.ts) the webhook adds neither and keeps what the caller
 *   sent (Default, syncHoldAnnotations). A forged one is credited to a person and sets an auto-promotion hold
 *   (pkg/controller/stages/regular_stages.go newAutoPromotionHold).
 *   Promotion status (promotions.go, kubeclient.PatchStatus).
 * - Freight status for its own Stages: `currentlyIn` and `verifiedIn` keys (regular_stages.go
 *   syncFreight/verifyStageFreight, clearVerifications) and removing its own Stages' `approvedFor` keys
 *   when a Stage is deleted (regular_stages.go clearApprovals); never adding an approval.
 * - Its heartbeat Lease `kargo-controller-<shard>` in the Kargo namespace (pkg/heartbeat/renewer.go:
 *   create, update, delete on shutdown), labelled `kargo.akuity.io/controller: <shard>`; the API server
 *   reports liveness per that label (pkg/heartbeat/heartbeat.go GetAll), so another shard's would lie.
 * - Events (the controllers' event recorders, in the project namespace).
 *
 * Stages are named `<app>-<env>` and `<app>-dev` (core/project/pipeline.ts), so a Stage name's suffix
 * tells its shard; core/input/settings.ts rejects environment names for which that would be ambiguous.
 */
import { KARGO_NAMESPACE } from "../input/settings";
import { labels, type KubernetesObject } from "../kubernetes";

export const ADMISSION_API_VERSION = "admissionregistration.k8s.io/v1";
export const SHARD_LABEL = "kargo.akuity.io/shard";
export const KARGO_FINALIZER = "kargo.akuity.io/finalizer";
/** Stage annotations the shard controller writes itself (see the file comment). */
export const CONTROLLER_STAGE_ANNOTATIONS = ["kargo.akuity.io/argocd-context", "kargo.akuity.io/reverify"];
/** Promotion annotations that name the person behind a Promotion or carry auto-promotion intent. */
export const PROMOTION_ACTOR_ANNOTATIONS = ["kargo.akuity.io/create-actor", "kargo.akuity.io/auto-promotion-hold", "kargo.akuity.io/auto-promotion-resume"];
/** Label of a heartbeat Lease naming the controller's shard (api/v1alpha1/labels.go LabelKeyController). */
export const HEARTBEAT_CONTROLLER_LABEL = "kargo.akuity.io/controller";

export interface ShardScope {
    /** ServiceAccount name of the remote controller in the Kargo namespace. */
    readonly controllerName: string;
    readonly shardName: string;
    /** Namespace of the Kargo project whose objects the shard reconciles. */
    readonly projectNamespace: string;
    /** Environments whose Stages (`<app>-<env>`) this shard runs; `dev` for the `<app>-dev` stages. */
    readonly stageEnvironments: readonly string[];
    /** Warehouses that run on this shard (it may create their Freight and write their status). */
    readonly warehouses: readonly string[];
}

export function policyName(scope: ShardScope): string {
    return `${scope.controllerName}-shard-isolation`;
}

/** pkg/heartbeat/renewer.go: "kargo-controller-" + the controller's shard name. */
export function heartbeatLeaseName(shardName: string): string {
    return `kargo-controller-${shardName}`;
}

export function controllerUsername(controllerName: string): string {
    return `system:serviceaccount:${KARGO_NAMESPACE}:${controllerName}`;
}

const quoted = (values: readonly string[]): string => `[${values.map((value) => `'${value}'`).join(", ")}]`;

/** `name` (a CEL expression) is a Stage of this shard. */
const ownStage = (name: string): string => `variables.stageSuffixes.exists(s, ${name}.endsWith(s))`;

/** Map-valued field `path` of `root` (object or oldObject), `{}` when absent. */
const mapOrEmpty = (root: string, parent: string, field: string): string =>
    `${root} != null && has(${root}.${parent}) && has(${root}.${parent}.${field}) ? ${root}.${parent}.${field} : {}`;

/** Every key changed between maps `before` and `after` satisfies `allowed(key)`. */
const changesOnly = (before: string, after: string, allowed: (key: string) => string): string =>
    `${after}.all(k, ${allowed("k")} || (k in ${before} && ${before}[k] == ${after}[k])) && ${before}.all(k, ${allowed("k")} || k in ${after})`;

/** Every item added to or removed from list `before` satisfies `allowed(item)`. */
const listChangesOnly = (before: string, after: string, allowed: (item: string) => string): string =>
    `${after}.all(f, ${allowed("f")} || f in ${before}) && ${before}.all(f, ${allowed("f")} || f in ${after})`;

export interface PolicyVariable {
    readonly name: string;
    readonly expression: string;
}

export interface PolicyValidation {
    readonly expression: string;
    readonly message: string;
}

export function policyVariables(scope: ShardScope): PolicyVariable[] {
    return [
        { name: "stageSuffixes", expression: quoted(scope.stageEnvironments.map((env) => `-${env}`)) },
        { name: "warehouses", expression: quoted(scope.warehouses) },
        { name: "kargo", expression: "request.resource.group == 'kargo.akuity.io'" },
        { name: "oldAnnotations", expression: mapOrEmpty("oldObject", "metadata", "annotations") },
        { name: "newAnnotations", expression: mapOrEmpty("object", "metadata", "annotations") },
        { name: "oldLabels", expression: mapOrEmpty("oldObject", "metadata", "labels") },
        { name: "newLabels", expression: mapOrEmpty("object", "metadata", "labels") },
        { name: "oldFinalizers", expression: "oldObject != null && has(oldObject.metadata.finalizers) ? oldObject.metadata.finalizers : []" },
        { name: "newFinalizers", expression: "object != null && has(object.metadata.finalizers) ? object.metadata.finalizers : []" },
        { name: "oldOwners", expression: "oldObject != null && has(oldObject.metadata.ownerReferences) ? oldObject.metadata.ownerReferences : []" },
        { name: "newOwners", expression: "object != null && has(object.metadata.ownerReferences) ? object.metadata.ownerReferences : []" },
        { name: "oldVerified", expression: mapOrEmpty("oldObject", "status", "verifiedIn") },
        { name: "newVerified", expression: mapOrEmpty("object", "status", "verifiedIn") },
        { name: "oldCurrent", expression: mapOrEmpty("oldObject", "status", "currentlyIn") },
        { name: "newCurrent", expression: mapOrEmpty("object", "status", "currentlyIn") },
        { name: "oldApproved", expression: mapOrEmpty("oldObject", "status", "approvedFor") },
        { name: "newApproved", expression: mapOrEmpty("object", "status", "approvedFor") },
        { name: "oldFreightMetadata", expression: mapOrEmpty("oldObject", "status", "metadata") },
        { name: "newFreightMetadata", expression: mapOrEmpty("object", "status", "metadata") },
    ];
}

export function policyValidations(scope: ShardScope): PolicyValidation[] {
    const lease = heartbeatLeaseName(scope.shardName);
    const shardLabel = (root: string) => `${root}.metadata.labels['${SHARD_LABEL}'] == '${scope.shardName}'`;
    const metadataOnlyByController = [
        "object.spec == oldObject.spec",
        "variables.newLabels == variables.oldLabels",
        "variables.newOwners == variables.oldOwners",
        changesOnly("variables.oldAnnotations", "variables.newAnnotations", (key) => `${key} in ${quoted(CONTROLLER_STAGE_ANNOTATIONS)}`),
        listChangesOnly("variables.oldFinalizers", "variables.newFinalizers", (item) => `${item} == '${KARGO_FINALIZER}'`),
    ];
    return [
        {
            expression: [
                `(variables.kargo && request.namespace == '${scope.projectNamespace}' && request.resource.resource in ['stages', 'warehouses', 'promotions', 'freights'])`,
                `(request.resource.group == 'coordination.k8s.io' && request.resource.resource == 'leases' && request.namespace == '${KARGO_NAMESPACE}' && request.name == '${lease}')`,
                `(request.resource.group in ['', 'events.k8s.io'] && request.resource.resource == 'events' && request.namespace in ['${scope.projectNamespace}', '${KARGO_NAMESPACE}'])`,
            ].join(" || "),
            message: `${scope.controllerName} may write only Kargo objects in ${scope.projectNamespace}, its heartbeat Lease ${lease} and events`,
        },
        {
            expression:
                `!(variables.kargo && request.resource.resource == 'stages') || (request.operation == 'UPDATE' && ${ownStage("request.name")} && ` +
                `(request.subResource == 'status' || (request.subResource == '' && ${metadataOnlyByController.map((part) => `(${part})`).join(" && ")})))`,
            message: `${scope.controllerName} may update only the status, Kargo finalizer and controller annotations of ${scope.shardName}'s Stages (never their ownerReferences)`,
        },
        {
            expression:
                "!(variables.kargo && request.resource.resource == 'warehouses') || (request.operation == 'UPDATE' && request.subResource == 'status' && request.name in variables.warehouses)",
            message: `${scope.controllerName} may update only the status of Warehouses that run on ${scope.shardName}`,
        },
        {
            expression:
                "!(variables.kargo && request.resource.resource == 'promotions') || " +
                `(request.operation == 'CREATE' && request.subResource == '' && ${ownStage("object.spec.stage")} && ${shardLabel("object")}) || ` +
                `(request.operation == 'UPDATE' && request.subResource == 'status' && ${ownStage("oldObject.spec.stage")} && ${shardLabel("oldObject")})`,
            message: `${scope.controllerName} may create Promotions into, and update the status of Promotions of, ${scope.shardName}'s Stages only`,
        },
        {
            expression:
                "!(variables.kargo && request.resource.resource == 'promotions' && request.operation == 'CREATE') || " +
                `${quoted(PROMOTION_ACTOR_ANNOTATIONS)}.all(k, !(k in variables.newAnnotations))`,
            message: `${scope.controllerName} may not create Promotions carrying ${PROMOTION_ACTOR_ANNOTATIONS.join(", ")} (only Kargo's API server and webhook set them)`,
        },
        {
            expression:
                "!(request.resource.group == 'coordination.k8s.io' && request.resource.resource == 'leases') || request.operation == 'DELETE' || " +
                `('${HEARTBEAT_CONTROLLER_LABEL}' in variables.newLabels && variables.newLabels['${HEARTBEAT_CONTROLLER_LABEL}'] == '${scope.shardName}')`,
            message: `${scope.controllerName}'s heartbeat Lease must carry ${HEARTBEAT_CONTROLLER_LABEL}: ${scope.shardName}`,
        },
        {
            expression:
                "!(variables.kargo && request.resource.resource == 'freights') || " +
                "(request.operation == 'CREATE' && request.subResource == '' && object.origin.kind == 'Warehouse' && object.origin.name in variables.warehouses) || " +
                "(request.operation == 'UPDATE' && request.subResource == 'status' && " +
                [
                    changesOnly("variables.oldVerified", "variables.newVerified", ownStage),
                    changesOnly("variables.oldCurrent", "variables.newCurrent", ownStage),
                    // Approvals of its own Stages may only be removed (Stage deletion), never added or changed.
                    "variables.newApproved.all(k, k in variables.oldApproved && variables.oldApproved[k] == variables.newApproved[k])",
                    `variables.oldApproved.all(k, k in variables.newApproved || ${ownStage("k")})`,
                    "variables.newFreightMetadata == variables.oldFreightMetadata",
                ]
                    .map((part) => `(${part})`)
                    .join(" && ") +
                ")",
            message: `${scope.controllerName} may create Freight only from its Warehouses, and change Freight status only for ${scope.shardName}'s Stages (never approvals)`,
        },
    ];
}

export function buildShardIsolationPolicy(scope: ShardScope): KubernetesObject[] {
    const name = policyName(scope);
    return [
        {
            apiVersion: ADMISSION_API_VERSION,
            kind: "ValidatingAdmissionPolicy",
            metadata: { name, labels: labels() },
            spec: {
                failurePolicy: "Fail",
                matchConstraints: {
                    resourceRules: [{ apiGroups: ["*"], apiVersions: ["*"], operations: ["*"], resources: ["*", "*/*"], scope: "*" }],
                },
                // Only this controller's requests are evaluated; everyone else is untouched.
                matchConditions: [{ name: "remote-controller", expression: `request.userInfo.username == '${controllerUsername(scope.controllerName)}'` }],
                variables: policyVariables(scope),
                validations: policyValidations(scope),
            },
        },
        {
            apiVersion: ADMISSION_API_VERSION,
            kind: "ValidatingAdmissionPolicyBinding",
            metadata: { name, labels: labels() },
            spec: { policyName: name, validationActions: ["Deny"] },
        },
    ];
}

/** What each remote shard runs, from the planned pipelines: its Stages' environments and its Warehouses. */
export function shardScope(
    shard: { readonly environment: readonly string[]; readonly shardName: string },
    controllerName: string,
    projectNamespace: string,
    pipelines: ReadonlyArray<{
        readonly stages: ReadonlyArray<{ readonly shard: string; readonly isDev: boolean }>;
        readonly warehouses: ReadonlyArray<{ readonly name: string; readonly shard: string }>;
    }>,
): ShardScope {
    const runsDevStages = pipelines.some((pipeline) => pipeline.stages.some((stage) => stage.isDev && stage.shard === shard.shardName));
    return {
        controllerName,
        shardName: shard.shardName,
        projectNamespace,
        stageEnvironments: [...shard.environment, ...(runsDevStages ? ["dev"] : [])],
        warehouses: pipelines
            .flatMap((pipeline) => pipeline.warehouses.filter((warehouse) => warehouse.shard === shard.shardName).map((warehouse) => warehouse.name))
            .sort(),
    };
}

/**
 * Turns a plain manifest from the core into the matching `@pulumi/kubernetes` resource: typed classes for
 * built-in kinds (so Secret data is treated as secret), CustomResource for Kargo and external-secrets kinds.
 */
// Each API group by its own module, not the package root, which loads every group's index (about 40 ms a
// process). Nothing is lost: the root's registrations only turn resource references in outputs back into
// objects (@pulumi/pulumi runtime/rpc.js deserializeProperty; an unregistered one becomes its ID, or URN), so
// helm.v4.Chart's `resources` holds objects for the groups imported here and IDs for the rest, and nothing
// reads it; a dependsOn on that remote component waits by its URN (runtime/dependsOn.js).
import * as admissionregistrationv1 from "@pulumi/kubernetes/admissionregistration/v1";
import { CustomResource, type CustomResourceArgs } from "@pulumi/kubernetes/apiextensions";
import * as corev1 from "@pulumi/kubernetes/core/v1";
import * as rbacv1 from "@pulumi/kubernetes/rbac/v1";
import type * as pulumi from "@pulumi/pulumi";
import type { KubernetesObject } from "../core/kubernetes";

type Constructor = new (name: string, args: never, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;

const BUILT_IN: Readonly<Record<string, Constructor>> = {
    "v1/Namespace": corev1.Namespace,
    "v1/ServiceAccount": corev1.ServiceAccount,
    "v1/Secret": corev1.Secret,
    "rbac.authorization.k8s.io/v1/Role": rbacv1.Role,
    "rbac.authorization.k8s.io/v1/RoleBinding": rbacv1.RoleBinding,
    "rbac.authorization.k8s.io/v1/ClusterRole": rbacv1.ClusterRole,
    "rbac.authorization.k8s.io/v1/ClusterRoleBinding": rbacv1.ClusterRoleBinding,
    "admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy": admissionregistrationv1.ValidatingAdmissionPolicy,
    "admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding": admissionregistrationv1.ValidatingAdmissionPolicyBinding,
};

/**
 * For what holds state no program can recreate (the `kargo` and `eodhp` namespaces, the Project): `protect`
 * makes `pulumi destroy` refuse it, and `retainOnDelete` makes any delete, `destroy --ignore-protect` or a
 * later unprotect included, leave the object in the cluster and only drop it from the state (pulumi/pulumi
 * v3.259.0 `pkg/resource/deploy/step.go` DeleteStep.Apply).
 */
export const KEEP_ON_DELETE = { protect: true, retainOnDelete: true } as const;

/** Resource name: the component's name and the object's, so `pulumi preview` reads like `kubectl get`. */
export function childName(componentName: string, object: KubernetesObject): string {
    return `${componentName}-${object.metadata.name}`;
}

export function createKubernetesObject(componentName: string, object: KubernetesObject, opts: pulumi.CustomResourceOptions): pulumi.CustomResource {
    const name = childName(componentName, object);
    const BuiltIn = BUILT_IN[`${object.apiVersion}/${object.kind}`];
    if (BuiltIn) return new BuiltIn(name, object as never, opts);
    return new CustomResource(name, object as CustomResourceArgs, opts);
}

/**
 * Turns a plain manifest from the core into the matching `@pulumi/kubernetes` resource: typed classes for
 * built-in kinds (so Secret data is treated as secret), CustomResource for Kargo and external-secrets kinds.
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { KubernetesObject } from "../core/kubernetes";

type Constructor = new (name: string, args: never, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;

const BUILT_IN: Readonly<Record<string, Constructor>> = {
    "v1/Namespace": k8s.core.v1.Namespace,
    "v1/ServiceAccount": k8s.core.v1.ServiceAccount,
    "v1/Secret": k8s.core.v1.Secret,
    "rbac.authorization.k8s.io/v1/Role": k8s.rbac.v1.Role,
    "rbac.authorization.k8s.io/v1/RoleBinding": k8s.rbac.v1.RoleBinding,
    "rbac.authorization.k8s.io/v1/ClusterRole": k8s.rbac.v1.ClusterRole,
    "rbac.authorization.k8s.io/v1/ClusterRoleBinding": k8s.rbac.v1.ClusterRoleBinding,
    "admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy": k8s.admissionregistration.v1.ValidatingAdmissionPolicy,
    "admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding": k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding,
};

/** Resource name: the component's name and the object's, so `pulumi preview` reads like `kubectl get`. */
export function childName(componentName: string, object: KubernetesObject): string {
    return `${componentName}-${object.metadata.name}`;
}

export function createKubernetesObject(componentName: string, object: KubernetesObject, opts: pulumi.CustomResourceOptions): pulumi.CustomResource {
    const name = childName(componentName, object);
    const BuiltIn = BUILT_IN[`${object.apiVersion}/${object.kind}`];
    if (BuiltIn) return new BuiltIn(name, object as never, opts);
    return new k8s.apiextensions.CustomResource(name, object as k8s.apiextensions.CustomResourceArgs, opts);
}

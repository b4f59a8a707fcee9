/**
 * Evaluates a ValidatingAdmissionPolicy the way the API server does (k8s.io/apiserver
 * pkg/admission/plugin/policy/validating): excluded resources never, then matchConditions first (all must be true, else the policy is
 * skipped), then variables, then every validation; an expression that errors denies (failurePolicy Fail).
 * Uses @bufbuild/cel, a standard-CEL evaluator; the policy keeps to standard CEL so that is faithful.
 */
import { celEnv, celError, isCelError, parse, plan, type CelResult } from "@bufbuild/cel";

export interface AdmissionRequest {
    readonly operation: "CREATE" | "UPDATE" | "DELETE" | "CONNECT";
    readonly resource: { readonly group: string; readonly version: string; readonly resource: string };
    readonly subResource?: string;
    readonly namespace?: string;
    readonly name?: string;
    readonly username: string;
    readonly object?: unknown;
    readonly oldObject?: unknown;
}

export type Verdict = { readonly matched: false } | { readonly matched: true; readonly denied: readonly string[] };

/** JSON → CEL input: objects become maps and whole numbers ints, as the API server converts them. */
function toCel(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(toCel);
    if (value !== null && typeof value === "object") return new Map(Object.entries(value).map(([key, item]) => [key, toCel(item)]));
    if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
    return value;
}

interface Policy {
    readonly spec: {
        readonly matchConditions: ReadonlyArray<{ readonly expression: string }>;
        readonly variables: ReadonlyArray<{ readonly name: string; readonly expression: string }>;
        readonly validations: ReadonlyArray<{ readonly expression: string; readonly message: string }>;
    };
}

const ENV = celEnv();
const programs = new Map<string, (bindings: never) => CelResult>();

/** @bufbuild/cel's run() (a thrown error becomes a CelError), with each expression parsed and planned once. */
function runCel(expression: string, bindings: never): CelResult {
    try {
        let program = programs.get(expression);
        if (!program) {
            program = plan(ENV, parse(expression));
            programs.set(expression, program);
        }
        return program(bindings);
    } catch (error) {
        return celError(error);
    }
}

/**
 * Resources whose requests never reach a ValidatingAdmissionPolicy, whatever its rules: the authentication and
 * authorization reviews (kubernetes/kubernetes pkg/kubeapiserver/admission/exclusion/resources.go, from PR
 * #123543, Kubernetes 1.30, the first release with admissionregistration.k8s.io/v1 policies; applied in
 * k8s.io/apiserver pkg/admission/plugin/policy/generic/plugin.go Dispatch) and the policies and bindings
 * themselves (admissionResources there).
 */
const EXCLUDED_RESOURCES = new Set([
    "authentication.k8s.io/selfsubjectreviews",
    "authentication.k8s.io/tokenreviews",
    "authorization.k8s.io/localsubjectaccessreviews",
    "authorization.k8s.io/selfsubjectaccessreviews",
    "authorization.k8s.io/selfsubjectrulesreviews",
    "authorization.k8s.io/subjectaccessreviews",
    "admissionregistration.k8s.io/validatingadmissionpolicies",
    "admissionregistration.k8s.io/validatingadmissionpolicybindings",
    "admissionregistration.k8s.io/mutatingadmissionpolicies",
    "admissionregistration.k8s.io/mutatingadmissionpolicybindings",
]);

export function evaluatePolicy(policy: Policy, request: AdmissionRequest): Verdict {
    if (EXCLUDED_RESOURCES.has(`${request.resource.group}/${request.resource.resource}`)) return { matched: false };
    const base = {
        object: toCel(request.object ?? null),
        oldObject: toCel(request.oldObject ?? null),
        request: toCel({
            operation: request.operation,
            resource: request.resource,
            subResource: request.subResource ?? "",
            namespace: request.namespace ?? "",
            name: request.name ?? "",
            userInfo: { username: request.username, groups: [] },
        }),
    };
    const evaluate = (expression: string, variables: Map<string, unknown>): unknown => runCel(expression, { ...base, variables } as never);
    for (const condition of policy.spec.matchConditions) {
        if (evaluate(condition.expression, new Map()) !== true) return { matched: false };
    }
    const variables = new Map<string, unknown>();
    for (const variable of policy.spec.variables) {
        const value = evaluate(variable.expression, variables);
        if (!isCelError(value)) variables.set(variable.name, value);
    }
    const denied = policy.spec.validations.filter((validation) => evaluate(validation.expression, variables) !== true).map((v) => v.message);
    return { matched: true, denied };
}

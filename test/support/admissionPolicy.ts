/**
 * Evaluates a ValidatingAdmissionPolicy the way the API server does (k8s.io/apiserver
 * pkg/admission/plugin/policy/validating): matchConditions first (all must be true, else the policy is
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

export function evaluatePolicy(policy: Policy, request: AdmissionRequest): Verdict {
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

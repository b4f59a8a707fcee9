/**
 * Kargo's own admission and runtime rules that the CRD schemas cannot express (KARGO-FACTS section 5), plus
 * the cross-object links Kargo would only discover at run time: every reference resolves and every shard
 * has a controller. Returns one sentence per problem.
 */
import { objectKey, type KubernetesObject } from "../kubernetes";

const VAR_NAME = /^[a-zA-Z_]\w*$/;
const RESERVED_ALIAS = /^(step|task)-\d+$/;
const WHOLE_EXPRESSION = /^\$\{\{[\s\S]*\}\}$/;
/** A custom `if` replaces Kargo's implicit success guard (pkg/promotion/evaluator.go ShouldSkip). */
const STATUS_GUARD = /\b(success|failure|always)\(\)/;

interface Step {
    uses?: string;
    task?: { name: string; kind?: string };
    as?: string;
    if?: string;
    config?: unknown;
    vars?: Array<{ name: string; value?: string }>;
    continueOnError?: boolean;
    retry?: unknown;
}

interface RequestedFreight {
    origin: { kind: string; name: string };
    sources: { direct?: boolean; stages?: string[]; autoPromotionOptions?: { selectionPolicy?: string } };
}

type Spec = Record<string, unknown>;
type Var = { name: string; value?: string };

function specOf(object: KubernetesObject): Spec {
    return (object.spec ?? {}) as Spec;
}

export function checkKargoRules(objects: readonly KubernetesObject[], controllerShards: ReadonlySet<string>): string[] {
    const problems: string[] = [];
    const report = (object: KubernetesObject, message: string): void => {
        problems.push(`${objectKey(object)}: ${message}`);
    };
    const byKind = (kind: string): KubernetesObject[] => objects.filter((object) => object.kind === kind);
    const names = (kind: string, namespace: string | undefined): Set<string> =>
        new Set(byKind(kind).filter((object) => object.metadata.namespace === namespace).map((object) => object.metadata.name));

    for (const object of [...byKind("Warehouse"), ...byKind("Stage")]) {
        const shard = specOf(object).shard as string | undefined;
        if (shard !== undefined && !controllerShards.has(shard)) {
            report(object, `shard "${shard}" has no controller deployed (controllers: ${[...controllerShards].sort().join(", ")})`);
        }
    }

    for (const warehouse of byKind("Warehouse")) {
        const expression = (specOf(warehouse).freightCreationCriteria as { expression?: string } | undefined)?.expression;
        if (expression !== undefined && expression.includes("${{")) {
            report(warehouse, "freightCreationCriteria.expression is a bare expression and must not use ${{ }}");
        }
    }

    const tasks = new Map(byKind("PromotionTask").map((task) => [`${task.metadata.namespace}/${task.metadata.name}`, task]));
    for (const task of tasks.values()) {
        const spec = specOf(task);
        checkVars(spec.vars as Step["vars"], (message) => report(task, message));
        checkSteps(spec.steps as Step[], true, (message) => report(task, message));
    }

    // Per namespace once, not per Stage: a catalogue of thousands of apps must stay linear.
    const perNamespace = <T>(build: (namespace: string | undefined) => T) => {
        const cache = new Map<string | undefined, T>();
        return (namespace: string | undefined): T => {
            if (!cache.has(namespace)) cache.set(namespace, build(namespace));
            return cache.get(namespace) as T;
        };
    };
    const warehousesIn = perNamespace((namespace) => names("Warehouse", namespace));
    const stagesIn = perNamespace((namespace) => new Map(byKind("Stage").filter((other) => other.metadata.namespace === namespace).map((other) => [other.metadata.name, other])));
    for (const stage of byKind("Stage")) {
        const spec = specOf(stage);
        const namespace = stage.metadata.namespace;
        const fail = (message: string): void => report(stage, message);
        checkVars(spec.vars as Step["vars"], fail);
        const requested = (spec.requestedFreight ?? []) as RequestedFreight[];
        const warehouses = warehousesIn(namespace);
        const stages = stagesIn(namespace);
        requested.forEach(({ origin, sources }, index) => {
            if (requested.findIndex((other) => other.origin.name === origin.name) !== index) fail(`origin ${origin.name} is requested twice`);
            if (!warehouses.has(origin.name)) fail(`requests Freight from Warehouse ${origin.name}, which does not exist`);
            const upstream = sources.stages ?? [];
            if (!sources.direct && upstream.length === 0) fail(`origin ${origin.name} has neither direct nor upstream stages`);
            if (sources.autoPromotionOptions?.selectionPolicy === "MatchUpstream" && (sources.direct || upstream.length !== 1)) {
                fail("MatchUpstream needs exactly one upstream stage and no direct source");
            }
            for (const name of upstream) {
                const source = stages.get(name);
                if (!source) fail(`promotes from stage ${name}, which does not exist`);
                else if (!((specOf(source).requestedFreight ?? []) as RequestedFreight[]).some((other) => other.origin.name === origin.name)) {
                    fail(`promotes ${origin.name} Freight from ${name}, which never receives it`);
                }
            }
        });
        const template = (spec.promotionTemplate as { spec?: Spec } | undefined)?.spec ?? {};
        checkVars(template.vars as Step["vars"], fail);
        const steps = (template.steps ?? []) as Step[];
        checkSteps(steps, false, fail);
        for (const step of steps.filter((candidate) => candidate.task)) {
            const task = tasks.get(`${namespace}/${step.task?.name}`);
            if (!task) {
                fail(`step uses task ${step.task?.name}, which does not exist`);
                continue;
            }
            const given = new Set((step.vars ?? []).map((variable) => variable.name));
            const declared = (specOf(task).vars ?? []) as Array<{ name: string; value?: string }>;
            // Promotion-level vars (Stage and template) with a value also satisfy a task's required var
            // (pkg/api/promotion.go promotionTaskVarsToStepVars).
            const promotionVars = new Set([...((spec.vars ?? []) as Var[]), ...((template.vars ?? []) as Var[])].filter((v) => v.value).map((v) => v.name));
            for (const variable of declared) {
                if (!variable.value && !given.has(variable.name) && !promotionVars.has(variable.name)) {
                    fail(`does not pass var ${variable.name}, which task ${task.metadata.name} requires`);
                }
            }
            for (const name of given) {
                if (!declared.some((variable) => variable.name === name)) fail(`passes var ${name}, which task ${task.metadata.name} does not declare`);
            }
        }
    }

    for (const config of byKind("ProjectConfig")) {
        const spec = specOf(config);
        if (config.metadata.name !== config.metadata.namespace) report(config, "must be named after its Project namespace");
        for (const policy of (spec.promotionPolicies ?? []) as Array<Record<string, unknown>>) {
            if ((policy.stage === undefined) === (policy.stageSelector === undefined)) report(config, "a promotion policy needs exactly one of stage or stageSelector");
        }
        const receivers = ((spec.webhookReceivers ?? []) as Array<{ name: string }>).map((receiver) => receiver.name);
        receivers.forEach((name, index) => {
            if (receivers.indexOf(name) !== index) report(config, `webhook receiver ${name} is defined twice`);
        });
    }
    return problems;
}

function checkVars(vars: Step["vars"], fail: (message: string) => void): void {
    for (const variable of vars ?? []) {
        if (!VAR_NAME.test(variable.name)) fail(`var name "${variable.name}" must match ${VAR_NAME.source}`);
    }
}

function checkSteps(steps: readonly Step[], inTask: boolean, fail: (message: string) => void): void {
    const aliases = new Set<string>();
    steps.forEach((step, index) => {
        const label = step.as ?? `steps[${index}]`;
        if ((step.uses === undefined) === (step.task === undefined)) fail(`${label} needs exactly one of uses or task`);
        if (inTask && step.task) fail(`${label}: a PromotionTask cannot call another task`);
        if (step.task && (step.if !== undefined || step.config !== undefined || step.continueOnError !== undefined || step.retry !== undefined)) {
            fail(`${label}: a task step takes only task, as and vars`);
        }
        if (step.as !== undefined) {
            if (RESERVED_ALIAS.test(step.as)) fail(`alias ${step.as} is reserved by Kargo`);
            if (aliases.has(step.as)) fail(`alias ${step.as} is used twice`);
            aliases.add(step.as);
        }
        if (step.if !== undefined && !WHOLE_EXPRESSION.test(step.if.trim())) fail(`${label}: if must be a whole \${{ }} expression`);
        if (step.if !== undefined && !STATUS_GUARD.test(step.if)) fail(`${label}: if drops Kargo's implicit success guard; start it with success() &&`);
        checkVars(step.vars, fail);
    });
}

/**
 * Kargo's rules the CRD schemas cannot express (akuity/kargo v1.11.2 pkg/webhook/kubernetes/), plus
 * the cross-object links Kargo would only discover at run time: every reference resolves and every shard
 * has a controller. Returns one sentence per problem. Objects are read through their CRD types.
 */
import { isKind, objectKey, type KubernetesObject, type Stage, type TaskStep, type TemplateStep } from "../kubernetes";

const VAR_NAME = /^[a-zA-Z_]\w*$/;
const RESERVED_ALIAS = /^(step|task)-\d+$/;
const WHOLE_EXPRESSION = /^\$\{\{[\s\S]*\}\}$/;
/** A custom `if` replaces Kargo's implicit success guard (pkg/promotion/evaluator.go ShouldSkip). */
const STATUS_GUARD = /\b(success|failure|always)\(\)/;

type Step = TemplateStep | TaskStep;
/** Stage, template, task and step vars share this shape in the CRDs. */
type Vars = Stage["spec"]["vars"];

export function checkKargoRules(objects: readonly KubernetesObject[], controllerShards: ReadonlySet<string>): string[] {
    const problems: string[] = [];
    const report = (object: KubernetesObject, message: string): void => {
        problems.push(`${objectKey(object)}: ${message}`);
    };
    const stages = objects.filter(isKind("Stage"));
    const warehouses = objects.filter(isKind("Warehouse"));

    for (const object of [...warehouses, ...stages]) {
        const shard = object.spec.shard;
        if (shard !== undefined && !controllerShards.has(shard)) {
            report(object, `shard "${shard}" has no controller deployed (controllers: ${[...controllerShards].sort().join(", ")})`);
        }
    }

    for (const warehouse of warehouses) {
        if (warehouse.spec.freightCreationCriteria?.expression?.includes("${{")) {
            report(warehouse, "freightCreationCriteria.expression is a bare expression and must not use ${{ }}");
        }
    }

    const tasks = new Map(objects.filter(isKind("PromotionTask")).map((task) => [`${task.metadata.namespace}/${task.metadata.name}`, task]));
    for (const task of tasks.values()) {
        checkVars(task.spec.vars, (message) => report(task, message));
        checkSteps(task.spec.steps, true, (message) => report(task, message));
    }

    // Per namespace once, not per Stage: a catalogue of thousands of apps must stay linear.
    const warehousesByNamespace = groupNames(warehouses);
    const stagesByNamespace = new Map<string | undefined, Map<string, Stage>>();
    for (const stage of stages) {
        const peers = stagesByNamespace.get(stage.metadata.namespace) ?? new Map<string, Stage>();
        stagesByNamespace.set(stage.metadata.namespace, peers.set(stage.metadata.name, stage));
    }
    for (const stage of stages) {
        const fail = (message: string): void => report(stage, message);
        checkFreightRequests(
            stage,
            stagesByNamespace.get(stage.metadata.namespace) ?? new Map(),
            warehousesByNamespace.get(stage.metadata.namespace) ?? new Set(),
            fail,
        );
        const template = stage.spec.promotionTemplate?.spec;
        checkVars(template?.vars, fail);
        const steps = template?.steps ?? [];
        checkSteps(steps, false, fail);
        for (const step of steps) {
            if (!step.task) continue;
            const task = tasks.get(`${stage.metadata.namespace}/${step.task.name}`);
            if (!task) {
                fail(`step uses task ${step.task.name}, which does not exist`);
                continue;
            }
            const given = new Set((step.vars ?? []).map((variable) => variable.name));
            const declared = task.spec.vars ?? [];
            // Promotion-level vars (Stage and template) with a value also satisfy a task's required var
            // (pkg/api/promotion.go promotionTaskVarsToStepVars).
            const promotionVars = new Set([...(stage.spec.vars ?? []), ...(template?.vars ?? [])].filter((v) => v.value).map((v) => v.name));
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

    for (const config of objects.filter(isKind("ProjectConfig"))) {
        if (config.metadata.name !== config.metadata.namespace) report(config, "must be named after its Project namespace");
        for (const policy of config.spec?.promotionPolicies ?? []) {
            if ((policy.stage === undefined) === (policy.stageSelector === undefined))
                report(config, "a promotion policy needs exactly one of stage or stageSelector");
        }
        const receivers = (config.spec?.webhookReceivers ?? []).map((receiver) => receiver.name);
        receivers.forEach((name, index) => {
            if (receivers.indexOf(name) !== index) report(config, `webhook receiver ${name} is defined twice`);
        });
    }
    return problems;
}

/** Each origin once, from a Warehouse that exists, directly or through upstream Stages that receive it. */
function checkFreightRequests(stage: Stage, peers: ReadonlyMap<string, Stage>, warehouses: ReadonlySet<string>, fail: (message: string) => void): void {
    const requested = stage.spec.requestedFreight;
    requested.forEach(({ origin, sources }, index) => {
        if (requested.findIndex((other) => other.origin.name === origin.name) !== index) fail(`origin ${origin.name} is requested twice`);
        if (!warehouses.has(origin.name)) fail(`requests Freight from Warehouse ${origin.name}, which does not exist`);
        const upstream = sources.stages ?? [];
        if (!sources.direct && upstream.length === 0) fail(`origin ${origin.name} has neither direct nor upstream stages`);
        if (sources.autoPromotionOptions?.selectionPolicy === "MatchUpstream" && (sources.direct || upstream.length !== 1)) {
            fail("MatchUpstream needs exactly one upstream stage and no direct source");
        }
        for (const name of upstream) {
            const source = peers.get(name);
            if (!source) fail(`promotes from stage ${name}, which does not exist`);
            else if (!source.spec.requestedFreight.some((other) => other.origin.name === origin.name))
                fail(`promotes ${origin.name} Freight from ${name}, which never receives it`);
        }
    });
}

function groupNames(objects: readonly KubernetesObject[]): Map<string | undefined, Set<string>> {
    const groups = new Map<string | undefined, Set<string>>();
    for (const object of objects) groups.set(object.metadata.namespace, (groups.get(object.metadata.namespace) ?? new Set()).add(object.metadata.name));
    return groups;
}

function checkVars(vars: Vars, fail: (message: string) => void): void {
    for (const variable of vars ?? []) {
        if (!VAR_NAME.test(variable.name)) fail(`var name "${variable.name}" must match ${VAR_NAME.source}`);
    }
}

function checkSteps(steps: readonly Step[], inTask: boolean, fail: (message: string) => void): void {
    const aliases = new Set<string>();
    steps.forEach((step, index) => {
        const label = step.as ?? `steps[${index}]`;
        const task = "task" in step ? step.task : undefined;
        if ((step.uses === undefined) === (task === undefined)) fail(`${label} needs exactly one of uses or task`);
        if (inTask && task) fail(`${label}: a PromotionTask cannot call another task`);
        if (task && (step.if !== undefined || step.config !== undefined || step.continueOnError !== undefined || step.retry !== undefined)) {
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

/**
 * A Stage's Promotion as Kargo v1.11.2 would store it: the Promotion webhook copies the Stage's template
 * steps and vars (pkg/webhook/kubernetes/promotion/webhook.go, Default) and `api.InflateSteps`
 * (pkg/api/promotion.go) replaces each task step by the task's steps, aliased `<task alias>::<step alias>`,
 * each with the task's defaulted vars and the task step's vars prepended (promotionTaskVarsToStepVars).
 * Used for the plan's size check, the tests and the bench.
 */
import { KARGO_API_VERSION, type KubernetesObject } from "../kubernetes";

interface Variable {
    readonly name: string;
    readonly value?: string;
}

interface TemplateStep {
    readonly uses?: string;
    readonly task?: { readonly name: string; readonly kind?: string };
    readonly as?: string;
    readonly vars?: readonly Variable[];
    readonly [field: string]: unknown;
}

interface TemplateSpec {
    readonly vars?: readonly Variable[];
    readonly steps?: readonly TemplateStep[];
}

/** Generated names are `<stage>.<ULID>.<7-char freight hash>` (pkg/api/promotion.go). */
const PROMOTION_NAME_SUFFIX = ".01jzzzzzzzzzzzzzzzzzzzzzzz.abcdef0";

/** `api/v1alpha1/promotion_types.go` PromotionStep.GetAlias. */
function aliasOf(step: TemplateStep, index: number): string {
    return step.as ?? `${step.task ? "task" : "step"}-${index + 1}`;
}

/** The inflated steps of a Stage's template, given the project's PromotionTasks by name. */
export function inflateSteps(stage: KubernetesObject, tasks: ReadonlyMap<string, KubernetesObject>): TemplateStep[] {
    const spec = templateOf(stage);
    const promotionVars = new Set(
        promotionVarsOf(stage)
            .filter((variable) => variable.value)
            .map((variable) => variable.name),
    );
    return (spec.steps ?? []).flatMap((step, index): TemplateStep[] => {
        const alias = aliasOf(step, index);
        if (!step.task) return [{ ...step, as: alias }];
        const task = tasks.get(step.task.name);
        if (!task) throw new Error(`${stage.metadata.name}: step ${alias} uses task ${step.task.name}, which does not exist`);
        const taskSpec = task.spec as TemplateSpec;
        const defaults = (taskSpec.vars ?? []).filter((variable) => variable.value && !promotionVars.has(variable.name));
        const vars = [...defaults, ...(step.vars ?? [])];
        return (taskSpec.steps ?? []).map((inner, innerIndex) => {
            const innerVars = [...vars, ...(inner.vars ?? [])];
            return { ...inner, as: `${alias}::${aliasOf(inner, innerIndex)}`, ...(innerVars.length > 0 ? { vars: innerVars } : {}) };
        });
    });
}

function templateOf(stage: KubernetesObject): TemplateSpec {
    return ((stage.spec as { promotionTemplate?: { spec?: TemplateSpec } } | undefined)?.promotionTemplate?.spec ?? {}) as TemplateSpec;
}

function promotionVarsOf(stage: KubernetesObject): Variable[] {
    return [...(((stage.spec as { vars?: Variable[] } | undefined)?.vars ?? []) as Variable[]), ...(templateOf(stage).vars ?? [])];
}

/** The Promotion object Kargo would create for `stage` (spec only; its status is estimated by the caller). */
export function inflatePromotion(stage: KubernetesObject, tasks: ReadonlyMap<string, KubernetesObject>): KubernetesObject {
    const vars = promotionVarsOf(stage);
    return {
        apiVersion: KARGO_API_VERSION,
        kind: "Promotion",
        metadata: { name: `${stage.metadata.name}${PROMOTION_NAME_SUFFIX}`, namespace: stage.metadata.namespace },
        spec: { stage: stage.metadata.name, freight: "0".repeat(40), ...(vars.length > 0 ? { vars } : {}), steps: inflateSteps(stage, tasks) },
    };
}

/** The project's PromotionTasks by name, as `inflatePromotion` needs them. */
export function tasksByName(objects: readonly KubernetesObject[]): Map<string, KubernetesObject> {
    return new Map(objects.filter((object) => object.kind === "PromotionTask").map((task) => [task.metadata.name, task]));
}

/**
 * A Stage's Promotion as Kargo v1.11.2 would store it: the Promotion webhook copies the Stage's template
 * steps and vars (pkg/webhook/kubernetes/promotion/webhook.go, Default) and `api.InflateSteps`
 * (pkg/api/promotion.go) replaces each task step by the task's steps, aliased `<task alias>::<step alias>`,
 * each with the task's defaulted vars and the task step's vars prepended (promotionTaskVarsToStepVars).
 * Used for the plan's size check, the tests and the bench.
 */
import {
    KARGO_API_VERSION,
    isKind,
    type KubernetesObject,
    type Promotion,
    type PromotionTask,
    type Stage,
    type TaskStep,
    type TemplateStep,
} from "../kubernetes";

type PromotionStep = Promotion["spec"]["steps"][number];
type Variable = NonNullable<Promotion["spec"]["vars"]>[number];

/** Generated names are `<stage>.<ULID>.<7-char freight hash>` (pkg/api/promotion.go). */
const PROMOTION_NAME_SUFFIX = ".01jzzzzzzzzzzzzzzzzzzzzzzz.abcdef0";

/** `api/v1alpha1/promotion_types.go` PromotionStep.GetAlias. */
function aliasOf(step: TemplateStep | TaskStep, index: number): string {
    return step.as ?? `${step.task ? "task" : "step"}-${index + 1}`;
}

/** The inflated steps of a Stage's template, given the project's PromotionTasks by name. */
export function inflateSteps(stage: Stage, tasks: ReadonlyMap<string, PromotionTask>): PromotionStep[] {
    const promotionVars = new Set(
        promotionVarsOf(stage)
            .filter((variable) => variable.value)
            .map((variable) => variable.name),
    );
    return (stage.spec.promotionTemplate?.spec.steps ?? []).flatMap((step, index): PromotionStep[] => {
        const alias = aliasOf(step, index);
        if (!step.task) return [{ ...step, as: alias }];
        const task = tasks.get(step.task.name);
        if (!task) throw new Error(`${stage.metadata.name}: step ${alias} uses task ${step.task.name}, which does not exist`);
        const defaults = (task.spec.vars ?? []).filter((variable) => variable.value && !promotionVars.has(variable.name));
        const vars = [...defaults, ...(step.vars ?? [])];
        return task.spec.steps.map((inner, innerIndex) => {
            const innerVars = [...vars, ...(inner.vars ?? [])];
            return { ...inner, as: `${alias}::${aliasOf(inner, innerIndex)}`, ...(innerVars.length > 0 ? { vars: innerVars } : {}) };
        });
    });
}

function promotionVarsOf(stage: Stage): Variable[] {
    return [...(stage.spec.vars ?? []), ...(stage.spec.promotionTemplate?.spec.vars ?? [])];
}

/** The Promotion object Kargo would create for `stage` (spec only; its status is estimated by the caller). */
export function inflatePromotion(stage: Stage, tasks: ReadonlyMap<string, PromotionTask>): Promotion {
    const vars = promotionVarsOf(stage);
    return {
        apiVersion: KARGO_API_VERSION,
        kind: "Promotion",
        metadata: { name: `${stage.metadata.name}${PROMOTION_NAME_SUFFIX}`, namespace: stage.metadata.namespace },
        spec: { stage: stage.metadata.name, freight: "0".repeat(40), ...(vars.length > 0 ? { vars } : {}), steps: inflateSteps(stage, tasks) },
    };
}

/** The project's PromotionTasks by name, as `inflatePromotion` needs them. */
export function tasksByName(objects: readonly KubernetesObject[]): Map<string, PromotionTask> {
    return new Map(objects.filter(isKind("PromotionTask")).map((task) => [task.metadata.name, task]));
}

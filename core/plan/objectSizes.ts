/**
 * Kubernetes keeps each object in one etcd value, and client-side apply copies it into an annotation capped
 * at 256 KiB. Every object is checked, and so is the Promotion each Stage would produce, as Kargo inflates it.
 */
import { isKind, objectKey, type KubernetesObject, type PromotionTask, type Stage } from "../kubernetes";
import { inflatePromotion, tasksByName } from "../project/promotionInflation";

export const MAX_OBJECT_BYTES = 256 * 1024;

/**
 * A Promotion's status records an entry per step (alias, times, status, message) plus the Freight; this is
 * the allowance per step for it.
 */
export const PROMOTION_STATUS_BYTES_PER_STEP = 200;

export function objectBytes(object: KubernetesObject): number {
    return Buffer.byteLength(JSON.stringify(object));
}

/** Bytes of the Promotion Kargo would store for `stage`, status allowance included. */
export function promotionBytes(stage: Stage, tasks: ReadonlyMap<string, PromotionTask>): number {
    const promotion = inflatePromotion(stage, tasks);
    return objectBytes(promotion) + promotion.spec.steps.length * PROMOTION_STATUS_BYTES_PER_STEP;
}

export function checkObjectSizes(objects: readonly KubernetesObject[], limit = MAX_OBJECT_BYTES): string[] {
    const tasks = tasksByName(objects);
    const isStage = isKind("Stage");
    const tooLarge = (bytes: number): string => `is ${Math.ceil(bytes / 1024)} KiB; Kubernetes objects must stay under ${limit / 1024} KiB`;
    return objects.flatMap((object) => {
        const bytes = objectBytes(object);
        if (bytes > limit) return [`${objectKey(object)}: ${tooLarge(bytes)}`];
        if (!isStage(object)) return [];
        const promotion = promotionBytes(object, tasks);
        return promotion > limit ? [`${objectKey(object)}: a Promotion of it ${tooLarge(promotion)}`] : [];
    });
}

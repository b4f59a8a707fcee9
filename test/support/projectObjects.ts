/** The eodhp project's objects as the hub plans them, and lookups the project tests share. */
import { strict as assert } from "node:assert";
import type { KubernetesObject } from "../../core/kubernetes";
import { planHub, projectObjectsOf } from "../../core/plan/stackPlan";
import type { Json } from "./render";
import { hubSettings, shippedCatalogue } from "./fixtures";

export function projectObjects(catalogue = shippedCatalogue(), settings = hubSettings()): KubernetesObject[] {
    return projectObjectsOf(planHub(settings, catalogue).project);
}

export function find(objects: KubernetesObject[], kind: string, name: string): Json {
    const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
    assert.ok(found, `${kind} ${name} is missing`);
    return found as Json;
}

export function names(objects: KubernetesObject[], kind: string): string[] {
    return objects
        .filter((object) => object.kind === kind)
        .map((object) => object.metadata.name)
        .sort();
}

/**
 * What a created or deleted object carries, in the words a reviewer checks: a Warehouse's subscriptions, a
 * Stage's shard, requested Freight and steps, a PromotionTask's steps, a Role's rules, a binding's subjects.
 * Other objects and resources show their fields one by one. Secret values are already "[secret]" in a render.
 */

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

const records = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isRecord) : []);
const text = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value));

/** `{ constraint: "^1", discoveryLimit: 5 }` → `constraint "^1", discoveryLimit 5`. */
function fields(record: Json, skip: readonly string[] = []): string {
    return Object.entries(record)
        .filter(([key]) => !skip.includes(key))
        .map(([key, value]) => `${key} ${JSON.stringify(value)}`)
        .join(", ");
}

/** `image public.ecr.aws/eodh/x (constraint ">=1", imageSelectionStrategy "SemVer")`. */
function subscription(entry: Json): string {
    return Object.entries(entry)
        .filter(([, body]) => isRecord(body))
        .map(([type, body]) => {
            const { repoURL, name } = body as Json;
            const rest = fields(body as Json, ["repoURL", "name"]);
            return `subscribes to ${type} ${name === undefined ? "" : `${text(name)} from `}${text(repoURL)}${rest ? ` (${rest})` : ""}`;
        })
        .join("; ");
}

function warehouse(spec: Json): string[] {
    const policy = spec.freightCreationPolicy === undefined ? [] : [`freight creation: ${text(spec.freightCreationPolicy)}`];
    const criteria = isRecord(spec.freightCreationCriteria) ? [`freight only when: ${text(spec.freightCreationCriteria.expression)}`] : [];
    return [`shard: ${text(spec.shard)}`, ...policy, ...criteria, ...records(spec.subscriptions).map(subscription)];
}

/** `requests Warehouse x-images from stages x-test` or `… directly from the Warehouse`. */
function requestedFreight(request: Json): string {
    const origin = isRecord(request.origin) ? `${text(request.origin.kind)} ${text(request.origin.name)}` : "?";
    const sources = isRecord(request.sources) ? request.sources : {};
    const from = Array.isArray(sources.stages) ? `from stages ${sources.stages.map(text).join(", ")}` : sources.direct ? "directly" : fields(sources);
    return `requests Freight of ${origin} ${from}`;
}

/** `step images-0: yaml-update ./src/apps/x/base/values.yaml (hub.image.tag, singleuser.image.tag)`. */
function step(entry: Json): string {
    const name = entry.as === undefined ? "" : ` ${text(entry.as)}`;
    const what = isRecord(entry.task) ? `task ${text(entry.task.name)}` : text(entry.uses);
    const config = isRecord(entry.config) ? entry.config : {};
    const where = typeof config.path === "string" ? ` ${config.path}` : "";
    const keys = records(config.updates).map((update) => text(update.key));
    return `step${name}: ${what}${where}${keys.length > 0 ? ` (${keys.join(", ")})` : ""}`;
}

function stage(spec: Json): string[] {
    const template = isRecord(spec.promotionTemplate) && isRecord(spec.promotionTemplate.spec) ? spec.promotionTemplate.spec : {};
    const vars = records(template.vars).map((variable) => `${text(variable.name)}=${text(variable.value)}`);
    return [
        `shard: ${text(spec.shard)}`,
        ...records(spec.requestedFreight).map(requestedFreight),
        ...(vars.length > 0 ? [`vars: ${vars.join(", ")}`] : []),
        ...records(template.steps).map(step),
    ];
}

/** `promote on stages a-test, a-dev (kargo.akuity.io)`. */
function rule(entry: Json): string {
    const list = (value: unknown) => (Array.isArray(value) ? value.map(text).join(", ") : "");
    const names = Array.isArray(entry.resourceNames) ? ` ${list(entry.resourceNames)}` : "";
    const groups = Array.isArray(entry.apiGroups) ? ` (${list(entry.apiGroups.map((group) => (group === "" ? "core" : group)))})` : "";
    const target = Array.isArray(entry.nonResourceURLs) ? `URLs ${list(entry.nonResourceURLs)}` : `${list(entry.resources)}${names}${groups}`;
    return `rule: ${list(entry.verbs)} on ${target}`;
}

function binding(object: Json): string[] {
    const ref = isRecord(object.roleRef) ? `${text(object.roleRef.kind)} ${text(object.roleRef.name)}` : "?";
    const subjects = records(object.subjects).map(
        (subject) => `${text(subject.kind)} ${subject.namespace === undefined ? "" : `${text(subject.namespace)}/`}${text(subject.name)}`,
    );
    return [`grants ${ref} to ${subjects.join(", ")}`];
}

/** Leaves of a value, `path: value`, for kinds without a reading of their own (and long added values). */
export function leaves(value: unknown, path: string): string[] {
    if (Array.isArray(value)) return value.flatMap((item, index) => leaves(item, `${path}[${index}]`));
    if (isRecord(value)) return Object.entries(value).flatMap(([key, inner]) => leaves(inner, path === "" ? key : `${path}.${key}`));
    return [`${path}: ${JSON.stringify(value)}`];
}

/** What an object carries, one line per fact; none for an object with nothing beyond its name. */
export function objectContent(inputs: unknown): string[] {
    if (!isRecord(inputs)) return [];
    const spec = isRecord(inputs.spec) ? inputs.spec : undefined;
    switch (inputs.kind) {
        case "Warehouse":
            return spec ? warehouse(spec) : [];
        case "Stage":
            return spec ? stage(spec) : [];
        case "PromotionTask":
            return spec ? [...records(spec.vars).map((variable) => `var ${text(variable.name)}`), ...records(spec.steps).map(step)] : [];
        case "Role":
        case "ClusterRole":
            return records(inputs.rules).map(rule);
        case "RoleBinding":
        case "ClusterRoleBinding":
            return binding(inputs);
        default:
            return Object.entries(inputs)
                .filter(([key]) => !["apiVersion", "kind", "metadata"].includes(key))
                .flatMap(([key, value]) => leaves(value, key));
    }
}

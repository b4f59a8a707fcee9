/**
 * Several catalogue entries for one image: the seed's format has one `customPath` per entry, so an image
 * written to two places (a notebook image in `values.yaml` and in a profile list) is listed twice. They
 * become one image with one Warehouse subscription (Kargo's Warehouse webhook refuses two subscriptions to
 * one repository: akuity/kargo v1.11.2 `pkg/webhook/kubernetes/warehouse/webhook.go`) and one write per
 * place. A setting given in more than one entry must agree there; an entry may leave it out.
 */
import type { ImageSpec } from "./catalogue";
import { fieldName, type YamlPath } from "./yamlSource";

export interface CustomImagePath {
    /** File relative to the app path; `{{env}}` stands for the target environment. */
    readonly file: string;
    /** Dotted YAML key. */
    readonly key: string;
    /** `tag` writes the tag only; `full` writes `<repoURL>:<tag>`. */
    readonly valueType: "tag" | "full";
    /** Where it is declared, within its application (`images[1].customPath`), for findings. */
    readonly at: YamlPath;
}

/** Catalogue keys of the subscription's settings, with the spec field each one sets (aliases included). */
const SETTINGS: ReadonlyArray<readonly [field: keyof ImageSpec, keys: readonly string[]]> = [
    ["constraint", ["constraint", "semverConstraint"]],
    ["imageSelectionStrategy", ["imageSelectionStrategy"]],
    ["allowTagsRegexes", ["allowTags"]],
    ["ignoreTagsRegexes", ["ignoreTags"]],
    ["strictSemvers", ["strictSemvers"]],
    ["discoveryLimit", ["discoveryLimit"]],
    ["enableDevTags", ["enableDevTags"]],
];

type Report = (path: YamlPath, reason: string) => void;

/**
 * Merges entries of one repository. `given(index, key)` tells whether the catalogue entry at `images[index]`
 * sets `key` itself (defaults do not count), `at` is the application's path in the catalogue.
 */
export function mergeImageEntries(images: readonly ImageSpec[], given: (index: number, key: string) => boolean, at: YamlPath, report: Report): ImageSpec[] {
    const groups = new Map<string, ImageSpec[]>();
    for (const image of images) groups.set(image.repoURL, [...(groups.get(image.repoURL) ?? []), image]);
    return [...groups.values()].map((group) => {
        const [first, ...rest] = group;
        if (rest.length === 0) return first;
        const index = (image: ImageSpec) => image.entries[0];
        for (const image of rest) {
            if (image.customPaths.length === 0)
                report(
                    [...at, "images", index(image), "repoURL"],
                    `duplicates images[${index(first)}]; Kargo rejects a Warehouse that subscribes to the same repository twice (list an image again only to write it to another customPath)`,
                );
        }
        const merged: Record<string, unknown> = { ...first };
        for (const [field, keys] of SETTINGS) {
            const setting = group.filter((image) => keys.some((key) => given(index(image), key)));
            const [source, ...others] = setting;
            for (const other of others) {
                const [mine, theirs] = [JSON.stringify(other[field]), JSON.stringify(source[field])];
                if (mine !== theirs)
                    report(
                        [...at, "images", index(other), keys.find((key) => given(index(other), key)) as string],
                        `is ${mine} but images[${index(source)}] says ${theirs}; entries of one image share its Warehouse subscription, so give the setting once or the same in each`,
                    );
            }
            if (source) merged[field] = source[field];
        }
        const customPaths = group.flatMap((image) => image.customPaths);
        customPaths.forEach((path, position) => {
            const twin = customPaths.findIndex((other) => other.file === path.file && other.key === path.key);
            if (twin !== position)
                report([...at, ...path.at, "key"], `writes ${path.key} in ${path.file} again; ${fieldName(customPaths[twin].at)} already does`);
        });
        return { ...(merged as unknown as ImageSpec), customPaths, entries: group.flatMap((image) => image.entries) };
    });
}

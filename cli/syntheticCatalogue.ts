/** A catalogue of N applications shaped like the shipped ones, for the scale test and `npm run bench`. */
import { parse, stringify } from "yaml";

/** Cycles through `template`'s applications, renaming each copy (`<name>-<n>`) and its path. */
export function syntheticCatalogue(templateText: string, count: number): string {
    const template = (parse(templateText) as { applications: Array<Record<string, unknown>> }).applications;
    const applications = Array.from({ length: count }, (_, index) => {
        const base = template[index % template.length];
        const copy = Math.floor(index / template.length);
        const name = copy === 0 ? String(base.name) : `${String(base.name).slice(0, 40)}-${copy}`;
        return { ...base, name, path: `apps/${name}` };
    });
    return stringify({ applications }, { aliasDuplicateObjects: false });
}

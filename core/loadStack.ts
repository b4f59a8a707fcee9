/** Reads a stack's settings and, on the hub, its catalogue file: the only file I/O of the program. */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parseCatalogue, type Catalogue } from "./catalogue";
import { InputError } from "./errors";
import { DEV_TARGET_ENV } from "./pipeline";
import { environmentShards, parseStackSettings, type HubSettings } from "./settings";
import { planStack, type StackPlan } from "./stackPlan";

/** Reads and validates the catalogue for a hub; paths are relative to `baseDir` (the project root). */
export function loadCatalogue(settings: HubSettings, baseDir: string): Catalogue {
    const file = settings.project.catalogueFile;
    let text: string;
    try {
        text = readFileSync(path.resolve(baseDir, file), "utf8");
    } catch (error) {
        throw new InputError({ file, entry: `stack "${settings.stack}"`, field: "eodhp-kargo:catalogue" }, `cannot read the catalogue (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    return parseCatalogue(text, file, { environments: [...environmentShards(settings).keys()], devEnvironment: DEV_TARGET_ENV });
}

/** Settings and catalogue → the validated plan of everything the stack creates. */
export function loadStackPlan(stack: string, config: Readonly<Record<string, string>>, baseDir: string): StackPlan {
    const settings = parseStackSettings(stack, config);
    return planStack(settings, settings.role === "hub" ? loadCatalogue(settings, baseDir) : undefined);
}

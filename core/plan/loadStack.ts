/** Reads a stack's settings and, on the hub, its catalogue file: the only file I/O of the program. */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { parseCatalogue, type Catalogue } from "../input/catalogue";
import { InputError } from "../input/errors";
import { configKeyPath, parseStackSettings, type HubSettings, type KeyLocator } from "../input/settings";
import { planStack, type StackPlan } from "./stackPlan";
import { YamlSource } from "../input/yamlSource";

/** Reads and validates the catalogue for a hub; paths are relative to `baseDir` (the project root). */
export function loadCatalogue(settings: HubSettings, baseDir: string): Catalogue {
    const file = settings.project.catalogueFile;
    let text: string;
    try {
        text = readFileSync(path.resolve(baseDir, file), "utf8");
    } catch (error) {
        throw new InputError({ file, entry: `stack "${settings.stack}"`, field: "eodhp-kargo:catalogue" }, `cannot read the catalogue (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    return parseCatalogue(text, file, { environments: settings.environmentOrder, devEnvironment: settings.devEnvironment });
}

/** Finds config keys in `Pulumi.<stack>.yaml` so errors can name the line (Pulumi itself hands over values only). */
export function stackFileLocator(stack: string, baseDir: string): KeyLocator {
    const file = path.join(baseDir, `Pulumi.${stack}.yaml`);
    if (!existsSync(file)) return () => undefined;
    try {
        const source = YamlSource.parse(readFileSync(file, "utf8"), file);
        return (key) => {
            const keyPath = configKeyPath(key);
            const last = keyPath[keyPath.length - 1];
            if (!source.has(keyPath)) return undefined;
            // A list item (`remoteShards[1]`) has no key of its own: name the item's line.
            return typeof last === "number" ? source.line(keyPath) : source.keyLine(keyPath.slice(0, -1), last);
        };
    } catch {
        // Pulumi has already parsed the file; a line number is a nicety, not worth a second error.
        return () => undefined;
    }
}

/** Settings and catalogue → the validated plan of everything the stack creates. */
export function loadStackPlan(stack: string, config: Readonly<Record<string, string>>, baseDir: string): StackPlan {
    const settings = parseStackSettings(stack, config, stackFileLocator(stack, baseDir));
    return planStack(settings, settings.role === "hub" ? loadCatalogue(settings, baseDir) : undefined);
}

/** Reads a stack's settings and, on the hub, its catalogue file: the only file I/O of the program. */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { parseCatalogue, type Catalogue, type CatalogueOptions } from "../input/catalogue";
import { collectProblems, InputError, throwIfProblems, type InputProblem } from "../input/errors";
import {
    configKeyPath,
    HUB_DERIVED_DEFAULTS,
    parseStackSettings,
    SETTINGS_DEFAULTS,
    type HubSettings,
    type StackFile,
    type StackSettings,
} from "../input/settings";
import { YamlSource } from "../input/yamlSource";
import { planStack, type StackPlan } from "./stackPlan";

/** Reads and validates a catalogue file; `file` is relative to `baseDir` (the project root). */
export function readCatalogue(file: string, baseDir: string, options: CatalogueOptions, readError: () => InputError): Catalogue {
    let text: string;
    try {
        text = readFileSync(path.resolve(baseDir, file), "utf8");
    } catch (error) {
        const cause = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
        throw new InputError(readError().problems.map((problem) => ({ ...problem, reason: `${problem.reason} (${cause})` })));
    }
    return parseCatalogue(text, file, options);
}

/** The hub's catalogue, with its environments. */
export function loadCatalogue(settings: HubSettings, baseDir: string): Catalogue {
    const file = settings.catalogue;
    return readCatalogue(file, baseDir, { environments: settings.environments, devEnvironment: settings.devEnvironment }, () =>
        InputError.at(
            { file: `Pulumi.${settings.stack}.yaml`, entry: `stack "${settings.stack}"`, field: "eodhp-kargo:catalogue" },
            `cannot read the catalogue ${file}`,
        ),
    );
}

/** The stack file as YAML, for line numbers and value types (Pulumi itself hands over text only). */
export function readStackFile(stack: string, baseDir: string): StackFile | undefined {
    const file = path.join(baseDir, `Pulumi.${stack}.yaml`);
    if (!existsSync(file)) return undefined;
    const source = YamlSource.parse(readFileSync(file, "utf8"), `Pulumi.${stack}.yaml`);
    return {
        line: (key) => {
            const keyPath = configKeyPath(key);
            const last = keyPath[keyPath.length - 1];
            if (!source.has(keyPath)) return undefined;
            // A list item (`remoteShards[1]`) has no key of its own: name the item's line.
            return typeof last === "number" ? source.line(keyPath) : source.keyLine(keyPath.slice(0, -1), String(last));
        },
        value: (fullKey) => (source.has(["config", fullKey]) ? (source.value() as { config: Record<string, unknown> }).config[fullKey] : undefined),
    };
}

/** A stack's settings as `pulumi up` sees them, with line numbers from its file. */
export function loadStackSettings(stack: string, config: Readonly<Record<string, string>>, baseDir: string): StackSettings {
    return parseStackSettings(stack, config, readStackFile(stack, baseDir));
}

/**
 * Settings and catalogue → the validated plan of everything the stack creates. Problems in the stack file
 * and in the catalogue come together: when the settings are broken, the catalogue is still checked, against
 * the default environments.
 */
export function loadStackPlan(stack: string, config: Readonly<Record<string, string>>, baseDir: string): StackPlan {
    const problems: InputProblem[] = [];
    const settings = collectProblems(() => loadStackSettings(stack, config, baseDir), problems);
    const isHub = settings ? settings.role === "hub" : config["eodhp-kargo:role"] === "hub";
    const catalogue = !isHub
        ? undefined
        : settings?.role === "hub"
          ? collectProblems(() => loadCatalogue(settings, baseDir), problems)
          : collectProblems(
                () =>
                    readCatalogue(
                        config["eodhp-kargo:catalogue"] ?? SETTINGS_DEFAULTS.catalogue,
                        baseDir,
                        { environments: SETTINGS_DEFAULTS.environments, devEnvironment: HUB_DERIVED_DEFAULTS.devEnvironment.value(SETTINGS_DEFAULTS) },
                        () => new InputError([]),
                    ),
                problems,
            );
    throwIfProblems(problems);
    return planStack(settings as StackSettings, catalogue);
}

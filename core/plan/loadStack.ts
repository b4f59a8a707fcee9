/** Reads a stack's settings, on the hub its catalogue file, and the kubeconfig: the only file I/O of the program. */
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import * as path from "node:path";
import { kubeconfigPath, type KubeconfigFile } from "../install/clusterPin";
import { parseCatalogue, type Catalogue, type CatalogueOptions } from "../input/catalogue";
import { collectProblems, InputError, throwIfProblems, type InputProblem } from "../input/errors";
import {
    CONFIG_NAMESPACE,
    configKeyPath,
    decodeConfigText,
    HUB_DERIVED_DEFAULTS,
    parseStackSettings,
    SETTINGS_DEFAULTS,
    type HubSettings,
    type StackFile,
    type StackSettings,
} from "../input/settings";
import { hubConfigKeys } from "../input/settingsSchema";
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
    const options = {
        environments: settings.environments,
        devEnvironment: settings.devEnvironment,
        finalEnvironments: settings.promoteBeyondHub ? [] : settings.environment,
    };
    return readCatalogue(file, baseDir, options, () =>
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

/** A stack's validated input: its settings and, on the hub, its catalogue. */
export interface StackInput {
    readonly settings: StackSettings;
    readonly catalogue?: Catalogue;
}

/**
 * What the catalogue is checked against when the hub's stack file is broken elsewhere: its own `environments`
 * when that key reads (the default when it is unset), or, when it is itself wrong, no environments at all, so
 * that no catalogue problem is reported that the stack file's mistake alone causes.
 */
function fallbackCatalogueOptions(config: Readonly<Record<string, string>>): CatalogueOptions {
    const written = config[`${CONFIG_NAMESPACE}:environments`];
    const declared = hubConfigKeys.shape.environments.safeParse(written === undefined ? undefined : decodeConfigText(written));
    const environments = declared.success ? declared.data : undefined;
    const devEnvironment = config[`${CONFIG_NAMESPACE}:devEnvironment`] ?? (environments ? HUB_DERIVED_DEFAULTS.devEnvironment.value({ environments }) : "");
    return { environments, devEnvironment };
}

/**
 * A stack's settings and, on the hub, its catalogue. Problems in the stack file and in the catalogue come
 * together: when the settings are broken, the catalogue is still checked (fallbackCatalogueOptions).
 */
export function loadStackInput(stack: string, config: Readonly<Record<string, string>>, baseDir: string): StackInput {
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
                        config[`${CONFIG_NAMESPACE}:catalogue`] ?? SETTINGS_DEFAULTS.catalogue,
                        baseDir,
                        fallbackCatalogueOptions(config),
                        () => new InputError([]),
                    ),
                problems,
            );
    throwIfProblems(problems);
    return { settings: settings as StackSettings, catalogue };
}

/** Settings and catalogue → the validated plan of everything the stack creates. */
export function loadStackPlan(stack: string, config: Readonly<Record<string, string>>, baseDir: string): StackPlan {
    const { settings, catalogue } = loadStackInput(stack, config, baseDir);
    return planStack(settings, catalogue);
}

/** The kubeconfig the kubernetes provider will read (clusterPin.ts says which); `text` undefined when unreadable. */
export function readKubeconfig(env: Readonly<Record<string, string | undefined>>): KubeconfigFile {
    const file = kubeconfigPath(env, homedir());
    // Like the provider, a $KUBECONFIG that names no file is taken as the kubeconfig's text.
    if (env.KUBECONFIG && !existsSync(file)) return { file: "$KUBECONFIG", text: env.KUBECONFIG };
    try {
        return { file, text: readFileSync(file, "utf8") };
    } catch {
        return { file };
    }
}

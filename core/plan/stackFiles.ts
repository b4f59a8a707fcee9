/**
 * The project's stack files as the Pulumi CLI would read them, without loading the Pulumi SDK: each stack's
 * config, its validated settings, and the check that the hub and its spokes agree. Used by every command.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { collectProblems, InputError, throwIfProblems, type InputProblem } from "../input/errors";
import type { HubSettings, ShardSettings, StackSettings } from "../input/settings";
import { checkStackSet } from "../input/stackSet";
import { YamlSource } from "../input/yamlSource";
import { loadStackInput, loadStackSettings, readStackFile, type StackInput } from "./loadStack";

export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
export const SECRET_PLACEHOLDER = "[secret]";

/** A stack's config as `pulumi.runtime.allConfig()` would return it, with the project name and the secret keys. */
export interface StackConfig {
    readonly project: string;
    readonly config: Record<string, string>;
    readonly secretKeys: string[];
}

/** The stack's config as `pulumi.runtime.allConfig()` would return it; secure values stay unreadable. */
export function readStackConfig(stack: string, projectRoot = PROJECT_ROOT): StackConfig {
    const project = (parse(readFileSync(path.join(projectRoot, "Pulumi.yaml"), "utf8")) as { name: string }).name;
    const file = `Pulumi.${stack}.yaml`;
    let text: string;
    try {
        text = readFileSync(path.join(projectRoot, file), "utf8");
    } catch {
        const stacks = projectStacks(projectRoot);
        throw InputError.at(
            { file, entry: `stack "${stack}"` },
            `unknown stack: there is no ${file}; the stacks are ${stacks.length ? stacks.join(", ") : "none"} (one Pulumi.<stack>.yaml each)`,
        );
    }
    const values = ((YamlSource.parse(text, file).value() as { config?: Record<string, unknown> } | null)?.config ?? {}) as Record<string, unknown>;
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, value] of Object.entries(values)) {
        const fullKey = key.includes(":") ? key : `${project}:${key}`;
        if (value !== null && typeof value === "object" && "secure" in value) {
            // Offline there is no key to decrypt with; the program only ever sees a placeholder.
            config[fullKey] = SECRET_PLACEHOLDER;
            secretKeys.push(fullKey);
        } else {
            config[fullKey] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    return { project, config, secretKeys };
}

export interface RenderOptions {
    readonly stack: string;
    /** Catalogue file to use instead of the stack's `catalogue` setting. */
    readonly catalogue?: string;
    /** Extra or replacement `eodhp-kargo:*` config values (tests); undefined removes a key. */
    readonly configOverrides?: Readonly<Record<string, string | undefined>>;
    readonly projectRoot?: string;
    /** Tests only (the commands never set it): keep secret values instead of "[secret]", to check what is published. */
    readonly revealSecrets?: boolean;
}

/**
 * The config a render runs with: the stack file's (`stackConfig`, read from the project unless given; it is
 * changed in place), then `catalogue`, then the overrides, in that order.
 */
export function renderConfig(options: RenderOptions, stackConfig?: StackConfig): StackConfig {
    const projectRoot = options.projectRoot ?? PROJECT_ROOT;
    const { project, config, secretKeys } = stackConfig ?? readStackConfig(options.stack, projectRoot);
    if (options.catalogue !== undefined) {
        // npm runs scripts from the project root; INIT_CWD is where the user typed the command.
        const file = path.resolve(process.env.INIT_CWD ?? process.cwd(), options.catalogue);
        // The file came from --catalogue, not from the stack's `catalogue` key: say so.
        if (!existsSync(file) || !statSync(file).isFile()) throw InputError.at({ file: options.catalogue, field: "--catalogue" }, "no such file");
        const relative = path.relative(projectRoot, file);
        config[`${project}:catalogue`] = relative.startsWith("..") || path.isAbsolute(relative) ? file : relative;
    }
    for (const [key, value] of Object.entries(options.configOverrides ?? {})) {
        if (value === undefined) delete config[key];
        else config[key] = value;
    }
    return { project, config, secretKeys };
}

/**
 * What a render of `options` reads, checked as `pulumi up` would: the stack's settings and, on the hub, its
 * catalogue, every problem of both files in one InputError.
 */
export function readStackInput(options: RenderOptions): StackInput {
    return loadStackInput(options.stack, renderConfig(options).config, options.projectRoot ?? PROJECT_ROOT);
}

/** A stack's validated settings, read from its file as `pulumi up` would see them (errors name the line). */
export function readStackSettings(stack: string, projectRoot = PROJECT_ROOT): StackSettings {
    return loadStackSettings(stack, readStackConfig(stack, projectRoot).config, projectRoot);
}

/** The stacks of the project: one per `Pulumi.<stack>.yaml`. */
export function projectStacks(projectRoot = PROJECT_ROOT): string[] {
    return readdirSync(projectRoot)
        .flatMap((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1] ?? [])
        .sort();
}

/**
 * Throws the problems of the project's stack set, each naming file and line: every stack file's own, and
 * when `rendered` is the hub's render, its catalogue's too, all at once; or when they all read, every way the
 * hub and its spokes disagree. Without a hub there is no set.
 */
export function checkProjectStacks(projectRoot = PROJECT_ROOT, rendered?: RenderOptions): void {
    const problems: InputProblem[] = [];
    const settings = projectStacks(projectRoot).flatMap((stack) => {
        const read = () => (rendered?.stack === stack ? readStackInput({ ...rendered, projectRoot }).settings : readStackSettings(stack, projectRoot));
        return collectProblems(read, problems) ?? [];
    });
    const hub = settings.find((stack): stack is HubSettings => stack.role === "hub");
    const spokes = settings.filter((stack): stack is ShardSettings => stack.role === "shard");
    // Only once every stack file reads: a spoke whose file failed would show up again as "no spoke stack".
    if (hub && problems.length === 0) problems.push(...checkStackSet(hub, spokes, (stack) => readStackFile(stack, projectRoot)));
    throwIfProblems(problems);
}

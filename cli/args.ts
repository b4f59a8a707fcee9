/**
 * Command-line parsing shared by the CLIs: `--help` (exit 0) lists every flag; misuse prints one clear line
 * (exit 2); bad input exits 1.
 */
import { parseArgs } from "node:util";

export class UsageError extends Error {}

/** `--help` was asked for: the text goes to stdout and the command exits 0. */
class HelpRequested extends Error {}

export interface Flag {
    readonly type: "string" | "boolean";
    readonly default?: string;
    /** One line for `--help`, e.g. "catalogue to render instead of the stack's". */
    readonly help: string;
    /** Placeholder of a string flag's value in `--help`, e.g. "FILE". */
    readonly value?: string;
    /** Shown without brackets in the usage line; the command checks it with `required`. */
    readonly required?: boolean;
}

export interface Command {
    /** e.g. "npm run render --". */
    readonly name: string;
    /** What the command does, one sentence. */
    readonly summary: string;
    readonly flags: Readonly<Record<string, Flag>>;
}

export type Values<F extends Command["flags"]> = { [K in keyof F]: F[K]["type"] extends "boolean" ? boolean | undefined : string | undefined };

/** The usage line, e.g. "npm run graph -- [--format mermaid|dot] [--readme]". */
export function usageLine(command: Command): string {
    const flags = Object.entries(command.flags).map(([name, flag]) => {
        const text = `--${name}${flag.type === "string" ? ` ${flag.value ?? "VALUE"}` : ""}`;
        return flag.required ? text : `[${text}]`;
    });
    return [command.name, ...flags, "[--help]"].join(" ");
}

/** `--help` text: usage, summary, every flag with its meaning and default. */
export function helpText(command: Command): string {
    const rows = Object.entries(command.flags).map(([name, flag]) => {
        const left = `--${name}${flag.type === "string" ? ` ${flag.value ?? "VALUE"}` : ""}`;
        return `  ${left.padEnd(28)} ${flag.help}${flag.default !== undefined ? ` (default: ${flag.default})` : ""}`;
    });
    rows.push(`  ${"--help".padEnd(28)} print this help and exit`);
    return `usage: ${usageLine(command)}\n\n${command.summary}\n\nOptions:\n${rows.join("\n")}\n\nExit codes: see README.md, "Exit codes".\n`;
}

export function parseCommandLine<C extends Command>(command: C, argv: readonly string[] = process.argv.slice(2)): Values<C["flags"]> {
    const options = Object.fromEntries([
        ...Object.entries(command.flags).map(([name, flag]) => [
            name,
            flag.default === undefined ? { type: flag.type } : { type: flag.type, default: flag.default },
        ]),
        ["help", { type: "boolean", short: "h" }],
    ]);
    let values: Record<string, unknown>;
    try {
        values = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
    } catch (error) {
        throw new UsageError(`${(error as Error).message}\nusage: ${usageLine(command)}`);
    }
    if (values.help) throw new HelpRequested(helpText(command));
    return values as Values<C["flags"]>;
}

/** A required flag's value, or a usage error naming it. */
export function required<T>(command: Command, name: string, value: T | undefined): T {
    if (value === undefined || value === "") throw new UsageError(`--${name} is required\nusage: ${usageLine(command)}`);
    return value;
}

/** Runs a CLI's main and sets the exit code: its result, 0 for `--help`, 2 for misuse, 1 for bad input. */
export function runMain(main: () => Promise<number>): void {
    main().then(
        (code) => {
            process.exitCode = code;
        },
        (error: unknown) => {
            if (error instanceof HelpRequested) {
                process.stdout.write(error.message);
                process.exitCode = 0;
                return;
            }
            const message = error instanceof Error ? error.message : String(error);
            process.stderr.write(`error: ${message}\n`);
            process.exitCode = error instanceof UsageError ? 2 : 1;
        },
    );
}

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

/** The usage line, e.g. "npm run graph -- [--format mermaid|dot] [--docs]". */
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
    return `usage: ${usageLine(command)}\n\n${command.summary}\n\nOptions:\n${rows.join("\n")}\n\nExit codes: see README.md, "Commands and exit codes".\n`;
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

/** Where a command prints: the process's streams, or a test's capture. */
export interface CommandIO {
    readonly stdout: (text: string) => void;
    readonly stderr: (text: string) => void;
}

/** A command's entry: prints through `io` and returns its exit code; throws on misuse or bad input. */
export type CommandMain = (argv: readonly string[], io: CommandIO) => Promise<number>;

/**
 * Runs a command's entry as its CLI does, in this process: its result, 0 for `--help` (the text on
 * stdout), 2 for misuse and 1 for bad input (one `error:` line on stderr, no stack trace).
 */
export async function runCommand(main: CommandMain, argv: readonly string[], io: CommandIO): Promise<number> {
    try {
        return await main(argv, io);
    } catch (error) {
        if (error instanceof HelpRequested) {
            io.stdout(error.message);
            return 0;
        }
        io.stderr(`error: ${error instanceof Error ? error.message : String(error)}\n`);
        return error instanceof UsageError ? 2 : 1;
    }
}

const PROCESS_IO: CommandIO = {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
};

/** The CLI: runs `main` on the process's arguments and streams and sets the exit code (see runCommand). */
export function runMain(main: CommandMain): void {
    void runCommand(main, process.argv.slice(2), PROCESS_IO).then((code) => {
        process.exitCode = code;
    });
}

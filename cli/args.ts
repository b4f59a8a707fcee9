/** Command-line parsing shared by the CLIs: one clear line on misuse, exit code 2. */
import { parseArgs, type ParseArgsConfig } from "node:util";

export class UsageError extends Error {}

export function parseCommandLine<T extends NonNullable<ParseArgsConfig["options"]>>(usage: string, options: T, argv: string[] = process.argv.slice(2)) {
    try {
        return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
    } catch (error) {
        throw new UsageError(`${(error as Error).message}\nusage: ${usage}`);
    }
}

/**
 * Runs a CLI's main, printing an error as one message and setting the exit code (`errorCode` for bad input,
 * 2 for misuse).
 */
export function runMain(main: () => Promise<number>, errorCode = 1): void {
    main().then(
        (code) => {
            process.exitCode = code;
        },
        (error: unknown) => {
            const message = error instanceof Error ? error.message : String(error);
            process.stderr.write(`error: ${message}\n`);
            process.exitCode = error instanceof UsageError ? 2 : errorCode;
        },
    );
}

/**
 * The commands as a user runs them: in this process through their entry (`main`, what the CLI runs), or,
 * once per test file at most, as the real process the npm script starts (each start loads the SDK anew).
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { runCommand, type CommandMain } from "../../cli/args";
import { ROOT } from "./fixtures";

export interface CommandRun {
    readonly status: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

/** Runs a command's entry in this process, as its CLI would: exit code and what it printed. */
export async function runInProcess(main: CommandMain, argv: readonly string[]): Promise<CommandRun> {
    let stdout = "";
    let stderr = "";
    const status = await runCommand(main, argv, { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text) });
    return { status, stdout, stderr };
}

/** Runs `npm run <script> -- ...args` as package.json spells the script (without npm's own start-up). */
export function runScript(script: string, args: readonly string[]): CommandRun {
    const scripts = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    const [node, ...nodeArgs] = scripts[script].split(" ");
    if (node !== "node") throw new Error(`npm script ${script} does not start node: ${scripts[script]}`);
    const run = spawnSync(process.execPath, [...nodeArgs, ...args], { cwd: ROOT, encoding: "utf8" });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

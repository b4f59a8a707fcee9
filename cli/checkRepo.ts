/**
 * `npm run check-repo -- --repo DIR [--catalogue FILE] [--stack prod] [--strict]`: checks the catalogue
 * against a local checkout of the deployment repository. Exit code 0: no errors; 1: errors; 2: misuse.
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { loadCatalogue } from "../core/plan/loadStack";
import { environmentShards } from "../core/input/settings";
import { checkRepository } from "../core/review/repoCheck";
import { formatReport, lazyCatalogueSite } from "../core/review/repoFindings";
import { diskRepo } from "../core/review/repoFiles";
import { helpText, parseCommandLine, required, runMain, UsageError, type Command, type CommandMain } from "./args";
import { PROJECT_ROOT, readStackSettings } from "../core/plan/stackFiles";

export const CHECK_REPO_COMMAND = {
    name: "npm run check-repo --",
    summary:
        "Checks every file and key the promotions of the catalogue's applications touch in a checkout of the deployment repository (eodhp-argocd-deployment). Reads only. Exit code: 0 no errors, 1 errors, 2 usage error.",
    flags: {
        repo: { type: "string", value: "DIR", required: true, help: "the deployment repository checkout" },
        catalogue: { type: "string", value: "FILE", help: "the catalogue to check (default: the stack's catalogue setting)" },
        stack: { type: "string", value: "NAME", default: "prod", help: "the hub stack whose environments and shards apply" },
        strict: { type: "boolean", help: "count warnings as errors" },
    },
} as const satisfies Command;
export const HELP = helpText(CHECK_REPO_COMMAND);

export interface CheckRepoResult {
    readonly code: number;
    readonly report: string;
}

/** Runs the check for command-line `argv`; relative paths are taken from `cwd`. */
export async function checkRepoCommand(argv: readonly string[], cwd = process.env.INIT_CWD ?? process.cwd()): Promise<CheckRepoResult> {
    if (argv.includes("--help") || argv.includes("-h")) return { code: 0, report: HELP };
    const args = parseCommandLine(CHECK_REPO_COMMAND, argv);
    const repoDir = path.resolve(cwd, required(CHECK_REPO_COMMAND, "repo", args.repo));
    if (!diskRepo(repoDir).isDirectory("")) throw new UsageError(`--repo ${args.repo}: no such directory`);
    const settings = readStackSettings(args.stack as string);
    if (settings.role !== "hub") throw new UsageError(`stack ${args.stack} is a shard: use the hub stack, which holds the catalogue`);
    const catalogueFile = args.catalogue === undefined ? settings.catalogue : path.resolve(cwd, args.catalogue);
    if (args.catalogue !== undefined && !existsSync(catalogueFile)) throw new UsageError(`--catalogue ${args.catalogue}: no such file`);
    const catalogue = loadCatalogue({ ...settings, catalogue: catalogueFile }, PROJECT_ROOT);
    const findings = checkRepository({
        catalogue,
        site: lazyCatalogueSite(args.catalogue ?? catalogue.file, readFileSync(path.resolve(PROJECT_ROOT, catalogueFile), "utf8")),
        shards: environmentShards(settings),
        devEnvironment: settings.devEnvironment,
        repo: diskRepo(repoDir),
        strict: args.strict,
        gitRepoURL: settings.gitRepoUrl,
    });
    return { code: findings.some((finding) => finding.severity === "error") ? 1 : 0, report: formatReport(findings) };
}

export const checkRepoMain: CommandMain = async (argv, io) => {
    const { code, report } = await checkRepoCommand(argv);
    io.stdout(report);
    return code;
};

if (require.main === module) runMain(checkRepoMain);

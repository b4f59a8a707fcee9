/** What `check-repo` reports: findings tied to a catalogue entry and a repository file, merged and sorted. */
import { SETTINGS_DEFAULTS } from "../input/settings";
import { fieldName, YamlSource, type YamlPath } from "../input/yamlSource";

export type Severity = "error" | "warning";

/** Where in the catalogue the problem comes from. `app` is absent for what every promotion needs. */
export interface CatalogueRef {
    readonly file: string;
    readonly line?: number;
    readonly app?: string;
    readonly field?: string;
}

export interface RepoFinding {
    readonly severity: Severity;
    readonly catalogue: CatalogueRef;
    /** Environments whose promotion is affected, in promotion order. */
    readonly envs: readonly string[];
    /** Repository file (relative to its root) and line, where there is one. */
    readonly repoFile?: string;
    readonly repoLine?: number;
    readonly message: string;
}

/** Line lookups in the catalogue (the catalogue's YamlSource). */
export interface CatalogueSite {
    readonly file: string;
    line(path: YamlPath): number | undefined;
    has(path: YamlPath): boolean;
}

/** Line lookups that parse the catalogue's text only when the first finding needs one. */
export function lazyCatalogueSite(file: string, text: string): CatalogueSite {
    let source: YamlSource | undefined;
    const parsed = () => (source ??= YamlSource.parse(text, file));
    return { file, line: (at) => parsed().line(at), has: (at) => parsed().has(at) };
}

/** A reference to `field` of application number `index` (its position in the catalogue file). */
export function catalogueRef(site: CatalogueSite, index: number, app: string, field: YamlPath): CatalogueRef {
    return { file: site.file, line: site.line(["applications", index, ...field]), app, field: fieldName(field) };
}

const envRank = (env: string) => {
    const rank = SETTINGS_DEFAULTS.environments.indexOf(env);
    return rank === -1 ? SETTINGS_DEFAULTS.environments.length : rank;
};

const compare = (a: string | number | undefined, b: string | number | undefined): number => {
    if (a === b) return 0;
    if (a === undefined) return -1;
    if (b === undefined) return 1;
    return a < b ? -1 : 1;
};

/**
 * One finding per problem: the same file and key checked for several environments (a shared base file)
 * becomes one finding listing them. Sorted errors first, then by catalogue line, field, file, environment and message.
 */
export function mergeFindings(findings: readonly RepoFinding[]): RepoFinding[] {
    const merged = new Map<string, RepoFinding>();
    for (const finding of findings) {
        const { envs, ...rest } = finding;
        const key = JSON.stringify([rest.severity, rest.catalogue, rest.repoFile, rest.repoLine, rest.message]);
        const previous = merged.get(key);
        const all = [...new Set([...(previous?.envs ?? []), ...envs])].sort((a, b) => envRank(a) - envRank(b) || compare(a, b));
        merged.set(key, { ...rest, envs: all });
    }
    return [...merged.values()].sort(
        (a, b) =>
            compare(a.severity === "error" ? 0 : 1, b.severity === "error" ? 0 : 1) ||
            compare(a.catalogue.line ?? 0, b.catalogue.line ?? 0) ||
            compare(a.catalogue.app, b.catalogue.app) ||
            compare(a.catalogue.field, b.catalogue.field) ||
            compare(a.repoFile, b.repoFile) ||
            compare(a.repoLine, b.repoLine) ||
            compare(envRank(a.envs[0] ?? ""), envRank(b.envs[0] ?? "")) ||
            compare(a.envs.join(","), b.envs.join(",")) ||
            compare(a.message, b.message),
    );
}

/** `--strict`: every warning counts as an error. */
export function strictFindings(findings: readonly RepoFinding[]): RepoFinding[] {
    return mergeFindings(findings.map((finding) => ({ ...finding, severity: "error" })));
}

/** `error: catalogue.yaml:33: application "jupyter": images[0].customPath.key [test, staging]: apps/…/values.yaml:4: …` */
export function formatFinding(finding: RepoFinding): string {
    const { file, line, app, field } = finding.catalogue;
    const where = [line === undefined ? file : `${file}:${line}`, app === undefined ? "every application" : `application "${app}"`];
    const what = [field, finding.envs.length > 0 ? `[${finding.envs.join(", ")}]` : undefined].filter(Boolean).join(" ");
    const repo = finding.repoFile === undefined ? [] : [finding.repoLine === undefined ? finding.repoFile : `${finding.repoFile}:${finding.repoLine}`];
    return `${finding.severity}: ${[...where, ...(what ? [what] : []), ...repo].join(": ")}: ${finding.message}`;
}

export function formatReport(findings: readonly RepoFinding[]): string {
    const errors = findings.filter((finding) => finding.severity === "error").length;
    const summary = `${errors} error(s), ${findings.length - errors} warning(s)`;
    return `${[...findings.map(formatFinding), summary].join("\n")}\n`;
}

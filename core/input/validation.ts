/**
 * Predicates for values that Kubernetes, Kargo or git would reject. Each returns a reason (a sentence
 * fragment) when the value is bad and undefined when it is fine, so callers can wrap it in an InputError.
 */

export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function dnsLabelProblem(value: string, maxLength = 63): string | undefined {
    if (value.length > maxLength) return `"${value}" is ${value.length} characters long; at most ${maxLength} are allowed`;
    if (!DNS_LABEL.test(value)) {
        return `"${value}" must consist of lower-case letters, digits and "-", and start and end with a letter or digit`;
    }
    return undefined;
}

export function dnsSubdomainProblem(value: string): string | undefined {
    if (value.length > 253) return `"${value}" is ${value.length} characters long; at most 253 are allowed`;
    if (!DNS_SUBDOMAIN.test(value)) return `"${value}" is not a valid DNS subdomain name`;
    return undefined;
}

// Masterminds/semver v3 constraint grammar (what Kargo parses): ranges joined by "," or spaces, "||" for OR,
// "a - b" hyphen ranges, and wildcards x/X/*. Hand-written on purpose: npm's `semver` package rejects the
// comma-joined ranges (">=1.0.0, <2.0.0") that Kargo and Masterminds accept.
const VERSION = String.raw`v?(?:[0-9]+|[xX*])(?:\.(?:[0-9]+|[xX*]))?(?:\.(?:[0-9]+|[xX*]))?(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?`;
const OPERATOR = String.raw`(?:!=|>=|=>|<=|=<|~>|=|>|<|~|\^)`;
const RANGE = String.raw`(?:${VERSION}\s+-\s+${VERSION}|${OPERATOR}?\s*${VERSION})`;
const AND_GROUP = String.raw`\s*${RANGE}(?:\s*,\s*${RANGE}|\s+${RANGE})*\s*`;
/** A whole constraint: AND groups joined by "||". */
export const SEMVER_CONSTRAINT = new RegExp(String.raw`^${AND_GROUP}(?:\|\|${AND_GROUP})*$`);

export function semverConstraintProblem(value: string): string | undefined {
    if (value.trim() === "") return "a semver constraint must not be empty";
    if (SEMVER_CONSTRAINT.test(value)) return undefined;
    return `"${value}" is not a semver constraint Kargo can parse (examples: ">=1.2.0", "^4.1.0", ">=1.0.0, <2.0.0")`;
}

// RE2, which Kargo uses, has no look-around and no back-references.
const RE2_UNSUPPORTED: ReadonlyArray<[RegExp, string]> = [
    [/\(\?[=!]/, "look-ahead"],
    [/\(\?<[=!]/, "look-behind"],
    [/\\[1-9]/, "back-references"],
];

export function regexProblem(value: string): string | undefined {
    if (value === "") return "a regular expression must not be empty";
    try {
        new RegExp(value);
    } catch (error) {
        return `"${value}" is not a valid regular expression (${(error as Error).message})`;
    }
    const unsupported = RE2_UNSUPPORTED.find(([pattern]) => pattern.test(value));
    return unsupported ? `"${value}" uses ${unsupported[1]}, which Kargo's RE2 regular expressions do not support` : undefined;
}

// Kargo's image subscription repoURL pattern (pkg/subscription/schemas/image.json).
export const IMAGE_REPO = /^(\w+([.-]\w+)*(:[\d]+)?\/)?(\w+([.-]\w+)*)(\/\w+([.-]\w+)*)*$/;

export function imageRepoProblem(value: string): string | undefined {
    if (value.includes("@")) return `"${value}" names a digest; give the repository only, without a digest`;
    const lastSegment = value.slice(value.lastIndexOf("/") + 1);
    if (lastSegment.includes(":")) return `"${value}" includes a tag; give the repository only, without ":<tag>"`;
    if (/^[a-z]+:\/\//i.test(value)) return `"${value}" must not have a URL scheme; write it as registry/path`;
    if (!IMAGE_REPO.test(value)) return `"${value}" is not a valid image repository`;
    return undefined;
}

// URLs end up inside '…' literals of Kargo expressions, so quotes, braces and spaces are never allowed.
const URL_PATH = String.raw`(\/[A-Za-z0-9._~%!$&()*+,;=:@\/-]*)?`;
export const CHART_REPO = new RegExp(String.raw`^(https?|oci):\/\/[\w.-]+(:\d+)?${URL_PATH}$`);
const HTTPS_GIT = new RegExp(String.raw`^https:\/\/[\w.-]+(:\d+)?${URL_PATH}$`);

export function chartRepoProblem(value: string): string | undefined {
    return CHART_REPO.test(value) ? undefined : `"${value}" must be an http://, https:// or oci:// chart repository URL`;
}

/** Helm chart names: letters, digits, ".", "_" and "-". */
export const CHART_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function chartNameProblem(value: string): string | undefined {
    return CHART_NAME.test(value) ? undefined : `"${value}" is not a valid chart name`;
}

/** Path characters of a URL, and a path of them that does not end in "/". */
const URL_CHAR = "A-Za-z0-9._~%!$&()*+,;=:@\\-";
const URL_TAIL = String.raw`[${URL_CHAR}\/]*[${URL_CHAR}]`;
/** What toHttpsGitUrl accepts, as one pattern: an https URL with a path, or the scp and ssh forms it rewrites. */
export const GIT_URL = new RegExp(
    [
        String.raw`^https:\/\/[\w.-]+(:\d+)?\/${URL_TAIL}$`,
        String.raw`^(?!.*:\/\/)[\w.-]+@[\w.-]+:\/?${URL_TAIL}$`,
        String.raw`^ssh:\/\/(?:[\w.-]+@)?[\w.-]+(?::\d+)?\/${URL_TAIL}$`,
    ].join("|"),
);

/**
 * Kargo v1.10 deprecated SSH git URLs (removed in v1.13): rewrite `git@host:org/repo.git` and
 * `ssh://git@host/org/repo.git` to their HTTPS form. Returns undefined for anything that is not a git URL.
 */
export function toHttpsGitUrl(value: string): string | undefined {
    const scp = /^[\w.-]+@([\w.-]+):\/?(.+)$/.exec(value);
    if (scp && !value.includes("://")) return toHttpsGitUrl(`https://${scp[1]}/${scp[2]}`);
    const ssh = /^ssh:\/\/(?:[\w.-]+@)?([\w.-]+)(?::\d+)?\/(.+)$/.exec(value);
    if (ssh) return toHttpsGitUrl(`https://${ssh[1]}/${ssh[2]}`);
    if (HTTPS_GIT.test(value) && !value.endsWith("/") && value.split("/").length > 3) return value;
    return undefined;
}

/** One path segment: not "." or "..", characters safe in YAML and URLs. */
const PATH_SEGMENT = String.raw`(?!\.\.?(?:\/|$))[A-Za-z0-9._{}-]+`;
/** A path inside the deployment repository: relative, normalised, no `..`, characters safe in YAML and URLs. */
export const REPO_PATH = new RegExp(String.raw`^${PATH_SEGMENT}(?:\/${PATH_SEGMENT})*$`);

/** The reason a path fails REPO_PATH, or undefined when it passes. */
export function repoPathProblem(value: string): string | undefined {
    if (REPO_PATH.test(value)) return undefined;
    if (value === "") return "a path must not be empty";
    if (value.startsWith("/")) return `"${value}" must be relative to the repository root, not absolute`;
    if (value.endsWith("/")) return `"${value}" must not end with "/"`;
    const segments = value.split("/");
    if (segments.some((segment) => segment === "" || segment === "." || segment === "..")) {
        return `"${value}" must not contain empty, "." or ".." segments`;
    }
    return `"${value}" may contain only letters, digits, ".", "_", "-" and "/"`;
}

/** A dotted YAML key path as Kargo's yaml-update takes it (`a.b`, `list.0.x`, `a\.b`): no empty segment. */
const KEY_SEGMENT = String.raw`(?:\\\.|[^.])+`;
export const YAML_KEY = new RegExp(String.raw`^${KEY_SEGMENT}(?:\.${KEY_SEGMENT})*$`);

export function yamlKeyProblem(value: string): string | undefined {
    if (YAML_KEY.test(value)) return undefined;
    if (value === "" || value.startsWith(".") || value.endsWith(".")) return `"${value}" is not a dotted key path such as "hub.image.tag" or "resources.1"`;
    return `"${value}" has an empty segment`;
}

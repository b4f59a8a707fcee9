/**
 * Test support: catalogues the program rejects, each with the error it must give (file, line, entry, field).
 * Shared by the error tests and the check that the editor's schema rejects the same ones.
 */
export const BAD_CATALOGUES: ReadonlyArray<readonly [what: string, text: string, error: RegExp]> = [
    ["malformed YAML", "applications:\n  - name: a\n    path: [unclosed\n", /^catalogue\.yaml:\d+: malformed YAML/],
    [
        "an unquoted constraint YAML reads as a block",
        "applications:\n  - name: a\n    path: apps/a\n    images:\n      - repoURL: r/i\n        constraint: >=0.5.3\n",
        /^catalogue\.yaml:6: malformed YAML: .*; quote the value \(">=0\.5\.3"\), since YAML reads a leading > as a folded block$/,
    ],
    ["an empty file", "", /^catalogue\.yaml: catalogue: the file is empty/],
    ["a duplicate key", "applications:\n  - name: a\n    name: b\n    path: apps/a\n", /^catalogue\.yaml:3: malformed YAML: Map keys must be unique/],
    [
        "a misspelt top-level key",
        "aplications: []\n",
        /^catalogue\.yaml:1: catalogue: aplications: unknown key "aplications" \(did you mean "applications"\?\)/,
    ],
    [
        "a misspelt app key",
        "applications:\n  - name: a\n    path: apps/a\n    imagse: []\n",
        /^catalogue\.yaml:4: application "a": imagse: unknown key "imagse" \(did you mean "images"\?\)/,
    ],
    [
        "a misspelt image key",
        "applications:\n  - name: a\n    path: apps/a\n    images:\n      - repoURL: r/i\n        contraint: '>=1'\n",
        /^catalogue\.yaml:6: application "a": images\[0\]\.contraint: unknown key "contraint" \(did you mean "constraint"\?\)/,
    ],
    ["a missing name", "applications:\n  - path: apps/a\n", /^catalogue\.yaml:2: applications\[0\]: name: is required/],
    ["a missing path", "applications:\n  - name: a\n", /^catalogue\.yaml:2: application "a": path: is required/],
    [
        "a wrong type",
        "applications:\n  - name: a\n    path: apps/a\n    images:\n      - repoURL: r/i\n        enableDevTags: yes please\n",
        /^catalogue\.yaml:6: application "a": images\[0\]\.enableDevTags: must be true or false, got string "yes please"/,
    ],
    [
        "a list where a mapping belongs",
        "applications:\n  - name: a\n    path: apps/a\n    images: r/i\n",
        /^catalogue\.yaml:4: application "a": images: must be a list/,
    ],
    [
        "a duplicate app",
        "applications:\n  - name: a\n    path: apps/a\n  - name: a\n    path: apps/b\n",
        /^catalogue\.yaml:4: application "a": name: duplicate application name; applications\[0\] already uses it/,
    ],
    [
        "an upper-case name",
        "applications:\n  - name: MyApp\n    path: apps/a\n",
        /^catalogue\.yaml:2: application "MyApp": name: "MyApp" must consist of lower-case letters/,
    ],
    [
        "a name longer than a DNS label (the app's label value and Argo CD Application)",
        `applications:\n  - name: ${"a".repeat(64)}\n    path: apps/a\n`,
        /^catalogue\.yaml:2: application "a{64}": name: "a{64}" is 64 characters long; at most 63 are allowed$/,
    ],
    ["an absolute path", "applications:\n  - name: a\n    path: /apps/a\n", /^catalogue\.yaml:3: application "a": path: "\/apps\/a" must be relative/],
    ["a path escaping the repo", "applications:\n  - name: a\n    path: apps/../../etc\n", /path: .* must not contain empty, "\." or "\.\." segments/],
    [
        "an unknown stage",
        "applications:\n  - name: a\n    path: apps/a\n    stages: [test, qa]\n",
        /^catalogue\.yaml:4: application "a": stages\[1\]: unknown stage "qa"; known environments: test, staging, prod/,
    ],
    ["a stage listed twice", "applications:\n  - name: a\n    path: apps/a\n    stages: [test, test]\n", /stages\[1\]: "test" is listed twice/],
    ["an empty stage list", "applications:\n  - name: a\n    path: apps/a\n    stages: []\n", /stages: must list at least one environment/],
    [
        "an image URL with a tag",
        "applications:\n  - name: a\n    path: apps/a\n    images:\n      - repoURL: public.ecr.aws/eodh/x:1.2.3\n",
        /^catalogue\.yaml:5: application "a": images\[0\]\.repoURL: "public\.ecr\.aws\/eodh\/x:1\.2\.3" includes a tag/,
    ],
    [
        "an image URL with a digest",
        "applications:\n  - name: a\n    path: apps/a\n    images:\n      - repoURL: r/x@sha256:abc\n",
        /images\[0\]\.repoURL: .* names a digest/,
    ],
    ["an image URL with a scheme", "applications:\n  - name: a\n    path: apps/a\n    images:\n      - repoURL: https://r/x\n", /must not have a URL scheme/],
    [
        "a semver range that does not parse",
        "applications:\n  - name: a\n    path: apps/a\n    images:\n      - repoURL: r/i\n        constraint: '>=one'\n",
        /^catalogue\.yaml:6: application "a": images\[0\]\.constraint: ">=one" is not a semver constraint/,
    ],
    [
        "disagreeing constraint and alias",
        "applications:\n  - name: a\n    path: apps/a\n    images:\n      - repoURL: r/i\n        constraint: '>=1.0.0'\n        semverConstraint: '>=2.0.0'\n",
        /images\[0\]\.semverConstraint: is an alias of constraint; they disagree/,
    ],
    [
        "discoveryLimit out of range",
        "applications:\n  - name: a\n    path: apps/a\n    images:\n      - repoURL: r/i\n        discoveryLimit: 101\n",
        /images\[0\]\.discoveryLimit: must be between 1 and 100, got 101/,
    ],
    [
        "discoveryLimit zero",
        "applications:\n  - name: a\n    path: apps/a\n    images:\n      - repoURL: r/i\n        discoveryLimit: 0\n",
        /discoveryLimit: must be between 1 and 100, got 0/,
    ],
    [
        "a fractional discoveryLimit",
        "applications:\n  - name: a\n    path: apps/a\n    images:\n      - repoURL: r/i\n        discoveryLimit: 2.5\n",
        /discoveryLimit: must be a whole number/,
    ],
    [
        "an unknown strategy",
        "applications:\n  - name: a\n    path: apps/a\n    images:\n      - repoURL: r/i\n        imageSelectionStrategy: Newest\n",
        /imageSelectionStrategy: unknown strategy "Newest"; use one of SemVer, Digest, Lexical, NewestBuild/,
    ],
    [
        "Digest without a constraint",
        "applications:\n  - name: a\n    path: apps/a\n    images:\n      - repoURL: r/i\n        imageSelectionStrategy: Digest\n",
        /images\[0\]\.constraint: is required with imageSelectionStrategy Digest/,
    ],
    [
        "an invalid allowTags regex",
        "applications:\n  - name: a\n    path: apps/a\n    images:\n      - repoURL: r/i\n        allowTags: '^v(\\d+'\n",
        /images\[0\]\.allowTags: .* is not a valid regular expression/,
    ],
    [
        "a look-ahead RE2 cannot run",
        "applications:\n  - name: a\n    path: apps/a\n    images:\n      - repoURL: r/i\n        allowTags: '^(?!dev).*'\n",
        /images\[0\]\.allowTags: .* uses look-ahead, which Kargo's RE2/,
    ],
    [
        "a bad customPath valueType",
        "applications:\n  - name: a\n    path: apps/a\n    images:\n      - repoURL: r/i\n        customPath: {file: base/v.yaml, key: a.b, valueType: short}\n",
        /images\[0\]\.customPath\.valueType: must be "tag" \(write the tag only\) or "full"/,
    ],
    [
        "braces other than {{env}} in a file",
        "applications:\n  - name: a\n    path: apps/a\n    images:\n      - repoURL: r/i\n        customPath: {file: 'envs/{{environment}}/v.yaml', key: a.b}\n",
        /customPath\.file: only \{\{env\}\} may appear in braces/,
    ],
    [
        "{{env}} in the app path",
        "applications:\n  - name: a\n    path: 'apps/{{env}}'\n",
        /^catalogue\.yaml:3: application "a": path: must not contain \{\{env\}\}/,
    ],
    [
        "the same image twice",
        "applications:\n  - name: a\n    path: apps/a\n    images:\n      - repoURL: r/i\n      - repoURL: r/i\n",
        /images\[1\]\.repoURL: duplicates images\[0\]; Kargo rejects a Warehouse that subscribes to the same repository twice/,
    ],
    [
        "allowTags on a chart",
        "applications:\n  - name: a\n    path: apps/a\n    charts:\n      - {name: c, repoURL: 'https://c.example.com', generatorFile: base/c.yaml, allowTags: '^v'}\n",
        /charts\[0\]\.allowTags: Kargo v1\.11 chart subscriptions have no tag filter/,
    ],
    [
        "ignoreTags on a chart",
        "applications:\n  - name: a\n    path: apps/a\n    charts:\n      - {name: c, repoURL: 'https://c.example.com', generatorFile: base/c.yaml, ignoreTags: [beta]}\n",
        /charts\[0\]\.ignoreTags: Kargo v1\.11 chart subscriptions have no tag filter/,
    ],
    [
        "strictSemvers on a chart",
        "applications:\n  - name: a\n    path: apps/a\n    charts:\n      - {name: c, repoURL: 'https://c.example.com', generatorFile: base/c.yaml, strictSemvers: true}\n",
        /charts\[0\]\.strictSemvers: Kargo v1\.11 chart subscriptions always use strict semver/,
    ],
    [
        "an http chart without a name",
        "applications:\n  - name: a\n    path: apps/a\n    charts:\n      - {repoURL: 'https://c.example.com', generatorFile: base/c.yaml}\n",
        /charts\[0\]\.name: is required for http\(s\) chart repositories/,
    ],
    [
        "a chart without a generator file",
        "applications:\n  - name: a\n    path: apps/a\n    charts:\n      - {name: c, repoURL: 'https://c.example.com'}\n",
        /charts\[0\]\.generatorFile: is required \(or generatorFiles\)/,
    ],
    [
        "both generatorFile and generatorFiles",
        "applications:\n  - name: a\n    path: apps/a\n    charts:\n      - {name: c, repoURL: 'https://c.example.com', generatorFile: a.yaml, generatorFiles: [b.yaml]}\n",
        /charts\[0\]\.generatorFiles: give either generatorFile or generatorFiles, not both/,
    ],
    [
        "a chart URL that is not a repository",
        "applications:\n  - name: a\n    path: apps/a\n    charts:\n      - {name: c, repoURL: 'ftp://c', generatorFile: a.yaml}\n",
        /charts\[0\]\.repoURL: "ftp:\/\/c" must be an http:\/\/, https:\/\/ or oci:\/\/ chart repository URL/,
    ],
    [
        "a release without updates",
        "applications:\n  - name: a\n    path: apps/a\n    releases:\n      - {name: r, repoURL: 'https://github.com/o/r.git'}\n",
        /releases\[0\]\.updates: is required/,
    ],
    [
        "a release URL that is not git",
        "applications:\n  - name: a\n    path: apps/a\n    releases:\n      - {name: r, repoURL: 'r.git', updates: [{file: a.yaml, key: k, urlPrefix: p}]}\n",
        /releases\[0\]\.repoURL: "r\.git" is not a git repository URL/,
    ],
    [
        "a release update with neither prefix nor suffix",
        "applications:\n  - name: a\n    path: apps/a\n    releases:\n      - {name: r, repoURL: 'https://github.com/o/r.git', updates: [{file: a.yaml, key: k}]}\n",
        /releases\[0\]\.updates\[0\]\.urlPrefix: urlPrefix or urlSuffix is required/,
    ],
    [
        "strictSemvers with a non-SemVer strategy",
        "applications:\n  - name: a\n    path: apps/a\n    images:\n      - {repoURL: r/i, imageSelectionStrategy: Lexical, strictSemvers: true}\n",
        /images\[0\]\.strictSemvers: only applies to imageSelectionStrategy SemVer, not Lexical/,
    ],
    [
        "a constraint NewestBuild would ignore",
        "applications:\n  - name: a\n    path: apps/a\n    images:\n      - {repoURL: r/i, imageSelectionStrategy: NewestBuild, constraint: '>=1.0.0'}\n",
        /images\[0\]\.constraint: has no effect with imageSelectionStrategy NewestBuild; filter tags with allowTags instead/,
    ],
    [
        "a quote in a chart URL (it would break Kargo's expressions)",
        'applications:\n  - name: a\n    path: apps/a\n    charts:\n      - {name: c, repoURL: "https://charts.example.com/x\'y", generatorFile: a.yaml}\n',
        /charts\[0\]\.repoURL: .* must be an http:\/\/, https:\/\/ or oci:\/\/ chart repository URL/,
    ],
    [
        "a quote in a chart name",
        "applications:\n  - name: a\n    path: apps/a\n    charts:\n      - {name: \"c'x\", repoURL: 'https://c.example.com', generatorFile: a.yaml}\n",
        /charts\[0\]\.name: "c'x" is not a valid chart name/,
    ],
    [
        "a brace in a release URL",
        "applications:\n  - name: a\n    path: apps/a\n    releases:\n      - {name: r, repoURL: 'https://github.com/o/r}}.git', updates: [{file: a.yaml, key: k, urlPrefix: p}]}\n",
        /releases\[0\]\.repoURL: .* is not a git repository URL/,
    ],
    [
        "a bad YAML key path",
        "applications:\n  - name: a\n    path: apps/a\n    images:\n      - repoURL: r/i\n        customPath: {file: base/v.yaml, key: 'hub..tag'}\n",
        /customPath\.key: "hub\.\.tag" has an empty segment/,
    ],
];

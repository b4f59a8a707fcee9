/**
 * `npm run urns -- [--check]`: the URN of every resource each shipped stack registers, one per line in
 * test/fixtures/urns/<stack>.txt. A URN is what Pulumi's state keys a resource by: a resource whose URN changes
 * is deleted and created anew (for a Stage, with every Promotion it owns). test/urns.test.ts compares the
 * renders with these files; run this command only for a resource that is really new or really gone.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { parseCommandLine, runMain, type Command, type CommandMain } from "../cli/args";
import { renderStack, type RenderResult } from "../cli/renderRuntime";
import { PROJECT_ROOT, projectStacks, readStackConfig } from "../core/plan/stackFiles";

export const URNS_COMMAND = {
    name: "npm run urns --",
    summary:
        "Writes test/fixtures/urns/<stack>.txt, the URN of every resource each stack registers (for a resource really added or removed; a rename needs `aliases`).",
    flags: {
        check: { type: "boolean", help: "write nothing; exit 1 if a file differs from the render" },
    },
} as const satisfies Command;

export const URNS_DIR = path.join(PROJECT_ROOT, "test", "fixtures", "urns");

/**
 * Each resource's URN as Pulumi builds it, in the order of `result.resources`:
 * `urn:pulumi:<stack>::<project>::<type chain>::<name>`, the type chain being the types of its parents below
 * the stack, outermost first, then its own, joined by `$`
 * (pulumi/pulumi v3.259.0 `sdk/go/common/resource/urn/urn.go` New, called with the parent's qualified type by
 * `pkg/resource/deploy/deployment.go` generateURN; a parent that is the stack itself adds nothing).
 */
export function resourceUrns(result: RenderResult, project: string): string[] {
    const byIdentity = new Map(result.resources.map((resource) => [`${resource.type}::${resource.name}`, resource]));
    const typeChain = (identity: string): string => {
        const resource = byIdentity.get(identity);
        if (!resource) throw new Error(`internal error: parent ${identity} was not registered`);
        return resource.parent ? `${typeChain(resource.parent)}$${resource.type}` : resource.type;
    };
    return result.resources.map((resource) => `urn:pulumi:${result.stack}::${project}::${typeChain(`${resource.type}::${resource.name}`)}::${resource.name}`);
}

type Resources = RenderResult["resources"];
const identityOf = (resource: Resources[number]): string => `${resource.type}::${resource.name}`;
const nameOf = (urn: string): string => urn.slice(urn.lastIndexOf("::") + 2);
/** The type chain of a URN (its parents' types and its own), as the engine's QualifiedType. */
const qualifiedTypeOf = (urn: string): string => urn.slice(0, urn.lastIndexOf("::")).split("::").pop() as string;

export interface UrnComparison {
    /** Recorded URNs no resource registers, not even through an alias. */
    readonly gone: readonly string[];
    /** Registered resources that match no recorded URN, neither by their own nor through an alias. */
    readonly added: readonly string[];
}

/**
 * The render against the recorded URNs (the state a `pulumi up` would find), matched as the engine matches a
 * registration to an old resource (pulumi/pulumi v3.259.0 `pkg/resource/deploy/step_generator.go`
 * getOldResource, generateAliases, inheritedChildAlias): its own URN first, then its `aliases` (a plain URN,
 * or `{ name, type, parent | parentUrn | noParent }` defaulting to its own), then, where its parent matched
 * through an alias, the same names under the parent's old URN (a child named `<parent name>-x` as
 * `<old parent name>-x`). Aliases given as Outputs are not read here.
 */
export function compareUrns(result: RenderResult, project: string, recorded: readonly string[]): UrnComparison {
    const kept = new Set(recorded);
    const urns = resourceUrns(result, project);
    const urnByIdentity = new Map(result.resources.map((resource, index) => [identityOf(resource), urns[index]]));
    const root = `urn:pulumi:${result.stack}::${project}::`;
    const urnUnder = (parentUrn: string | undefined, type: string, name: string) =>
        parentUrn ? `${root}${qualifiedTypeOf(parentUrn)}$${type}::${name}` : `${root}${type}::${name}`;
    /** The old URN each resource matched through an alias (the engine's `aliases` map). */
    const matchedAlias = new Map<string, string>();
    const matched = new Set<string>();
    const added: string[] = [];
    const byIdentity = new Map(result.resources.map((resource) => [identityOf(resource), resource]));
    const depth = (resource: Resources[number]): number => (resource.parent ? 1 + depth(byIdentity.get(resource.parent) as Resources[number]) : 0);
    for (const resource of [...result.resources].sort((a, b) => depth(a) - depth(b))) {
        const urn = urnByIdentity.get(identityOf(resource)) as string;
        const parentUrn = resource.parent && urnByIdentity.get(resource.parent);
        const own = ((result.options.get(identityOf(resource))?.aliases ?? []) as (string | pulumi.Alias)[]).map((alias): string => {
            if (typeof alias === "string") return alias;
            const spec = alias as pulumi.Alias & { parentUrn?: string; noParent?: boolean };
            const aliasParent = spec.noParent
                ? undefined
                : "parentUrn" in spec
                  ? spec.parentUrn
                  : "parent" in spec
                    ? spec.parent && urnByIdentity.get(result.identityOf(spec.parent as pulumi.Resource) ?? "")
                    : parentUrn;
            return urnUnder(aliasParent, (spec.type as string | undefined) ?? resource.type, (spec.name as string | undefined) ?? resource.name);
        });
        const parentAlias = parentUrn && matchedAlias.get(parentUrn);
        const inherited = parentAlias
            ? [urn, ...own].map((candidate) => {
                  const name = nameOf(candidate);
                  const parentName = nameOf(parentUrn as string);
                  const aliasName = name.startsWith(parentName) ? nameOf(parentAlias) + name.slice(parentName.length) : name;
                  return urnUnder(parentAlias, qualifiedTypeOf(candidate).split("$").pop() as string, aliasName);
              })
            : [];
        const found = [urn, ...own, ...inherited].find((candidate) => kept.has(candidate));
        if (found === undefined) added.push(urn);
        else {
            matched.add(found);
            if (found !== urn) matchedAlias.set(urn, found);
        }
    }
    return { gone: recorded.filter((urn) => !matched.has(urn)), added: added.sort() };
}

export const urnsFile = (stack: string): string => path.join(URNS_DIR, `${stack}.txt`);

type Render = (stack: string) => Promise<RenderResult>;
const renderShipped: Render = (stack) => renderStack({ stack });

/** A stack's render against its file. */
export async function stackUrns(stack: string, render: Render = renderShipped): Promise<UrnComparison & { readonly urns: readonly string[] }> {
    const result = await render(stack);
    const project = readStackConfig(stack).project;
    return { ...compareUrns(result, project, readUrns(stack)), urns: [...resourceUrns(result, project)].sort() };
}

export const readUrns = (stack: string): string[] => (existsSync(urnsFile(stack)) ? readFileSync(urnsFile(stack), "utf8").split("\n").filter(Boolean) : []);

export const urnsMain: CommandMain = async (argv, io) => {
    const args = parseCommandLine(URNS_COMMAND, argv);
    let differs = false;
    for (const stack of projectStacks()) {
        const { urns, added, gone: removed } = await stackUrns(stack);
        if (added.length + removed.length === 0) continue;
        differs = true;
        io.stdout(
            `${stack}: ${added.length} new, ${removed.length} gone\n${[...added.map((urn) => `  + ${urn}`), ...removed.map((urn) => `  - ${urn}`)].join("\n")}\n`,
        );
        if (!args.check) {
            mkdirSync(URNS_DIR, { recursive: true });
            writeFileSync(urnsFile(stack), `${urns.join("\n")}\n`);
        }
    }
    if (!differs) io.stdout("every stack's URNs are as recorded\n");
    return args.check && differs ? 1 : 0;
};

if (require.main === module) runMain(urnsMain);

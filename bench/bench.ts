/**
 * `npm run bench`: how the program scales and what it costs over the Pulumi SDK, with PASS/FAIL per target.
 * Each render runs in a fresh child process (bench/benchChild.ts), beside its yardstick (docs/development.md): a bare
 * @pulumi/pulumi mock program registering the same resources (names and inputs) with nothing of ours loaded
 * (bench/benchBare.js, plain JavaScript), measured in the same run, alternately, as the median ratio of several
 * pairs. For the shipped catalogue the bare program also runs with cli/leanSdk.js, the SDK as the offline
 * commands run it, to show what our own code costs; and the program is loaded as `pulumi up` loads it (the
 * SDK's ts-node, type-checked, the SDK as shipped: scripts/pulumiLoad.ts), to show what real runs pay.
 * Object and Promotion sizes come from the plan (core), as Kargo would store them.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import * as path from "node:path";
import { parseCatalogue } from "../core/input/catalogue";
import { environmentShards, type HubSettings } from "../core/input/settings";
import { isKind, objectKey } from "../core/kubernetes";
import { objectBytes, promotionBytes } from "../core/plan/objectSizes";
import { planHub, projectObjectsOf } from "../core/plan/stackPlan";
import { tasksByName } from "../core/project/promotionInflation";
import { REGISTRATION_GROUP_SIZE } from "../components/eodhpProject";
import { parseCommandLine, runMain, type Command, type CommandMain } from "../cli/args";
import { pulumiLoad } from "../scripts/pulumiLoad";
import { PROJECT_ROOT, readStackSettings } from "../core/plan/stackFiles";
import { syntheticCatalogue } from "./syntheticCatalogue";

const SIZES = [7, 100, 500, 2000, 5000];
/**
 * What runs, in order: a render and the bare program (a pair), or a render alone. The machine's speed drifts
 * by a tenth or more from one minute to the next here, so each of three 5,000-app renders is set against
 * the 500-app renders just before and after it, and the time ratio is the median of the three; the 500-app
 * ratio against the bare program is the median of its three pairs.
 */
const SCHEDULE: ReadonlyArray<{ readonly apps: number; readonly bare: boolean }> = [
    { apps: 7, bare: true },
    { apps: 100, bare: true },
    { apps: 2000, bare: true },
    { apps: 500, bare: true },
    { apps: 5000, bare: true },
    { apps: 500, bare: true },
    { apps: 5000, bare: false },
    { apps: 500, bare: true },
    { apps: 5000, bare: false },
    { apps: 500, bare: false },
];
/** The chart's garbageCollector.maxRetainedPromotions (Kargo chart v1.11.2 values.yaml); minPromotionDeletionAge 336h may keep more. */
const RETAINED_PROMOTIONS_PER_STAGE = 20;
const KIB = 1024;
const MIB = 1024 * 1024;

/** Pairs of render and bare program for the shipped catalogue, whose ratio is a target. */
const SHIPPED_PAIRS = 5;
/** Loads of the prod stack as `pulumi up` loads it (scripts/pulumiLoad.ts), against the offline render. */
const PULUMI_LOADS = 3;
/** Runs of `npm test` with the loader's cache warm; one more runs cold, as CI's first run after `npm ci` does. */
const TEST_RUNS = 3;

interface Measured {
    readonly seconds: number;
    readonly resources: number;
}

/** Runs bench/benchChild (a render) under the same node options (the .ts loader) as this process. */
function renderChild(catalogue: string, resourcesFile: string): Measured {
    const script = path.join(__dirname, `benchChild${path.extname(__filename)}`);
    return lastJsonLine(execFileSync(process.execPath, [...process.execArgv, script, "render", catalogue, resourcesFile], { encoding: "utf8" }));
}

/** Runs bench/benchBare.js: the SDK as shipped, or with cli/leanSdk.js first (`lean`). */
function bareChild(resourcesFile: string, lean = false): Measured {
    const preload = lean ? ["--require", path.join(__dirname, "..", "cli", "leanSdk.js")] : [];
    const args = [...preload, path.join(__dirname, "benchBare.js"), resourcesFile, String(REGISTRATION_GROUP_SIZE)];
    return lastJsonLine(execFileSync(process.execPath, args, { encoding: "utf8" }));
}

const lastJsonLine = (output: string): Measured => JSON.parse(output.trim().split("\n").pop() as string) as Measured;

interface Pair {
    readonly render: Measured;
    readonly bare: Measured;
    readonly ratio: number;
}

/** One step of SCHEDULE: a render, and the bare program where it ran one. */
interface Run {
    readonly apps: number;
    readonly render: Measured;
    readonly bare?: Measured;
}

/** The render, then the bare program registering what it registered. */
function pair(catalogue: string, resourcesFile: string): Pair {
    const render = renderChild(catalogue, resourcesFile);
    const bare = bareChild(resourcesFile);
    return { render, bare, ratio: render.seconds / bare.seconds };
}

/** The middle one of `items` ordered by `value` (of an odd count, the median). */
const medianBy = <T>(items: readonly T[], value: (item: T) => number): T => [...items].sort((a, b) => value(a) - value(b))[Math.floor(items.length / 2)];
const median = (values: readonly number[]): number => medianBy(values, (value) => value);
/** The pair with the median ratio. */
const medianPair = (pairs: readonly Pair[]): Pair => medianBy(pairs, (entry) => entry.ratio);

/**
 * `npm test` itself when bench runs under npm (which names its own CLI in npm_execpath), else mocha as
 * `npm test` starts it (without npm's start-up, about 0.3 s).
 */
const TEST_COMMAND = process.env.npm_execpath
    ? { name: "npm test", args: [process.env.npm_execpath, "test"] }
    : { name: "mocha", args: [require.resolve("mocha/bin/mocha.js")] };

/** Wall seconds of TEST_COMMAND as a whole process; `cache`: the .ts loader's cache folder. */
function testSuiteSeconds(cache?: string): number {
    const start = process.hrtime.bigint();
    execFileSync(process.execPath, TEST_COMMAND.args, {
        cwd: PROJECT_ROOT,
        stdio: "ignore",
        env: { ...process.env, ...(cache ? { EODHP_KARGO_TS_CACHE: cache } : {}) },
    });
    return Number(process.hrtime.bigint() - start) / 1e9;
}

/** The median of TEST_RUNS warm runs, and one run with an empty loader cache. */
function testSuite(dir: string): { warm: number; cold: number } {
    const cold = testSuiteSeconds(path.join(dir, "empty-ts-cache"));
    const warm = median(Array.from({ length: TEST_RUNS }, () => testSuiteSeconds()));
    return { warm, cold };
}

function sizes(settings: HubSettings, text: string) {
    const catalogue = parseCatalogue(text, "synthetic.yaml", { environments: [...environmentShards(settings).keys()], devEnvironment: "test" });
    const objects = projectObjectsOf(planHub(settings, catalogue).project);
    const tasks = tasksByName(objects);
    const largest = objects.map((object) => ({ key: objectKey(object), bytes: objectBytes(object) })).sort((a, b) => b.bytes - a.bytes)[0];
    const promotions = objects.filter(isKind("Stage")).map((stage) => ({ stage: stage.metadata.name, bytes: promotionBytes(stage, tasks) }));
    const largestPromotion = promotions.sort((a, b) => b.bytes - a.bytes)[0];
    const retained = promotions.reduce((sum, entry) => sum + entry.bytes, 0) * RETAINED_PROMOTIONS_PER_STAGE;
    return { largest, largestPromotion, retained, stages: promotions.length };
}

const verdict = (ok: boolean): string => (ok ? "PASS" : "FAIL");

export const BENCH_COMMAND = {
    name: "npm run bench --",
    summary: `Renders the prod stack with synthetic catalogues of ${SIZES.join(", ")} applications and prints sizes, times and the targets met.`,
    flags: {},
} as const satisfies Command;

/** The CLI's entry: bench takes no flags but `--help`. */
export const benchMain: CommandMain = async (argv, io) => {
    parseCommandLine(BENCH_COMMAND, argv);
    const settings = readStackSettings("prod") as HubSettings;
    const dir = mkdtempSync(path.join(tmpdir(), "eodhp-kargo-bench-"));
    const print = (line: string): void => io.stdout(`${line}\n`);
    try {
        const catalogues = new Map(
            SIZES.map((apps) => {
                const file = path.join(dir, `catalogue-${apps}.yaml`);
                const text = syntheticCatalogue(apps);
                writeFileSync(file, text);
                return [apps, { file, ...sizes(settings, text) }] as const;
            }),
        );
        // In SCHEDULE's order; progress on stderr, as the whole takes a quarter of an hour.
        const measured: Run[] = SCHEDULE.map(({ apps, bare }) => {
            const catalogue = (catalogues.get(apps) as { file: string }).file;
            const resourcesFile = path.join(dir, `resources-${apps}.json`);
            const run: Run = bare ? { apps, ...pair(catalogue, resourcesFile) } : { apps, render: renderChild(catalogue, resourcesFile) };
            io.stderr(`bench: ${apps} apps: render ${run.render.seconds.toFixed(2)} s${run.bare ? `, bare ${run.bare.seconds.toFixed(2)} s` : ""}\n`);
            return run;
        });
        const pairsOf = (apps: number): Pair[] => measured.filter((run): run is Run & Pair => run.apps === apps && run.bare !== undefined);
        print("apps   resources  render s  bare s  ratio  largest object (KiB)                     largest Promotion (KiB)            retained Promotions");
        const rows = SIZES.map((apps) => {
            const size = catalogues.get(apps) as NonNullable<ReturnType<typeof catalogues.get>>;
            const { render, bare, ratio } = medianPair(pairsOf(apps));
            print(
                `${String(apps).padStart(4)}  ${String(render.resources).padStart(10)}  ${render.seconds.toFixed(2).padStart(8)}  ${bare.seconds.toFixed(2).padStart(6)}  ${ratio.toFixed(2).padStart(5)}  ` +
                    `${`${size.largest.key} ${(size.largest.bytes / KIB).toFixed(1)}`.padEnd(41)}  ${`${size.largestPromotion.stage} ${(size.largestPromotion.bytes / KIB).toFixed(1)}`.padEnd(33)}  ` +
                    `${(size.retained / MIB).toFixed(1)} MiB (${size.stages} Stages × ${RETAINED_PROMOTIONS_PER_STAGE})`,
            );
            return { apps, ratio, ...size };
        });
        const at = (apps: number) => rows.find((row) => row.apps === apps) as (typeof rows)[number];
        const shippedFile = path.join(dir, "resources-shipped.json");
        const shippedRuns = Array.from({ length: SHIPPED_PAIRS }, () => {
            const run = pair("-", shippedFile);
            return { ...run, lean: bareChild(shippedFile, true) };
        });
        const shipped = medianPair(shippedRuns);
        const leanRatio = median(shippedRuns.map((run) => run.render.seconds / run.lean.seconds));
        const leanSeconds = median(shippedRuns.map((run) => run.lean.seconds));
        const pairsOf500 = pairsOf(500).length;
        print(
            `shipped catalogue: ${shipped.render.resources} resources, render ${shipped.render.seconds.toFixed(2)} s, bare ${shipped.bare.seconds.toFixed(2)} s (median of ${SHIPPED_PAIRS} pairs; 500 apps: median of ${pairsOf500})`,
        );
        print(
            `shipped catalogue against the SDK as the offline commands run it (bare with cli/leanSdk.js, ${leanSeconds.toFixed(2)} s): ${leanRatio.toFixed(2)}× (median; our own code's cost)`,
        );
        // What running on Pulumi's documented options costs: the SDK's ts-node with its type check, and the SDK
        // as shipped, where the offline commands strip types with Sucrase and skip what cli/leanSdk.js skips.
        const upLoad = median(Array.from({ length: PULUMI_LOADS }, () => pulumiLoad("prod").seconds));
        const upLoad500 = pulumiLoad("prod", (catalogues.get(500) as { file: string }).file).seconds;
        const render500 = medianPair(pairsOf(500)).render.seconds;
        print(
            `as \`pulumi up\` loads it (the SDK's ts-node, type-checked; the SDK as shipped): shipped catalogue ${upLoad.toFixed(2)} s (median of ${PULUMI_LOADS}), ` +
                `${(upLoad / shipped.render.seconds).toFixed(2)}× the offline render; 500 apps ${upLoad500.toFixed(2)} s, ${(upLoad500 / render500).toFixed(2)}× (once per preview or up)`,
        );
        // Each 5,000-app render against the mean of the 500-app renders on either side; the median of those.
        const against500 = measured.flatMap((run, index) => {
            if (run.apps !== 5000) return [];
            const [before, after] = [measured[index - 1], measured[index + 1]];
            const bare = run.bare && before.bare && after.bare ? run.bare.seconds / ((before.bare.seconds + after.bare.seconds) / 2) : undefined;
            return [
                {
                    render: run.render.seconds / ((before.render.seconds + after.render.seconds) / 2),
                    bare,
                    text: `${run.render.seconds.toFixed(2)} s between ${before.render.seconds.toFixed(2)} and ${after.render.seconds.toFixed(2)} s`,
                },
            ];
        });
        const timeRatio = median(against500.map((entry) => entry.render));
        const bareTimeRatio = against500.find((entry) => entry.bare !== undefined)?.bare as number;
        print(`5000 apps, each render between 500-app renders: ${against500.map((entry) => `${entry.text} (${entry.render.toFixed(2)}×)`).join("; ")}`);
        const tests = testSuite(dir);
        print(
            `${TEST_COMMAND.name}: ${tests.warm.toFixed(2)} s wall (median of ${TEST_RUNS}), ${tests.cold.toFixed(2)} s with an empty .ts cache, on ${availableParallelism()} cores`,
        );
        const growth = at(5000).largestPromotion.bytes / at(7).largestPromotion.bytes;
        const largestAt5000 = at(5000).largest.bytes;
        print("");
        print(`${verdict(growth <= 1.25)}  largest Promotion at 5000 apps is ${growth.toFixed(3)}× the one at 7 (target ≤ 1.25×)`);
        print(
            `${verdict(at(5000).largestPromotion.bytes < 32 * KIB)}  largest Promotion at 5000 apps is ${(at(5000).largestPromotion.bytes / KIB).toFixed(1)} KiB (target < 32 KiB)`,
        );
        print(`${verdict(largestAt5000 < 256 * KIB)}  largest object at 5000 apps is ${(largestAt5000 / KIB).toFixed(1)} KiB (target < 256 KiB)`);
        print(`${verdict(at(500).retained < 200 * MIB)}  retained Promotions at 500 apps: ${(at(500).retained / MIB).toFixed(1)} MiB (target < 200 MiB)`);
        print(
            `${verdict(timeRatio <= 11)}  render time 5000/500 apps: ${timeRatio.toFixed(2)}× (median of ${against500.length}, each against the 500-app renders on either side; target ≤ 11×; the bare program's: ${bareTimeRatio.toFixed(2)}×)`,
        );
        print(`${verdict(shipped.ratio <= 1.5)}  prod render of the shipped catalogue vs bare SDK program: ${shipped.ratio.toFixed(2)}× (target ≤ 1.5×)`);
        print(`${verdict(at(500).ratio <= 2)}  prod render of 500 apps vs bare SDK program: ${at(500).ratio.toFixed(2)}× (target ≤ 2×)`);
        const slowest = Math.max(tests.warm, tests.cold);
        print(`${verdict(slowest <= 8)}  ${TEST_COMMAND.name} takes ${slowest.toFixed(2)} s wall, the slower of warm and cold (target ≤ 8 s on 2 cores)`);
        return 0;
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
};

if (require.main === module) runMain(benchMain);

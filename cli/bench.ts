/**
 * `npm run bench`: renders the prod stack with synthetic catalogues of 7, 100 and 500 applications and
 * prints the seconds each takes, to show render time grows linearly with the catalogue.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parseCommandLine, runMain, type Command } from "./args";
import { manifestsYaml, resourcesJson } from "./renderOutput";
import { PROJECT_ROOT, renderStack } from "./renderRuntime";
import { syntheticCatalogue } from "./syntheticCatalogue";

const SIZES = [7, 100, 500];

export const BENCH_COMMAND = {
    name: "npm run bench --",
    summary: `Renders the prod stack with synthetic catalogues of ${SIZES.join(", ")} applications and prints seconds per size and the per-app ratio.`,
    flags: {},
} as const satisfies Command;

if (require.main === module) {
    runMain(async () => {
        parseCommandLine(BENCH_COMMAND);
        const template = readFileSync(path.join(PROJECT_ROOT, "catalogue.yaml"), "utf8");
        const dir = mkdtempSync(path.join(tmpdir(), "eodhp-kargo-bench-"));
        try {
            // Warm-up: module loading and the first mock-runtime start are not part of the per-app cost.
            await renderStack({ stack: "prod" });
            const rows: Array<{ apps: number; seconds: number; objects: number }> = [];
            for (const apps of SIZES) {
                const file = path.join(dir, `catalogue-${apps}.yaml`);
                writeFileSync(file, syntheticCatalogue(template, apps));
                const start = process.hrtime.bigint();
                const result = await renderStack({ stack: "prod", catalogue: file });
                manifestsYaml(result);
                resourcesJson(result);
                const seconds = Number(process.hrtime.bigint() - start) / 1e9;
                rows.push({ apps, seconds, objects: result.manifests.length });
                process.stdout.write(`${String(apps).padStart(4)} apps  ${String(result.manifests.length).padStart(5)} objects  ${seconds.toFixed(2).padStart(6)} s  ${((seconds / apps) * 1000).toFixed(1).padStart(6)} ms/app\n`);
            }
            const [, middle, largest] = rows;
            const ratio = largest.seconds / largest.apps / (middle.seconds / middle.apps);
            process.stdout.write(`per-app time, ${largest.apps} vs ${middle.apps} apps: ratio ${ratio.toFixed(2)} (1.00 = linear)\n`);
            return 0;
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
}

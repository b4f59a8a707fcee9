/**
 * One render of `npm run bench`, in its own process so that each starts cold and alike: `render <catalogue>
 * <file>` runs the real program under mocks (renderStack, which plans once and runs deployStack as index.ts
 * does), its output serialised as `npm run render` does, and writes every registered resource (name and
 * inputs) to <file> for the yardstick (bench/benchBare.js). `render -` renders the shipped catalogue.
 * Prints one JSON line: {"seconds", "resources"}; seconds count from process start, module loading included.
 */
import { writeFileSync } from "node:fs";
import { renderStack } from "../cli/renderRuntime";
import { manifestsYaml, resourcesJson } from "../cli/renderOutput";

async function render(catalogue: string, file: string): Promise<{ seconds: number; resources: number }> {
    const result = await renderStack({ stack: "prod", catalogue: catalogue === "-" ? undefined : catalogue });
    manifestsYaml(result);
    resourcesJson(result);
    const seconds = process.uptime();
    writeFileSync(file, JSON.stringify(result.resources.map(({ name, inputs }) => ({ name, inputs }))));
    return { seconds, resources: result.resources.length };
}

const [mode, catalogue, file] = process.argv.slice(2);
if (mode !== "render" || !catalogue || !file) {
    process.stderr.write("usage: benchChild render <catalogue|-> <resources file>\n");
    process.exitCode = 2;
} else {
    render(catalogue, file).then(
        (measured) => process.stdout.write(`${JSON.stringify(measured)}\n`),
        (error: unknown) => {
            process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
            process.exitCode = 1;
        },
    );
}

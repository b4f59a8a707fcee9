import { writeFileSync } from "node:fs";
import { syntheticCatalogue } from "./cli/syntheticCatalogue";
import { renderStack } from "./cli/renderRuntime";
import { manifestsYaml, resourcesJson } from "./cli/renderOutput";
(async () => {
  const n = Number(process.argv[2]);
  writeFileSync(`/tmp/cat-${n}.yaml`, syntheticCatalogue(n));
  const a = process.uptime();
  const r = await renderStack({ stack: "prod", catalogue: `/tmp/cat-${n}.yaml` });
  const b = process.uptime();
  manifestsYaml(r); const c = process.uptime();
  resourcesJson(r); const d = process.uptime();
  console.log(n, { render: (b - a).toFixed(2), yaml: (c - b).toFixed(2), json: (d - c).toFixed(2), heapMB: (process.memoryUsage().heapUsed / 1e6).toFixed(0), total: process.uptime().toFixed(2) });
})();

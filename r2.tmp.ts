import { renderStack } from "./cli/renderRuntime";
import { canonical } from "./cli/renderOutput";
import { stringify, parse } from "yaml";
import { dump, load } from "js-yaml";
(async () => {
  const n = Number(process.argv[2]);
  const r = await renderStack({ stack: "prod", catalogue: `/tmp/cat-${n}.yaml` });
  let t = process.uptime();
  const a = r.manifests.map((o) => stringify(canonical(o), { lineWidth: 0, aliasDuplicateObjects: false })).join("---\n");
  const ta = process.uptime() - t; t = process.uptime();
  const b = r.manifests.map((o) => dump(canonical(o), { lineWidth: -1, noRefs: true })).join("---\n");
  const tb = process.uptime() - t;
  const same = JSON.stringify(a.split("---\n").slice(0, 300).map((d) => parse(d))) === JSON.stringify(b.split("---\n").slice(0, 300).map((d) => load(d)));
  console.log(n, "yaml", ta.toFixed(2), "js-yaml", tb.toFixed(2), "sizes", a.length, b.length, "same", same);
})();

/**
 * `npm run bench`: runs every benchmark script in this folder, one after the other, each
 * in its own process so that one's memory does not weigh on the next. Each script
 * measures mailport beside a peer in the same run and prints ratios.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const scripts = readdirSync(here)
  .filter((name) => name.endsWith(".ts") && name !== "run.ts")
  .filter((name) => only.length === 0 || only.some((o) => name.includes(o)))
  .sort();

let failed = 0;
for (const script of scripts) {
  console.log(`\n=== ${script}`);
  const result = spawnSync(process.execPath, ["--import", "tsx", path.join(here, script)], { stdio: "inherit" });
  if (result.status !== 0) {
    failed++;
    console.log(`=== ${script} exited with ${result.status ?? result.signal}`);
  }
}
process.exit(failed === 0 ? 0 : 1);

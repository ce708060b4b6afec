/**
 * `npm run bench`: runs every benchmark script in this folder, one after the other, each
 * in its own process so that one's memory does not weigh on the next. Each script
 * measures mailport beside a peer in the same run and prints ratios.
 *
 * `npm run bench -- parse` runs only the scripts whose name contains "parse";
 * `npm run bench -- --help` lists them.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const all = readdirSync(here)
  .filter((name) => name.endsWith(".ts") && name !== "run.ts")
  .sort();

if (args.includes("--help") || args.includes("-h")) {
  console.log(
    [
      "usage: npm run bench [-- <name>...]",
      "",
      "Runs the benchmarks of bench/, each in its own process, or only those whose file name",
      "contains one of the names given. Each compares mailport with a peer in the same run.",
      "",
      `benchmarks: ${all.map((name) => name.replace(/\.ts$/, "")).join(", ")}`,
    ].join("\n"),
  );
  process.exit(0);
}

const unknown = args.filter((a) => a.startsWith("-") || !all.some((name) => name.includes(a)));
if (unknown.length > 0) {
  console.error(`no benchmark matches ${unknown.map((a) => JSON.stringify(a)).join(", ")} (see npm run bench -- --help)`);
  process.exit(2);
}
const scripts = all.filter((name) => args.length === 0 || args.some((a) => name.includes(a)));

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

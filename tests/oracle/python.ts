/**
 * Runs oracle.py once over a list of recipes and returns Python's results.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { BuildResult, Recipe } from "./recipe.js";

const SCRIPT = fileURLToPath(new URL("./oracle.py", import.meta.url));

/** The version of the python3 on PATH, e.g. `"3.11.7"`, or `"unknown"`. */
export function pythonVersion(): string {
  const proc = spawnSync("python3", ["-c", "import platform; print(platform.python_version())"], { encoding: "utf8" });
  return proc.status === 0 ? proc.stdout.trim() : "unknown";
}

/**
 * Builds every recipe with Python's `email` package, in one python3 process.
 * `normalize` names the systematic divergences (see divergences.ts) oracle.py applies.
 * @throws Error when python3 fails or writes something other than one result per recipe.
 */
export function runPython(recipes: readonly Recipe[], normalize: readonly string[]): BuildResult[] {
  const input = JSON.stringify(recipes.map((r) => ({ ...r, normalize })));
  const proc = spawnSync("python3", [SCRIPT], { input, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (proc.error) throw proc.error;
  if (proc.status !== 0) throw new Error(`oracle.py exited with ${proc.status}: ${proc.stderr}`);
  const results = JSON.parse(proc.stdout) as BuildResult[];
  if (results.length !== recipes.length) throw new Error(`oracle.py returned ${results.length} results for ${recipes.length} recipes`);
  return results;
}

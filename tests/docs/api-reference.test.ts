/**
 * The API reference builds: TypeDoc, with the repository's typedoc.json (warnings are
 * errors, every exported symbol documented), converts and validates the whole public API.
 * `--emit none` skips writing the site; `npm run docs` writes it to docs/api/.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./snippets.js";

describe("the API reference", () => {
  it("builds with TypeDoc without a warning", () => {
    const typedoc = path.join(ROOT, "node_modules/typedoc/bin/typedoc");
    const result = spawnSync(process.execPath, [typedoc, "--emit", "none"], { cwd: ROOT, encoding: "utf8" });
    const output = (result.stdout + result.stderr).replace(/\x1b\[[0-9;]*m/g, "");
    expect(output).not.toMatch(/\[(warning|error)\]/);
    expect(result.status).toBe(0);
  }, 120_000);
});

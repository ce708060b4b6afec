/**
 * The API reference builds: TypeDoc, with the repository's typedoc.json (warnings are
 * errors, every exported symbol documented), converts and validates the whole public API
 * and renders the site (into a temporary directory here; `npm run docs` writes docs/api/).
 * The guide pages are project documents: the README's links to them lead to rendered
 * pages of the site, not to copies of the markdown files.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "./snippets.js";

let site: string;
let build: SpawnSyncReturns<string>;

beforeAll(() => {
  site = mkdtempSync(path.join(tmpdir(), "mailport-typedoc-"));
  const typedoc = path.join(ROOT, "node_modules/typedoc/bin/typedoc");
  build = spawnSync(process.execPath, [typedoc, "--out", site], { cwd: ROOT, encoding: "utf8" });
}, 180_000);

afterAll(() => {
  if (site) rmSync(site, { recursive: true, force: true });
});

describe("the API reference", () => {
  it("builds with TypeDoc without a warning", () => {
    const output = (build.stdout + build.stderr).replace(/\x1b\[[0-9;]*m/g, "");
    expect(output).not.toMatch(/\[(warning|error)\]/);
    expect(build.status).toBe(0);
  });

  it("renders the guide pages the README links to as pages of the site", () => {
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    const pages = [...new Set([...readme.matchAll(/\]\(docs\/([\w-]+)\.md[)#]/g)].map((match) => match[1] ?? ""))];
    expect(pages).toContain("guide");
    const index = readFileSync(path.join(site, "index.html"), "utf8");
    for (const page of pages) {
      expect(index).toContain(`href="documents/${page}.html"`);
      expect(existsSync(path.join(site, "documents", `${page}.html`)), page).toBe(true);
    }
    expect(index).not.toMatch(/href="media\/[^"]*\.md"/);
  });
});

/**
 * The published package: a copy of the repository is built as `npm run build` builds it
 * (into the copy, leaving the repository's dist/ alone), and `npm pack --dry-run` lists
 * what would ship. The `mailport` command runs from the build; the package holds the
 * licence, the README, every page the README links to, and every source file a source
 * map points at; and the links between the shipped pages lead to shipped files.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "./run.js";

/** Not copied: installed or generated. */
const LEFT_OUT = new Set(["node_modules", "dist", ".git", "coverage", ".tmp-bench", path.join("docs", "api")]);

let stage: string;
let files: Set<string>;
let packageJson: { bin: Record<string, string> };

function run(command: string, args: readonly string[]): string {
  const result = spawnSync(command, args, { cwd: stage, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed:\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

beforeAll(() => {
  stage = mkdtempSync(path.join(tmpdir(), "mailport-package-"));
  cpSync(ROOT, stage, { recursive: true, filter: (source) => !LEFT_OUT.has(path.relative(ROOT, source)) });
  symlinkSync(path.join(ROOT, "node_modules"), path.join(stage, "node_modules"), "dir");
  // What prepack runs: tsc -p tsconfig.build.json, into the copy's dist/.
  run(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"]);
  const packed = JSON.parse(run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"])) as Array<{ files: Array<{ path: string }> }>;
  files = new Set(packed[0]?.files.map((file) => file.path));
  packageJson = JSON.parse(readFileSync(path.join(stage, "package.json"), "utf8")) as typeof packageJson;
}, 240_000);

afterAll(() => {
  if (stage) rmSync(stage, { recursive: true, force: true });
});

/** The relative link targets of a markdown file (no web addresses, no #fragments), resolved against the package root. */
function linksOf(file: string): string[] {
  const markdown = readFileSync(path.join(stage, file), "utf8");
  return [...markdown.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => (match[1] ?? "").split("#")[0] ?? "")
    .filter((target) => target !== "" && !/^[a-z]+:/i.test(target))
    .map((target) => path.posix.normalize(path.posix.join(path.posix.dirname(file), target)));
}

describe("the built command", () => {
  it("starts with a shebang, so that the installed bin runs with node", () => {
    const bin = path.join(stage, packageJson.bin["mailport"] ?? "");
    expect(readFileSync(bin, "utf8").split("\n")[0]).toBe("#!/usr/bin/env node");
  });

  it("runs: mailport --help", () => {
    const result = spawnSync(process.execPath, [path.join(stage, packageJson.bin["mailport"] ?? ""), "--help"], { encoding: "utf8" });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Usage: mailport <command>");
  });
});

describe("npm pack", () => {
  it("ships the bin, the licence, the README and package.json", () => {
    const bin = path.posix.normalize(packageJson.bin["mailport"] ?? "");
    for (const file of [bin, "LICENSE", "README.md", "package.json", "dist/index.js", "dist/index.d.ts"]) expect(files).toContain(file);
  });

  it("ships every page the README links to", () => {
    const pages = linksOf("README.md");
    expect(pages).toContain("docs/guide.md");
    expect(pages.filter((page) => !files.has(page))).toEqual([]);
  });

  it("ships what the links of every shipped page lead to", () => {
    const pages = [...files].filter((file) => file.endsWith(".md"));
    const broken = pages.flatMap((page) => linksOf(page).filter((target) => !files.has(target)).map((target) => `${page} -> ${target}`));
    expect(broken).toEqual([]);
  });

  it("ships every source file a source map points at", () => {
    const maps = [...files].filter((file) => file.endsWith(".map"));
    expect(maps).toContain("dist/index.js.map");
    expect(maps).toContain("dist/index.d.ts.map");
    const missing = maps.flatMap((map) => {
      const { sources, sourceRoot = "" } = JSON.parse(readFileSync(path.join(stage, map), "utf8")) as { sources: string[]; sourceRoot?: string };
      return sources
        .map((source) => path.posix.normalize(path.posix.join(path.posix.dirname(map), sourceRoot, source)))
        .filter((source) => !files.has(source));
    });
    expect(missing).toEqual([]);
  });
});

/**
 * Every ```ts block of README.md and docs/*.md runs, against the embedded debug server on
 * 127.0.0.1, and must finish without throwing (blocks marked `ts no-run` are skipped; the
 * test below keeps them few). Each block is written to its own module and imported, so
 * top-level `await` and `import ... from "mailport"` work as in a user's project.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { selfSignedCertificate } from "../../src/cli/certificate.js";
import { startDebugServer, type DebugServer } from "../../src/cli/debug-server.js";
import {
  allSnippets,
  documentationFiles,
  extractSnippets,
  PAGES_WITHOUT_SNIPPETS,
  prepareSnippet,
  ROOT,
  type SnippetTargets,
} from "./snippets.js";

const snippets = allSnippets();
const runnable = snippets.filter((snippet) => !snippet.flags.includes("no-run"));

let servers: DebugServer[] = [];
let targets: SnippetTargets;
let workDir: string;

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), "mailport-snippets-"));
  const certificate = await selfSignedCertificate();
  const certificateFile = path.join(workDir, "debug-server.pem");
  writeFileSync(certificateFile, certificate.cert);
  servers = await Promise.all([
    startDebugServer({ port: 0 }),
    startDebugServer({ port: 0, starttls: true, certificate }),
    startDebugServer({ port: 0, tls: true, certificate }),
  ]);
  const [plain, starttls, tls] = servers as [DebugServer, DebugServer, DebugServer];
  targets = { plainPort: plain.port, starttlsPort: starttls.port, tlsPort: tls.port, certificateFile };
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  rmSync(workDir, { recursive: true, force: true });
});

describe("the snippet extractor", () => {
  it("finds ts blocks with their line and flags, and ignores other languages", () => {
    const markdown = ["# T", "```sh", "echo", "```", "```ts", "const a = 1;", "```", "", "```ts no-run", "x();", "```"].join("\n");
    expect(extractSnippets("x.md", markdown)).toEqual([
      { file: "x.md", line: 5, flags: [], code: "const a = 1;" },
      { file: "x.md", line: 9, flags: ["no-run"], code: "x();" },
    ]);
  });

  it("replaces the documented ports and certificate file with the running servers'", () => {
    const code = 'send(m, { port: 1025 }); send(m, { port: 1587, certBundle: "debug-server.pem" }); send(m, { port: 1465 });';
    const prepared = prepareSnippet(code, { plainPort: 1, starttlsPort: 2, tlsPort: 3, certificateFile: "/x/c.pem" });
    expect(prepared).toBe('send(m, { port: 1 }); send(m, { port: 2, certBundle: "/x/c.pem" }); send(m, { port: 3 });');
  });
});

describe("the documentation", () => {
  it("has snippets that run in the README and in every guide page", () => {
    const files = new Set(runnable.map((snippet) => snippet.file));
    const pages = documentationFiles().filter((file) => PAGES_WITHOUT_SNIPPETS[file] === undefined);
    expect(pages).toContain("README.md");
    expect(pages.filter((file) => !files.has(file))).toEqual([]);
    expect(runnable.length).toBeGreaterThan(30);
  });

  it("lists as pages without snippets only pages that exist and have none", () => {
    const files = new Set(snippets.map((snippet) => snippet.file));
    const pages = new Set(documentationFiles());
    for (const file of Object.keys(PAGES_WITHOUT_SNIPPETS)) {
      expect(pages.has(file), file).toBe(true);
      expect(files.has(file), file).toBe(false);
    }
  });

  it("marks few blocks as not to be run", () => {
    const skipped = snippets.length - runnable.length;
    expect(skipped).toBeLessThanOrEqual(Math.max(3, Math.floor(snippets.length / 10)));
  });
});

describe("the snippets' types", () => {
  it("every block, no-run ones included, type-checks under the project's strict settings", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "mailport-snippet-types-"));
    try {
      // .mts: each block is an ES module (top-level await), as in a "type": "module" project.
      const files = snippets.map((snippet) => {
        const file = path.join(dir, `${snippet.file.replace(/[^\w]/g, "_")}_${snippet.line}.mts`);
        writeFileSync(file, `${snippet.code}\nexport {};\n`);
        return file;
      });
      const config = {
        extends: path.join(ROOT, "tsconfig.json"),
        compilerOptions: {
          noEmit: true,
          paths: { mailport: [path.join(ROOT, "src/index.ts")] },
          typeRoots: [path.join(ROOT, "node_modules/@types")],
        },
        include: [],
        files,
      };
      writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(config));
      const tsc = path.join(ROOT, "node_modules/typescript/bin/tsc");
      const result = spawnSync(process.execPath, [tsc, "-p", dir], { encoding: "utf8" });
      expect(result.stdout + result.stderr).toBe("");
      expect(result.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe.each(runnable.map((snippet) => [`${snippet.file}:${snippet.line}`, snippet] as const))("snippet %s", (_name, snippet) => {
  it("runs without error", async () => {
    const file = path.join(workDir, `${snippet.file.replace(/[^\w]/g, "_")}_${snippet.line}.ts`);
    writeFileSync(file, `${prepareSnippet(snippet.code, targets)}\nexport {};\n`);
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      await import(pathToFileURL(file).href);
    } finally {
      log.mockRestore();
    }
  });
});

/**
 * Finding the ```ts blocks of the guide and the README, and preparing them to run against
 * the embedded debug server.
 *
 * A block whose info string is `ts no-run` is shown but not run. In the blocks that run,
 * `port: 1025`, `port: 1587` and `port: 1465` are replaced by the ports of the debug
 * servers started for the run (plain, STARTTLS offered, implicit TLS), and the file name
 * `"debug-server.pem"` by the file holding their self-signed certificate.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** One fenced ```ts block. */
export interface Snippet {
  /** The file, relative to the repository. */
  readonly file: string;
  /** The line of the opening fence (1-based). */
  readonly line: number;
  /** The words after `ts` in the info string (`no-run` ...). */
  readonly flags: readonly string[];
  readonly code: string;
}

/** The repository root. */
export const ROOT = path.resolve(import.meta.dirname, "../..");

/** The markdown files whose snippets run: README.md and docs/*.md. */
export function documentationFiles(): string[] {
  const docs = readdirSync(path.join(ROOT, "docs"))
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => `docs/${name}`);
  return ["README.md", ...docs];
}

/**
 * The documentation pages that have no TypeScript to show, and why; every other page
 * must have at least one block that runs.
 */
export const PAGES_WITHOUT_SNIPPETS: Readonly<Record<string, string>> = {
  "docs/cli.md": "the command line: shell examples",
  "docs/divergences.md": "a table of differences from Python",
  "docs/python-to-typescript.md": "a generated table of names",
};

/** The ```ts (or ```typescript) blocks of a markdown text, in order. */
export function extractSnippets(file: string, markdown: string): Snippet[] {
  const snippets: Snippet[] = [];
  const lines = markdown.split("\n");
  let open: { line: number; flags: string[]; fence: string; body: string[] } | undefined;
  let otherFence: string | undefined;
  lines.forEach((text, index) => {
    if (open) {
      if (text.trim() === open.fence) {
        snippets.push({ file, line: open.line, flags: open.flags, code: open.body.join("\n") });
        open = undefined;
      } else {
        open.body.push(text);
      }
      return;
    }
    const fence = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)(.*)$/.exec(text);
    if (!fence) return;
    const marker = fence[2] ?? "```";
    if (otherFence !== undefined) {
      if (text.trim() === otherFence) otherFence = undefined;
      return;
    }
    const language = (fence[3] ?? "").toLowerCase();
    if (language === "ts" || language === "typescript") {
      open = { line: index + 1, flags: (fence[4] ?? "").trim().split(/\s+/).filter(Boolean), fence: marker, body: [] };
    } else {
      otherFence = marker;
    }
  });
  if (open) throw new Error(`${file}:${open.line}: a \`\`\`ts block is never closed`);
  return snippets;
}

/** Every snippet of the documentation files. */
export function allSnippets(): Snippet[] {
  return documentationFiles().flatMap((file) => extractSnippets(file, readFileSync(path.join(ROOT, file), "utf8")));
}

/** Where the snippets' servers listen, and the certificate file. */
export interface SnippetTargets {
  readonly plainPort: number;
  readonly starttlsPort: number;
  readonly tlsPort: number;
  readonly certificateFile: string;
}

/** The code as it runs: the documented ports and certificate file replaced by the real ones. */
export function prepareSnippet(code: string, targets: SnippetTargets): string {
  return code
    .replace(/\bport: 1025\b/g, `port: ${targets.plainPort}`)
    .replace(/\bport: 1587\b/g, `port: ${targets.starttlsPort}`)
    .replace(/\bport: 1465\b/g, `port: ${targets.tlsPort}`)
    .replace(/"debug-server\.pem"/g, JSON.stringify(targets.certificateFile));
}

import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// .ci/run sets VITEST_JSON to read the pass/fail counts from vitest's JSON report.
const jsonReport = process.env["VITEST_JSON"];

export default defineConfig({
  resolve: {
    // The guide's snippets import from "mailport", as a user's project would.
    alias: [{ find: /^mailport$/, replacement: fileURLToPath(new URL("./src/index.ts", import.meta.url)) }],
  },
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    reporters: jsonReport ? ["default", ["json", { outputFile: jsonReport }]] : ["default"],
  },
});

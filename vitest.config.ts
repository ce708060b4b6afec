import { defineConfig } from "vitest/config";

// .ci/run sets VITEST_JSON to read the pass/fail counts from vitest's JSON report.
const jsonReport = process.env["VITEST_JSON"];

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    reporters: jsonReport ? ["default", ["json", { outputFile: jsonReport }]] : ["default"],
  },
});

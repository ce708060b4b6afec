/**
 * Reading the command lines of `mailport send` and `mailport debug-server`: ports and
 * timeouts are plain decimal numbers in range, and every mistake is one plain line.
 */
import { describe, expect, it } from "vitest";
import { parseDebugServerArguments } from "../../src/cli/debug-server-command.js";
import { UsageError } from "../../src/cli/errors.js";
import { parseSendArguments } from "../../src/cli/send-command.js";

/** The UsageError message `parse` throws for `argv`. */
function usageError(parse: (argv: readonly string[]) => unknown, argv: readonly string[]): string {
  try {
    parse(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as UsageError).message;
  }
  throw new Error(`${argv.join(" ")} was accepted`);
}

describe("--port", () => {
  it.each(["0x19", "1e3", "25.0", " 25", "+25", "-1", "", "65536", "99999999"])("send refuses %j", (value) => {
    expect(usageError(parseSendArguments, ["--port", value, "m.eml"])).toBe(`--port must be a whole number from 1 to 65535, got ${JSON.stringify(value)}`);
  });

  it("send refuses port 0, which debug-server takes as any free port", () => {
    expect(usageError(parseSendArguments, ["--port", "0", "m.eml"])).toMatch(/^--port must be a whole number from 1 to 65535/);
    expect(parseDebugServerArguments(["--port", "0"]).port).toBe(0);
  });

  it.each(["-1", "0x19", "1e3", "65536"])("debug-server refuses %j", (value) => {
    expect(usageError(parseDebugServerArguments, ["--port", value])).toBe(`--port must be a whole number from 0 to 65535, got ${JSON.stringify(value)}`);
  });

  it("takes a decimal port, as a separate word or after =", () => {
    expect(parseSendArguments(["--port", "2525", "m.eml"]).port).toBe(2525);
    expect(parseSendArguments(["--port=65535", "m.eml"]).port).toBe(65535);
    expect(parseDebugServerArguments(["--port", "1"]).port).toBe(1);
  });
});

describe("--timeout", () => {
  it("takes decimal seconds", () => {
    expect(parseSendArguments(["--timeout", "2.5", "m.eml"]).timeout).toBe(2.5);
  });

  it.each(["0", "0x10", "1e3", "-5", "soon"])("refuses %j", (value) => {
    expect(usageError(parseSendArguments, ["--timeout", value, "m.eml"])).toBe(`--timeout must be a positive number of seconds, got ${JSON.stringify(value)}`);
  });
});

describe("command line mistakes", () => {
  it("names an unknown option", () => {
    expect(usageError(parseSendArguments, ["--frobnicate"])).toBe("unknown option --frobnicate");
  });

  it("says which option lacks its value, also when another option follows", () => {
    expect(usageError(parseSendArguments, ["--port"])).toBe("--port needs a value");
    expect(usageError(parseSendArguments, ["--to", "--from", "a@example.com", "m.eml"])).toBe("--to needs a value");
  });

  it("takes a value that starts with a dash but is no option", () => {
    expect(parseSendArguments(["--to", "-list@example.com", "m.eml"]).to).toEqual(["-list@example.com"]);
  });

  it("refuses a value for a flag", () => {
    expect(usageError(parseSendArguments, ["--tls=yes"])).toBe("--tls takes no value");
  });

  it("refuses an argument debug-server does not take", () => {
    expect(usageError(parseDebugServerArguments, ["extra"])).toBe('unexpected argument "extra"');
  });
});

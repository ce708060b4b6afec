import { describe, expect, it } from "vitest";
import {
  SMTPAuthenticationError,
  SMTPConnectError,
  SMTPConnectResponseError,
  SMTPConnectTimeoutError,
  SMTPDataError,
  SMTPException,
  SMTPHeloError,
  SMTPNotSupported,
  SMTPReadTimeoutError,
  SMTPRecipientRefused,
  SMTPRecipientsRefused,
  SMTPResponseException,
  SMTPSenderRefused,
  SMTPServerDisconnected,
  SMTPTimeoutError,
} from "../../src/smtp/errors.js";
import { SMTPResponse, SMTPStatus } from "../../src/smtp/response.js";
import { python } from "./python.js";

describe("the error hierarchy", () => {
  it("gives every class a fixed name equal to its Python name", () => {
    const errors: Error[] = [
      new SMTPException("x"),
      new SMTPServerDisconnected("x"),
      new SMTPConnectError("x"),
      new SMTPTimeoutError("x"),
      new SMTPConnectTimeoutError("x"),
      new SMTPReadTimeoutError("x"),
      new SMTPNotSupported("x"),
      new SMTPResponseException(500, "x"),
      new SMTPConnectResponseError(554, "x"),
      new SMTPHeloError(500, "x"),
      new SMTPDataError(554, "x"),
      new SMTPAuthenticationError(535, "x"),
      new SMTPSenderRefused(550, "x", "a@b"),
      new SMTPRecipientRefused(550, "x", "a@b"),
      new SMTPRecipientsRefused([]),
    ];
    for (const error of errors) {
      expect(error.name).toBe(error.constructor.name);
      expect(error).toBeInstanceOf(SMTPException);
      expect(error).toBeInstanceOf(Error);
    }
  });

  it("keeps Python's double parents: connect timeouts and bad greetings are also connect errors", () => {
    expect(new SMTPConnectTimeoutError("x")).toBeInstanceOf(SMTPTimeoutError);
    expect(new SMTPConnectTimeoutError("x")).toBeInstanceOf(SMTPConnectError);
    expect(new SMTPConnectResponseError(554, "x")).toBeInstanceOf(SMTPResponseException);
    expect(new SMTPConnectResponseError(554, "x")).toBeInstanceOf(SMTPConnectError);
    expect(new SMTPReadTimeoutError("x")).not.toBeInstanceOf(SMTPConnectError);
    expect(new SMTPHeloError(500, "x")).not.toBeInstanceOf(SMTPConnectError);
  });

  it("carries the reply code, text, command and the refused address", () => {
    const error = new SMTPSenderRefused(553, "bad sender", "a@b");
    expect([error.code, error.message, error.sender, error.command]).toEqual([553, "bad sender", "a@b", "MAIL"]);
    expect(String(error.response)).toBe("553 bad sender");
    const refused = new SMTPRecipientRefused(550, "no", "c@d");
    expect(new SMTPRecipientsRefused([refused]).recipients).toEqual([refused]);
  });

  it("keeps a wrapped error as cause", () => {
    const cause = new Error("ECONNREFUSED");
    expect(new SMTPConnectError("failed", { cause }).cause).toBe(cause);
  });
});

describe("SMTPStatus and SMTPResponse", () => {
  it("has aiosmtplib's codes under its names, in camelCase", () => {
    const names: Record<string, number> = python(`
import json
# aiosmtplib's SMTPStatus (typing.py), copied here as data to compare against.
codes = dict(invalid_response=-1, system_status_ok=211, help_message=214, ready=220, closing=221,
  auth_successful=235, completed=250, will_forward=251, cannot_vrfy=252, auth_continue=334,
  start_input=354, domain_unavailable=421, mailbox_unavailable=450, error_processing=451,
  insufficient_storage=452, tls_not_available=454, unrecognized_command=500,
  unrecognized_parameters=501, command_not_implemented=502, bad_command_sequence=503,
  parameter_not_implemented=504, domain_does_not_accept_mail=521, access_denied=530,
  auth_failed=535, mailbox_does_not_exist=550, user_not_local=551, storage_exceeded=552,
  mailbox_name_invalid=553, transaction_failed=554, syntax_error=555)
camel = lambda s: s.split("_")[0] + "".join(w.title() for w in s.split("_")[1:])
print(json.dumps({camel(k): v for k, v in codes.items()}))
`);
    expect({ ...SMTPStatus }).toEqual(names);
  });

  it("prints a response as code and text", () => {
    expect(String(new SMTPResponse(250, "OK"))).toBe("250 OK");
    expect(Object.isFrozen(new SMTPResponse(250, "OK"))).toBe(true);
  });
});

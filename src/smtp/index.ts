/**
 * The SMTP client (a port of aiosmtplib): the public API of `src/smtp`.
 *
 * @module
 */
export {
  SMTP,
  AUTH_METHODS,
  DEFAULT_TIMEOUT,
  SMTP_PORT,
  SMTP_STARTTLS_PORT,
  SMTP_TLS_PORT,
  type AddressCommandOptions,
  type BdatOptions,
  type ClientSendOptions,
  type CallOptions,
  type ConnectOptions,
  type ResolvedSMTPOptions,
  type SMTPOptions,
  type SendMessageOptions,
  type SendResult,
  type SendmailOptions,
  type StartTlsOptions,
} from "./client.js";
export { send, type SendOptions } from "./send.js";
export { SMTPResponse, SMTPStatus, type SMTPStatusCode } from "./response.js";
export {
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
} from "./errors.js";
export { parseEsmtpExtensions, type EsmtpCapabilities } from "./esmtp.js";
export { extractRecipients, extractSender, flattenMessage, parseAddress, quoteAddress, type FlattenMessageOptions } from "./envelope.js";
export { checkDsnOptions, dsnMailParameters, dsnRcptParameters, xtextEncode, type DSNOptions, type DSNNotifyEvent } from "./dsn.js";
export type { LogEntry, LogLevel, SMTPEvents, SMTPHooks, SMTPLogger, SentMessage } from "./events.js";
export { messageFromInit, messageIdOf, rawMessageId } from "./envelope.js";

/**
 * `npm run demo`: starts the embedded debug server on a free loopback port, sends the
 * guide's hello-world message and a multipart/alternative message to it with `send()`
 * (over STARTTLS, logging in), and prints the SMTP conversation (credentials masked) and
 * each message as the server received it. Nothing leaves 127.0.0.1.
 *
 * @module
 */
import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { EmailMessage, send } from "../index.js";
import { startDebugServer } from "./debug-server.js";
import { MASK } from "./transcript.js";

/** The guide's first message. */
export function helloWorldMessage(): EmailMessage {
  const message = new EmailMessage();
  message.set("From", "root@localhost");
  message.set("To", "somebody@example.com");
  message.set("Subject", "Hello World!");
  message.setContent("Sent via mailport");
  return message;
}

/** A message with a plain-text body and an HTML alternative. */
export function alternativeMessage(): EmailMessage {
  const message = new EmailMessage();
  message.set("From", "Ada Lovelace <ada@example.com>");
  message.set("To", "Charles Babbage <charles@example.org>");
  message.set("Subject", "Notes on the Analytical Engine");
  message.setContent("Dear Charles,\n\nThe engine weaves algebraic patterns.\n\nAda\n");
  message.addAlternative(
    "<p>Dear Charles,</p>\n<p>The engine weaves <em>algebraic patterns</em>.</p>\n<p>Ada</p>\n",
    { subtype: "html" },
  );
  return message;
}

/**
 * Runs the demo, writing to `write` (default standard output).
 * @returns the number of messages the server received
 * @throws the errors of {@link startDebugServer} and of `send()`
 */
export async function runDemo(write: (text: string) => void = (text) => process.stdout.write(text)): Promise<number> {
  const server = await startDebugServer({
    port: 0,
    starttls: true,
    onConversation: (line) => write(`  ${line.from}: ${line.text}\n`),
    onMessage: (_message, report) => write(`\nThe server received:\n${report}\n`),
  });
  write(`mailport demo: a debug server listens on ${server.host} port ${server.port} (STARTTLS, any login).\n`);
  write("In the conversations below, C: is what the client sent and S: what the server replied;\n");
  write(`${MASK} stands for credentials, which are never shown.\n`);
  try {
    const messages: Array<[string, EmailMessage]> = [
      ["the hello-world message", helloWorldMessage()],
      ["a multipart/alternative message (plain text and HTML)", alternativeMessage()],
    ];
    for (const [what, message] of messages) {
      write(`\n==> send(${what}): the conversation, as the server saw it\n`);
      const { errors, response } = await send(message, {
        hostname: server.host,
        port: server.port,
        startTls: true,
        // The debug server's certificate is self-signed: trust exactly that one.
        certBundle: server.certificate,
        username: "demo",
        password: "demo-password",
      });
      write(`<== send() resolved: ${String(response)}; refused recipients: ${errors.size}\n`);
    }
  } finally {
    await server.close();
  }
  write(`\nDone: the server received ${server.messages.length} messages. Next: docs/guide.md.\n`);
  return server.messages.length;
}

if (process.argv[1] !== undefined && pathToFileURL(realpathSync(process.argv[1])).href === import.meta.url) {
  // A closed pipe (`npm run demo | head`) ends the demo quietly.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
  try {
    await runDemo();
  } catch (error) {
    process.stderr.write(`mailport demo: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`);
    process.exitCode = 1;
  }
}

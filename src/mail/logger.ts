// The one logging shape below the UI layer. The extension adapts VS Code's LogOutputChannel to it; tests pass a
// collector. Protocol code tags its lines ("[imap:host]") and must never pass a secret or a message body.

export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /**
   * Whether trace lines are kept at all (absent: they are). Protocol code asks before it builds a line for every
   * server response: formatting and redacting a 10,000-message FETCH only to throw it away costs real time.
   */
  tracing?(): boolean;
}

export const silentLogger: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  tracing: () => false,
};

/** A logger whose lines carry a tag, so one output channel can hold every account's protocol log. */
export function taggedLogger(base: Logger, tag: string): Logger {
  const prefix = `[${tag}] `;
  return {
    trace: (m) => {
      if (base.tracing?.() !== false) base.trace(prefix + redactSecrets(m));
    },
    debug: (m) => base.debug(prefix + redactSecrets(m)),
    info: (m) => base.info(prefix + redactSecrets(m)),
    warn: (m) => base.warn(prefix + redactSecrets(m)),
    error: (m) => base.error(prefix + redactSecrets(m)),
    tracing: () => base.tracing?.() !== false,
  };
}

const REDACTED = '<redacted>';

/**
 * Removes credentials from a protocol line. A last line of defence: protocol code should not log them at all, but
 * a library's debug output (imapflow logs every command it sends) must not leak a password either.
 */
export function redactSecrets(line: string): string {
  return (
    line
      // IMAP: tag LOGIN user password (atoms, quoted strings or literals)
      .replace(/(\bLOGIN\s+(?:"(?:[^"\\]|\\.)*"|\S+)\s+)("(?:[^"\\]|\\.)*"|\{\d+\+?\}|\S+)/gi, `$1${REDACTED}`)
      // IMAP/POP3 SASL: AUTHENTICATE PLAIN <initial response>, AUTH PLAIN <initial response>, XOAUTH2 tokens
      .replace(/(\bAUTH(?:ENTICATE)?\s+(?:PLAIN|LOGIN|XOAUTH2|OAUTHBEARER)\s+)\S+/gi, `$1${REDACTED}`)
      // POP3: PASS secret / APOP user digest
      .replace(/(^|\s|")(PASS\s+)[^\r\n"]+/gi, `$1$2${REDACTED}`)
      .replace(/(\bAPOP\s+\S+\s+)\S+/gi, `$1${REDACTED}`)
      // Generic key/value shapes from structured log objects
      .replace(
        /("?(?:pass|password|accessToken|token)"?\s*[:=]\s*)("(?:[^"\\]|\\.)*"|'[^']*'|[^\s,}]+)/gi,
        `$1${REDACTED}`,
      )
  );
}

// Text from a server or a mail is data. VS Code renders "[label](command:...)" in a notification as a clickable
// link that runs a command, and an IMAP NO text or a POP3 -ERR (which can arrive before TLS, from anyone on the
// path) could carry one. This keeps such text readable while no link syntax survives. VS Code-free, for tests.

/**
 * Breaks every "](" so that no "[label](target)" can form (VS Code's linkedText parser needs them adjacent), and
 * also "<http..>"-style autolinks. The text stays legible: only a thin space is added.
 */
export function neutraliseLinks(text: string): string {
  return text
    .replace(/\]\(/g, ']\u2009(')
    .replace(/<(?=[a-z][a-z0-9+.-]*:)/gi, '<\u2009');
}

/**
 * The raw message as text, byte for byte: UTF-8 where it is valid UTF-8, else each byte as its Latin-1 character,
 * so 8-bit mail (Latin-1, windows-1252 parts) is never mangled into replacement characters.
 */
export function sourceText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return bytes.toString('latin1');
  }
}

// Text from a server or a mail is data. VS Code renders "[label](command:...)" in a notification as a clickable
// link that runs a command, and an IMAP NO text or a POP3 -ERR (which can arrive before TLS, from anyone on the
// path) could carry one; quick picks, the status bar and notifications render "$(name)" as an icon, so a subject
// "$(verified-filled) PayPal" would borrow VS Code's own badges. plainText keeps such text readable while neither
// survives; every surface shows untrusted text through it (ESLint holds the surfaces to their sanctioned modules:
// util/notify.ts, util/quickPick.ts, the tree's present()). VS Code-free, for tests.

/** Untrusted text as it may appear on any VS Code surface: no link, no icon. */
export function plainText(text: string): string {
  return neutraliseIcons(neutraliseLinks(text));
}

/**
 * Breaks every "$(" with a zero-width space, which no surface shows: VS Code's icon syntax needs the two adjacent
 * (its backslash escape would show the backslash on surfaces that do not parse icons, such as tree labels).
 */
export function neutraliseIcons(text: string): string {
  return text.replace(/\$\(/g, () => '$\u200b(');
}

/** A quick pick item whose label, description and detail are shown as text, with our own `icon` in front. */
export function plainItem<T extends { label: string; description?: string; detail?: string; icon?: string }>(
  item: T,
): T {
  return {
    ...item,
    label: withIcon(item.icon, item.label),
    description: item.description === undefined ? undefined : plainText(item.description),
    detail: item.detail === undefined ? undefined : plainText(item.detail),
  };
}

/** Our own codicon in front of untrusted text: the icon is rendered, the text is not parsed. */
export function withIcon(icon: string | undefined, text: string): string {
  return [icon ? `$(${icon})` : '', plainText(text)].filter(Boolean).join(' ');
}

/**
 * Breaks every "](" so that no "[label](target)" can form (VS Code's linkedText parser needs them adjacent), and
 * also "<http..>"-style autolinks. The text stays legible: only a thin space is added.
 */
export function neutraliseLinks(text: string): string {
  return text.replace(/\]\(/g, ']\u2009(').replace(/<(?=[a-z][a-z0-9+.-]*:)/gi, '<\u2009');
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

// Names for attachments written to disk. A name comes from the sender, so it is hostile: it must never leave the
// chosen folder ("../../.bashrc"), never be a device ("CON"), never hide ("." files) and never be empty.

const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;
const MAX_LENGTH = 120;

export function safeAttachmentName(raw: string, fallback = 'attachment'): string {
  // Only the last path segment counts, whichever separator the sender used.
  const base = raw.split(/[/\\]/).pop() ?? '';
  let name = base
    .replace(/[\u0000-\u001f\u007f<>:"|?*\u202a-\u202e\u2066-\u2069]/g, '_')
    .replace(/^[\s.]+/, '')
    .replace(/[\s.]+$/, '')
    .trim();
  if (!name || RESERVED.test(name)) name = name ? `_${name}` : fallback;
  if (name.length > MAX_LENGTH) {
    const dot = name.lastIndexOf('.');
    const extension = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
    name = name.slice(0, MAX_LENGTH - extension.length) + extension;
  }
  return name;
}

/** Files that run code when opened: the user is asked before Letterbox opens them. */
export function runsCode(name: string): boolean {
  return /\.(exe|msi|bat|cmd|com|scr|pif|ps1|vbs|vbe|js|jse|wsf|wsh|hta|jar|sh|bash|zsh|command|app|dmg|pkg|deb|rpm|appimage|lnk|reg|html?|svg|xhtml)$/i.test(name);
}

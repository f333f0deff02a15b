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

/**
 * How an attachment may be opened, decided by its extension alone, because that is what the operating system goes
 * by. An allow-list, not a deny-list: new ways to run code on open keep appearing (.settingcontent-ms, .appref-ms,
 * .one, .xll, .desktop, .terminal), and anything not known to be harmless is asked about first.
 * - editor: text and images VS Code shows itself, without running anything;
 * - system: documents and media without macros, handed to the default program;
 * - ask: everything else.
 */
export type OpenWith = 'editor' | 'system' | 'ask';

const EDITOR = new Set([
  'txt',
  'text',
  'md',
  'markdown',
  'csv',
  'tsv',
  'log',
  'json',
  'xml',
  'yaml',
  'yml',
  'toml',
  'ini',
  'diff',
  'patch',
  'eml',
  'ics',
  'vcf',
  'png',
  'jpg',
  'jpeg',
  'gif',
  'webp',
  'bmp',
  'ico',
]);
const SYSTEM = new Set([
  'pdf',
  'docx',
  'xlsx',
  'pptx',
  'odt',
  'ods',
  'odp',
  'odg',
  'epub',
  'mp3',
  'wav',
  'ogg',
  'oga',
  'flac',
  'm4a',
  'aac',
  'opus',
  'mp4',
  'm4v',
  'webm',
  'mov',
  'heic',
  'heif',
  'avif',
  'tif',
  'tiff',
]);

export function openWith(name: string): OpenWith {
  const extension = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase();
  if (!extension) return 'ask';
  if (EDITOR.has(extension)) return 'editor';
  if (SYSTEM.has(extension)) return 'system';
  return 'ask';
}

/** Files known to run code when opened: the question about them is worded more strongly. */
export function runsCode(name: string): boolean {
  return /\.(exe|msi|msix|appx|bat|cmd|com|cpl|scr|pif|ps1|psm1|psd1|vbs|vbe|js|jse|wsf|wsh|hta|jar|jnlp|sh|bash|zsh|command|tool|terminal|app|dmg|pkg|deb|rpm|appimage|desktop|lnk|url|scf|reg|inf|msc|chm|xll|xlam|xlsm|docm|dotm|pptm|one|iso|img|vhd|vhdx|appref-ms|settingcontent-ms|search-ms|library-ms|fileloc|webloc|py|pyw|rb|pl|html?|svg|xhtml|mht|mhtml)$/i.test(
    name,
  );
}

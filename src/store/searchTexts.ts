// The searchable text of each stored message, for local search: decoded (not raw base64 or quoted-printable),
// lower-cased, at most TEXT_LIMIT characters of it. Made once per message, kept in memory and in
// search-text.json beside the index, so a search over 10,000 messages reads no mail file. A cache: losing it
// costs time, never mail, so it is written without the store's lock (a unique temp file, then a rename).
import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const VERSION = 1;
/** Per message: enough for any body people search in, bounded for huge ones. */
const TEXT_LIMIT = 64 * 1024;

interface CacheFile {
  version: number;
  /** Maildir base name -> searchable text. */
  texts: Record<string, string>;
}

export class SearchTexts {
  private texts: Map<string, string> | undefined;
  private dirty = false;

  constructor(private readonly root: string) {}

  /**
   * The text of each message, made where missing by `read` (the raw message). Messages that no longer exist drop
   * out of the cache, which is saved when it changed.
   */
  async textsOf(messages: Array<{ base: string; read: () => Promise<Buffer> }>): Promise<Map<string, string>> {
    const texts = await this.load();
    const wanted = new Set(messages.map((message) => message.base));
    for (const base of [...texts.keys()]) {
      if (!wanted.has(base)) {
        texts.delete(base);
        this.dirty = true;
      }
    }
    for (const message of messages) {
      if (texts.has(message.base)) continue;
      texts.set(message.base, await searchableText(await message.read().catch(() => Buffer.alloc(0))));
      this.dirty = true;
    }
    if (this.dirty) await this.save(texts);
    return texts;
  }

  private async load(): Promise<Map<string, string>> {
    if (this.texts) return this.texts;
    try {
      const file = JSON.parse(await readFile(this.path(), 'utf8')) as CacheFile;
      this.texts = file.version === VERSION && file.texts && typeof file.texts === 'object' ? new Map(Object.entries(file.texts)) : new Map();
    } catch {
      this.texts = new Map();
    }
    return this.texts;
  }

  private async save(texts: Map<string, string>): Promise<void> {
    const temp = `${this.path()}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(temp, JSON.stringify({ version: VERSION, texts: Object.fromEntries(texts) } satisfies CacheFile), { mode: 0o600 });
    await rename(temp, this.path());
    this.dirty = false;
  }

  private path(): string {
    return join(this.root, 'search-text.json');
  }
}

/** What a person could search for in a message: its text part, or the text of its HTML, lower-cased. */
export async function searchableText(raw: Buffer): Promise<string> {
  try {
    // Loaded on first use: see protocols/mime/loadParser.ts for why.
    const { simpleParser } = await import('mailparser');
    const parsed = await simpleParser(raw, { skipTextToHtml: true, skipImageLinks: true, skipTextLinks: true });
    return normalise(parsed.text ?? '').slice(0, TEXT_LIMIT);
  } catch {
    return normalise(raw.toString('utf8')).slice(0, TEXT_LIMIT);
  }
}

export function normalise(text: string): string {
  return text.toLocaleLowerCase().replace(/\s+/g, ' ');
}

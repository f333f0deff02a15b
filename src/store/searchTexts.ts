// The searchable text of stored messages, for local search: decoded (not raw base64 or quoted-printable),
// lower-cased, at most TEXT_LIMIT characters per message. Bounded in total too: the text of the newest messages is
// kept until TOTAL_TEXT_LIMIT characters (in memory and in search-text.json beside the index), and older messages
// are searched by sender and subject only, which the search says. Made at the first search, not after every
// check, and let go from memory when no search ran for a while, so a user who never searches pays nothing. A
// cache: losing it costs time, never mail, so it is written without the store's lock (a unique temp file, then a
// rename, atomicWrite.ts).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MessageReading } from '../mail/types';
import { writeAtomically } from './atomicWrite';

const VERSION = 2;
/** Per message: the words people search for are near the top; a huge message is cut here. */
export const TEXT_LIMIT = 16 * 1024;
/** All messages together: about 16 MB on disk and 16-32 MB in memory while searches run. */
export const TOTAL_TEXT_LIMIT = 16 * 1024 * 1024;
/** Memory is given back this long after the last search; the next one reads search-text.json again. */
const IDLE_MS = 5 * 60_000;

interface CacheFile {
  version: number;
  /** Maildir base name -> searchable text. */
  texts: Record<string, string>;
}

export interface SearchTextOptions {
  totalLimit?: number;
  idleMs?: number;
}

export interface SearchableTexts {
  /** Maildir base name -> text, for the newest messages within the bound. */
  texts: Map<string, string>;
  /** Messages past the bound: searched by their headers only. */
  headersOnly: number;
}

export class SearchTexts {
  private texts: Map<string, string> | undefined;
  private release: NodeJS.Timeout | undefined;

  constructor(
    private readonly root: string,
    private readonly reading: Pick<MessageReading, 'searchableText'>,
    private readonly options: SearchTextOptions = {},
  ) {}

  /**
   * The text of each message, newest first, made where missing by `read` (the raw message), until the total bound.
   * Messages that no longer exist, or fell past the bound, drop out of the cache, which is saved when it changed.
   */
  async textsOf(newestFirst: Array<{ base: string; read: () => Promise<Buffer> }>): Promise<SearchableTexts> {
    const known = await this.load();
    const limit = this.options.totalLimit ?? TOTAL_TEXT_LIMIT;
    const kept = new Map<string, string>();
    let total = 0;
    let changed = false;
    let headersOnly = 0;
    for (const message of newestFirst) {
      if (total >= limit) {
        headersOnly++;
        continue;
      }
      let text = known.get(message.base);
      if (text === undefined) {
        text = await this.reading.searchableText(await message.read().catch(() => Buffer.alloc(0)), TEXT_LIMIT);
        changed = true;
      }
      total += text.length;
      if (total > limit) {
        headersOnly++;
        continue;
      }
      kept.set(message.base, text);
    }
    if (kept.size !== known.size) changed = true;
    this.texts = kept;
    if (changed) await this.save(kept);
    this.releaseLater();
    return { texts: kept, headersOnly };
  }

  /** Whether texts are held in memory now (for tests of the idle release). */
  get holding(): boolean {
    return this.texts !== undefined;
  }

  dispose(): void {
    clearTimeout(this.release);
    this.texts = undefined;
  }

  private releaseLater(): void {
    clearTimeout(this.release);
    this.release = setTimeout(() => {
      this.texts = undefined;
    }, this.options.idleMs ?? IDLE_MS);
    this.release.unref?.();
  }

  private async load(): Promise<Map<string, string>> {
    if (this.texts) return this.texts;
    try {
      const file = JSON.parse(await readFile(this.path(), 'utf8')) as CacheFile;
      return file.version === VERSION && file.texts && typeof file.texts === 'object'
        ? new Map(Object.entries(file.texts))
        : new Map();
    } catch {
      return new Map();
    }
  }

  private async save(texts: Map<string, string>): Promise<void> {
    await writeAtomically(
      this.path(),
      JSON.stringify({ version: VERSION, texts: Object.fromEntries(texts) } satisfies CacheFile),
      'cache',
    );
  }

  private path(): string {
    return join(this.root, 'search-text.json');
  }
}

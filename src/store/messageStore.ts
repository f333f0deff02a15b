// One account's offline mail: a Maildir plus its index. Opening it repairs what a crash can leave behind: stray
// tmp files, delivered messages the index missed (adopted, so they are never downloaded twice), and a damaged index
// (rebuilt from the Maildir's file names).
import { stat, rename as renameFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../mail/logger';
import { MailError } from '../mail/mailError';
import { readIndex, writeIndex, type IndexEntry, type StoredSummary } from './accountIndex';
import { Maildir, tagOf, type MaildirFile } from './maildir';
import { HEADER_BYTES, summarize } from './summarize';

export interface StoredMessage {
  uid: string;
  file: MaildirFile;
  summary: StoredSummary;
  firstSeen: Date;
}

export interface LocalFlagChange {
  seen?: boolean;
  flagged?: boolean;
  trashed?: boolean;
}

export class MessageStore {
  private readonly entries = new Map<string, IndexEntry>();
  private readonly files = new Map<string, MaildirFile>();
  private dirty = false;

  private constructor(private readonly maildir: Maildir, private readonly indexPath: string, private readonly log: Logger) {}

  static async open(root: string, log: Logger): Promise<MessageStore> {
    const store = new MessageStore(new Maildir(join(root, 'Maildir')), join(root, 'index.json'), log);
    await store.load();
    return store;
  }

  /** True for every UIDL downloaded before, including ones since deleted here (tombstones). */
  knows(uid: string): boolean {
    return this.entries.has(uid);
  }

  uids(): string[] {
    return [...this.entries.keys()];
  }

  /** Present here, or deleted here: what "delete from server when deleted locally" acts on. */
  deletedLocally(uid: string): boolean {
    const entry = this.entries.get(uid);
    if (!entry) return false;
    if (entry.base === null) return true;
    return this.files.get(entry.base)?.flags.has('T') ?? false;
  }

  firstSeen(uid: string): Date | undefined {
    const entry = this.entries.get(uid);
    return entry ? new Date(entry.firstSeen) : undefined;
  }

  messages(): StoredMessage[] {
    const result: StoredMessage[] = [];
    for (const entry of this.entries.values()) {
      const file = entry.base === null ? undefined : this.files.get(entry.base);
      if (file && entry.summary) result.push({ uid: entry.uid, file, summary: entry.summary, firstSeen: new Date(entry.firstSeen) });
    }
    return result;
  }

  get(uid: string): StoredMessage | undefined {
    const entry = this.entries.get(uid);
    const file = entry?.base ? this.files.get(entry.base) : undefined;
    return entry && file && entry.summary ? { uid, file, summary: entry.summary, firstSeen: new Date(entry.firstSeen) } : undefined;
  }

  async read(uid: string): Promise<Buffer> {
    return this.maildir.read(this.require(uid).file);
  }

  /** Starts writing a downloaded message; nothing is recorded until `deliver()` made it durable. */
  beginDownload(uid: string): StoreDownload {
    if (this.knows(uid)) throw new Error(`message ${uid} is already in the store`);
    return new StoreDownload(this, uid, this.maildir.beginWrite(this.maildir.newBase(Buffer.from(uid, 'utf8').toString('base64url'))));
  }

  /** Called by StoreDownload once the file is durable in new/. */
  async recordDelivered(uid: string, file: MaildirFile, start: Buffer, size: number): Promise<void> {
    this.files.set(file.base, file);
    this.entries.set(uid, { uid, base: file.base, firstSeen: new Date().toISOString(), summary: await summarize(start, size) });
    this.dirty = true;
  }

  async setFlags(uid: string, change: LocalFlagChange): Promise<void> {
    const { file } = this.require(uid);
    const flags = new Set(file.flags);
    const apply = (flag: string, on: boolean | undefined) => {
      if (on === true) flags.add(flag);
      if (on === false) flags.delete(flag);
    };
    apply('S', change.seen);
    apply('F', change.flagged);
    apply('T', change.trashed);
    this.files.set(file.base, await this.maildir.setFlags(file, flags));
  }

  /** Deletes the local copy for good; the UIDL stays known so the message is not downloaded again. */
  async purge(uid: string): Promise<void> {
    const { file } = this.require(uid);
    await this.maildir.remove(file);
    this.files.delete(file.base);
    const entry = this.entries.get(uid);
    if (entry) this.entries.set(uid, { ...entry, base: null, summary: null });
    this.dirty = true;
  }

  /** Drops tombstones of messages the server no longer has: nothing can bring them back now. */
  forgetTombstonesExcept(onServer: Set<string>): void {
    for (const [uid, entry] of this.entries) {
      if (entry.base === null && !onServer.has(uid)) {
        this.entries.delete(uid);
        this.dirty = true;
      }
    }
  }

  /** Makes the index durable. Sync calls this before any DELE. */
  async flush(): Promise<void> {
    if (!this.dirty) return;
    await writeIndex(this.indexPath, [...this.entries.values()]);
    this.dirty = false;
  }

  private require(uid: string): StoredMessage {
    const message = this.get(uid);
    if (!message) throw new MailError('notFound', `message ${uid} is not in the local store (deleted, or the store was changed outside Letterbox)`);
    return message;
  }

  private async load(): Promise<void> {
    await this.maildir.ensure();
    const stray = await this.maildir.cleanTmp();
    if (stray) this.log.info(`removed ${stray} interrupted download(s) from tmp/`);
    for (const file of await this.maildir.list()) this.files.set(file.base, file);
    const index = await readIndex(this.indexPath);
    if (index.state === 'ok') {
      for (const entry of index.entries) this.entries.set(entry.uid, entry);
    } else if (index.state === 'damaged') {
      const kept = `${this.indexPath}.damaged-${Date.now()}`;
      await renameFile(this.indexPath, kept);
      this.log.warn(`the message index was damaged (${index.reason}); kept it as ${kept} and rebuilt it from the Maildir`);
    }
    await this.reconcile();
  }

  /** The Maildir is the truth: adopt files the index lacks, turn entries whose file vanished into tombstones. */
  private async reconcile(): Promise<void> {
    const known = new Set<string>();
    for (const entry of this.entries.values()) {
      if (entry.base === null) continue;
      if (this.files.has(entry.base)) known.add(entry.base);
      else {
        this.entries.set(entry.uid, { ...entry, base: null, summary: null });
        this.dirty = true;
      }
    }
    for (const file of this.files.values()) {
      if (known.has(file.base)) continue;
      const tag = tagOf(file.base);
      const uid = tag ? Buffer.from(tag, 'base64url').toString('utf8') : `local:${file.base}`;
      const path = this.maildir.pathOf(file);
      const content = await this.maildir.read(file);
      const info = await stat(path);
      this.entries.set(uid, { uid, base: file.base, firstSeen: info.mtime.toISOString(), summary: await summarize(content.subarray(0, HEADER_BYTES), content.length) });
      this.dirty = true;
    }
    if (this.dirty) await this.flush();
  }
}

/** One message on its way from the server to the Maildir. */
export class StoreDownload {
  private readonly head: Buffer[] = [];
  private headBytes = 0;

  constructor(private readonly store: MessageStore, readonly uid: string, private readonly writer: ReturnType<Maildir['beginWrite']>) {}

  write(chunk: Buffer): void {
    this.writer.write(chunk);
    if (this.headBytes < HEADER_BYTES) {
      this.head.push(chunk.subarray(0, HEADER_BYTES - this.headBytes));
      this.headBytes += Math.min(chunk.length, HEADER_BYTES - this.headBytes);
    }
  }

  async deliver(): Promise<void> {
    const file = await this.writer.deliver();
    await this.store.recordDelivered(this.uid, file, Buffer.concat(this.head), this.writer.bytes);
  }

  abort(): Promise<void> {
    return this.writer.abort();
  }
}

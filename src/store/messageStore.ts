// One account's offline mail: a Maildir plus its index, shared by every VS Code window. Changes that touch the
// index happen inside exclusive(), which holds the store's cross-process lock and first reloads what other windows
// wrote. Loading repairs what a crash can leave behind: delivered messages the index missed (adopted, so they are
// never downloaded twice) and a damaged index (rebuilt from the Maildir's file names). A file that vanished
// outside Letterbox is not a deletion the user made: its entry is dropped, so the message downloads again if the
// server still has it, and nothing is ever deleted from the server on its account.
import { watch } from 'node:fs';
import { readdir, rename as renameFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../mail/logger';
import { MailError } from '../mail/mailError';
import type { MessageReading } from '../mail/types';
import { readIndex, writeIndex, type IndexEntry, type StoredSummary } from './accountIndex';
import { hashedId, Maildir, tagOf, type MaildirFile } from './maildir';
import { StoreLock } from './storeLock';
import { storageError } from './storageError';
import { HEADER_BYTES, StoreDownload } from './storeDownload';
import { summarizeAgain } from './summaryUpgrade';

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

/** What the store knows of one message id. */
export type LocalState = 'unknown' | 'stored' | 'trashed' | 'deletedByUser';

/** Temp files younger than this may belong to a download in progress in another process. */
const TMP_GRACE_MS = 60_000;

export class MessageStore {
  private entries = new Map<string, IndexEntry>();
  private files = new Map<string, MaildirFile>();
  private dirty = false;
  /** The index on disk is of an older version that the lock holder upgrades (store/summaryUpgrade.ts). */
  private outdated = false;
  private writing: Promise<void> = Promise.resolve();
  private vanished = 0;
  private readonly lock: StoreLock;

  private constructor(
    private readonly root: string,
    private readonly maildir: Maildir,
    private readonly indexPath: string,
    private readonly log: Logger,
    private readonly reading: Pick<MessageReading, 'summarize'>,
  ) {
    this.lock = new StoreLock(root);
  }

  /** Opens the store for reading; it is written only inside exclusive(). */
  static async open(root: string, log: Logger, reading: Pick<MessageReading, 'summarize'>): Promise<MessageStore> {
    const store = new MessageStore(root, new Maildir(join(root, 'Maildir')), join(root, 'index.json'), log, reading);
    await store.maildir.ensure();
    await store.load(false);
    return store;
  }

  /**
   * Runs `work` as the one writer of this store among all processes, on a fresh view of the disk, and makes the
   * index durable before the lock is released. `stillHeld` throws if the lock was lost meanwhile (call it before
   * anything irreversible, such as deleting mail from a server).
   */
  exclusive<T>(work: (stillHeld: () => void) => Promise<T>, waitMs = 30_000): Promise<T> {
    return this.lock.run(waitMs, async (stillHeld) => {
      await this.load(true).catch((error: unknown) => {
        throw storageError(`cannot read the local mail store in ${this.root}`, error);
      });
      try {
        return await work(stillHeld);
      } finally {
        stillHeld();
        await this.flush();
      }
    });
  }

  /** Re-reads what other windows changed, when the index or the Maildir changed on disk. Cheap when nothing did. */
  async refresh(): Promise<boolean> {
    const signature = await this.diskSignature();
    if (signature === this.loadedSignature) return false;
    await this.load(false);
    return true;
  }

  /**
   * Calls `onChange` when another process changed the store (new mail downloaded, a message read or deleted in
   * another window), after re-reading it. This store's own changes do not count.
   */
  watchChanges(onChange: () => void): { dispose(): void } {
    let timer: NodeJS.Timeout | undefined;
    const check = () => {
      clearTimeout(timer);
      timer = setTimeout(
        () =>
          void this.refresh().then(
            (changed) => changed && onChange(),
            () => undefined,
          ),
        300,
      );
    };
    const watchers = [this.root, join(this.maildir.root, 'new'), join(this.maildir.root, 'cur')].map((path) => {
      try {
        const watcher = watch(path, check);
        watcher.on('error', () => undefined);
        return watcher;
      } catch {
        return undefined;
      }
    });
    return {
      dispose: () => {
        clearTimeout(timer);
        for (const watcher of watchers) watcher?.close();
      },
    };
  }

  knows(uid: string): boolean {
    return this.entries.has(uid);
  }

  uids(): string[] {
    return [...this.entries.keys()];
  }

  localState(uid: string): LocalState {
    const entry = this.entries.get(uid);
    if (!entry) return 'unknown';
    if (entry.base === null) return 'deletedByUser';
    return this.files.get(entry.base)?.flags.has('T') ? 'trashed' : 'stored';
  }

  /** Deleted here by the user (moved to Trash, or purged): what "delete from server when deleted locally" acts on. */
  deletedLocally(uid: string): boolean {
    const state = this.localState(uid);
    return state === 'trashed' || state === 'deletedByUser';
  }

  /** True only if the message's file exists on disk right now: the last check before its server copy may go. */
  async hasLocalCopy(uid: string): Promise<boolean> {
    const entry = this.entries.get(uid);
    const file = entry?.base ? this.files.get(entry.base) : undefined;
    if (!file) return false;
    return (await this.maildir.locate(file)) !== undefined;
  }

  /** How many downloaded messages had vanished from disk (outside Letterbox) at the last load; then zero. */
  takeVanished(): number {
    const count = this.vanished;
    this.vanished = 0;
    return count;
  }

  firstSeen(uid: string): Date | undefined {
    const entry = this.entries.get(uid);
    return entry ? new Date(entry.firstSeen) : undefined;
  }

  messages(): StoredMessage[] {
    const result: StoredMessage[] = [];
    for (const entry of this.entries.values()) {
      const file = entry.base === null ? undefined : this.files.get(entry.base);
      if (file && entry.summary)
        result.push({ uid: entry.uid, file, summary: entry.summary, firstSeen: new Date(entry.firstSeen) });
    }
    return result;
  }

  get(uid: string): StoredMessage | undefined {
    const entry = this.entries.get(uid);
    const file = entry?.base ? this.files.get(entry.base) : undefined;
    return entry && file && entry.summary
      ? { uid, file, summary: entry.summary, firstSeen: new Date(entry.firstSeen) }
      : undefined;
  }

  async read(uid: string): Promise<Buffer> {
    const message = this.require(uid);
    try {
      return await this.maildir.read(message.file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw storageError(`cannot read message ${uid}`, error);
      // Another window changed its flags (and so its name) since this one looked.
      await this.load(false);
      return this.maildir.read(this.require(uid).file);
    }
  }

  /**
   * Messages rebuilt from hashed file names (a long id) are known by their hash until the real id shows up in a
   * server listing: then they take it back, so they are not downloaded again.
   */
  resolveHashedIds(ids: string[]): void {
    for (const id of ids) {
      if (this.entries.has(id)) continue;
      const key = `hash:${hashedId(id)}`;
      const entry = this.entries.get(key);
      if (!entry) continue;
      this.entries.delete(key);
      this.entries.set(id, { ...entry, uid: id });
      this.dirty = true;
    }
  }

  /** Starts writing a downloaded message; nothing is recorded until `deliver()` made it durable. */
  beginDownload(uid: string): StoreDownload {
    if (this.knows(uid)) throw new Error(`message ${uid} is already in the store`);
    return new StoreDownload(uid, this.maildir.beginWrite(this.maildir.newBase(uid)), (file, start, size) =>
      this.recordDelivered(uid, file, start, size),
    );
  }

  /** Called by StoreDownload once the file is durable in new/. */
  private async recordDelivered(uid: string, file: MaildirFile, start: Buffer, size: number): Promise<void> {
    this.files.set(file.base, file);
    this.entries.set(uid, {
      uid,
      base: file.base,
      firstSeen: new Date().toISOString(),
      summary: await this.reading.summarize(start, size),
    });
    this.dirty = true;
  }

  /** Flags live in the file name (a rename), so no lock is needed; a name another window changed is looked up again. */
  async setFlags(uid: string, change: LocalFlagChange): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const { file } = this.require(uid);
      const flags = new Set(file.flags);
      const apply = (flag: string, on: boolean | undefined) => {
        if (on === true) flags.add(flag);
        if (on === false) flags.delete(flag);
      };
      apply('S', change.seen);
      apply('F', change.flagged);
      apply('T', change.trashed);
      try {
        this.files.set(file.base, await this.maildir.setFlags(file, flags));
        // Our own rename is not news for watchChanges.
        this.loadedSignature = await this.diskSignature();
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt > 0)
          throw storageError(`cannot change the flags of message ${uid}`, error);
        await this.load(false);
      }
    }
  }

  /** Deletes the local copy for good, as the user asked; the id stays known (a tombstone), never downloaded again. */
  async purge(uid: string): Promise<void> {
    const { file } = this.require(uid);
    await this.maildir.remove(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw storageError(`cannot delete message ${uid}`, error);
    });
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

  /**
   * Ids made from content (no UIDL) name "a message with these headers and this size", not one message forever.
   * Once their server copies are gone, they are renamed, so a later message with the same headers and size is
   * downloaded instead of being taken for this one (and deleted unread).
   */
  retireIds(uids: string[], now = new Date()): void {
    for (const uid of uids) {
      const entry = this.entries.get(uid);
      if (!entry) continue;
      const retired = `${uid}|retired:${now.toISOString()}`;
      this.entries.delete(uid);
      this.entries.set(retired, { ...entry, uid: retired });
      this.dirty = true;
    }
  }

  /** Makes the index durable; writes are serialised, so two calls never interleave. Sync calls this before any DELE. */
  flush(): Promise<void> {
    const write = this.writing
      .catch(() => undefined)
      .then(async () => {
        if (!this.dirty) return;
        this.dirty = false;
        try {
          await writeIndex(this.indexPath, [...this.entries.values()]);
        } catch (error) {
          this.dirty = true;
          throw storageError(`cannot write the message index ${this.indexPath}`, error);
        }
        this.loadedSignature = await this.diskSignature();
      });
    this.writing = write;
    return write;
  }

  private require(uid: string): StoredMessage {
    const message = this.get(uid);
    if (!message)
      throw new MailError(
        'notFound',
        `message ${uid} is not in the local store (deleted, or the store was changed outside Letterbox)`,
      );
    return message;
  }

  private loadedSignature = '';

  /** Index identity plus the Maildir folders' change times: what another window's writes change. */
  private async diskSignature(): Promise<string> {
    const parts = await Promise.all(
      [this.indexPath, join(this.maildir.root, 'new'), join(this.maildir.root, 'cur')].map((path) =>
        stat(path).then(
          (info) => `${info.ino}:${info.size}:${info.mtimeMs}`,
          () => '-',
        ),
      ),
    );
    return parts.join('|');
  }

  /** Reads the disk afresh. As the lock holder, also repairs: tmp/ leftovers, a damaged index, the reconcile. */
  private async load(holder: boolean): Promise<void> {
    await this.writing.catch(() => undefined);
    const signature = await this.diskSignature();
    if (holder) {
      const stray = await this.maildir.cleanTmp(TMP_GRACE_MS).catch((error: Error) => {
        this.log.warn(`cannot clean ${join(this.maildir.root, 'tmp')}: ${error.message}`);
        return 0;
      });
      if (stray) this.log.info(`removed ${stray} interrupted download(s) from tmp/`);
      await this.removeStaleIndexTemps();
    }
    const files = new Map<string, MaildirFile>();
    for (const file of await this.maildir.list()) files.set(file.base, file);
    const entries = new Map<string, IndexEntry>();
    const index = await readIndex(this.indexPath);
    if (index.state === 'ok') {
      for (const entry of index.entries) entries.set(entry.uid, entry);
      if (index.outdated) this.outdated = true;
    } else if (index.state === 'damaged' && holder) {
      const kept = `${this.indexPath}.damaged-${Date.now()}`;
      await renameFile(this.indexPath, kept).catch(() => undefined);
      this.log.warn(
        `the message index was damaged (${index.reason}); kept it as ${kept} and rebuilt it from the Maildir`,
      );
    }
    this.files = files;
    this.entries = entries;
    this.dirty = false;
    await this.reconcile(holder);
    if (this.outdated && holder) {
      const count = await summarizeAgain(this.entries, this.files, this.maildir, this.reading);
      this.log.info(`read the threading headers of ${count} stored message(s) into the index`);
      this.outdated = false;
      this.dirty = true;
    }
    this.loadedSignature = signature;
  }

  /**
   * The Maildir is the truth for what exists: adopt files the index lacks; drop entries whose file vanished (the
   * server's copy, if any, downloads again). Readers that are not the lock holder fix only their own view.
   */
  private async reconcile(holder: boolean): Promise<void> {
    const known = new Set<string>();
    let vanished = 0;
    if ([...this.entries.values()].some((entry) => entry.base !== null && !this.files.has(entry.base))) {
      // A file renamed by another window (new/ to cur/, a flag change) while the folders were read shows in
      // neither listing; a second look finds it before anything is taken as missing.
      for (const file of await this.maildir.list()) if (!this.files.has(file.base)) this.files.set(file.base, file);
    }
    for (const entry of [...this.entries.values()]) {
      if (entry.base === null) continue;
      if (this.files.has(entry.base)) known.add(entry.base);
      else {
        this.entries.delete(entry.uid);
        vanished++;
      }
    }
    if (vanished) {
      this.log.warn(
        `${vanished} downloaded message(s) are missing from ${this.maildir.root} (removed outside Letterbox); they download again if the server still has them`,
      );
      this.vanished = vanished;
    }
    for (const file of this.files.values()) {
      if (known.has(file.base)) continue;
      const tag = tagOf(file.base);
      const uid = !tag ? `local:${file.base}` : 'id' in tag ? tag.id : `hash:${tag.hash}`;
      const path = this.maildir.pathOf(file);
      const content = await this.maildir.read(file).catch(() => undefined);
      if (!content) continue;
      const info = await stat(path).catch(() => undefined);
      this.entries.set(uid, {
        uid,
        base: file.base,
        firstSeen: (info?.mtime ?? new Date()).toISOString(),
        summary: await this.reading.summarize(content.subarray(0, HEADER_BYTES), content.length),
      });
    }
    this.dirty = holder && (vanished > 0 || this.files.size !== known.size);
  }

  private async removeStaleIndexTemps(): Promise<void> {
    const now = Date.now();
    for (const name of await readdir(this.root).catch(() => [] as string[])) {
      if (!/^index\.json\..*\.tmp$/.test(name)) continue;
      const path = join(this.root, name);
      const info = await stat(path).catch(() => undefined);
      if (info && now - info.mtimeMs > TMP_GRACE_MS) await unlink(path).catch(() => undefined);
    }
  }
}

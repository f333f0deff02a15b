// store/: the offline copy of POP3 mail. Never imports 'vscode'. One Maildir per account, written the Maildir
// way (tmp/, fsync, rename into new/), flags in the file name (S seen, F flagged, T trashed), so mutt or any
// Maildir reader can open it. The file system is the truth for presence and flags; the index only caches.
import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** Letterbox sets F, S and T; other flags another Maildir reader set (R replied, P passed, D draft) are kept. */
export type MaildirFlag = string;
export type Location = 'new' | 'cur';

export interface MaildirFile {
  /** The unique part of the name, stable across flag changes. */
  base: string;
  location: Location;
  flags: Set<MaildirFlag>;
}

let counter = 0;

export class Maildir {
  private readonly newDirSync: DirectorySync;

  constructor(readonly root: string) {
    this.newDirSync = new DirectorySync(join(root, 'new'));
  }

  async ensure(): Promise<void> {
    for (const dir of ['tmp', 'new', 'cur']) await mkdir(join(this.root, dir), { recursive: true, mode: 0o700 });
  }

  /**
   * Files left in tmp/ are downloads a crash or a cut connection interrupted; they were never delivered. Only the
   * store's lock holder calls this, and only files older than `olderThanMs` go: a download another process is
   * writing right now is never pulled from under it.
   */
  async cleanTmp(olderThanMs: number, now = Date.now()): Promise<number> {
    let removed = 0;
    for (const name of await readdir(join(this.root, 'tmp'))) {
      const path = join(this.root, 'tmp', name);
      const info = await stat(path).catch(() => undefined);
      if (!info || now - info.mtimeMs < olderThanMs) continue;
      await unlink(path).catch(() => undefined);
      removed++;
    }
    return removed;
  }

  /**
   * A new unique base name that carries the message's id, so the index can be rebuilt from the names alone: the id
   * itself (base64url) while short, else a hash of it, since a long UIDL would make a name no file system accepts
   * (RFC 1939 allows 70 characters, servers send more). The index keeps the real id either way.
   */
  newBase(id: string): string {
    const now = Date.now();
    const host = hostname().replace(/[/:,]/g, '_').slice(0, 64);
    return `${Math.floor(now / 1000)}.M${(now % 1000) * 1000}P${process.pid}Q${++counter}.${host},${idTag(id)}`;
  }

  beginWrite(base: string): MaildirWriter {
    return new MaildirWriter(this.root, base, this.newDirSync);
  }

  async list(): Promise<MaildirFile[]> {
    const files: MaildirFile[] = [];
    for (const location of ['new', 'cur'] as const) {
      for (const name of await readdir(join(this.root, location))) {
        if (name.startsWith('.')) continue;
        files.push(parseName(name, location));
      }
    }
    return files;
  }

  /** Where the message is now: another window may have moved it (new/ to cur/) or changed its flags. */
  async locate(file: MaildirFile): Promise<MaildirFile | undefined> {
    if (
      await stat(this.pathOf(file)).then(
        () => true,
        () => false,
      )
    )
      return file;
    return (await this.list()).find((candidate) => candidate.base === file.base);
  }

  pathOf(file: MaildirFile): string {
    return join(this.root, file.location, fileName(file));
  }

  read(file: MaildirFile): Promise<Buffer> {
    return readFile(this.pathOf(file));
  }

  /** Changing flags moves a message to cur/ under its new name; returns where it is now. */
  async setFlags(file: MaildirFile, flags: Set<MaildirFlag>): Promise<MaildirFile> {
    const next: MaildirFile = { base: file.base, location: 'cur', flags: new Set(flags) };
    const from = this.pathOf(file);
    const to = this.pathOf(next);
    if (from !== to) await rename(from, to);
    return next;
  }

  async remove(file: MaildirFile): Promise<void> {
    await unlink(this.pathOf(file));
  }
}

/**
 * Writes one message into tmp/ and delivers it. Chunks arrive synchronously from the socket; the file work runs in
 * Node's thread pool behind a promise chain, so the socket keeps being read while earlier messages hit the disk,
 * and many messages are fsynced at once (the file system commits them together). Large messages go to disk in
 * pieces as they arrive; at most SPOOL_BYTES of one message is held in memory.
 */
export class MaildirWriter {
  private handle: Promise<FileHandle> | undefined;
  private chain: Promise<void> = Promise.resolve();
  private spooled: Buffer[] = [];
  private spooledBytes = 0;
  private closed = false;
  private failure: Error | undefined;
  private readonly tmpPath: string;
  bytes = 0;

  constructor(
    private readonly root: string,
    readonly base: string,
    private readonly newDirSync: DirectorySync,
  ) {
    this.tmpPath = join(root, 'tmp', base);
  }

  write(chunk: Buffer): void {
    if (this.closed) throw new Error('write after the message was closed');
    if (this.failure) throw this.failure;
    this.spooled.push(chunk);
    this.spooledBytes += chunk.length;
    this.bytes += chunk.length;
    if (this.spooledBytes >= SPOOL_BYTES) this.flushSpool();
  }

  /**
   * fsync the file, rename it into new/, fsync new/: after this resolves the message survives a crash, and only
   * then may the server copy be deleted.
   */
  async deliver(): Promise<MaildirFile> {
    if (this.closed) throw new Error('the message was already closed');
    this.closed = true;
    this.flushSpool();
    const handle = this.open();
    await this.chain;
    const file = await handle;
    // fdatasync: the content and its size reach the disk; timestamps need not, which saves a journal write.
    await file.datasync();
    await file.close();
    await rename(this.tmpPath, join(this.root, 'new', this.base));
    await this.newDirSync.request();
    return { base: this.base, location: 'new', flags: new Set() };
  }

  /** Drops the partial file; safe to call at any point, also after a failed deliver. */
  async abort(): Promise<void> {
    this.closed = true;
    this.spooled = [];
    await this.chain.catch(() => undefined);
    const handle = await this.handle?.catch(() => undefined);
    await handle?.close().catch(() => undefined);
    await unlink(this.tmpPath).catch(() => undefined);
  }

  private open(): Promise<FileHandle> {
    this.handle ??= open(this.tmpPath, 'wx', 0o600);
    return this.handle;
  }

  private flushSpool(): void {
    if (!this.spooled.length) return;
    const data = this.spooled.length === 1 ? this.spooled[0] : Buffer.concat(this.spooled);
    this.spooled = [];
    this.spooledBytes = 0;
    const handle = this.open();
    this.chain = this.chain
      .then(async () => {
        await (await handle).write(data);
      })
      .catch((error: Error) => {
        this.failure ??= error;
        throw error;
      });
  }
}

/** The most of one message held in memory before it is written out. */
const SPOOL_BYTES = 256 * 1024;

/**
 * fsync of a directory, shared: a request made while one runs waits for the next run, which then covers every
 * rename made in between. Many deliveries, few directory syncs; none is skipped.
 */
export class DirectorySync {
  private running: Promise<void> | undefined;
  private next: Promise<void> | undefined;

  constructor(private readonly path: string) {}

  request(): Promise<void> {
    if (!this.running) {
      this.running = syncDirectory(this.path).finally(() => {
        this.running = undefined;
      });
      return this.running;
    }
    this.next ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.next = undefined;
        return this.request();
      });
    return this.next;
  }
}

export async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

const INFO = ':2,';

export function parseName(name: string, location: Location): MaildirFile {
  const at = name.indexOf(INFO);
  if (location === 'new' || at < 0) return { base: at < 0 ? name : name.slice(0, at), location, flags: new Set() };
  const flags = new Set([...name.slice(at + INFO.length)].filter((c) => /[A-Za-z]/.test(c)));
  return { base: name.slice(0, at), location, flags };
}

/** Maildir wants the flags of the info part in ASCII order. */
export function fileName(file: MaildirFile): string {
  if (file.location === 'new') return file.base;
  return `${file.base}${INFO}${[...file.flags].sort().join('')}`;
}

/** Ids up to this long go into file names as they are (base64url); longer ones as a hash. */
const MAX_NAMED_ID = 60;

function idTag(id: string): string {
  return id.length <= MAX_NAMED_ID ? `U=${Buffer.from(id, 'utf8').toString('base64url')}` : `H=${hashedId(id)}`;
}

/** The key under which a message rebuilt from a hashed file name is known until its real id is seen again. */
export function hashedId(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest('base64url').slice(0, 32);
}

/** What a base name written by newBase() says about its message's id; undefined for files Letterbox did not write. */
export function tagOf(base: string): { id: string } | { hash: string } | undefined {
  const match = /,([UH])=([A-Za-z0-9_-]+)/.exec(base);
  if (!match) return undefined;
  return match[1] === 'U' ? { id: Buffer.from(match[2], 'base64url').toString('utf8') } : { hash: match[2] };
}

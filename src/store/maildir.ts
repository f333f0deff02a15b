// store/: the offline copy of POP3 mail. Never imports 'vscode'. One Maildir per account, written the Maildir
// way (tmp/, fsync, rename into new/), flags in the file name (S seen, F flagged, T trashed), so mutt or any
// Maildir reader can open it. The file system is the truth for presence and flags; the index only caches.
import { closeSync, fsyncSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
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
  constructor(readonly root: string) {}

  async ensure(): Promise<void> {
    for (const dir of ['tmp', 'new', 'cur']) await mkdir(join(this.root, dir), { recursive: true, mode: 0o700 });
  }

  /** Files left in tmp/ are downloads a crash or a cut connection interrupted; they were never delivered. */
  async cleanTmp(): Promise<number> {
    const names = await readdir(join(this.root, 'tmp'));
    await Promise.all(names.map((name) => unlink(join(this.root, 'tmp', name)).catch(() => undefined)));
    return names.length;
  }

  /** A new unique base name carrying `tag` (the encoded UIDL), so the index can be rebuilt from the names alone. */
  newBase(tag: string): string {
    const now = Date.now();
    const host = hostname().replace(/[/:]/g, '_');
    return `${Math.floor(now / 1000)}.M${(now % 1000) * 1000}P${process.pid}Q${++counter}.${host},U=${tag}`;
  }

  beginWrite(base: string): MaildirWriter {
    return new MaildirWriter(this.root, base);
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

/** Writes one message into tmp/ with synchronous writes (chunks arrive from a socket), then delivers it. */
export class MaildirWriter {
  private fd: number | undefined;
  private readonly tmpPath: string;
  bytes = 0;

  constructor(private readonly root: string, readonly base: string) {
    this.tmpPath = join(root, 'tmp', base);
    this.fd = openSync(this.tmpPath, 'wx', 0o600);
  }

  write(chunk: Buffer): void {
    if (this.fd === undefined) throw new Error('write after the message was closed');
    let offset = 0;
    while (offset < chunk.length) offset += writeSync(this.fd, chunk, offset);
    this.bytes += chunk.length;
  }

  /**
   * fsync the file, rename it into new/, fsync new/: after this resolves the message survives a crash, and only
   * then may the server copy be deleted.
   */
  async deliver(): Promise<MaildirFile> {
    const fd = this.fd;
    if (fd === undefined) throw new Error('the message was already closed');
    this.fd = undefined;
    fsyncSync(fd);
    closeSync(fd);
    await rename(this.tmpPath, join(this.root, 'new', this.base));
    await syncDirectory(join(this.root, 'new'));
    return { base: this.base, location: 'new', flags: new Set() };
  }

  abort(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    try {
      unlinkSync(this.tmpPath);
    } catch {
      // already gone
    }
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

/** The UIDL hidden in a base name by newBase(), or undefined for files Letterbox did not write. */
export function tagOf(base: string): string | undefined {
  return /,U=([A-Za-z0-9_-]+)/.exec(base)?.[1];
}

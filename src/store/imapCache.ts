// The IMAP account's cache on disk: its folder list (with counts) and, per folder, the newest summaries with the
// folder's UIDVALIDITY and HIGHESTMODSEQ, so a folder reopens at once and only what changed is asked for.
// JSON, one file per folder, each replaced whole (atomicWrite.ts, as a cache: no fsync), under the
// account's cross-process lock (store/storeLock.ts) so windows take turns: a reader (this window or another) sees
// the old file or the new one, never a mix. Each file starts with the SHA-256 of its content, so a torn or damaged
// file is detected and that folder refetched, never shown half. A cache: losing it costs a refetch, never mail, so
// a write that would wait long for the lock is skipped. No native module: it works on every platform from one VSIX.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Folder, FolderPath, MessageSummary } from '../mail/types';
import { writeAtomically } from './atomicWrite';
import { StoreLock } from './storeLock';

// LBX2: summaries carry threading headers; a cache of LBX1 is refetched once, so threads see them.
const MAGIC = 'LBX2';
/** Summaries kept per folder (the newest); older pages come from the server. */
export const MAX_CACHED_MESSAGES = 1_000;

export interface CachedFolder {
  path: FolderPath;
  validity: string;
  modseq?: string;
  /** Newest first, at most MAX_CACHED_MESSAGES. */
  messages: MessageSummary[];
  total: number;
}

type Stored<T> = T & { savedAt: string };

/** How long a cache write waits for another window's; past that it is skipped (the next one catches up). */
const LOCK_WAIT_MS = 2_000;

export class ImapCache {
  private readonly lock: StoreLock;

  constructor(private readonly root: string) {
    this.lock = new StoreLock(root);
  }

  async folders(): Promise<Folder[] | undefined> {
    return (await this.read<{ folders: Folder[] }>('folders.json'))?.folders;
  }

  async saveFolders(folders: Folder[]): Promise<void> {
    await this.write('folders.json', { folders });
  }

  /** The cached state of a folder, or undefined (never cached, or the file was damaged: then it is removed). */
  async folder(path: FolderPath): Promise<CachedFolder | undefined> {
    const stored = await this.read<
      Stored<Omit<CachedFolder, 'messages'> & { messages: Array<Omit<MessageSummary, 'date'> & { date?: string }> }>
    >(fileOf(path));
    if (!stored || stored.path !== path) return undefined;
    return {
      ...stored,
      messages: stored.messages.map((message) => ({
        ...message,
        date: message.date ? new Date(message.date) : undefined,
      })),
    };
  }

  async saveFolder(state: CachedFolder): Promise<void> {
    await this.write(fileOf(state.path), { ...state, messages: state.messages.slice(0, MAX_CACHED_MESSAGES) });
  }

  async forgetFolder(path: FolderPath): Promise<void> {
    await unlink(join(this.root, fileOf(path))).catch(() => undefined);
  }

  /** Remove Account: the whole cache of the account goes. */
  async clear(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }

  private async read<T>(name: string): Promise<T | undefined> {
    let text: string;
    try {
      text = await readFile(join(this.root, name), 'utf8');
    } catch {
      return undefined;
    }
    const newline = text.indexOf('\n');
    const [magic, digest] = text.slice(0, newline).split(' ');
    const body = text.slice(newline + 1);
    if (magic !== MAGIC || digest !== sha256(body)) {
      // Torn by a crash mid-write, or changed by something else: refetched, never shown.
      await unlink(join(this.root, name)).catch(() => undefined);
      return undefined;
    }
    try {
      return JSON.parse(body) as T;
    } catch {
      return undefined;
    }
  }

  private async write(name: string, value: object): Promise<void> {
    await mkdir(this.root, { recursive: true, mode: 0o700 });
    const body = JSON.stringify({ ...value, savedAt: new Date().toISOString() });
    await this.lock
      .run(LOCK_WAIT_MS, () => writeAtomically(join(this.root, name), `${MAGIC} ${sha256(body)}\n${body}`, 'cache'))
      .catch((error: Error & { kind?: string }) => {
        if (error.kind !== 'storage' || !/another VS Code window/.test(error.message)) throw error;
      });
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** A file name per folder path: short, safe on every file system, whatever the path holds. */
function fileOf(path: FolderPath): string {
  return `folder-${createHash('sha256').update(path, 'utf8').digest('hex').slice(0, 32)}.json`;
}

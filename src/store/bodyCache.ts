// Raw messages already opened, so they open again without the server (offline, or just faster). Bounded by size:
// the least recently opened go first, and the bound holds at once when it is lowered (0: none kept). One folder
// per IMAP folder (a hash of its path), one file per message named by UIDVALIDITY and UID, replaced atomically
// (atomicWrite.ts), so another window never reads half a message. A message's bytes leave the disk when it leaves the
// server: deleted or moved here, expunged elsewhere (a resync's VANISHED), or its folder rebuilt.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, unlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import type { FolderPath, MessageRef } from '../mail/types';
import { writeAtomically } from './atomicWrite';

interface CachedBody {
  path: string;
  size: number;
  used: number;
}

export class BodyCache {
  constructor(
    private readonly root: string,
    private readonly maxBytes: () => number,
  ) {}

  async get(ref: MessageRef): Promise<Buffer | undefined> {
    if (!this.maxBytes() || ref.validity === undefined) return undefined;
    const path = this.pathOf(ref);
    try {
      const bytes = await readFile(path);
      const now = new Date();
      await utimes(path, now, now).catch(() => undefined);
      return bytes;
    } catch {
      return undefined;
    }
  }

  async put(ref: MessageRef, bytes: Uint8Array): Promise<void> {
    const limit = this.maxBytes();
    if (!limit || ref.validity === undefined || bytes.length > limit / 4) return;
    await mkdir(this.folderDir(ref.folder), { recursive: true, mode: 0o700 });
    await writeAtomically(this.pathOf(ref), bytes, 'cache');
    await this.enforceLimit();
  }

  /** These messages left the server (deleted, moved, expunged): their bytes go too. */
  async forget(refs: readonly MessageRef[]): Promise<void> {
    await Promise.all(
      refs.map((ref) =>
        ref.validity === undefined ? this.forgetEveryValidity(ref) : unlink(this.pathOf(ref)).catch(() => undefined),
      ),
    );
  }

  /**
   * What the server listed as a folder's newest messages: a kept body of another UIDVALIDITY, or with a UID in the
   * listed range that the server no longer has, is gone from the server and goes from the disk.
   */
  async forgetUnlisted(folder: FolderPath, validity: string, listedIds: readonly string[]): Promise<void> {
    const listed = new Set(listedIds);
    const oldest = Math.min(...listedIds.map(Number));
    for (const name of await readdir(this.folderDir(folder)).catch(() => [] as string[])) {
      if (!name.endsWith('.eml')) continue;
      const [fileValidity, uid] = name.slice(0, -'.eml'.length).split('.');
      // Another UIDVALIDITY, an empty folder, or a UID within the listed range that the server did not list.
      const gone = fileValidity !== validity || !listed.size || (Number(uid) >= oldest && !listed.has(uid));
      if (gone) await unlink(join(this.folderDir(folder), name)).catch(() => undefined);
    }
  }

  /** A folder rebuilt on the server (new UIDVALIDITY): nothing kept of it names a message any more. */
  async forgetFolder(folder: FolderPath): Promise<void> {
    await rm(this.folderDir(folder), { recursive: true, force: true });
  }

  async clear(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }

  /** Least recently opened first out, until the cache fits its limit; a limit of 0 keeps nothing. */
  async enforceLimit(): Promise<void> {
    const limit = this.maxBytes();
    if (!limit) {
      await this.clear();
      return;
    }
    const files = await this.files();
    let total = files.reduce((sum, file) => sum + file.size, 0);
    for (const file of files.sort((a, b) => a.used - b.used)) {
      if (total <= limit) break;
      await unlink(file.path).catch(() => undefined);
      total -= file.size;
    }
  }

  private async files(): Promise<CachedBody[]> {
    const folders = await readdir(this.root).catch(() => [] as string[]);
    const names = (
      await Promise.all(
        folders.map(async (folder) =>
          (await readdir(join(this.root, folder)).catch(() => [] as string[]))
            .filter((name) => name.endsWith('.eml'))
            .map((name) => join(this.root, folder, name)),
        ),
      )
    ).flat();
    const files = await Promise.all(
      names.map(async (path) => {
        const info = await stat(path).catch(() => undefined);
        return info ? { path, size: info.size, used: info.mtimeMs } : undefined;
      }),
    );
    return files.filter((file): file is CachedBody => Boolean(file));
  }

  private async forgetEveryValidity(ref: MessageRef): Promise<void> {
    for (const name of await readdir(this.folderDir(ref.folder)).catch(() => [] as string[])) {
      if (name.endsWith(`.${ref.id}.eml`)) await unlink(join(this.folderDir(ref.folder), name)).catch(() => undefined);
    }
  }

  private folderDir(folder: FolderPath): string {
    return join(this.root, createHash('sha256').update(folder, 'utf8').digest('hex').slice(0, 32));
  }

  private pathOf(ref: MessageRef): string {
    return join(this.folderDir(ref.folder), `${ref.validity}.${Number(ref.id)}.eml`);
  }
}

// Raw messages already opened, so they open again without the server (offline, or just faster). Bounded by size:
// the least recently opened go first. One file per message, named by a hash of where it lives (folder,
// UIDVALIDITY, UID), written to a temp file and renamed, so another window never reads half a message.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MessageRef } from '../mail/types';

export class BodyCache {
  constructor(private readonly root: string, private readonly maxBytes: () => number) {}

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
    await mkdir(this.root, { recursive: true, mode: 0o700 });
    const temp = join(this.root, `${randomBytes(6).toString('hex')}.tmp`);
    await writeFile(temp, bytes, { mode: 0o600 });
    await rename(temp, this.pathOf(ref));
    await this.trim(limit);
  }

  async clear(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }

  /** Least recently opened first out, until the cache fits its limit again. */
  private async trim(limit: number): Promise<void> {
    const names = (await readdir(this.root).catch(() => [] as string[])).filter((name) => name.endsWith('.eml'));
    const files = (await Promise.all(names.map(async (name) => {
      const info = await stat(join(this.root, name)).catch(() => undefined);
      return info ? { name, size: info.size, used: info.mtimeMs } : undefined;
    }))).filter((file): file is { name: string; size: number; used: number } => Boolean(file));
    let total = files.reduce((sum, file) => sum + file.size, 0);
    for (const file of files.sort((a, b) => a.used - b.used)) {
      if (total <= limit) break;
      await unlink(join(this.root, file.name)).catch(() => undefined);
      total -= file.size;
    }
  }

  private pathOf(ref: MessageRef): string {
    return join(this.root, `${createHash('sha256').update(`${ref.folder}\n${ref.validity}\n${ref.id}`, 'utf8').digest('hex').slice(0, 40)}.eml`);
  }
}

// The one way a whole file is replaced in store/: written to a temp file with a unique name beside it (so two
// windows never write into the same file), then renamed over the old one, so a reader (this window or another)
// sees the old file or the new one, never a mix. Each caller says whether the file must survive a crash:
// - 'durable' (the POP3 index, which decides what may be deleted from a server): the file is fsynced before the
//   rename and the directory after it, so a crash leaves the old file or the new one, never nothing;
// - 'cache' (what can be fetched or made again): no fsync, since losing it costs time, never mail.
import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { syncDirectory } from './maildir';

export type Durability = 'durable' | 'cache';

export async function writeAtomically(path: string, data: string | Uint8Array, durability: Durability): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(data);
    if (durability === 'durable') await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  if (durability === 'durable') await syncDirectory(dirname(path));
}

// Whose mailbox a cache holds. An account's id survives Edit Account, so a cache keyed by the id alone would show
// the old mailbox's mail under a new user, host or port (and, with an equal UIDVALIDITY, act on the new mailbox's
// messages by the old UIDs). The owner (host, port, user) is written beside the cache; a cache whose owner differs,
// or that has none, is dropped before anything of it is read.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const FILE = 'cache-owner.json';

/** Makes `root`'s cache belong to `owner`, first dropping (with `drop`) whatever belonged to another mailbox. */
export async function claimCache(root: string, owner: string, drop: () => Promise<void>): Promise<void> {
  const current = await readFile(join(root, FILE), 'utf8').then((text) => (JSON.parse(text) as { owner?: unknown }).owner, () => undefined);
  if (current === owner) return;
  await drop();
  await mkdir(root, { recursive: true, mode: 0o700 });
  const temp = join(root, `${FILE}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  await writeFile(temp, JSON.stringify({ owner }), { mode: 0o600 });
  await rename(temp, join(root, FILE));
}

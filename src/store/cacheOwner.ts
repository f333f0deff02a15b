// Whose mailbox a cache holds. An account's id survives Edit Account, so a cache keyed by the id alone would show
// the old mailbox's mail under a new user, host or port (and, with an equal UIDVALIDITY, act on the new mailbox's
// messages by the old UIDs). The owner (host, port, user) is written beside the cache; a cache whose owner differs,
// or that has none, is dropped before anything of it is read.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeAtomically } from './atomicWrite';

const FILE = 'cache-owner.json';

/** Makes `root`'s cache belong to `owner`, first dropping (with `drop`) whatever belonged to another mailbox. */
export async function claimCache(root: string, owner: string, drop: () => Promise<void>): Promise<void> {
  const current = await readFile(join(root, FILE), 'utf8').then(
    (text) => (JSON.parse(text) as { owner?: unknown }).owner,
    () => undefined,
  );
  if (current === owner) return;
  await drop();
  await mkdir(root, { recursive: true, mode: 0o700 });
  // A cache: an owner file lost in a crash only drops the cache once more.
  await writeAtomically(join(root, FILE), JSON.stringify({ owner }), 'cache');
}

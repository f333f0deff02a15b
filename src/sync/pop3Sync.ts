// Downloads what is new on a POP3 server into the store, then applies the account's server-copy policy.
// The order is the safety argument: RETR -> fsync + rename -> index fsync -> only then DELE -> QUIT. DELE takes
// effect only at QUIT (RFC 1939 6), so a connection lost anywhere deletes nothing, and the UIDLs recorded before
// it keep the next sync from downloading a duplicate.
import { createHash } from 'node:crypto';
import type { Logger } from '../mail/logger';
import { MailError } from '../mail/mailError';
import type { Pop3Client, UniqueId } from '../protocols/pop3/pop3Client';
import type { MessageStore, StoreDownload } from '../store/messageStore';
import { shouldDeleteFromServer, type Pop3Policy } from './pop3Policy';

export interface SyncProgress {
  phase: 'checking' | 'downloading' | 'cleaning';
  done: number;
  total: number;
}

export interface SyncReport {
  downloaded: number;
  deletedFromServer: number;
  onServer: number;
}

export interface Pop3SyncOptions {
  connect: () => Promise<Pop3Client>;
  store: MessageStore;
  policy: Pop3Policy;
  log: Logger;
  onProgress?: (progress: SyncProgress) => void;
  now?: () => Date;
  /** RETRs in flight at once when the server offers PIPELINING. */
  window?: number;
}

export async function syncPop3(options: Pop3SyncOptions): Promise<SyncReport> {
  const { store, policy, log } = options;
  const progress = options.onProgress ?? (() => undefined);
  const client = await options.connect();
  try {
    progress({ phase: 'checking', done: 0, total: 0 });
    const ids = await uniqueIds(client, policy);
    const wanted = ids.filter((id) => !store.knows(id.uid));
    let downloaded = 0;
    try {
      downloaded = await download(client, store, wanted, options.window ?? 32, (done) => progress({ phase: 'downloading', done, total: wanted.length }));
    } finally {
      // Whatever arrived is recorded even when the connection broke half-way.
      await store.flush();
    }
    const now = options.now?.() ?? new Date();
    const doomed = ids.filter(({ uid }) => store.knows(uid)
      && shouldDeleteFromServer(policy, { firstSeen: store.firstSeen(uid) ?? now, deletedLocally: store.deletedLocally(uid) }, now));
    progress({ phase: 'cleaning', done: 0, total: doomed.length });
    await inOrder(client, doomed.map(({ number }) => () => client.dele(number)));
    await client.quit();
    if (doomed.length) log.info(`deleted ${doomed.length} message(s) from the server`);
    const remaining = new Set(ids.map(({ uid }) => uid));
    for (const { uid } of doomed) remaining.delete(uid);
    store.forgetTombstonesExcept(remaining);
    await store.flush();
    return { downloaded, deletedFromServer: doomed.length, onServer: ids.length - doomed.length };
  } finally {
    client.destroy();
  }
}

/**
 * UIDLs, or for a server without UIDL (only allowed when mail is deleted after download) ids made from content,
 * so that a sync cut before QUIT still does not store a message twice.
 */
async function uniqueIds(client: Pop3Client, policy: Pop3Policy): Promise<UniqueId[]> {
  try {
    return await client.uidl();
  } catch (error) {
    if (!(error instanceof MailError) || error.kind !== 'unsupported') throw error;
    if (policy.leaveOnServer) {
      throw new MailError('unsupported', `${error.message}. Without UIDL Letterbox cannot tell which messages it already downloaded, so it cannot leave mail on the server: set the account to delete mail from the server after downloading it`);
    }
    const listed = await client.list();
    const ids: UniqueId[] = [];
    const seen = new Map<string, number>();
    for (const { number } of listed) {
      const digest = createHash('sha256').update(await client.top(number, 0)).digest('hex');
      // Two messages with identical headers (a duplicate delivery) still get two ids, in server order.
      const occurrence = seen.get(digest) ?? 0;
      seen.set(digest, occurrence + 1);
      ids.push({ number, uid: `sha256-headers:${digest}#${occurrence}` });
    }
    return ids;
  }
}

/**
 * RETRs are pipelined up to `window` deep; each finished message is delivered (fsync, rename) while later ones
 * are still arriving, and all deliveries are awaited before this returns, so the caller's DELE comes after them.
 */
async function download(client: Pop3Client, store: MessageStore, wanted: UniqueId[], window: number, onDone: (done: number) => void): Promise<number> {
  let done = 0;
  onDone(0);
  const started: Array<{ download: StoreDownload; retr: Promise<void> }> = [];
  const delivering = new Set<Promise<void>>();
  const depth = client.supportsPipelining ? Math.max(1, window) : 1;
  let next = 0;
  const startOne = () => {
    const id = wanted[next++];
    const download = store.beginDownload(id.uid);
    const retr = client.retr(id.number, (chunk) => download.write(chunk));
    // Pipelined replies may fail while an earlier one is still awaited; they are awaited (and thrown) in order.
    retr.catch(() => undefined);
    started.push({ download, retr });
  };
  const deliver = (download: StoreDownload) => {
    const delivery = download.deliver().then(() => onDone(++done));
    delivery.catch(() => undefined);
    delivering.add(delivery);
    void delivery.finally(() => delivering.delete(delivery)).catch(() => undefined);
  };
  try {
    while (next < wanted.length || started.length) {
      while (next < wanted.length && started.length < depth) startOne();
      const head = started[0];
      await head.retr;
      started.shift();
      deliver(head.download);
      // Bound the files open at once; the disk sets the pace here, not the network.
      while (delivering.size >= MAX_DELIVERIES) await Promise.race(delivering);
    }
    await Promise.all(delivering);
  } catch (error) {
    await Promise.all(started.map(({ download }) => download.abort()));
    await Promise.allSettled(delivering);
    throw error;
  }
  return done;
}

const MAX_DELIVERIES = 64;

/** Runs commands pipelined where the server allows it, one after another otherwise. */
async function inOrder(client: Pop3Client, commands: Array<() => Promise<void>>): Promise<void> {
  if (client.supportsPipelining) {
    await Promise.all(commands.map((command) => command()));
    return;
  }
  for (const command of commands) await command();
}

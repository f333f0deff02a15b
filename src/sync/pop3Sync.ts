// Downloads what is new on a POP3 server into the store, then applies the account's server-copy policy, as the one
// writer of the store among all VS Code windows. The order is the safety argument: RETR -> fsync + rename ->
// index fsync -> only then DELE -> QUIT. DELE takes effect only at QUIT (RFC 1939 6), so a connection lost
// anywhere deletes nothing, and the ids recorded before it keep the next sync from downloading a duplicate.
// A message is deleted from the server only if its file exists on disk at that moment (or the user deleted it
// here), its id is the server's own and unique, and the policy says so.
import type { SkippedMessage, SyncProgress, SyncReport } from '../mail/localStore';
import type { Logger } from '../mail/logger';
import { MailError } from '../mail/mailError';
import type { Pop3Session, ServerMessage } from '../protocols/pop3/pop3Session';
import type { MessageStore } from '../store/messageStore';
import type { StoreDownload } from '../store/storeDownload';
import { shouldDeleteFromServer, type Pop3Policy } from './pop3Policy';

export interface Pop3SyncOptions {
  open: () => Promise<Pop3Session>;
  store: MessageStore;
  policy: Pop3Policy;
  log: Logger;
  onProgress?: (progress: SyncProgress) => void;
  now?: () => Date;
  /** RETRs in flight at once when the server offers PIPELINING. */
  window?: number;
  /** Ids that failed in an earlier run: tried last, so one bad message never holds up the rest. */
  failedBefore?: ReadonlySet<string>;
  /** How long to wait for another window's sync of the same store. */
  lockWaitMs?: number;
}

/** This many downloaded messages missing at once looks like a store being moved or wiped, not a user's choice. */
const MANY_MISSING = 10;

export async function syncPop3(options: Pop3SyncOptions): Promise<SyncReport> {
  const { store } = options;
  options.onProgress?.({ phase: 'waiting', done: 0, total: 0 });
  return store.exclusive((stillHeld) => syncHoldingLock(options, stillHeld), options.lockWaitMs ?? 10 * 60_000);
}

async function syncHoldingLock(options: Pop3SyncOptions, stillHeld: () => void): Promise<SyncReport> {
  const { store, policy, log } = options;
  const progress = options.onProgress ?? (() => undefined);
  const session = await options.open();
  try {
    progress({ phase: 'checking', done: 0, total: 0 });
    const listed = await session
      .listMessages(policy.leaveOnServer ? 'refuse' : 'contentIds')
      .catch((error: unknown) => {
        throw error instanceof MailError && error.kind === 'unsupported'
          ? new MailError(
              'unsupported',
              `${error.message}. Without UIDL Letterbox cannot tell which messages it already downloaded, so it cannot leave mail on the server: set the account to delete mail from the server after downloading it`,
            )
          : error;
      });
    store.resolveHashedIds(listed.map((message) => message.id));
    const failedBefore = options.failedBefore ?? new Set<string>();
    const wanted = listed
      .filter((message) => !store.knows(message.id))
      .sort((a, b) => Number(failedBefore.has(a.id)) - Number(failedBefore.has(b.id)));
    let result: DownloadResult;
    try {
      result = await download(session, store, wanted, options.window ?? 32, (done) =>
        progress({ phase: 'downloading', done, total: wanted.length }),
      );
    } finally {
      // Whatever arrived is recorded even when the connection broke half-way.
      stillHeld();
      await store.flush();
    }
    for (const skipped of result.skipped)
      log.warn(`skipped message ${skipped.id} (${skipped.size} bytes): ${skipped.reason}`);
    if (result.storageFailure) throw result.storageFailure;

    const missing = store.takeVanished();
    const deletionsHeld =
      missing >= MANY_MISSING
        ? `${missing} downloaded messages were missing from the local store; nothing is deleted from the server this time`
        : undefined;
    if (deletionsHeld) log.warn(deletionsHeld);
    const doomed = deletionsHeld ? [] : await toDelete(listed, store, policy, options.now?.() ?? new Date(), log);
    progress({ phase: 'cleaning', done: 0, total: doomed.length });
    stillHeld();
    await inOrder(
      session,
      doomed.map((message) => () => session.markDeleted(message)),
    );
    await session.commit();
    if (doomed.length) log.info(`deleted ${doomed.length} message(s) from the server`);
    const remaining = new Set(listed.map(({ id }) => id));
    for (const { id } of doomed) remaining.delete(id);
    store.retireIds(doomed.filter((message) => message.idSource !== 'uidl').map(({ id }) => id));
    store.forgetTombstonesExcept(remaining);
    const report: SyncReport = {
      downloaded: result.stored,
      deletedFromServer: doomed.length,
      onServer: listed.length - doomed.length,
      skipped: result.skipped,
    };
    if (deletionsHeld) report.deletionsHeld = deletionsHeld;
    return report;
  } finally {
    session.close();
  }
}

/** What the policy deletes, among messages that may be deleted at all. */
async function toDelete(
  listed: ServerMessage[],
  store: MessageStore,
  policy: Pop3Policy,
  now: Date,
  log: Logger,
): Promise<ServerMessage[]> {
  const doomed: ServerMessage[] = [];
  for (const message of listed) {
    // A UIDL the server repeated names more than one message: deleting "it" could delete the wrong one.
    if (message.idSource === 'repeatedUidl') continue;
    const state = store.localState(message.id);
    if (state === 'unknown') continue;
    if (
      !shouldDeleteFromServer(
        policy,
        { firstSeen: store.firstSeen(message.id) ?? now, deletedLocally: store.deletedLocally(message.id) },
        now,
      )
    )
      continue;
    // Only the user's own deletion stands in for the file; otherwise the file must be on disk right now.
    if (state !== 'deletedByUser' && !(await store.hasLocalCopy(message.id))) {
      log.warn(`message ${message.id} is not on disk any more; its server copy is kept`);
      continue;
    }
    doomed.push(message);
  }
  return doomed;
}

interface DownloadResult {
  stored: number;
  skipped: SkippedMessage[];
  storageFailure?: MailError;
}

/**
 * RETRs are pipelined up to `window` deep; each finished message is delivered (fsync, rename) while later ones
 * are still arriving, and all deliveries are awaited before this returns, so the caller's DELE comes after them.
 * A message the server refuses is skipped and the rest go on. When the connection breaks, every message whose
 * download had finished is still delivered; only unfinished ones are dropped.
 */
async function download(
  session: Pop3Session,
  store: MessageStore,
  wanted: ServerMessage[],
  window: number,
  onDone: (done: number) => void,
): Promise<DownloadResult> {
  const result: DownloadResult = { stored: 0, skipped: [] };
  onDone(0);
  type Started = {
    message: ServerMessage;
    download: StoreDownload;
    outcome: Promise<Awaited<ReturnType<Pop3Session['download']>>>;
    finished: boolean;
  };
  const started: Started[] = [];
  const delivering = new Set<Promise<void>>();
  const depth = session.pipelining ? Math.max(1, window) : 1;
  let next = 0;
  const startOne = () => {
    const message = wanted[next++];
    const download = store.beginDownload(message.id);
    const entry: Started = {
      message,
      download,
      outcome: session.download(message, (chunk) => download.write(chunk)),
      finished: false,
    };
    // Pipelined replies may fail while an earlier one is still awaited; they are awaited (and thrown) in order.
    entry.outcome.then(
      () => (entry.finished = true),
      () => undefined,
    );
    started.push(entry);
  };
  const deliver = (download: StoreDownload) => {
    const delivery = download.deliver().then(
      () => onDone(++result.stored),
      (error: unknown) => {
        result.storageFailure ??=
          error instanceof MailError
            ? error
            : new MailError('storage', `cannot store message ${download.uid}: ${String(error)}`, { cause: error });
      },
    );
    delivering.add(delivery);
    void delivery.finally(() => delivering.delete(delivery));
  };
  try {
    while ((next < wanted.length || started.length) && !result.storageFailure) {
      while (next < wanted.length && started.length < depth) startOne();
      const head = started[0];
      const outcome = await head.outcome;
      started.shift();
      if (outcome.stored) deliver(head.download);
      else {
        await head.download.abort();
        result.skipped.push({ id: head.message.id, size: head.message.size, reason: outcome.reason });
      }
      // Bound the files open at once; the disk sets the pace here, not the network.
      while (delivering.size >= MAX_DELIVERIES) await Promise.race(delivering);
    }
  } catch (error) {
    // The session is gone. Replies that arrived complete before it broke are still good mail.
    await Promise.allSettled(started.map((entry) => entry.outcome));
    for (const entry of started) {
      if (entry.finished) deliver(entry.download);
      else await entry.download.abort();
    }
    await Promise.all(delivering);
    throw error;
  }
  // A failed delivery (a full disk) stops the run: the rest are not fetched, and nothing is deleted.
  for (const entry of started) await entry.download.abort();
  await Promise.all(delivering);
  return result;
}

const MAX_DELIVERIES = 64;

/** Runs commands pipelined where the server allows it, one after another otherwise. */
async function inOrder(session: Pop3Session, commands: Array<() => Promise<void>>): Promise<void> {
  if (session.pipelining) {
    await Promise.all(commands.map((command) => command()));
    return;
  }
  for (const command of commands) await command();
}

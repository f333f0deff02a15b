// What changed in a selected folder since a cached state. With QRESYNC (RFC 7162 3.2.5) the SELECT itself reports
// the flags changed and the UIDs vanished since the cached HIGHESTMODSEQ. With CONDSTORE only messages whose
// modseq grew are fetched (FETCH ... CHANGEDSINCE); without either, the flags of the cached messages are fetched
// again, and expunges show as cached UIDs missing from a UID SEARCH of the cached range. New mail is the UIDs above
// the newest cached one.
import type { ImapFlow, MailboxObject } from 'imapflow';
import type { FolderDelta, MessageRef } from '../../mail/types';
import { uidSet } from './imapRefs';
import { fetchNewest } from './imapSummaries';
import { toFlags } from './imapTranslate';

export interface KnownState {
  validity: string;
  modseq?: string;
  ids: string[];
}

export async function folderDelta(
  client: ImapFlow,
  mailbox: MailboxObject,
  known: KnownState,
  base: Omit<MessageRef, 'id' | 'validity'>,
  limit: number,
): Promise<FolderDelta> {
  const validity = String(mailbox.uidValidity);
  if (validity !== known.validity) return { kind: 'rebuilt' };
  const knownUids = known.ids.map(Number).filter((uid) => Number.isInteger(uid) && uid > 0);
  // Only the cached range and what came after it: a few UIDs, not the whole folder's (RFC 3501 6.4.4).
  const oldestKnown = knownUids.length ? Math.min(...knownUids) : 1;
  const all = new Set((await client.search({ uid: `${oldestKnown}:*` }, { uid: true })) || []);
  const removed = knownUids.filter((uid) => !all.has(uid));
  const present = knownUids.filter((uid) => all.has(uid));
  const newestKnown = knownUids.length ? Math.max(...knownUids) : 0;
  const addedUids = [...all].filter((uid) => uid > newestKnown);
  const flags: Array<{ id: string; flags: ReturnType<typeof toFlags> }> = [];
  if (present.length) {
    const changedSince = known.modseq && mailbox.highestModseq !== undefined ? BigInt(known.modseq) : undefined;
    if (changedSince === undefined || mailbox.highestModseq !== changedSince) {
      for await (const message of client.fetch(
        uidSet(present),
        { uid: true, flags: true },
        { uid: true, ...(changedSince !== undefined ? { changedSince } : {}) },
      )) {
        flags.push({ id: String(message.uid), flags: toFlags(message.flags) });
      }
    }
  }
  const added = await fetchNewest(client, addedUids, limit, { ...base, validity });
  return {
    kind: 'changes',
    validity,
    modseq: mailbox.highestModseq?.toString(),
    flags,
    removed: removed.map(String),
    added,
    total: mailbox.exists,
  };
}

/** Collects what a QRESYNC SELECT reports (imapflow emits it as `flags` and `expunge` events while selecting). */
export function qresyncListener(folder: string) {
  const flags = new Map<string, ReturnType<typeof toFlags>>();
  const vanished = new Set<string>();
  const onFlags = (event: { path: string; uid?: number; flags: Set<string> }) => {
    if (event.path === folder && event.uid !== undefined) flags.set(String(event.uid), toFlags(event.flags));
  };
  const onExpunge = (event: { path: string; uid?: number; vanished: boolean }) => {
    if (event.path === folder && event.vanished && event.uid !== undefined) vanished.add(String(event.uid));
  };
  return {
    flags,
    vanished,
    start(client: ImapFlow): void {
      client.on('flags', onFlags);
      client.on('expunge', onExpunge);
    },
    stop(client: ImapFlow): void {
      client.off('flags', onFlags);
      client.off('expunge', onExpunge);
    },
  };
}

export async function qresyncDelta(
  client: ImapFlow,
  mailbox: MailboxObject,
  known: KnownState,
  reported: ReturnType<typeof qresyncListener>,
  base: Omit<MessageRef, 'id' | 'validity'>,
  limit: number,
): Promise<FolderDelta> {
  const validity = String(mailbox.uidValidity);
  if (validity !== known.validity) return { kind: 'rebuilt' };
  // The server declined (no HIGHESTMODSEQ, say): the CONDSTORE path finds the same.
  if (!(mailbox as MailboxObject & { qresync?: boolean }).qresync)
    return folderDelta(client, mailbox, known, base, limit);
  const knownIds = new Set(known.ids);
  const newestKnown = Math.max(0, ...known.ids.map(Number).filter((uid) => Number.isInteger(uid)));
  const addedUids = ((await client.search({ uid: `${newestKnown + 1}:*` }, { uid: true })) || []).filter(
    (uid) => uid > newestKnown,
  );
  const added = await fetchNewest(client, addedUids, limit, { ...base, validity });
  return {
    kind: 'changes',
    validity,
    modseq: mailbox.highestModseq?.toString(),
    flags: [...reported.flags].filter(([id]) => knownIds.has(id)).map(([id, flags]) => ({ id, flags })),
    removed: [...reported.vanished].filter((id) => knownIds.has(id)),
    added,
    total: mailbox.exists,
  };
}

// What changed in a selected folder since a cached state. With CONDSTORE (RFC 7162) only messages whose modseq
// grew are fetched (FETCH ... CHANGEDSINCE); without it, the flags of the cached messages are fetched again. Expunges
// show as cached UIDs missing from UID SEARCH ALL, new mail as UIDs above the newest cached one.
import type { ImapFlow, MailboxObject } from 'imapflow';
import type { FolderDelta, MessageRef } from '../../mail/types';
import { uidSet } from './imapRefs';
import { fetchNewest } from './imapSearch';
import { toFlags, toSummary } from './imapTranslate';

export interface KnownState {
  validity: string;
  modseq?: string;
  ids: string[];
}

export async function folderDelta(client: ImapFlow, mailbox: MailboxObject, known: KnownState, base: Omit<MessageRef, 'id' | 'validity'>, limit: number): Promise<FolderDelta> {
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
      for await (const message of client.fetch(uidSet(present), { uid: true, flags: true }, { uid: true, ...(changedSince !== undefined ? { changedSince } : {}) })) {
        flags.push({ id: String(message.uid), flags: toFlags(message.flags) });
      }
    }
  }
  const added = (await fetchNewest(client, addedUids, limit)).map((message) => toSummary(message, { ...base, validity }));
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

// Summaries from the server: the one FETCH query for them, their translation as they arrive, and the pages of a
// folder's message list (the newest by position, older ones by position while nothing moved, else by UID SEARCH).
import type { FetchMessageObject, ImapFlow } from 'imapflow';
import type { MessageRef, MessageSummary } from '../../mail/types';
import { uidSet, type PageCursor } from './imapRefs';
import { referencesOf, toSummary } from './imapTranslate';

/** What a summary is made of (exported for the bench, which weighs the References header's share). */
export const SUMMARY_QUERY = {
  uid: true,
  flags: true,
  envelope: true,
  size: true,
  internalDate: true,
  bodyStructure: true,
  // The server's thread id comes along where it has one (imapflow asks only when it is advertised).
  threadId: true,
};

/**
 * ENVELOPE carries Message-ID and In-Reply-To but not References (RFC 3501 7.4.2). Threads need References only
 * where In-Reply-To cannot place a message (its parent is not among those listed), so that one header is fetched
 * for those alone, afterwards: for every message it cost a cold load of 10,000 summaries a third more time (the
 * server reads each message's header block from disk), while most messages are not replies, or answer one listed.
 */
const REFERENCES_QUERY = { uid: true, headers: ['references'] };

type RefBase = Omit<MessageRef, 'id'>;

/** A listed message: its summary, and the UID and position the next page's cursor is made of. */
interface Listed {
  uid: number;
  seq: number;
  summary: MessageSummary;
}

/** The newest page by position (message sequence numbers, RFC 3501 2.3.1.2): no UID list of the whole folder. */
export async function newestBySequence(
  client: ImapFlow,
  exists: number,
  limit: number,
  base: RefBase,
): Promise<Listed[]> {
  return summariesOf(client, client.fetch(`${Math.max(1, exists - limit + 1)}:*`, SUMMARY_QUERY), base);
}

/**
 * The page below the cursor by position: the cursor's message and the `limit` positions below it in one FETCH.
 * Sequence numbers are dense and ordered like UIDs, so if the cursor's message is still at its position, the
 * positions below it hold exactly the UIDs below it. A plain FETCH cannot be interrupted by EXPUNGE (RFC 3501
 * 7.4.1), so the check and the page come from one consistent view. Undefined when anything moved: search then.
 */
export async function olderBySequence(
  client: ImapFlow,
  cursor: PageCursor,
  limit: number,
  base: RefBase,
  selectedNow: boolean,
): Promise<Listed[] | undefined> {
  if (!cursor.seq) return undefined;
  // Positions are those of this connection's view, which only learns of expunges made elsewhere when the server
  // may tell (RFC 3501 7.4.1): NOOP first (unless the folder was selected just now), so a message expunged
  // meanwhile shifts the positions and fails the check.
  if (!selectedNow) await client.noop();
  const exists = client.mailbox ? client.mailbox.exists : 0;
  if (cursor.seq > exists) return undefined;
  const fetched = await summariesOf(
    client,
    client.fetch(`${Math.max(1, cursor.seq - limit)}:${cursor.seq}`, SUMMARY_QUERY),
    base,
  );
  const anchor = fetched.find((message) => message.seq === cursor.seq);
  if (anchor?.uid !== cursor.beforeUid) return undefined;
  return fetched.filter((message) => message.seq < cursor.seq!);
}

/** The page below the cursor by UID, when positions shifted (an expunge since the last page): UID SEARCH, FETCH. */
export async function olderBySearch(
  client: ImapFlow,
  cursor: PageCursor,
  limit: number,
  base: RefBase,
): Promise<Listed[]> {
  const found = await client.search({ uid: `1:${cursor.beforeUid - 1}` }, { uid: true });
  const pageUids = (found || []).sort((a, b) => a - b).slice(-limit);
  return pageUids.length ? summariesOf(client, client.fetch(uidSet(pageUids), SUMMARY_QUERY, { uid: true }), base) : [];
}

/**
 * The summaries a FETCH returned, newest first, one per UID, each translated as it arrives so imapflow's larger
 * response object is dropped at once (a 10,000-message listing spent its time collecting garbage otherwise).
 * imapflow also yields unsolicited FETCH responses that arrive meanwhile (flags changed elsewhere: UID and FLAGS
 * only); they carry no envelope and are not summaries.
 */
async function summariesOf(
  client: ImapFlow,
  responses: AsyncIterable<FetchMessageObject>,
  base: RefBase,
): Promise<Listed[]> {
  const byUid = new Map<number, Listed>();
  for await (const message of responses) {
    if (message.envelope)
      byUid.set(message.uid, { uid: message.uid, seq: message.seq, summary: toSummary(message, base) });
  }
  // Another command only once the FETCH is over (imapflow deadlocks on a command inside its loop).
  await addReferences(client, byUid);
  return [...byUid.values()].sort((a, b) => b.uid - a.uid);
}

/** References, for the replies whose parent (In-Reply-To) is not among the listed messages. */
async function addReferences(client: ImapFlow, listed: Map<number, Listed>): Promise<void> {
  const known = new Set<string>();
  for (const { summary } of listed.values()) if (summary.messageId) known.add(summary.messageId);
  const orphans = [...listed.values()]
    .filter(({ summary }) => summary.inReplyTo && !known.has(summary.inReplyTo))
    .map((entry) => entry.uid);
  if (!orphans.length) return;
  for await (const message of client.fetch(uidSet(orphans), REFERENCES_QUERY, { uid: true })) {
    const entry = listed.get(message.uid);
    const references = referencesOf(message.headers);
    if (entry && references.length) entry.summary.references = references;
  }
}

/** Summaries of the newest `limit` of these UIDs, newest first (search results, mail new since a cached state). */
export async function fetchNewest(
  client: ImapFlow,
  uids: number[],
  limit: number,
  base: RefBase,
): Promise<MessageSummary[]> {
  const chosen = [...uids].sort((a, b) => b - a).slice(0, limit);
  if (!chosen.length) return [];
  return (await summariesOf(client, client.fetch(uidSet(chosen), SUMMARY_QUERY, { uid: true }), base)).map(
    (listed) => listed.summary,
  );
}

// How a change the server pushed updates a folder's loaded list in place, instead of throwing the list away: new
// mail is merged in at the top, a flag change touches one message. Pure, so it is tested without a server.
import type { Flags, MessagePage, MessageSummary } from '../mail/types';

/** Applies a message's new flags; returns the change in unread messages (-1, 0, 1), or undefined if not loaded. */
export function applyFlags(
  page: MessagePage | undefined,
  id: string,
  flags: Flags,
): { summary: MessageSummary; unreadDelta: number } | undefined {
  const summary = page?.messages.find((message) => message.ref.id === id);
  if (!summary) return undefined;
  const unreadDelta = summary.flags.seen === flags.seen ? 0 : flags.seen ? -1 : 1;
  summary.flags = { ...flags };
  return { summary, unreadDelta };
}

/**
 * Merges the folder's newest page, just listed, into what was loaded: messages not seen before go on top (in the
 * server's order), what was loaded below stays. Returns the new arrivals.
 */
export function mergeNewest(
  page: MessagePage,
  newest: { messages: MessageSummary[]; total: number },
): MessageSummary[] {
  const known = new Set(page.messages.map((message) => message.ref.id));
  const arrived = newest.messages.filter((message) => !known.has(message.ref.id));
  page.messages = [...arrived, ...page.messages];
  page.total = Math.max(newest.total, page.messages.length);
  return arrived;
}

/**
 * After a watch was down, the folder's newest page (just listed) brought into what was loaded, in place: new mail on
 * top, flags as the server has them now, and loaded messages within the newest page's reach that are not in it
 * any more (expunged meanwhile) gone; what was loaded below its reach stays. Returns the new arrivals.
 */
export function mergeResumed(
  page: MessagePage,
  newest: { messages: MessageSummary[]; total: number; next?: string },
): MessageSummary[] {
  const fresh = new Map(newest.messages.map((message) => [message.ref.id, message]));
  let reach = -1;
  page.messages.forEach((message, index) => {
    if (fresh.has(message.ref.id)) reach = index;
  });
  if (reach < 0) {
    // Nothing loaded is among the newest any more: the newest page is the list now.
    const known = new Set(page.messages.map((message) => message.ref.id));
    page.messages = [...newest.messages];
    page.next = newest.next;
    page.total = newest.total;
    return newest.messages.filter((message) => !known.has(message.ref.id));
  }
  const arrived = mergeNewest(page, newest);
  const kept = page.messages.filter((message, index) => index > reach + arrived.length || fresh.has(message.ref.id));
  for (const message of kept) {
    const now = fresh.get(message.ref.id);
    if (now) message.flags = { ...now.flags };
  }
  page.messages = kept;
  page.total = newest.total;
  return arrived;
}

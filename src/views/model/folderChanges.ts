// How a change the server pushed updates a folder's loaded list in place, instead of throwing the list away: new
// mail is merged in at the top, a flag change touches one message. Pure, so it is tested without a server.
import type { Flags, MessageSummary } from '../../mail/types';

export interface LoadedPage {
  messages: MessageSummary[];
  next?: string;
  total: number;
}

/** Applies a message's new flags; returns the change in unread messages (-1, 0, 1), or undefined if not loaded. */
export function applyFlags(page: LoadedPage | undefined, id: string, flags: Flags): { summary: MessageSummary; unreadDelta: number } | undefined {
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
export function mergeNewest(page: LoadedPage, newest: { messages: MessageSummary[]; total: number }): MessageSummary[] {
  const known = new Set(page.messages.map((message) => message.ref.id));
  const arrived = newest.messages.filter((message) => !known.has(message.ref.id));
  page.messages = [...arrived, ...page.messages];
  page.total = Math.max(newest.total, page.messages.length);
  return arrived;
}

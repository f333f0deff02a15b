// Server-side search (RFC 3501 6.4.4 UID SEARCH): each word must match the sender, the subject or the text
// (OR FROM SUBJECT TEXT), words are ANDed by intersecting their UID sets. Non-ASCII words go with CHARSET UTF-8
// (imapflow adds it); a server that refuses that charset (NO [BADCHARSET]) gets the word matched here instead,
// against the sender and subject of the folder's newest messages, and the result says so.
import type { ImapFlow } from 'imapflow';
import type { MessageSummary } from '../../mail/types';
import { uidSet } from './imapRefs';

/** How far back the fallback for a refused charset looks. */
const FALLBACK_WINDOW = 500;

export interface FolderMatches {
  uids: number[];
  /** Set when a word had to be matched here rather than by the server. */
  note?: string;
}

export async function searchFolder(client: ImapFlow, words: string[]): Promise<FolderMatches> {
  let matches: Set<number> | undefined;
  const refused: string[] = [];
  for (const word of words) {
    const found = await client.search({ or: [{ from: word }, { subject: word }, { text: word }] }, { uid: true });
    if (!Array.isArray(found)) {
      refused.push(word);
      continue;
    }
    matches = intersect(matches, found);
    if (!matches.size) return { uids: [] };
  }
  if (!refused.length) return { uids: [...(matches ?? [])] };
  // The server would not search for these words: match them against envelopes of the candidates (or the newest).
  const candidates = matches ? [...matches] : await newest(client, FALLBACK_WINDOW);
  const kept: number[] = [];
  if (candidates.length) {
    for await (const message of client.fetch(uidSet(candidates), { uid: true, envelope: true }, { uid: true })) {
      const haystack =
        `${message.envelope?.subject ?? ''} ${(message.envelope?.from ?? []).map((address) => `${address.name ?? ''} ${address.address ?? ''}`).join(' ')}`.toLocaleLowerCase();
      if (refused.every((word) => haystack.includes(word.toLocaleLowerCase()))) kept.push(message.uid);
    }
  }
  return {
    uids: kept,
    note: `the server cannot search for ${refused.map((word) => `"${word}"`).join(', ')}; matched by sender and subject${matches ? '' : ` among the newest ${FALLBACK_WINDOW}`}`,
  };
}

export function newestFirst(a: MessageSummary, b: MessageSummary): number {
  return (b.date?.getTime() ?? 0) - (a.date?.getTime() ?? 0);
}

async function newest(client: ImapFlow, count: number): Promise<number[]> {
  const all = (await client.search({ all: true }, { uid: true })) || [];
  return all.sort((a, b) => a - b).slice(-count);
}

function intersect(current: Set<number> | undefined, found: number[]): Set<number> {
  if (!current) return new Set(found);
  return new Set(found.filter((uid) => current.has(uid)));
}

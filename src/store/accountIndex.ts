// The per-account index: which UIDLs were downloaded, where each message lives, and what the list shows, so the
// tree never parses mail to draw itself. Written atomically; a damaged file is reported, never trusted blindly.
import { readFile } from 'node:fs/promises';
import type { HeaderSummary } from '../mail/types';
import { writeAtomically } from './atomicWrite';

/**
 * Bump when the shape changes; an index of an unknown version is rebuilt from the Maildir. Version 1 lacked the
 * threading headers in its summaries: it is read as it is and its summaries are read again from the Maildir
 * (store/summaryUpgrade.ts), keeping its tombstones, which a rebuild would lose.
 */
export const INDEX_VERSION = 2;
const READABLE_VERSIONS = [1, 2];

/** What the list shows of a stored message, kept so the tree never parses mail to draw itself. */
export type StoredSummary = HeaderSummary;

export interface IndexEntry {
  /** The server's UIDL (or, for a server without UIDL, a hash of the content). */
  uid: string;
  /** Maildir base name, or null once the user deleted the message here for good: a tombstone that keeps it from
   *  being downloaded again while the server still has it. */
  base: string | null;
  /** When Letterbox first downloaded it (ISO); "delete from server after N days" counts from here. */
  firstSeen: string;
  summary: StoredSummary | null;
}

interface IndexFile {
  version: number;
  entries: IndexEntry[];
}

export type IndexRead =
  | { state: 'ok'; entries: IndexEntry[]; outdated: boolean }
  | { state: 'missing' }
  | { state: 'damaged'; reason: string };

export async function readIndex(path: string): Promise<IndexRead> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' };
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as IndexFile;
    if (!READABLE_VERSIONS.includes(parsed?.version))
      return { state: 'damaged', reason: `format version ${String(parsed?.version)}, expected ${INDEX_VERSION}` };
    if (!Array.isArray(parsed.entries) || !parsed.entries.every(isEntry))
      return { state: 'damaged', reason: 'malformed entries' };
    return { state: 'ok', entries: parsed.entries, outdated: parsed.version !== INDEX_VERSION };
  } catch (error) {
    return { state: 'damaged', reason: (error as Error).message };
  }
}

/** Durable: a crash leaves the old index or the new one (the store also serialises its writes). */
export async function writeIndex(path: string, entries: IndexEntry[]): Promise<void> {
  await writeAtomically(path, JSON.stringify({ version: INDEX_VERSION, entries } satisfies IndexFile), 'durable');
}

function isEntry(value: unknown): value is IndexEntry {
  const entry = value as IndexEntry;
  return (
    typeof entry?.uid === 'string' &&
    (entry.base === null || typeof entry.base === 'string') &&
    typeof entry.firstSeen === 'string' &&
    (entry.summary === null || typeof entry.summary?.subject === 'string')
  );
}

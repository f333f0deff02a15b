// An index of an older version keeps its entries (and its tombstones, which no rebuild could recover) but its
// summaries lack what a newer Letterbox shows: they are made again from the messages' header blocks.
import type { MessageReading } from '../mail/types';
import type { IndexEntry } from './accountIndex';
import type { Maildir, MaildirFile } from './maildir';
import { HEADER_BYTES } from './storeDownload';

/** Summarises every stored message of these entries again (in place); returns how many were. */
export async function summarizeAgain(
  entries: Map<string, IndexEntry>,
  files: Map<string, MaildirFile>,
  maildir: Maildir,
  reading: Pick<MessageReading, 'summarize'>,
): Promise<number> {
  let count = 0;
  for (const entry of entries.values()) {
    const file = entry.base === null ? undefined : files.get(entry.base);
    if (!file) continue;
    const content = await maildir.read(file).catch(() => undefined);
    // A file that cannot be read now keeps its old summary: the list still shows it, unthreaded.
    if (!content) continue;
    entry.summary = await reading.summarize(content.subarray(0, HEADER_BYTES), content.length);
    count++;
  }
  return count;
}

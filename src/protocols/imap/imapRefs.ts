// Small pure helpers for message references and UID sets, kept apart so they are tested without a server.
import type { FolderPath, MessageRef } from '../../mail/types';

export function groupByFolder(refs: MessageRef[]): Map<FolderPath, MessageRef[]> {
  const groups = new Map<FolderPath, MessageRef[]>();
  for (const ref of refs) {
    const group = groups.get(ref.folder);
    if (group) group.push(ref);
    else groups.set(ref.folder, [ref]);
  }
  return groups;
}

/** "3,5:9,12" from any order of UIDs: short commands even for large selections. */
export function uidSet(uids: number[]): string {
  const sorted = [...new Set(uids)].filter((uid) => Number.isInteger(uid) && uid > 0).sort((a, b) => a - b);
  if (!sorted.length) throw new RangeError('no valid UIDs in the selection');
  const ranges: string[] = [];
  let start = sorted[0];
  let end = start;
  for (const uid of sorted.slice(1)) {
    if (uid === end + 1) {
      end = uid;
      continue;
    }
    ranges.push(start === end ? `${start}` : `${start}:${end}`);
    start = end = uid;
  }
  ranges.push(start === end ? `${start}` : `${start}:${end}`);
  return ranges.join(',');
}

export interface PageCursor {
  validity: string;
  /** The next page holds UIDs below this one. */
  beforeUid: number;
  /**
   * The message sequence number `beforeUid` had when the page was listed. Sequence numbers are dense (RFC 3501
   * 2.3.1.2), so while that message still sits there, the next page is simply the positions below it: no search.
   */
  seq?: number;
}

export function encodeCursor(cursor: PageCursor): string {
  return `${cursor.validity}:${cursor.beforeUid}${cursor.seq ? `:${cursor.seq}` : ''}`;
}

export function decodeCursor(value: string): PageCursor {
  const match = /^(\d+):(\d+)(?::(\d+))?$/.exec(value);
  if (!match) throw new RangeError(`not a page cursor: ${value}`);
  return { validity: match[1], beforeUid: Number(match[2]), ...(match[3] ? { seq: Number(match[3]) } : {}) };
}

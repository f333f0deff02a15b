// Reading an mbox file (b4 mbox, git format-patch --stdout, a list archive) without changing it and without reading
// it whole: one streaming pass finds where each message starts and ends (a "From " line at the start of the file or
// after an empty line, as mutt and git mailsplit split) and keeps only the offsets and each header block; a message
// is read by its offsets when it is opened, with mboxrd's ">From " quoting undone. The file's size, time and
// SHA-256 are taken in the same pass, so a reader can tell that the file changed under it. VS Code-free.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';

export interface MboxEntry {
  /** 0-based position in the file. */
  index: number;
  /** Where the message's first header line starts, and where the message ends (before the next "From " line). */
  start: number;
  end: number;
  /** The header block (up to the first empty line, at most HEADER_LIMIT bytes). */
  header: Buffer;
}

export interface MboxIndex {
  entries: MboxEntry[];
  size: number;
  mtimeMs: number;
  sha256: string;
}

/** A header block longer than this is cut (it is only for the list; the whole message is read when opened). */
export const HEADER_LIMIT = 64 * 1024;
const CHUNK = 1024 * 1024;

export async function indexMbox(
  path: string,
  onProgress?: (bytesRead: number, size: number) => void,
): Promise<MboxIndex> {
  const before = await stat(path);
  const hash = createHash('sha256');
  const entries: MboxEntry[] = [];
  let offset = 0;
  /** Bytes of the current line not yet ended by a newline (a line may span chunks). */
  let partial: Buffer[] = [];
  let partialStart = 0;
  let previousBlank = true;
  let current: { start: number; header: Buffer[]; headerSize: number; inHeader: boolean } | undefined;
  const finish = (end: number) => {
    if (!current) return;
    entries.push({ index: entries.length, start: current.start, end, header: Buffer.concat(current.header) });
    current = undefined;
  };
  const line = (bytes: Buffer, start: number) => {
    const isSeparator = previousBlank && bytes.subarray(0, 5).toString('latin1') === 'From ';
    const text = bytes.toString('latin1');
    const blank = text === '\n' || text === '\r\n';
    if (isSeparator) {
      finish(start);
      current = { start: start + bytes.length, header: [], headerSize: 0, inHeader: true };
    } else if (current?.inHeader) {
      if (blank) current.inHeader = false;
      else if (current.headerSize < HEADER_LIMIT) {
        const kept = bytes.subarray(0, HEADER_LIMIT - current.headerSize);
        current.header.push(kept);
        current.headerSize += kept.length;
      }
    }
    previousBlank = blank;
  };
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    let from = 0;
    for (let newline = chunk.indexOf(10); newline >= 0; newline = chunk.indexOf(10, from)) {
      const piece = chunk.subarray(from, newline + 1);
      const whole = partial.length ? Buffer.concat([...partial, piece]) : piece;
      line(whole, partial.length ? partialStart : offset + from);
      partial = [];
      from = newline + 1;
    }
    if (from < chunk.length) {
      if (!partial.length) partialStart = offset + from;
      partial.push(chunk.subarray(from));
    }
    offset += chunk.length;
    onProgress?.(offset, before.size);
  }
  if (partial.length) line(Buffer.concat(partial), partialStart);
  finish(offset);
  return { entries, size: offset, mtimeMs: before.mtimeMs, sha256: hash.digest('hex') };
}

/** One message's bytes, as it was before it went into the mbox (mboxrd's ">From " quoting undone). */
export async function readMboxMessage(path: string, entry: Pick<MboxEntry, 'start' | 'end'>): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const length = Math.max(0, entry.end - entry.start);
    const bytes = Buffer.alloc(length);
    const { bytesRead } = await file.read(bytes, 0, length, entry.start);
    return unquoteFrom(trimSeparatorBlank(bytes.subarray(0, bytesRead)));
  } finally {
    await file.close();
  }
}

/** The empty line that separates a message from the next "From " line belongs to the mbox, not to the message. */
function trimSeparatorBlank(bytes: Buffer): Buffer {
  if (bytes.subarray(-2).toString('latin1') === '\n\n') return bytes.subarray(0, -1);
  if (bytes.subarray(-4).toString('latin1') === '\r\n\r\n') return bytes.subarray(0, -2);
  return bytes;
}

function unquoteFrom(bytes: Buffer): Buffer {
  const text = bytes.toString('latin1');
  if (!text.includes('>From ')) return bytes;
  return Buffer.from(text.replace(/^>(>*From )/gm, '$1'), 'latin1');
}

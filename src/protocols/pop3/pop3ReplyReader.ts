// protocols/pop3: our own POP3 client (RFC 1939, 2449, 2595, 5034). Never imports 'vscode'.
// This file turns the server's byte stream into replies. It must be right at every chunk boundary: a status line,
// a dot-stuffed line or the terminating ".CRLF" may be split anywhere, even byte by byte.

const LF = 0x0a;
const CR = 0x0d;
const DOT = 0x2e;
/** A status line longer than this is not POP3 (RFC 2449 allows 512 octets); fail instead of buffering forever. */
const MAX_STATUS_LINE = 8 * 1024;

export interface Pop3Reply {
  /** The status text after "+OK" / "+" (continuation), without the status word. */
  text: string;
  /** true for a SASL continuation ("+ challenge") rather than "+OK". */
  continuation: boolean;
  /** The multi-line body, dot-unstuffed with LF line ends, when no sink took it. */
  body?: Buffer;
}

export class Pop3ServerError extends Error {
  constructor(
    readonly text: string,
    readonly responseCode: string | undefined,
  ) {
    super(text);
  }
}

export interface ExpectedReply {
  multiline: boolean;
  /** Accept "+ challenge" as an answer (SASL, RFC 5034). */
  continuation?: boolean;
  /** Receives the multi-line body piece by piece (dot-unstuffed, LF line ends) instead of collecting it. */
  sink?: (chunk: Buffer) => void;
  /**
   * The most body bytes this reply may have, collected or passed to the sink. A server that sends more (an endless
   * listing, a message far larger than LIST said) ends the session instead of filling memory or the disk.
   */
  maxBytes?: number;
  resolve(reply: Pop3Reply): void;
  reject(error: Error): void;
}

interface Active extends ExpectedReply {
  status?: string;
  collected?: Buffer[];
  bodyBytes?: number;
}

export class Pop3ReplyReader {
  private buffer: Buffer = Buffer.alloc(0);
  private readonly queue: Active[] = [];
  private inBody = false;
  private atLineStart = true;

  /** `source` tells a server that broke the protocol from a local receiver that failed. */
  constructor(private readonly onFatal: (error: Error, source: 'server' | 'sink') => void) {}

  get waiting(): number {
    return this.queue.length;
  }

  /** Bytes received but not yet claimed by any reply (used to detect injection before STLS, RFC 2595 4). */
  get unread(): number {
    return this.buffer.length;
  }

  expect(reply: ExpectedReply): void {
    this.queue.push(reply);
    this.drain();
  }

  push(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    this.drain();
  }

  /** Fails every reply still expected, e.g. when the connection is gone. */
  failAll(error: Error): void {
    const waiting = this.queue.splice(0);
    this.inBody = false;
    for (const reply of waiting) reply.reject(error);
  }

  private drain(): void {
    while (this.queue.length) {
      const head = this.queue[0];
      if (this.inBody) {
        if (!this.readBody(head)) return;
        this.inBody = false;
        this.queue.shift();
        const body = head.collected ? Buffer.concat(head.collected) : undefined;
        head.resolve({ text: head.status ?? '', continuation: false, body });
        continue;
      }
      const line = this.readStatusLine();
      if (line === undefined) return;
      const ok = /^\+OK(?:\s(.*))?$/i.exec(line);
      const err = /^-ERR(?:\s(.*))?$/i.exec(line);
      const more = /^\+(?:\s(.*))?$/.exec(line);
      if (ok) {
        if (head.multiline) {
          head.status = ok[1] ?? '';
          if (!head.sink) head.collected = [];
          this.inBody = true;
          this.atLineStart = true;
          continue;
        }
        this.queue.shift();
        head.resolve({ text: ok[1] ?? '', continuation: false });
      } else if (err) {
        this.queue.shift();
        const text = err[1] ?? '';
        head.reject(new Pop3ServerError(text, /^\[([^\]]+)\]/.exec(text)?.[1]?.toUpperCase()));
      } else if (more && head.continuation) {
        this.queue.shift();
        head.resolve({ text: more[1] ?? '', continuation: true });
      } else {
        this.onFatal(new Error(`the server sent "${line.slice(0, 80)}" where a +OK or -ERR was expected`), 'server');
        return;
      }
    }
  }

  private readStatusLine(): string | undefined {
    const end = this.buffer.indexOf(LF);
    if (end < 0) {
      if (this.buffer.length > MAX_STATUS_LINE)
        this.onFatal(new Error('the server sent an overlong status line'), 'server');
      return undefined;
    }
    const line = this.buffer.subarray(0, end > 0 && this.buffer[end - 1] === CR ? end - 1 : end).toString('utf8');
    this.buffer = this.buffer.subarray(end + 1);
    return line;
  }

  /**
   * Moves what is complete of a multi-line body to its sink; true once the terminating "." line was read.
   * One scan notes the byte ranges to keep (line contents without the stuffed dot and the CR), then one copy joins
   * them: no Buffer object per line, which is what a 1,000-message download spends its time on otherwise.
   */
  private readBody(head: Active): boolean {
    const input = this.buffer;
    /** Triples (start, end, 1 when a LF follows) of the input to keep. */
    const ranges: number[] = [];
    let pos = 0;
    let finished = false;
    for (;;) {
      if (this.atLineStart) {
        if (pos >= input.length) break;
        if (input[pos] === DOT) {
          // RFC 1939 3: a line of "." alone ends the reply; any other line starting with "." was dot-stuffed.
          if (input.length - pos < 2) break;
          const next = input[pos + 1];
          if (next === LF || next === CR) {
            if (next === CR && input.length - pos < 3) break;
            if (next === LF || input[pos + 2] === LF) {
              pos += next === LF ? 2 : 3;
              finished = true;
              break;
            }
          }
          pos += 1;
        }
        this.atLineStart = false;
      }
      const end = input.indexOf(LF, pos);
      if (end < 0) {
        // A partial line: pass it on now (a huge one-line body must not pile up), but keep a trailing CR back,
        // since it may be the first half of the CRLF that ends the line.
        const stop = input.length - (input.length > pos && input[input.length - 1] === CR ? 1 : 0);
        if (stop > pos) ranges.push(pos, stop, 0);
        pos = Math.max(pos, stop);
        break;
      }
      ranges.push(pos, end > pos && input[end - 1] === CR ? end - 1 : end, 1);
      pos = end + 1;
      this.atLineStart = true;
    }
    this.buffer = input.subarray(pos);
    let size = 0;
    for (let i = 0; i < ranges.length; i += 3) size += ranges[i + 1] - ranges[i] + ranges[i + 2];
    if (!size) return finished;
    const chunk = Buffer.allocUnsafe(size);
    let at = 0;
    for (let i = 0; i < ranges.length; i += 3) {
      at += input.copy(chunk, at, ranges[i], ranges[i + 1]);
      if (ranges[i + 2]) chunk[at++] = LF;
    }
    head.bodyBytes = (head.bodyBytes ?? 0) + chunk.length;
    if (head.maxBytes !== undefined && head.bodyBytes > head.maxBytes) {
      this.onFatal(new Error(`the reply was longer than the ${head.maxBytes} bytes it may have`), 'server');
      return false;
    }
    if (!head.sink) head.collected?.push(chunk);
    else {
      try {
        head.sink(chunk);
      } catch (error) {
        // The receiver failed (a full disk): the rest of this body cannot be placed, so the session is over.
        this.onFatal(error as Error, 'sink');
        return false;
      }
    }
    return finished;
  }
}

// The POP3 wire in domain words: list the mailbox with unique ids, download one message to a sink, mark one for
// deletion, commit (QUIT). The RFC verbs stay in pop3Client; sync/ orders these calls and decides what to delete.
import { createHash } from 'node:crypto';
import type { Logger } from '../../mail/logger';
import { MailError } from '../../mail/mailError';
import { Pop3Client, type Pop3ConnectOptions } from './pop3Client';
import { Pop3ServerError } from './pop3ReplyReader';

/**
 * Where a message's id comes from, which decides whether it may ever be deleted from the server:
 * - uidl: the server's own unique id (RFC 1939 7);
 * - content: the server has no UIDL; made from the header block and the size;
 * - repeatedUidl: the server gave this UIDL to more than one message, so it cannot tell them apart; the id adds the
 *   header block and size. Such messages are stored, and never deleted.
 */
export type IdSource = 'uidl' | 'content' | 'repeatedUidl';

export interface ServerMessage {
  /** The message number in this session only (RFC 1939: valid until QUIT). */
  number: number;
  /** The size LIST reported. */
  size: number;
  id: string;
  idSource: IdSource;
}

export type DownloadOutcome = { stored: true } | { stored: false; reason: string };

export class Pop3Session {
  /** The server answered TOP with -ERR once (TOP is optional, RFC 1939 7): header blocks come from RETR instead. */
  private topRefused = false;

  private constructor(
    private readonly client: Pop3Client,
    private readonly log: Logger,
    private readonly where: string,
  ) {}

  /** Connects, negotiates TLS as the account requires, and logs in. */
  static async open(options: Pop3ConnectOptions): Promise<Pop3Session> {
    const client = await Pop3Client.connect(options);
    return new Pop3Session(client, options.log, `${options.server.host}:${options.server.port}`);
  }

  /** Whether downloads may be pipelined (RFC 2449 PIPELINING). */
  get pipelining(): boolean {
    return this.client.supportsPipelining;
  }

  /** Whether the server gives unique ids, without which mail cannot be left on it. */
  async hasUniqueIds(): Promise<boolean> {
    try {
      await this.client.uidl();
      return true;
    } catch (error) {
      if (error instanceof MailError && error.kind === 'unsupported') return false;
      throw error;
    }
  }

  /**
   * Every message in the mailbox with a unique id. `withoutUidl: 'refuse'` rejects (kind unsupported) when the server
   * has no UIDL; 'contentIds' makes ids from the header block and size instead (TOP n 0, one round trip each).
   */
  async listMessages(withoutUidl: 'refuse' | 'contentIds'): Promise<ServerMessage[]> {
    const sizes = new Map((await this.client.list()).map(({ number, size }) => [number, size]));
    let uidls: Array<{ number: number; uid: string }>;
    try {
      uidls = await this.client.uidl();
    } catch (error) {
      if (!(error instanceof MailError) || error.kind !== 'unsupported' || withoutUidl === 'refuse') throw error;
      return this.contentIds([...sizes.keys()], sizes, 'content', () => 'content');
    }
    const counts = new Map<string, number>();
    for (const { uid } of uidls) counts.set(uid, (counts.get(uid) ?? 0) + 1);
    const repeated = uidls.filter(({ uid }) => counts.get(uid)! > 1);
    const uidOf = new Map(uidls.map(({ number, uid }) => [number, uid]));
    const told = await this.contentIds(
      repeated.map(({ number }) => number),
      sizes,
      'repeatedUidl',
      (number) => `uidl:${uidOf.get(number)}`,
    );
    if (repeated.length) {
      this.log.warn(
        `${this.where} gave the same UIDL to more than one message (${[...new Set(repeated.map(({ uid }) => JSON.stringify(uid.slice(0, 40))))].join(', ')}); those ${repeated.length} messages were told apart by their headers${this.topRefused ? ' (read with RETR, as the server refused TOP)' : ''} and are never deleted from the server`,
      );
    }
    const byNumber = new Map(told.map((message) => [message.number, message]));
    return uidls.map(
      ({ number, uid }) => byNumber.get(number) ?? { number, size: sizes.get(number) ?? 0, id: uid, idSource: 'uidl' },
    );
  }

  /**
   * Streams one message to `sink`. The server's refusal of this message ("-ERR message corrupted") is an outcome,
   * and the session goes on; a broken connection or a reply far past the listed size rejects and ends it.
   */
  async download(message: ServerMessage, sink: (chunk: Buffer) => void): Promise<DownloadOutcome> {
    try {
      await this.client.retr(message.number, sink, message.size);
      return { stored: true };
    } catch (error) {
      if (error instanceof Pop3ServerError)
        return { stored: false, reason: `${this.where} refused to send it (${error.text || 'no reason given'})` };
      throw error;
    }
  }

  /** Marks for deletion; nothing is deleted unless commit() succeeds (RFC 1939 6, the UPDATE state). */
  async markDeleted(message: ServerMessage): Promise<void> {
    await this.client.dele(message.number);
  }

  /** Ends the session; only a resolved commit means the marked messages are gone. */
  async commit(): Promise<void> {
    await this.client.quit();
  }

  /** Drops the connection without committing anything. Safe to call at any time, also twice. */
  close(): void {
    this.client.destroy();
  }

  /**
   * The header block and the blank line after it, as TOP n 0 returns it. TOP is optional (RFC 1939 7; CAPA lists
   * it, RFC 2449): without it the message is read with RETR and cut after its header block, which gives the same
   * bytes, so an id does not change with the way it was read. A missing optional command degrades; it never fails
   * the whole check.
   */
  private async headerBlock(number: number, size: number): Promise<Buffer> {
    if (!this.topRefused) {
      try {
        return await this.client.top(number, 0);
      } catch (error) {
        if (!(error instanceof Pop3ServerError)) throw error;
        this.topRefused = true;
        this.log.info(
          `${this.where} refused TOP (${error.text || 'no reason given'}); header blocks are read with RETR instead`,
        );
      }
    }
    const chunks: Buffer[] = [];
    try {
      await this.client.retr(number, (chunk) => chunks.push(chunk), size);
    } catch (error) {
      // A message the server will not send at all: told apart by its size and place only, and skipped later.
      if (error instanceof Pop3ServerError) return Buffer.from('unreadable\n');
      throw error;
    }
    const message = Buffer.concat(chunks);
    const end = message.indexOf('\n\n');
    return end < 0 ? message : message.subarray(0, end + 2);
  }

  /**
   * Ids from content, for messages the server's UIDL cannot tell apart. Two different messages with the same
   * headers (an automated notice without Message-ID) still differ in size most of the time; where both match,
   * the occurrence keeps them apart within one listing.
   */
  private async contentIds(
    numbers: number[],
    sizes: Map<number, number>,
    idSource: IdSource,
    prefix: (number: number) => string,
  ): Promise<ServerMessage[]> {
    const result: ServerMessage[] = [];
    const seen = new Map<string, number>();
    for (const number of numbers) {
      const size = sizes.get(number) ?? 0;
      const digest = createHash('sha256')
        .update(await this.headerBlock(number, size))
        .update(`\n${size}`)
        .digest('hex');
      const base = `${prefix(number)}:sha256-headers:${digest}`;
      const occurrence = seen.get(base) ?? 0;
      seen.set(base, occurrence + 1);
      result.push({ number, size, id: `${base}#${occurrence}`, idSource });
    }
    return result;
  }
}

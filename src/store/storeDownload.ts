// One message on its way from the server into the Maildir: written as it arrives, recorded only once durable.
import type { Maildir, MaildirFile } from './maildir';
import { storageError } from './storageError';

/** Enough of the start of a message to hold any sane header block: what its summary is read from. */
export const HEADER_BYTES = 64 * 1024;

/** One message on its way from the server to the Maildir. */
export class StoreDownload {
  private readonly head: Buffer[] = [];
  private headBytes = 0;

  /** `record` enters the durable file into the store's index (MessageStore, which made this download). */
  constructor(
    readonly uid: string,
    private readonly writer: ReturnType<Maildir['beginWrite']>,
    private readonly record: (file: MaildirFile, start: Buffer, size: number) => Promise<void>,
  ) {}

  write(chunk: Buffer): void {
    this.writer.write(chunk);
    if (this.headBytes < HEADER_BYTES) {
      this.head.push(chunk.subarray(0, HEADER_BYTES - this.headBytes));
      this.headBytes += Math.min(chunk.length, HEADER_BYTES - this.headBytes);
    }
  }

  async deliver(): Promise<void> {
    let file: MaildirFile;
    try {
      file = await this.writer.deliver();
    } catch (error) {
      await this.writer.abort();
      throw storageError(`cannot store message ${this.uid}`, error);
    }
    await this.record(file, Buffer.concat(this.head), this.writer.bytes);
  }

  abort(): Promise<void> {
    return this.writer.abort();
  }
}

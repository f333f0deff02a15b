// One message on its way from the server into the Maildir: written as it arrives, recorded only once durable.
import type { Maildir, MaildirFile } from './maildir';
import type { MessageStore } from './messageStore';
import { storageError } from './storageError';
import { HEADER_BYTES } from './summarize';

/** One message on its way from the server to the Maildir. */
export class StoreDownload {
  private readonly head: Buffer[] = [];
  private headBytes = 0;

  constructor(private readonly store: MessageStore, readonly uid: string, private readonly writer: ReturnType<Maildir['beginWrite']>) {}

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
    await this.store.recordDelivered(this.uid, file, Buffer.concat(this.head), this.writer.bytes);
  }

  abort(): Promise<void> {
    return this.writer.abort();
  }
}

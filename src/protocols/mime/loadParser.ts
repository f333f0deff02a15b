// The MIME parser, loaded when the first message is opened rather than at activation: mailparser with libmime,
// iconv-lite and mailsplit takes about 60 ms to load, and a session that only lists mail never needs it
// (bench: activation; the bundle keeps a dynamic import lazy).
import type { MailMessage, MessageRef } from '../../mail/types';

export async function parseMessage(ref: MessageRef, source: Uint8Array): Promise<MailMessage> {
  const parser = await import('./parseMessage');
  return parser.parseMessage(ref, source);
}

// protocols/mime: raw RFC 5322 bytes -> MailMessage, shared by every backend. mailparser does the MIME work
// (charsets, encoded words, transfer encodings, nested parts); this file only maps its result to the domain.
import { simpleParser, type Attachment as ParsedAttachment, type ParsedMail } from 'mailparser';
import { addresses } from './addresses';
import { headerDate } from './headerDate';
import { declareMissingCharsets } from './declareCharsets';
import { splitAttachments } from './splitAttachments';
import type { Attachment, MailMessage, MessageRef } from '../../mail/types';

/**
 * Never throws for what a message contains: a message the parser cannot take apart (more than 1000 MIME parts, a
 * broken structure) is shown with its headers, its raw text and the attachments a streaming split finds, and a
 * note that says so.
 */
export async function parseMessage(ref: MessageRef, source: Uint8Array): Promise<MailMessage> {
  const buffer = Buffer.from(source.buffer, source.byteOffset, source.byteLength);
  try {
    // Text parts without a charset are read as a browser would (declareCharsets.ts); View Source keeps the bytes.
    const readable = (await declareMissingCharsets(buffer).catch(() => undefined)) ?? buffer;
    const parsed = await simpleParser(readable, {
      // Keep cid: references as they are; the panel resolves them against `attachments` itself.
      keepCidLinks: true,
      skipTextToHtml: true,
      skipTextLinks: true,
      // `text` is the sender's own text part only; for HTML-only mail the panel makes text from the sanitised HTML.
      skipHtmlToText: true,
    });
    const message = toMailMessage(ref, parsed);
    // A structure that names no readable part (a boundary that never occurs, nesting past the parser's depth)
    // would show an empty message; the bytes are there, so they are shown as they are.
    if (!message.text?.trim() && !message.html?.trim() && !message.attachments.length && hasBody(buffer)) {
      return rawFallback(ref, buffer, new Error('no readable part was found in its MIME structure'));
    }
    return message;
  } catch (error) {
    return rawFallback(ref, buffer, error);
  }
}

function hasBody(buffer: Buffer): boolean {
  return buffer.subarray(headerEnd(buffer)).toString('latin1').trim().length > 0;
}

/** The most raw text a fallback shows; View Source has all of it. */
const RAW_TEXT_LIMIT = 2 * 1024 * 1024;

async function rawFallback(ref: MessageRef, buffer: Buffer, error: unknown): Promise<MailMessage> {
  const end = headerEnd(buffer);
  let headers: ParsedMail | undefined;
  try {
    headers = await simpleParser(
      Buffer.concat([buffer.subarray(0, Math.min(end, 256 * 1024)), Buffer.from('\r\n\r\n')]),
      { skipTextToHtml: true, skipHtmlToText: true },
    );
  } catch {
    headers = undefined;
  }
  const reason = error instanceof Error ? error.message : String(error);
  const text = buffer.subarray(end, end + RAW_TEXT_LIMIT).toString('utf8');
  const attachments = await splitAttachments(buffer).catch(() => []);
  return {
    ...(headers ? toMailMessage(ref, headers) : emptyMessage(ref)),
    html: undefined,
    text: buffer.length - end > RAW_TEXT_LIMIT ? `${text}\n…` : text,
    attachments,
    notice: `Letterbox could not take this message apart (${reason}), so it is shown as raw text${attachments.length ? `, with the ${attachments.length} attachment${attachments.length === 1 ? '' : 's'} found in it` : ''}. View Source shows it exactly as it arrived.`,
  };
}

function emptyMessage(ref: MessageRef): MailMessage {
  return { ref, subject: '', from: [], to: [], cc: [], bcc: [], replyTo: [], references: [], attachments: [] };
}

function headerEnd(buffer: Buffer): number {
  const candidates = [buffer.indexOf('\r\n\r\n'), buffer.indexOf('\n\n')].filter((index) => index >= 0);
  if (!candidates.length) return buffer.length;
  const first = Math.min(...candidates);
  return first + (buffer[first] === 0x0d ? 4 : 2);
}

function toMailMessage(ref: MessageRef, parsed: ParsedMail): MailMessage {
  return {
    ref,
    subject: parsed.subject ?? '',
    from: addresses(parsed.from),
    to: addresses(parsed.to),
    cc: addresses(parsed.cc),
    bcc: addresses(parsed.bcc),
    replyTo: addresses(parsed.replyTo),
    date: headerDate(parsed),
    messageId: parsed.messageId,
    inReplyTo: parsed.inReplyTo,
    references: typeof parsed.references === 'string' ? [parsed.references] : (parsed.references ?? []),
    text: parsed.text,
    html: typeof parsed.html === 'string' ? parsed.html : undefined,
    attachments: parsed.attachments.map(toAttachment),
  };
}

function toAttachment(part: ParsedAttachment, index: number): Attachment {
  const contentId = part.contentId?.replace(/^<|>$/g, '') || undefined;
  return {
    id: String(index),
    filename: part.filename || fallbackName(part.contentType, index),
    contentType: part.contentType || 'application/octet-stream',
    size: part.size ?? part.content.length,
    contentId,
    // mailparser marks parts referenced from the HTML as `related`; those are inline images, not attachments.
    inline: Boolean(part.related) || (part.contentDisposition === 'inline' && Boolean(contentId)),
    // A view of mailparser's buffer, not a copy: a 10 MB attachment is held once.
    content: new Uint8Array(part.content.buffer, part.content.byteOffset, part.content.byteLength),
  };
}

function fallbackName(contentType: string | undefined, index: number): string {
  if (contentType === 'message/rfc822') return `message-${index + 1}.eml`;
  const subtype = contentType?.split('/')[1]?.replace(/[^a-z0-9]+/gi, '') || 'bin';
  return `attachment-${index + 1}.${subtype}`;
}

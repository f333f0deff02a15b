// protocols/mime: raw RFC 5322 bytes -> MailMessage, shared by every backend. mailparser does the MIME work
// (charsets, encoded words, transfer encodings, nested parts); this file only maps its result to the domain.
import { simpleParser, type Attachment as ParsedAttachment, type ParsedMail } from 'mailparser';
import { addresses } from '../../mail/addresses';
import type { Attachment, MailMessage, MessageRef } from '../../mail/types';

export async function parseMessage(ref: MessageRef, source: Uint8Array): Promise<MailMessage> {
  const parsed = await simpleParser(Buffer.from(source.buffer, source.byteOffset, source.byteLength), {
    // Keep cid: references as they are; the panel resolves them against `attachments` itself.
    keepCidLinks: true,
    skipTextToHtml: true,
    skipTextLinks: true,
  });
  return toMailMessage(ref, parsed);
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
    date: validDate(parsed.date),
    messageId: parsed.messageId,
    inReplyTo: parsed.inReplyTo,
    references: typeof parsed.references === 'string' ? [parsed.references] : parsed.references ?? [],
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
    content: new Uint8Array(part.content),
  };
}

function fallbackName(contentType: string | undefined, index: number): string {
  if (contentType === 'message/rfc822') return `message-${index + 1}.eml`;
  const subtype = contentType?.split('/')[1]?.replace(/[^a-z0-9]+/gi, '') || 'bin';
  return `attachment-${index + 1}.${subtype}`;
}

function validDate(date: Date | undefined): Date | undefined {
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
}

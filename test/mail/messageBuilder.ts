// Builds RFC 5322 messages for tests: just enough MIME to produce the shapes real mail has.
import { randomBytes } from 'node:crypto';

export interface TestAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
  contentId?: string;
}

export interface TestMessage {
  from?: string;
  to?: string;
  cc?: string;
  subject?: string;
  date?: Date;
  text?: string;
  html?: string;
  attachments?: TestAttachment[];
  extraHeaders?: Record<string, string>;
  /** Without angle brackets; a random one when absent. */
  messageId?: string;
}

/** RFC 2047 encoded word for non-ASCII header text. */
export function encodedWord(text: string): string {
  return /^[\x00-\x7f]*$/.test(text) ? text : `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
}

export function buildMessage(message: TestMessage): string {
  const headers = [
    `From: ${message.from ?? 'Alice Example <alice@example.org>'}`,
    `To: ${message.to ?? 'Bob Example <bob@example.org>'}`,
    ...(message.cc ? [`Cc: ${message.cc}`] : []),
    `Subject: ${encodedWord(message.subject ?? 'Test message')}`,
    `Date: ${(message.date ?? new Date('2026-11-01T10:00:00Z')).toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${message.messageId ?? `${randomBytes(8).toString('hex')}@letterbox.test`}>`,
    'MIME-Version: 1.0',
    ...Object.entries(message.extraHeaders ?? {}).map(([name, value]) => `${name}: ${value}`),
  ];
  const body = bodyPart(message);
  return [...headers, ...body.headers, '', body.content, ''].join('\r\n');
}

interface Part {
  headers: string[];
  content: string;
}

function bodyPart(message: TestMessage): Part {
  const text = message.text ?? (message.html ? undefined : 'Hello from the test suite.');
  const alternatives: Part[] = [];
  if (text !== undefined) alternatives.push(textPart('text/plain', text));
  if (message.html !== undefined) alternatives.push(textPart('text/html', message.html));
  let main = alternatives.length === 1 ? alternatives[0] : multipart('alternative', alternatives);
  const attachments = message.attachments ?? [];
  const inline = attachments.filter((a) => a.contentId);
  const regular = attachments.filter((a) => !a.contentId);
  if (inline.length) main = multipart('related', [main, ...inline.map(binaryPart)]);
  if (regular.length) main = multipart('mixed', [main, ...regular.map(binaryPart)]);
  return main;
}

function textPart(type: string, content: string): Part {
  return {
    headers: [`Content-Type: ${type}; charset=utf-8`, 'Content-Transfer-Encoding: base64'],
    content: wrap(Buffer.from(content, 'utf8').toString('base64')),
  };
}

function binaryPart(attachment: TestAttachment): Part {
  const disposition = attachment.contentId ? 'inline' : 'attachment';
  return {
    headers: [
      `Content-Type: ${attachment.contentType}; name="${attachment.filename}"`,
      'Content-Transfer-Encoding: base64',
      `Content-Disposition: ${disposition}; filename="${attachment.filename}"`,
      ...(attachment.contentId ? [`Content-ID: <${attachment.contentId}>`] : []),
    ],
    content: wrap(attachment.content.toString('base64')),
  };
}

function multipart(subtype: string, parts: Part[]): Part {
  const boundary = `=_${subtype}_${randomBytes(6).toString('hex')}`;
  const content = parts
    .map((part) => `--${boundary}\r\n${part.headers.join('\r\n')}\r\n\r\n${part.content}`)
    .join('\r\n');
  return {
    headers: [`Content-Type: multipart/${subtype}; boundary="${boundary}"`],
    content: `${content}\r\n--${boundary}--`,
  };
}

function wrap(base64: string): string {
  return base64.match(/.{1,76}/g)?.join('\r\n') ?? '';
}

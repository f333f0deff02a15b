// The benchmarks' mail: deterministic (a seeded generator, fixed Message-IDs and boundaries), so every run and
// every tool sees the same bytes, and realistic in shape: mostly short personal mail, some text+HTML mail,
// newsletters, attachments (1 KB to 200 KB), RFC 2047 headers with non-ASCII names and subjects.
import type { BenchContext } from './context';
import type { TestUser } from '../../test/servers/dovecot';
import { seededRandom } from '../../test/support/seededRandom';

export interface CorpusMessage {
  raw: Buffer;
  date: Date;
  seen: boolean;
}

const WORDS = [
  'release',
  'review',
  'meeting',
  'invoice',
  'deadline',
  'project',
  'draft',
  'build',
  'report',
  'update',
  'schedule',
  'budget',
  'design',
  'server',
  'customer',
  'question',
  'Grüße',
  'café',
  'naïve',
  'déjà',
];
const NAMES = [
  'Alice Martin',
  'Bob Chen',
  'Zoë Müller',
  'José Núñez',
  'Åsa Lindqvist',
  'Иван Петров',
  '田中 太郎',
  'Priya Raman',
  'Ola Nordmann',
  'Chloé Dubois',
];
const START = Date.UTC(2025, 0, 1);

function words(next: () => number, bytes: number): string {
  let text = '';
  let line = 0;
  while (text.length < bytes) {
    const word = WORDS[Math.floor(next() * WORDS.length)];
    text += word;
    line += word.length + 1;
    if (line > 70) {
      text += next() < 0.15 ? '.\r\n\r\n' : '\r\n';
      line = 0;
    } else text += ' ';
  }
  return text;
}

/** RFC 2047: B for mostly non-ASCII text, Q otherwise, as real mailers choose. */
function encoded(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return text;
  const bytes = Buffer.from(text, 'utf8');
  const nonAscii = bytes.filter((byte) => byte > 0x7e).length;
  if (nonAscii * 3 > bytes.length) return `=?UTF-8?B?${bytes.toString('base64')}?=`;
  return `=?UTF-8?Q?${[...bytes].map((byte) => (byte > 0x7e || byte === 0x3d || byte === 0x3f || byte === 0x5f ? `=${byte.toString(16).toUpperCase().padStart(2, '0')}` : byte === 0x20 ? '_' : String.fromCharCode(byte))).join('')}?=`;
}

function base64Lines(data: Buffer): string {
  return (data.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
}

function quotedPrintable(text: string): string {
  return Buffer.from(text, 'utf8')
    .toString('latin1')
    .replace(/[\x80-\xff=]/g, (c) => `=${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

function newsletterHtml(next: () => number, bytes: number): string {
  let html = '<!doctype html><html><body><table width="600" style="font-family:Arial">';
  for (let i = 0; html.length < bytes; i++) {
    html += `<tr><td style="padding:8px"><h3>Story ${i}</h3><p>${words(next, 300)}</p><a href="https://news.example.org/s/${i}">Read more</a><img src="https://img.example.org/${i}.png" width="120" height="80"></td></tr>\r\n`;
  }
  return `${html}</table></body></html>`;
}

/** Message `index` of the corpus: the same bytes for the same (seed, index). */
export function corpusMessage(seed: number, index: number): CorpusMessage {
  const next = seededRandom(seed * 1_000_003 + index);
  const kind = next();
  const fromName = next() < 0.3 ? NAMES[Math.floor(next() * NAMES.length)] : `Sender ${index % 97}`;
  const subjectWords = words(next, 20 + Math.floor(next() * 40))
    .replace(/[\r\n.]+/g, ' ')
    .trim();
  const subject = next() < 0.15 ? `Re: ${subjectWords} — ${NAMES[index % NAMES.length]}` : `${subjectWords} #${index}`;
  const date = new Date(START + index * 53_000);
  const boundary = (name: string) => `=_bench_${name}_${seed}_${index}`;
  const headers = [
    `Return-Path: <s${index % 97}@example.org>`,
    `Received: from mx.example.org (mx.example.org [192.0.2.${index % 250}]) by mail.example.net with ESMTPS id ${index.toString(36)}; ${date.toUTCString().replace('GMT', '+0000')}`,
    `From: ${encoded(fromName)} <s${index % 97}@example.org>`,
    'To: Bench Reader <reader@example.net>',
    ...(next() < 0.2 ? ['Cc: Team <team@example.net>, Ops <ops@example.net>'] : []),
    `Subject: ${encoded(subject)}`,
    `Date: ${date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <bench-${seed}-${index}@example.org>`,
    'MIME-Version: 1.0',
  ];
  let body: string[];
  if (kind < 0.6) {
    // Short personal mail, quoted-printable as most mailers send accented text.
    body = [
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      quotedPrintable(words(next, 500 + Math.floor(next() * 3_500))),
    ];
  } else if (kind < 0.8) {
    const text = words(next, 2_000 + Math.floor(next() * 10_000));
    body = [
      `Content-Type: multipart/alternative; boundary="${boundary('alt')}"`,
      '',
      `--${boundary('alt')}`,
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      quotedPrintable(text),
      `--${boundary('alt')}`,
      'Content-Type: text/html; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      quotedPrintable(`<html><body><p>${text.replace(/\r\n\r\n/g, '</p><p>')}</p></body></html>`),
      `--${boundary('alt')}--`,
    ];
  } else if (kind < 0.92) {
    body = [
      'Content-Type: text/html; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      base64Lines(Buffer.from(newsletterHtml(next, 20_000 + Math.floor(next() * 120_000)))),
    ];
  } else {
    // An attachment of 10 to 140 KB (base64 makes it a third larger): bytes that do not compress, like a PDF's.
    const size = 10_000 + Math.floor(next() * 130_000);
    const data = Buffer.alloc(size);
    for (let i = 0; i < size; i += 4) data.writeUInt32LE(Math.floor(next() * 0xffffffff), Math.min(i, size - 4));
    const names = ['report.pdf', 'photo.jpg', 'Angebot für Q3.pdf', 'logs.zip'];
    const name = names[index % names.length];
    body = [
      `Content-Type: multipart/mixed; boundary="${boundary('mixed')}"`,
      '',
      `--${boundary('mixed')}`,
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      quotedPrintable(words(next, 300)),
      `--${boundary('mixed')}`,
      `Content-Type: application/octet-stream; name="${encoded(name)}"`,
      'Content-Transfer-Encoding: base64',
      `Content-Disposition: attachment; filename="${encoded(name)}"`,
      '',
      base64Lines(data),
      `--${boundary('mixed')}--`,
    ];
  }
  return { raw: Buffer.from([...headers, ...body, ''].join('\r\n')), date, seen: next() < 0.7 };
}

export function corpus(seed: number, count: number): CorpusMessage[] {
  return Array.from({ length: count }, (_, index) => corpusMessage(seed, index));
}

/** A new Dovecot user whose Inbox holds `count` corpus messages, written as Maildir files (fast, no APPEND). */
export function seededUser(
  context: BenchContext,
  name: string,
  seed: number,
  count: number,
): { user: TestUser; megabytes: number } {
  const user = context.server.addUser(name);
  const messages = corpus(seed, count);
  context.server.deliverToMaildir(user, messages);
  const megabytes = messages.reduce((sum, message) => sum + message.raw.length, 0) / 1024 / 1024;
  context.progress(`${name}: ${count} messages (${megabytes.toFixed(1)} MB) delivered as Maildir files`);
  return { user, megabytes };
}

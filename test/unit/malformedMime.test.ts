// 600 malformed messages, mutated from good ones with a fixed seed: the MIME engine (the panel's parser and the
// POP3 store's header summary) never throws past its edge, and every message still shows its headers and text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseMessage } from '../../src/protocols/mime/parseMessage';
import { summarizeHeaders as summarize } from '../../src/protocols/mime/summarizeHeaders';
import { buildMessage } from '../mail/messageBuilder';
import { seededRandom as random } from '../support/seededRandom';

const ref = { account: 'a', folder: 'INBOX', id: '1' };
const SEED = 20_261_130;

function seeds(): string[] {
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
    'base64',
  );
  return [
    buildMessage({ subject: 'Plain words', text: 'Hello,\nsee you soon.\n-- \nA' }),
    buildMessage({
      subject: 'Grüße aus Köln',
      from: 'Zoë <zoe@example.org>',
      html: '<p>Hallo <b>Welt</b></p>',
      text: 'Hallo Welt',
    }),
    buildMessage({
      subject: 'Report attached',
      text: 'See attached.',
      attachments: [{ filename: 'q3.pdf', contentType: 'application/pdf', content: Buffer.alloc(3000, 7) }],
    }),
    buildMessage({
      subject: 'Inline logo',
      html: '<img src="cid:logo@x"><p>hi</p>',
      attachments: [{ filename: 'logo.png', contentType: 'image/png', content: png, contentId: 'logo@x' }],
    }),
  ];
}

type Mutation = (raw: Buffer, next: () => number) => Buffer;
const pick = <T>(items: T[], next: () => number): T => items[Math.floor(next() * items.length)];
const at = (raw: Buffer, next: () => number) => Math.floor(next() * raw.length);

const MUTATIONS: Record<string, Mutation> = {
  truncate: (raw, next) => raw.subarray(0, at(raw, next)),
  cutOutRange: (raw, next) => {
    const start = at(raw, next);
    return Buffer.concat([raw.subarray(0, start), raw.subarray(start + 1 + Math.floor(next() * 400))]);
  },
  randomBytes: (raw, next) => {
    const copy = Buffer.from(raw);
    for (let i = 0; i < 1 + next() * 40; i++) copy[at(copy, next)] = Math.floor(next() * 256);
    return copy;
  },
  insertNul: (raw, next) => {
    const where = at(raw, next);
    return Buffer.concat([raw.subarray(0, where), Buffer.alloc(1 + Math.floor(next() * 20)), raw.subarray(where)]);
  },
  breakBoundary: (raw) =>
    Buffer.from(raw.toString('latin1').replace(/boundary="?([^";\r\n]+)"?/i, 'boundary="$1-broken"'), 'latin1'),
  dropSeparator: (raw) => Buffer.from(raw.toString('latin1').replace('\r\n\r\n', '\r\n'), 'latin1'),
  badEncoding: (raw, next) =>
    Buffer.from(
      raw
        .toString('latin1')
        .replace(
          /Content-Transfer-Encoding: \S+/gi,
          () =>
            `Content-Transfer-Encoding: ${pick(['base64', 'quoted-printable', 'x-uuencode', 'bogus', '7bit'], next)}`,
        ),
      'latin1',
    ),
  badCharset: (raw, next) =>
    Buffer.from(
      raw
        .toString('latin1')
        .replace(
          /charset=("?)[\w-]+\1/gi,
          `charset=${pick(['x-unknown', 'utf-7', '""', 'iso-8859-99', 'utf-16'], next)}`,
        ),
      'latin1',
    ),
  badEncodedWord: (raw) =>
    Buffer.from(
      raw.toString('latin1').replace(/^Subject: .*$/m, 'Subject: =?UTF-8?B?not base64!?= =?x?Q?=ZZ?= =?UTF-8?Q?half'),
      'latin1',
    ),
  hugeHeaderLine: (raw) => Buffer.concat([Buffer.from(`X-Long: ${'a'.repeat(200_000)}\r\n`), raw]),
  duplicateContentType: (raw) =>
    Buffer.from(
      raw
        .toString('latin1')
        .replace(/^Subject:/m, 'Content-Type: multipart/mixed; boundary=zz\r\nContent-Type: text/html\r\nSubject:'),
      'latin1',
    ),
  deepNesting: (raw) => {
    let body = 'deep text\r\n';
    for (let depth = 0; depth < 60; depth++)
      body = `Content-Type: multipart/mixed; boundary=d${depth}\r\n\r\n--d${depth}\r\n${body}--d${depth}--\r\n`;
    return Buffer.concat([raw.subarray(0, raw.indexOf('\r\n\r\n') + 2), Buffer.from(`X-Nest: yes\r\n${body}`)]);
  },
  tooManyParts: (raw) => {
    const parts = Array.from({ length: 1_100 }, (_, i) => `--p\r\nContent-Type: text/plain\r\n\r\npart ${i}\r\n`).join(
      '',
    );
    const head = raw
      .subarray(0, raw.indexOf('\r\n\r\n'))
      .toString('latin1')
      .replace(/^Content-Type:.*(\r\n[ \t].*)*$/gim, '');
    return Buffer.from(`${head}\r\nContent-Type: multipart/mixed; boundary=p\r\n\r\n${parts}--p--\r\n`, 'latin1');
  },
};

test('600 malformed messages: the parser and the summary never throw, and each shows headers and text', async () => {
  const next = random(SEED);
  const originals = seeds().map((raw) => Buffer.from(raw, 'latin1'));
  const names = Object.keys(MUTATIONS);
  const failures: string[] = [];
  const counts: Record<string, number> = {};
  for (let i = 0; i < 600; i++) {
    const original = pick(originals, next);
    const name = names[i % names.length];
    counts[name] = (counts[name] ?? 0) + 1;
    const raw = MUTATIONS[name](original, next);
    const label = `case ${i} (${name}, seed ${SEED})`;
    try {
      const message = await parseMessage(ref, raw);
      if (typeof message.subject !== 'string' || !Array.isArray(message.from) || !Array.isArray(message.attachments))
        failures.push(`${label}: malformed result`);
      const shows =
        (message.text ?? '').length > 0 || (message.html ?? '').length > 0 || message.attachments.length > 0;
      const hasBody = raw.length > raw.indexOf('\r\n\r\n') + 4 && raw.indexOf('\r\n\r\n') >= 0;
      if (hasBody && !shows) failures.push(`${label}: nothing to show`);
      // Mutations that leave the header block alone must leave the headers readable.
      if (
        ['breakBoundary', 'badEncoding', 'badCharset', 'tooManyParts', 'deepNesting'].includes(name) &&
        message.from[0]?.address !== 'alice@example.org' &&
        message.from[0]?.address !== 'zoe@example.org'
      ) {
        failures.push(`${label}: sender lost (${JSON.stringify(message.from)})`);
      }
      await summarize(raw.subarray(0, 64 * 1024), raw.length);
    } catch (error) {
      failures.push(`${label}: threw ${(error as Error).message}`);
    }
  }
  assert.deepEqual(failures, []);
  assert.equal(Object.keys(counts).length, names.length, 'every kind of mutation ran');
});

test('a message of more than 1000 MIME parts shows its headers and raw text, with a note saying why', async () => {
  const parts = Array.from({ length: 1_200 }, (_, i) => `--b\r\nContent-Type: text/plain\r\n\r\npart ${i}\r\n`).join(
    '',
  );
  const raw = `From: Many <many@example.org>\r\nSubject: many parts\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n${parts}--b--\r\n`;
  const message = await parseMessage(ref, Buffer.from(raw));
  assert.equal(message.subject, 'many parts');
  assert.equal(message.from[0]?.address, 'many@example.org');
  assert.match(message.text ?? '', /part 1199/);
  assert.match(message.notice ?? '', /could not take this message apart .*shown as raw text/);
});

test('a message of more than 1000 MIME parts still lists its attachments, each with its decoded bytes to save', async () => {
  const text = Array.from({ length: 1_100 }, (_, i) => `--b\r\nContent-Type: text/plain\r\n\r\nnote ${i}\r\n`).join('');
  const files = Array.from({ length: 120 }, (_, i) =>
    [
      `--b\r\nContent-Type: application/pdf; name="report-${i}.pdf"\r\nContent-Disposition: attachment; filename="report-${i}.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n`,
      `${Buffer.from(`%PDF-1.4 report ${i}\n`).toString('base64')}\r\n`,
    ].join(''),
  ).join('');
  const quoted =
    '--b\r\nContent-Type: text/csv; name="=?UTF-8?Q?z=C3=A4hler.csv?="\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\na;b=3Dc\r\n';
  const raw = `From: Many <many@example.org>\r\nSubject: many parts\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n${text}${files}${quoted}--b--\r\n`;
  const message = await parseMessage(ref, Buffer.from(raw));
  assert.match(message.notice ?? '', /shown as raw text, with the 121 attachments found in it/);
  assert.equal(message.attachments.length, 121);
  assert.equal(message.attachments[7].filename, 'report-7.pdf');
  assert.equal(message.attachments[7].contentType, 'application/pdf');
  assert.equal(Buffer.from(message.attachments[7].content).toString(), '%PDF-1.4 report 7\n');
  assert.equal(message.attachments[120].filename, 'zähler.csv');
  assert.equal(Buffer.from(message.attachments[120].content).toString(), 'a;b=c');
  assert.equal(
    new Set(message.attachments.map((attachment) => attachment.id)).size,
    121,
    'each can be saved by its own id',
  );
});

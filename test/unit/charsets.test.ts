// Text parts that do not say their charset are read as a browser reads them: the HTML <meta> declaration, else
// UTF-8 when the bytes are UTF-8, else windows-1252. A charset in the MIME header always wins.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseMessage } from '../../src/protocols/mime/parseMessage';

const ref = { account: 'a', folder: 'INBOX', id: '1' };
/** "Привет, мир" in windows-1251. */
const CYRILLIC_1251 = Buffer.from([0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2, 0x2c, 0x20, 0xec, 0xe8, 0xf0]);
/** "Grüße “quoted” €5" in windows-1252 (the quotes and the euro sign are not Latin-1). */
const WESTERN_1252 = Buffer.from([
  0x47, 0x72, 0xfc, 0xdf, 0x65, 0x20, 0x93, 0x71, 0x75, 0x6f, 0x74, 0x65, 0x64, 0x94, 0x20, 0x80, 0x35,
]);

function message(headers: string, body: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`From: a@example.org\r\nSubject: charsets\r\nMIME-Version: 1.0\r\n${headers}\r\n\r\n`, 'latin1'),
    body,
  ]);
}
const html = (head: string, text: Buffer) =>
  Buffer.concat([Buffer.from(`<html><head>${head}</head><body><p>`), text, Buffer.from('</p></body></html>\r\n')]);

test('an HTML part whose charset is only in <meta charset> is decoded with it', async () => {
  const parsed = await parseMessage(
    ref,
    message('Content-Type: text/html', html('<meta charset="windows-1251">', CYRILLIC_1251)),
  );
  assert.match(parsed.html ?? '', /Привет, мир/);
});

test('an HTML part whose charset is only in <meta http-equiv="Content-Type"> is decoded with it', async () => {
  const parsed = await parseMessage(
    ref,
    message(
      'Content-Type: text/html',
      html('<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">', CYRILLIC_1251),
    ),
  );
  assert.match(parsed.html ?? '', /Привет, мир/);
});

test('with no declaration anywhere, bytes that are not UTF-8 are read as windows-1252, in HTML and in plain text', async () => {
  const fromHtml = await parseMessage(ref, message('Content-Type: text/html', html('', WESTERN_1252)));
  assert.match(fromHtml.html ?? '', /Grüße “quoted” €5/);
  const fromText = await parseMessage(ref, message('Content-Type: text/plain', WESTERN_1252));
  assert.equal(fromText.text?.trim(), 'Grüße “quoted” €5');
  const noContentType = await parseMessage(ref, message('X-Nothing: here', WESTERN_1252));
  assert.equal(noContentType.text?.trim(), 'Grüße “quoted” €5');
});

test('a charset in the MIME header wins over a <meta> that says otherwise', async () => {
  const utf8 = Buffer.from('Привет, мир', 'utf8');
  const parsed = await parseMessage(
    ref,
    message('Content-Type: text/html; charset=utf-8', html('<meta charset="windows-1251">', utf8)),
  );
  assert.match(parsed.html ?? '', /Привет, мир/);
});

test('valid UTF-8 without a declaration stays UTF-8', async () => {
  const parsed = await parseMessage(ref, message('Content-Type: text/plain', Buffer.from('Zoë, 日本語, 🎉', 'utf8')));
  assert.equal(parsed.text?.trim(), 'Zoë, 日本語, 🎉');
});

test('the sniffing sees through base64 and quoted-printable, inside multipart/alternative', async () => {
  const qp = [...html('<meta charset="windows-1251">', CYRILLIC_1251)]
    .map((byte) =>
      byte > 0x7e || byte === 0x3d ? `=${byte.toString(16).toUpperCase().padStart(2, '0')}` : String.fromCharCode(byte),
    )
    .join('');
  const body = Buffer.from(
    [
      '--alt',
      'Content-Type: text/plain',
      'Content-Transfer-Encoding: base64',
      '',
      WESTERN_1252.toString('base64'),
      '--alt',
      'Content-Type: text/html',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      qp,
      '--alt--',
      '',
    ].join('\r\n'),
    'latin1',
  );
  const parsed = await parseMessage(ref, message('Content-Type: multipart/alternative; boundary=alt', body));
  assert.equal(parsed.text?.trim(), 'Grüße “quoted” €5');
  assert.match(parsed.html ?? '', /Привет, мир/);
});

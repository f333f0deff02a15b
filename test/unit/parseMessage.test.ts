// Real-world MIME shapes through the shared parser, including broken mail that must still show.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseMessage } from '../../src/protocols/mime/parseMessage';

const ref = { account: 'a', folder: 'INBOX', id: '1' };
const parse = (raw: string | Buffer) =>
  parseMessage(ref, typeof raw === 'string' ? Buffer.from(raw.replace(/\n/g, '\r\n'), 'latin1') : raw);

test('multipart/alternative yields both text and HTML', async () => {
  const message = await parse(`From: a@example.org
Subject: alt
Content-Type: multipart/alternative; boundary=b

--b
Content-Type: text/plain; charset=utf-8

plain body
--b
Content-Type: text/html; charset=utf-8

<p>html body</p>
--b--
`);
  assert.equal(message.text?.trim(), 'plain body');
  assert.equal(message.html?.trim(), '<p>html body</p>');
  assert.deepEqual(message.attachments, []);
});

test('encoded-word headers in several charsets decode to Unicode', async () => {
  const message = await parse(`From: =?ISO-8859-1?Q?Andr=E9?= <andre@example.org>
To: =?UTF-8?B?5bGx55Sw5aSq6YOO?= <taro@example.jp>, "Smith, J" <j@example.org>
Subject: =?windows-1252?Q?=93Quoted=94_=80uro?= and =?UTF-8?Q?caf=C3=A9?=

x
`);
  assert.equal(message.subject, '\u201cQuoted\u201d \u20acuro and café');
  assert.deepEqual(message.from, [{ name: 'André', address: 'andre@example.org' }]);
  assert.deepEqual(message.to, [
    { name: '山田太郎', address: 'taro@example.jp' },
    { name: 'Smith, J', address: 'j@example.org' },
  ]);
});

test('non-UTF-8 bodies are decoded by their declared charset', async () => {
  const latin1 = await parse(`Subject: x
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable

Gr=FC=DFe aus M=FCnchen
`);
  assert.equal(latin1.text?.trim(), 'Grüße aus München');
  const sjis = Buffer.concat([
    Buffer.from('Subject: x\r\nContent-Type: text/plain; charset=Shift_JIS\r\nContent-Transfer-Encoding: 8bit\r\n\r\n'),
    Buffer.from([0x82, 0xb1, 0x82, 0xf1, 0x82, 0xc9, 0x82, 0xbf, 0x82, 0xcd]),
  ]);
  assert.equal((await parse(sjis)).text?.trim(), 'こんにちは');
});

test('multipart/related marks cid images inline and keeps cid links in the HTML', async () => {
  const message = await parse(`Subject: related
Content-Type: multipart/related; boundary=r

--r
Content-Type: text/html; charset=utf-8

<img src="cid:logo@example">
--r
Content-Type: image/png; name=logo.png
Content-Transfer-Encoding: base64
Content-ID: <logo@example>
Content-Disposition: inline; filename=logo.png

iVBORw0KGgo=
--r--
`);
  assert.match(message.html ?? '', /src="cid:logo@example"/);
  assert.equal(message.attachments.length, 1);
  assert.deepEqual(
    [message.attachments[0].contentId, message.attachments[0].inline, message.attachments[0].filename],
    ['logo@example', true, 'logo.png'],
  );
});

test('a forwarded message/rfc822 is an attachment with a usable name', async () => {
  const message = await parse(`Subject: Fwd
Content-Type: multipart/mixed; boundary=m

--m
Content-Type: text/plain

see attached
--m
Content-Type: message/rfc822

From: inner@example.org
Subject: inner

inner body
--m--
`);
  assert.equal(message.text?.trim(), 'see attached');
  const forwarded = message.attachments.find((a) => a.contentType === 'message/rfc822');
  assert.ok(forwarded, 'the forwarded message is kept');
  assert.match(forwarded.filename, /\.eml$/);
  assert.equal(forwarded.inline, false);
});

test('broken encodings still show something instead of failing', async () => {
  const message = await parse(`Subject: =?UTF-8?B?not base64!!?= tail
Content-Type: text/plain; charset=x-unknown-charset
Content-Transfer-Encoding: base64

SGVsbG8g!!!d29ybGQ
`);
  assert.match(message.subject, /tail/);
  assert.ok((message.text ?? '').length > 0, 'some text survives');
});

test('a message with no headers or body parses to empty fields, not an exception', async () => {
  const message = await parse('\n');
  assert.equal(message.subject, '');
  assert.deepEqual(message.from, []);
  assert.equal(message.date, undefined);
});

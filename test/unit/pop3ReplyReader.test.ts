// The reply reader must give the same answers however the byte stream is split, down to one byte at a time.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pop3ReplyReader, Pop3ServerError, type Pop3Reply } from '../../src/protocols/pop3/pop3ReplyReader';

const STREAM = Buffer.from(
  [
    '+OK POP3 ready',
    '+OK',
    'line one',
    '..starts with a dot',
    '.',
    '-ERR [IN-USE] mailbox locked',
    '+OK 12 octets',
    '',
    '...',
    'x.',
    '.',
    '+ Y2hhbGxlbmdl',
    '',
  ].join('\r\n'),
);

const EXPECTED = [
  'ok:POP3 ready:',
  'ok::line one\n.starts with a dot\n',
  'err:IN-USE:[IN-USE] mailbox locked',
  'ok:12 octets:\n..\nx.\n',
  'cont:Y2hhbGxlbmdl:',
];

function run(chunks: Buffer[]): string[] {
  const results: string[] = [];
  const reader = new Pop3ReplyReader((error) => results.push(`fatal:${error.message}`));
  const done = (reply: Pop3Reply) =>
    results.push(`${reply.continuation ? 'cont' : 'ok'}:${reply.text}:${reply.body?.toString() ?? ''}`);
  const failed = (error: Error) => results.push(`err:${(error as Pop3ServerError).responseCode}:${error.message}`);
  for (const multiline of [false, true, false, true]) reader.expect({ multiline, resolve: done, reject: failed });
  reader.expect({ multiline: false, continuation: true, resolve: done, reject: failed });
  for (const chunk of chunks) reader.push(chunk);
  return results;
}

test('the same replies come out for every single split point of the stream', () => {
  for (let split = 0; split <= STREAM.length; split++) {
    assert.deepEqual(run([STREAM.subarray(0, split), STREAM.subarray(split)]), EXPECTED, `split at byte ${split}`);
  }
});

test('the same replies come out when the stream arrives one byte at a time', () => {
  assert.deepEqual(run([...STREAM].map((byte) => Buffer.from([byte]))), EXPECTED);
});

test('a body streams to its sink as it arrives, with CRLF turned into LF and dots unstuffed', () => {
  const reader = new Pop3ReplyReader(() => assert.fail('no fatal error expected'));
  const received: string[] = [];
  let finished = false;
  reader.expect({
    multiline: true,
    sink: (chunk) => received.push(chunk.toString()),
    resolve: () => (finished = true),
    reject: assert.fail,
  });
  reader.push(Buffer.from('+OK\r\nA very long line without an end yet'));
  assert.equal(finished, false);
  assert.equal(
    received.join(''),
    'A very long line without an end yet',
    'a partial line is passed on before its end arrives',
  );
  reader.push(Buffer.from('\r'));
  reader.push(Buffer.from('\n..dot\r\n.\r\n'));
  assert.equal(finished, true);
  assert.equal(received.join(''), 'A very long line without an end yet\n.dot\n');
});

test('a line that is neither +OK nor -ERR is a protocol error', () => {
  const errors: string[] = [];
  const reader = new Pop3ReplyReader((error, source) => errors.push(`${source}: ${error.message}`));
  reader.expect({ multiline: false, resolve: () => assert.fail('must not resolve'), reject: () => undefined });
  reader.push(Buffer.from('HELLO THERE\r\n'));
  assert.deepEqual(errors, ['server: the server sent "HELLO THERE" where a +OK or -ERR was expected']);
});

test('a sink that fails (a full disk) ends the session as a local failure', () => {
  const errors: string[] = [];
  const reader = new Pop3ReplyReader((error, source) => errors.push(`${source}: ${error.message}`));
  reader.expect({
    multiline: true,
    sink: () => {
      throw new Error('ENOSPC: no space left on device');
    },
    resolve: () => assert.fail('must not resolve'),
    reject: () => undefined,
  });
  reader.push(Buffer.from('+OK\r\ndata\r\n.\r\n'));
  assert.deepEqual(errors, ['sink: ENOSPC: no space left on device']);
});

test('failAll rejects every reply still waiting', () => {
  const reader = new Pop3ReplyReader(() => undefined);
  const rejected: string[] = [];
  for (let i = 0; i < 3; i++)
    reader.expect({
      multiline: true,
      resolve: () => assert.fail('must not resolve'),
      reject: (error) => rejected.push(error.message),
    });
  reader.push(Buffer.from('+OK\r\npartial'));
  reader.failAll(new Error('connection lost'));
  assert.deepEqual(rejected, ['connection lost', 'connection lost', 'connection lost']);
  assert.equal(reader.waiting, 0);
});
